import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempDir } from './helpers.js';

const MINI = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');
const SCHOOLS = path.join(ROOT, 'test/fixtures/schools');
const withMini = ['--checklist', MINI];

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('reopen-audit audit', () => {
  it('exits 0 and says so when the school is ready', () => {
    const r = cli(['audit', path.join(SCHOOLS, 'ready.yaml'), ...withMini]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ 具备开学条件  济南市历下区实验小学 (370102-001)');
    expect(r.stdout).toContain('共 1 所学校：具备开学条件 1，不具备开学条件 0，核验未完成 0');
  });

  it('exits 1 for a folder with a school that is not ready, showing the computed threshold', () => {
    const r = cli(['audit', SCHOOLS, ...withMini]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✘ 不具备开学条件  郑州市金水区第一中学 (410105-0001)');
    expect(r.stdout).toContain('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(r.stdout).toContain('汇总');
    expect(r.stdout).toContain('共 2 所学校：具备开学条件 1，不具备开学条件 1，核验未完成 0');
  });

  it('speaks English with --lang en', () => {
    const r = cli(['audit', SCHOOLS, ...withMini, '--lang', 'en']);
    expect(r.stdout).toContain('✘ NOT READY');
    expect(r.stdout).toContain('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(r.stdout).toContain('2 school(s): 1 ready, 1 not ready, 0 incomplete');
  });

  it('writes several reports in one run, and the JSON is byte-identical across runs', () => {
    const dir = tempDir('cli');
    const args = ['audit', SCHOOLS, ...withMini, '--format', `markdown:${dir}/report.md`, '--format', `json:${dir}/report.json`];
    const first = cli(args);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    const json1 = readFileSync(`${dir}/report.json`);
    const markdown = readFileSync(`${dir}/report.md`, 'utf8');
    expect(markdown).toContain('(1100 + 100) × 1 × 14');
    expect(JSON.parse(json1.toString()).reportVersion).toBe(2);
    cli(args);
    expect(readFileSync(`${dir}/report.json`).equals(json1)).toBe(true);
  });

  it('honours --param and reports an unknown one as a usage error', () => {
    const r = cli(['audit', path.join(SCHOOLS, 'short-masks.yaml'), ...withMini, '--param', 'stock_days=7']);
    expect(r.stdout).toContain('✔ 具备开学条件');
    const bad = cli(['audit', path.join(SCHOOLS, 'short-masks.yaml'), ...withMini, '--param', 'stock_day=7']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('没有名为“stock_day”的参数，您是不是想写“stock_days”？');
  });

  it('locates bad files, audits the good ones, and exits 2', () => {
    const dir = tempDir('cli');
    copyFileSync(path.join(SCHOOLS, 'ready.yaml'), path.join(dir, 'a-ready.yaml'));
    const good = readFileSync(path.join(SCHOOLS, 'ready.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'b-wrong-type.yaml'), good.replace('students: 1100', 'students: 一千'));
    writeFileSync(path.join(dir, 'c-unknown-item.yaml'), good.replace('mini.plans.entrance: gate', 'mini.plans.entrence: gate'));
    writeFileSync(path.join(dir, 'd-syntax.yaml'), good.replace('name: 济南市历下区实验小学', 'name: "济南市历下区实验小学'));
    mkdirSync(path.join(dir, 'sub'));
    copyFileSync(path.join(SCHOOLS, 'short-masks.yaml'), path.join(dir, 'sub', 'e.yml'));
    const r = cli(['audit', dir, ...withMini]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').map((l) => l.replace(dir + path.sep, ''));
    expect(lines).toEqual([
      'b-wrong-type.yaml:8:13: “students”应为整数，实际为文本 "一千"',
      'c-unknown-item.yaml:22:3: 没有编号为“mini.plans.entrence”的核验项，您是不是想写“mini.plans.entrance”？',
      'd-syntax.yaml:4:9: YAML 语法错误：缺少字符，可能是引号或括号未闭合，或键后面漏了半角冒号“:”',
    ]);
    expect(r.stdout).toContain('济南市历下区实验小学');
    expect(r.stdout).toContain('郑州市金水区第一中学');
    expect(r.stdout).toContain('3 个文件无法核验');
    noStackTrace(r.stderr);
    const en = cli(['audit', dir, ...withMini, '--lang', 'en']);
    expect(en.stderr).toContain('b-wrong-type.yaml:8:13: "students" must be integer, got string "一千"');
    expect(en.stderr).toContain('did you mean "mini.plans.entrance"?');
  });

  it('refuses to write a report over one of its input files', () => {
    const dir = tempDir('cli');
    const school = path.join(dir, 'school.yaml');
    copyFileSync(path.join(SCHOOLS, 'ready.yaml'), school);
    const r = cli(['audit', school, ...withMini, '--format', `json:${school}`]);
    expect(r.code).toBe(2);
    expect(readFileSync(school, 'utf8')).toBe(readFileSync(path.join(SCHOOLS, 'ready.yaml'), 'utf8'));
  });

  it('treats a missing path and an unknown format as errors (exit 2)', () => {
    expect(cli(['audit', 'no/such/dir', ...withMini]).code).toBe(2);
    const r = cli(['audit', SCHOOLS, '--format', 'docx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('无法识别的输出格式“docx”');
    // A format that only a file can hold, asked for on standard output.
    const pdf = cli(['audit', SCHOOLS, '--format', 'pdf']);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('格式 pdf 须写入文件：请写作 --format pdf:路径');
  });

  it('refuses two formats for one file or for standard output, before anything is written', () => {
    const dir = tempDir('cli');
    const first = path.join(dir, 'r.json');
    writeFileSync(first, 'kept');
    // The same file written two ways: the later format would silently replace the earlier.
    const same = cli(['audit', SCHOOLS, ...withMini, '--format', `json:${first}`, '--format', `csv:${dir}/./r.json`]);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe(`reopen-audit: 格式 json 与 csv 都要写入 ${dir}/./r.json，后写的会覆盖先写的；请给每种格式各写一个路径\n`);
    expect(readFileSync(first, 'utf8')).toBe('kept');
    const en = cli(['--lang', 'en', 'compare', SCHOOLS, SCHOOLS, ...withMini, '--format', `json:${first}`, '--format', `markdown:${first}`]);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain(`the json and markdown formats would both be written to ${first}, the later replacing the earlier`);
    // Standard output named as a file counts as standard output.
    for (const stdout of ['/dev/stdout', '/dev/fd/1']) {
      const both = cli(['audit', SCHOOLS, ...withMini, '--format', 'csv', '--format', `json:${stdout}`]);
      expect(both.code).toBe(2);
      expect(both.stdout).toBe('');
      expect(both.stderr).toContain('只能有一种格式输出到终端');
    }
    const alone = cli(['audit', SCHOOLS, ...withMini, '--format', 'json:/dev/stdout']);
    expect(alone.code).toBe(1);
    expect(JSON.parse(alone.stdout).summary).toMatchObject({ schools: 2, READY: 1, NOT_READY: 1 });
  });

  it('makes what the user typed safe for the terminal in its own messages', () => {
    const r = cli(['audit', SCHOOLS, '--format', 'json\u001b[2J:x']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('无法识别的输出格式');
  });
});

describe('reopen-audit usage', () => {
  it('explains usage errors in Chinese by default and exits 2', () => {
    const r = cli(['audit', SCHOOLS, '--formt', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知选项 --formt');
    noStackTrace(r.stderr);
  });

  it('documents the exit codes in --help', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('退出码');
    expect(cli(['audit', '--help', '--lang', 'en']).stdout).toContain('Exit codes:');
  });
});

describe('reopen-audit validate', () => {
  it('passes valid files and locates errors in bad ones', () => {
    expect(cli(['validate', path.join(SCHOOLS, 'ready.yaml'), ...withMini]).code).toBe(0);
    const dir = tempDir('cli');
    writeFileSync(path.join(dir, 'bad.yaml'), readFileSync(path.join(SCHOOLS, 'ready.yaml'), 'utf8').replace('level: county', 'level: district'));
    const r = cli(['validate', dir, ...withMini]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('bad.yaml:12:10: “level”的值 "district" 无效');
  });

  it('validates the built-in library', () => {
    const r = cli(['validate', 'checklists']);
    expect(r.stdout).not.toContain('错误：');
    expect(r.code).toBe(0);
  });
});

describe('reopen-audit audit, flags for CI', () => {
  it('--summary-only prints the summary and totals only; --failures-only leaves ready schools out', () => {
    const summary = cli(['audit', SCHOOLS, ...withMini, '--summary-only']);
    expect(summary.code).toBe(1);
    expect(summary.stdout).not.toContain('✘ 不具备开学条件');
    expect(summary.stdout).toContain('汇总');
    expect(summary.stdout).toContain('共 2 所学校：具备开学条件 1，不具备开学条件 1，核验未完成 0');
    const dir = tempDir('cli');
    const failures = cli(['audit', SCHOOLS, ...withMini, '--failures-only', '--format', `json:${dir}/r.json`, '--format', 'text']);
    expect(failures.stdout).toContain('✘ 不具备开学条件  郑州市金水区第一中学');
    expect(failures.stdout).not.toContain('✔ 具备开学条件  济南市历下区实验小学');
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8'));
    expect(report.summary).toMatchObject({ schools: 2, READY: 1, NOT_READY: 1 });
    expect(report.schools).toHaveLength(1);
    expect(report.schools[0].items.map((i: { status: string }) => i.status)).not.toContain('pass');
  });

  it('--exit-zero reports without failing the job; usage errors still exit 2', () => {
    expect(cli(['audit', SCHOOLS, ...withMini, '--exit-zero']).code).toBe(0);
    expect(cli(['audit', 'no/such/dir', ...withMini, '--exit-zero']).code).toBe(0);
    expect(cli(['audit', SCHOOLS, '--exit-zero', '--failures-only', '--summary-only']).code).toBe(2);
  });

  it('rejects an unknown --param before auditing anything', () => {
    const r = cli(['audit', SCHOOLS, ...withMini, '--param', 'stock_day=7', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('reopen-audit: there is no parameter "stock_day"; did you mean "stock_days"?\n');
    expect(r.stdout).toBe('');
  });

  it('keeps --out-dir reports of a.yaml and a.yml apart', () => {
    const dir = tempDir('cli');
    copyFileSync(path.join(SCHOOLS, 'ready.yaml'), path.join(dir, 'a.yaml'));
    copyFileSync(path.join(SCHOOLS, 'short-masks.yaml'), path.join(dir, 'a.yml'));
    const out = path.join(tempDir('cli'), 'reports');
    cli(['audit', dir, ...withMini, '--out-dir', out]);
    const written = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.md')).sort();
    expect(written.filter((f) => f !== 'index.md').map((f) => path.basename(f))).toEqual(['a.yaml.md', 'a.yml.md']);
  });

  it('still writes its files and exits by the verdicts when standard output is closed early', () => {
    const dir = tempDir('cli');
    const r = spawnSync('bash', ['-c', `node ${BIN} audit ${SCHOOLS} --checklist ${MINI} --format text --format json:${dir}/r.json | head -1; echo "exit=\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout).toContain('exit=1');
    expect(JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')).summary.schools).toBe(2);
    expect(readdirSync(dir)).toEqual(['r.json']);
  });
});
