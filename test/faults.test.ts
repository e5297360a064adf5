/**
 * Faults: what is on disk when things go wrong. An output path that is one of the inputs is
 * refused before anything is written; a write that fails leaves the old file and no
 * temporary file; and a batch writing `--out-dir`, a JSON and a CSV report is killed with
 * SIGKILL at random moments, again and again: every file on disk is then absent, or exactly
 * one complete version of itself, never a truncated one. After a normal exit no temporary
 * file is left. (The interview's own SIGKILL tests are in interview-pty.test.ts and
 * school-writer.test.ts.)
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempDir } from './helpers.js';

const WORK = tempDir('faults');
const SCHOOL = path.join(ROOT, 'test/fixtures/bad/base.yaml');
/** What AtomicFile calls its temporary files: hidden, beside the target. */
const TEMP = /^\..+\.tmp$/;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Run the tool; with `killAfter`, send SIGKILL after that many milliseconds (if it is still running). */
function run(args: string[], cwd: string, killAfter?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

/** Every file under `dir`, by path relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const tempFiles = (dir: string) => filesUnder(dir).filter((f) => TEMP.test(path.basename(f)));

describe('an output path that is an input file', () => {
  const dir = path.join(WORK, 'refuse');

  beforeAll(() => {
    mkdirSync(path.join(dir, 'schools/历城区'), { recursive: true });
    cpSync(SCHOOL, path.join(dir, 'schools/历城区/dongfeng.yaml'));
  });

  it.each([
    [
      'the same path',
      ['audit', 'schools/历城区/dongfeng.yaml', '-f', 'json:schools/历城区/dongfeng.yaml'],
      'schools/历城区/dongfeng.yaml',
    ],
    [
      'another spelling of it',
      ['audit', 'schools/历城区/dongfeng.yaml', '-f', 'markdown:./schools/../schools/历城区/dongfeng.yaml'],
      './schools/../schools/历城区/dongfeng.yaml',
    ],
    [
      'a file found in a folder',
      ['audit', 'schools', '-f', 'text', '-f', 'csv:schools/历城区/dongfeng.yaml'],
      'schools/历城区/dongfeng.yaml',
    ],
  ])('is refused before anything is written: %s', async (_name, args, shown) => {
    const before = readFileSync(path.join(dir, 'schools/历城区/dongfeng.yaml'));
    const r = await run(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`reopen-audit: 输出路径 ${shown} 是一个输入文件，拒绝覆盖\n`);
    expect(readFileSync(path.join(dir, 'schools/历城区/dongfeng.yaml'))).toEqual(before);
    expect(filesUnder(dir)).toEqual(['schools/历城区/dongfeng.yaml']);
  });
});

describe('a write that fails', () => {
  const dir = path.join(WORK, 'fail');

  beforeAll(() => {
    mkdirSync(path.join(dir, 'taken.json'), { recursive: true });
    mkdirSync(path.join(dir, 'taken.md'), { recursive: true });
    cpSync(SCHOOL, path.join(dir, 'school.yaml'));
    writeFileSync(path.join(dir, 'old.csv'), '旧的报告\r\n');
  });

  it.each([
    ['a streamed report (JSON)', 'json:taken.json', 'taken.json'],
    ['a report written at the end (Markdown)', 'markdown:taken.md', 'taken.md'],
  ])(
    'says so, exits 2, keeps the other outputs whole and leaves no temporary file: %s',
    async (_name, spec, target) => {
      const r = await run(['audit', 'school.yaml', '-f', spec, '-f', 'csv:old.csv'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`无法写入 ${target}（EISDIR）`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(tempFiles(dir)).toEqual([]);
      // The directory in the way is untouched; the CSV is the old one or the complete new one.
      expect(readdirSync(path.join(dir, target))).toEqual([]);
      const csv = readFileSync(path.join(dir, 'old.csv'), 'utf8');
      expect(
        csv === '旧的报告\r\n' ||
          (csv.startsWith('\uFEFF') && csv.endsWith('\r\n') && csv.includes('济南市历城区东风小学')),
      ).toBe(true);
    },
  );
});

describe('SIGKILL while a batch writes --out-dir, a JSON and a CSV report', () => {
  const dir = path.join(WORK, 'kill');
  const ARGS = (lang: 'zh' | 'en', out: string) => [
    '--lang',
    lang,
    'audit',
    'schools',
    '-f',
    `json:${out}/report.json`,
    '-f',
    `csv:${out}/report.csv`,
    '--out-dir',
    `${out}/schools`,
  ];
  /** Every output file of a complete run, in each language: what a file on disk may be. */
  const versions: Record<'zh' | 'en', Map<string, string>> = { zh: new Map(), en: new Map() };
  let normalMs = 0;
  /** Exit 2 for the one school file the generator breaks, and for nothing else. */
  const expectBrokenSchoolsOnly = (r: Run) => {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/无法写入|cannot write|内部错误|internal error/);
  };

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    // 100 realistic school files (one of them broken on purpose, as in the field): enough
    // for the worker threads, small enough for 50 kills in well under a minute.
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'bench/generate.mjs'), '100', path.join(dir, 'schools')],
      { stdio: 'ignore' },
    );
    for (const out of ['complete-zh', 'complete-en', 'again', 'killed']) mkdirSync(path.join(dir, out));
    for (const lang of ['zh', 'en'] as const) {
      const out = `complete-${lang}`;
      const r = await run(ARGS(lang, out), dir);
      expect(r.signal).toBeNull();
      expectBrokenSchoolsOnly(r);
      normalMs = Math.max(normalMs, r.ms);
      for (const f of filesUnder(path.join(dir, out)))
        versions[lang].set(f, readFileSync(path.join(dir, out, f), 'utf8'));
    }
  }, 60000);

  it('leaves no temporary file after a normal exit, and writes the same bytes every time', async () => {
    for (const lang of ['zh', 'en'] as const) {
      expect(tempFiles(path.join(dir, `complete-${lang}`))).toEqual([]);
      // 99 school reports, the index, the JSON and the CSV.
      expect(versions[lang].size).toBe(102);
    }
    const again = await run(ARGS('zh', 'again'), dir);
    expectBrokenSchoolsOnly(again);
    expect(tempFiles(path.join(dir, 'again'))).toEqual([]);
    for (const f of filesUnder(path.join(dir, 'again')))
      expect(readFileSync(path.join(dir, 'again', f), 'utf8'), f).toBe(versions.zh.get(f));
  });

  it('never leaves a truncated or mixed file, over at least 50 kills at random moments', async () => {
    const out = path.join(dir, 'killed');
    let kills = 0;
    let attempts = 0;
    const landed: number[] = [];
    while (kills < 50 && attempts < 120) {
      attempts++;
      const lang = Math.random() < 0.5 ? 'zh' : 'en';
      // Anywhere from start-up to the last rename of a run.
      const delay = Math.floor(30 + Math.random() * normalMs);
      const r = await run(ARGS(lang, 'killed'), dir, delay);
      if (r.signal === 'SIGKILL') {
        kills++;
        landed.push(delay);
      } else {
        expectBrokenSchoolsOnly(r);
      }
      for (const f of filesUnder(out)) {
        if (TEMP.test(path.basename(f))) continue;
        const text = readFileSync(path.join(out, f), 'utf8');
        // The complete version of one run or the other: never part of one.
        expect(
          text === versions.zh.get(f) || text === versions.en.get(f),
          `${f} after a kill at ${delay} ms is not a complete version`,
        ).toBe(true);
      }
    }
    expect(kills).toBeGreaterThanOrEqual(50);
    // The kills fell across the whole run, not only at its start.
    expect(Math.max(...landed)).toBeGreaterThan(normalMs / 2);
    // Whatever the kills left, a normal run afterwards completes every file and adds no temporary file.
    const before = tempFiles(out);
    const r = await run(ARGS('zh', 'killed'), dir);
    expectBrokenSchoolsOnly(r);
    expect(tempFiles(out)).toEqual(before);
    for (const [f, text] of versions.zh) expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(text);
    // A temporary file a kill left behind is never taken for a school file.
    for (const f of before) expect(f).not.toMatch(/\.ya?ml$/);
  }, 120000);
});

describe('--param names and numbers', () => {
  const school = path.join(ROOT, 'test/fixtures/schools/ready.yaml');
  const mini = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', ' stock_days', 'stock_days '])(
    'refuses every name no loaded checklist declares alike: %j',
    (name) => {
      const r = cli(['audit', school, '--param', `${name}=1`, '--lang', 'en']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`reopen-audit: there is no parameter "${name}"`);
      expect(r.stdout).toBe('');
    },
  );

  it.each(['0x10', '1e-400', '1e3', '+14', ' 14', '14 ', '014', '14.', '.5', 'Infinity', '', '1234567890.1234567'])(
    'takes numbers only in decimal as written: %j is a usage error',
    (value) => {
      const r = cli(['audit', school, '--param', `stock_days=${value}`, '--lang', 'en']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`reopen-audit: stock_days=${value}: must be number\n`);
    },
  );

  it('reads a decimal number as the number written', () => {
    const r = cli(['audit', school, '-c', mini, '--param', 'stock_days=14.5', '--format', 'json']);
    expect(r.code, r.stderr).toBeLessThan(2);
    const json = JSON.parse(r.stdout) as { catalogues: Record<string, { parameters: { name: string; value: unknown }[] }> };
    const values = Object.values(json.catalogues).flatMap((c) => c.parameters.filter((p) => p.name === 'stock_days').map((p) => p.value));
    expect(values).toEqual([14.5]);
  });
});

describe('a report written to a device or a pipe', () => {
  const schools = path.join(ROOT, 'test/fixtures/schools');
  const mini = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');
  /** What a path is: a character device, a link, a pipe … */
  const kind = (p: string) => {
    const st = lstatSync(p);
    return st.isSymbolicLink() ? 'link' : st.isCharacterDevice() ? 'char' : st.isFIFO() ? 'fifo' : st.isFile() ? 'file' : 'other';
  };

  it.skipIf(process.platform !== 'linux')('/dev/null and /dev/stdout are written to, never replaced by a file (as root the rename would succeed)', () => {
    const before = { null: kind('/dev/null'), stdout: kind('/dev/stdout') };
    // Standard output a pipe, as in `… | tee`.
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" audit "${schools}" -c "${mini}" --format json:/dev/null --format csv:/dev/stdout | cat`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('370102-001');
    expect({ null: kind('/dev/null'), stdout: kind('/dev/stdout') }).toEqual(before);
    expect(before.null).toBe('char');
    expect(readdirSync('/dev').filter((f) => TEMP.test(f))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('/dev/stdout is standard output even when that is a socket (a program that started the tool with pipes)', () => {
    // Node's child pipes are socket pairs: opening /dev/stdout on one fails (ENXIO) on Linux.
    const args = [BIN, 'audit', schools, '-c', mini];
    const env = { ...process.env, NO_COLOR: '1' };
    for (const [format, target, shows] of [['csv', '/dev/stdout', '370102-001'], ['summary', '/dev/fd/1', '| 合计 | 2 |']]) {
      const named = spawnSync(process.execPath, [...args, '--format', `${format}:${target}`], { encoding: 'utf8', env });
      const plain = spawnSync(process.execPath, [...args, '--format', format as string], { encoding: 'utf8', env });
      expect(named.stderr).toBe(plain.stderr);
      expect(named.status).toBe(1);
      expect(plain.status).toBe(1);
      expect(named.stdout).toContain(shows);
      expect(named.stdout).toBe(plain.stdout);
    }
  });

  it.skipIf(process.platform !== 'linux')('a named pipe gets the whole report and stays a pipe', () => {
    const dir = tempDir('fifo');
    const fifo = path.join(dir, 'report.csv');
    execFileSync('mkfifo', [fifo]);
    const r = spawnSync('bash', ['-c', `cat "${fifo}" > "${dir}/got.csv" & "${process.execPath}" "${BIN}" audit "${schools}" -c "${mini}" --format csv:"${fifo}"; echo "exit=$?"; wait`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout.trim()).toBe('exit=1');
    expect(kind(fifo)).toBe('fifo');
    expect(readFileSync(path.join(dir, 'got.csv'), 'utf8')).toContain('370102-001');
    expect(readdirSync(dir).sort()).toEqual(['got.csv', 'report.csv']);
  });
});

describe('a standard output that is full or closed', () => {
  const schools = path.join(ROOT, 'test/fixtures/schools');
  const mini = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');
  /** The tool run by a shell with standard output redirected as `redirect` says. */
  const shell = (args: string, redirect: string) =>
    spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} ${redirect}; echo "exit=$?" >&2`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });

  it.skipIf(!existsSync('/dev/full'))('full (>/dev/full): a clear message and exit 2, no stack trace', () => {
    for (const [lang, message] of [
      ['zh', 'reopen-audit: 无法写入标准输出（ENOSPC，磁盘已满），输出到终端的报告不完整\n'],
      ['en', 'reopen-audit: cannot write to standard output (ENOSPC: no space left); what was meant for it is incomplete\n'],
    ] as const) {
      const r = shell(`audit "${schools}" -c "${mini}" --lang ${lang}`, '>/dev/full');
      expect(r.stderr).toBe(`${message}exit=2\n`);
    }
  });

  it.skipIf(process.platform !== 'linux')('closed (>&-): said on standard error, the audit keeps its exit code', () => {
    const out = tempDir('stdout');
    const r = shell(`audit "${schools}" -c "${mini}" --format json -f csv:"${out}/r.csv" --lang en`, '>&-');
    expect(r.stderr).toBe(
      'reopen-audit: standard output is closed: what was meant for it was not shown (reports written to files are not affected)\nexit=1\n',
    );
    expect(readFileSync(path.join(out, 'r.csv'), 'utf8')).toContain('370102-001');
    // Sent to /dev/null on purpose, or nothing meant for standard output: nothing to say.
    expect(shell(`audit "${schools}" -c "${mini}"`, '>/dev/null').stderr).toBe('exit=1\n');
    expect(shell(`audit "${schools}" -c "${mini}" -f csv:"${out}/r.csv"`, '>&-').stderr).toBe('exit=1\n');
  });
});

describe('--out-dir: every school its own report, never written outside the folder', () => {
  const mini = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');
  const ready = path.join(ROOT, 'test/fixtures/schools/ready.yaml');
  const notReady = path.join(ROOT, 'test/fixtures/schools/short-masks.yaml');
  const bytes = (file: string) => readFileSync(file, 'utf8');

  it('gives index.yaml, a.yaml and ../a.yaml each a report, the same whatever the order, and says where', () => {
    const dir = tempDir('outdir');
    mkdirSync(path.join(dir, 'sub'));
    cpSync(ready, path.join(dir, 'index.yaml'));
    cpSync(notReady, path.join(dir, 'a.yaml'));
    cpSync(ready, path.join(dir, 'sub/a.yaml'));
    const first = cli(['audit', 'a.yaml', '../a.yaml', '../index.yaml', '-c', mini, '--out-dir', '../OUT1', '--lang', 'en'], { cwd: path.join(dir, 'sub') });
    expect(first.code).toBe(1);
    expect(first.stderr).toBe(
      [
        "reopen-audit: --out-dir: the report of ../a.yaml is written as ../OUT1/a.yaml.md (../OUT1/a.md is another school's report too)",
        'reopen-audit: --out-dir: the report of ../index.yaml is written as ../OUT1/index.yaml.md (../OUT1/index.md is the index)',
        "reopen-audit: --out-dir: the report of a.yaml is written as ../OUT1/a.yaml-2.md (../OUT1/a.md is another school's report too)",
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'OUT1');
    expect(filesUnder(out)).toEqual(['a.yaml-2.md', 'a.yaml.md', 'index.md', 'index.yaml.md']);
    expect(bytes(path.join(out, 'a.yaml.md'))).toContain('郑州市金水区第一中学');
    expect(bytes(path.join(out, 'a.yaml-2.md'))).toContain('济南市历下区实验小学');
    const index = bytes(path.join(out, 'index.md'));
    for (const f of ['a.yaml.md', 'a.yaml-2.md', 'index.yaml.md']) expect(index).toContain(`(${f})`);
    expect(index).not.toContain('(index.md)');
    // Named in another order: the same reports under the same names.
    cli(['audit', '../index.yaml', '../a.yaml', 'a.yaml', '-c', mini, '--out-dir', '../OUT2', '--lang', 'en'], { cwd: path.join(dir, 'sub') });
    for (const f of ['a.yaml-2.md', 'a.yaml.md', 'index.yaml.md']) expect(bytes(path.join(dir, 'OUT2', f)), f).toBe(bytes(path.join(out, f)));
  });

  it('replaces a symbolic link inside it, folder or file, instead of writing through it', () => {
    const dir = tempDir('outdir');
    mkdirSync(path.join(dir, 'schools/link'), { recursive: true });
    cpSync(ready, path.join(dir, 'schools/link/a.yaml'));
    mkdirSync(path.join(dir, 'elsewhere'));
    writeFileSync(path.join(dir, 'elsewhere/index.md'), '别处的文件\n');
    mkdirSync(path.join(dir, 'OUT/schools'), { recursive: true });
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'OUT/schools/link'));
    symlinkSync(path.join(dir, 'elsewhere/index.md'), path.join(dir, 'OUT/index.md'));
    const r = cli(['audit', 'schools', '-c', mini, '--out-dir', 'OUT'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      [
        `reopen-audit: 符号链接 ${path.join('OUT/schools/link')} 已被替换，未写入它所指向的位置`,
        `reopen-audit: 符号链接 ${path.join('OUT/index.md')} 已被替换，未写入它所指向的位置`,
        '',
      ].join('\n'),
    );
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual(['index.md']);
    expect(bytes(path.join(dir, 'elsewhere/index.md'))).toBe('别处的文件\n');
    expect(lstatSync(path.join(dir, 'OUT/schools/link')).isDirectory()).toBe(true);
    expect(bytes(path.join(dir, 'OUT/schools/link/a.md'))).toContain('济南市历下区实验小学');
    expect(bytes(path.join(dir, 'OUT/index.md'))).toContain('(schools/link/a.md)');
  });

  it('that is a file: says so, exits 2 and writes nothing', () => {
    const dir = tempDir('outdir');
    writeFileSync(path.join(dir, 'afile'), '用户的文件\n');
    for (const [lang, message] of [
      ['zh', '--out-dir afile 是一个文件，而报告需要写入文件夹：请指定一个文件夹（已有的或新建的）'],
      ['en', '--out-dir afile is a file; the reports need a folder (an existing one or one to be made)'],
    ] as const) {
      const r = cli(['audit', ready, '-c', mini, '--out-dir', 'afile', '-f', 'json:r.json', '--lang', lang], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`reopen-audit: ${message}\n`);
    }
    expect(readdirSync(dir)).toEqual(['afile']);
    expect(bytes(path.join(dir, 'afile'))).toBe('用户的文件\n');
  });
});
