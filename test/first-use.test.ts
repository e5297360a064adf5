/**
 * What a new user meets first: help that exits 0 and reads at 80 columns in both languages,
 * reports that leave out checklists that do not apply, spreadsheets that name checklists by
 * title, districts in pinyin order, a 整改清单 whose deadline and responsible person have
 * room, and a SARIF log that says where to read about the tool.
 */
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT, cli, tempDir } from './helpers.js';

const JUNIOR = 'examples/schools/unanswered-items.yaml';

describe('help', () => {
  it('`help` and `help <command>` exit 0, as --help does', () => {
    for (const args of [['help'], ['help', 'audit'], ['help', 'compare'], ['--help'], ['audit', '--help']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('用法：');
    }
    // No command at all is still a usage error.
    expect(cli([]).code).toBe(2);
  });

  it('reads at 80 columns in zh and en, with [options] translated in the command list', () => {
    const commands = [[], ['audit'], ['validate'], ['checklists'], ['checklists', 'list'], ['checklists', 'show'], ['interview'], ['init'], ['compare']];
    for (const lang of ['zh', 'en']) {
      for (const c of commands) {
        const text = cli([...c, '--help', '--lang', lang]).stdout;
        const long = text.split('\n').filter((l) => stringWidth(l) > 80);
        expect(long, `${lang} ${c.join(' ')}`).toEqual([]);
        if (lang === 'zh') {
          expect(text).not.toContain('[options]');
          expect(text).not.toContain('[command]');
          // Choices and defaults in Chinese punctuation.
          expect(text).not.toMatch(/\((可选|默认): /);
        }
      }
    }
    const zh = cli(['--help']).stdout;
    expect(zh).toContain('  audit [选项] <paths...>');
    // The compare description wraps under its own column, not into the margin.
    const compare = zh.split('\n').findIndex((l) => l.startsWith('  compare [选项]'));
    const indent = zh.split('\n')[compare]?.indexOf('整改复核') ?? -1;
    expect(zh.split('\n')[compare + 1]?.slice(0, indent).trim()).toBe('');
  });
});

describe('checklists that do not apply', () => {
  it('are named once in Markdown and never scored', () => {
    const md = cli(['audit', JUNIOR, '-f', 'markdown']).stdout;
    const row = md.split('\n').find((l) => l.startsWith('| 核验表 |')) ?? '';
    expect(row).toMatch(/<br>不适用于本校（没有适用的核验项）：食堂与宿舍（`canteen-dormitory`，版本 [\d.]+）、幼儿园补充检查项（`kindergarten`，版本 [\d.]+） \|$/);
    expect(md).not.toContain('| 幼儿园补充检查项 `kindergarten` |');
    expect(md).not.toContain('### 幼儿园补充检查项');
  });

  it('are left out of the HTML score table', () => {
    const html = cli(['audit', JUNIOR, '-f', 'html']).stdout;
    expect(html).toContain('不适用于本校（没有适用的核验项）：食堂与宿舍、幼儿园补充检查项');
    expect(html.match(/幼儿园补充检查项/g)?.length).toBe(1);
  });

  it('are left out of the CSV scores, which name checklists by title', () => {
    const csv = cli(['audit', JUNIOR, '-f', 'csv']).stdout;
    expect(csv).not.toContain('kindergarten');
    expect(csv).not.toContain('幼儿园补充检查项');
    expect(csv).toContain('组织体系与“两案” 92.9%');
    const en = cli(['audit', 'examples/schools/boarding-junior-crowded-dorms.yaml', '-f', 'csv', '--lang', 'en']).stdout;
    expect(en).toContain('Canteen and dormitory 75%');
    expect(en).not.toContain('canteen-dormitory');
  });

  it('csv-items names the checklist by its title', () => {
    const rows = cli(['audit', JUNIOR, '-f', 'csv-items']).stdout.split('\r\n');
    expect(rows[1]).toContain(',gates.epidemic.controlled,三个不开学（开学前提条件）,');
  });
});

describe('districts', () => {
  it('sort by pinyin in the district summary', () => {
    const md = cli(['audit', 'examples/schools', '-f', 'summary']).stdout;
    const section = md.slice(md.indexOf('## 按区县统计'), md.indexOf('## 按学校类型统计'));
    const order = [...section.matchAll(/^\| (\S+[区县]) \| \d/gm)].map((m) => m[1]);
    expect(order).toEqual(['北湖区', '河东区', '河西区', '南城区', '青山县', '汶河县']);
  });
});

describe('整改清单', () => {
  it('in Markdown: the id and severity under the title, pandoc widths that leave the deadline and the responsible person room', () => {
    const md = cli(['audit', 'examples/schools/boarding-junior-crowded-dorms.yaml', '-f', 'markdown']).stdout;
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| 序号 | 核验项 | 问题 | 整改建议 | 整改期限 | 责任人 |'));
    expect(head).toBeGreaterThan(0);
    const dashes = (lines[head + 1] ?? '').split('|').slice(1, -1).map((c) => c.trim().length);
    const total = dashes.reduce((a, b) => a + b, 0);
    // 整改期限 and 责任人 together get at least a third of the width.
    expect(((dashes[4] ?? 0) + (dashes[5] ?? 0)) / total).toBeGreaterThanOrEqual(0.33);
    expect(lines[head + 3]).toContain('宿舍单间最多居住人数<br>`living.dorm.max_per_room` · 关键');
    expect(lines[head + 3]).toContain('| 2020-05-02 | 郝建平（总务主任） |');
  });

  it('in HTML: a date that does not break and a name that breaks only before its bracket', () => {
    const html = cli(['audit', 'examples/schools/boarding-junior-crowded-dorms.yaml', '-f', 'html']).stdout;
    expect(html).toContain('<span class="date">2020-05-02</span>');
    expect(html).toContain('<span class="who">郝建平（总务主任）</span>');
    expect(html).toMatch(/\.date \{ white-space: nowrap; \}/);
    expect(html).toMatch(/\.who \{ word-break: keep-all;/);
  });
});

describe('SARIF', () => {
  it('names the tool with its information URI and version', () => {
    const log = JSON.parse(cli(['audit', JUNIOR, '-f', 'sarif']).stdout) as { runs: { tool: { driver: Record<string, unknown> } }[] };
    const driver = log.runs[0]?.tool.driver ?? {};
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.version).toBe(driver.semanticVersion);
  });
});

describe('a checkout that was never built', () => {
  it('says to run npm ci, in the chosen language, with exit 2 and no stack trace', () => {
    const dir = tempDir('unbuilt');
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(BIN, path.join(dir, 'bin', 'reopen-audit.js'));
    copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [path.join(dir, 'bin', 'reopen-audit.js'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, REOPEN_AUDIT_LANG: '', ...env },
      });
    const zh = run(['audit', 'examples/schools']);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe('reopen-audit：尚未构建。请在项目文件夹中运行 `npm ci`（或 `npm run build`）后再试。\n');
    const en = run(['audit', 'x.yaml', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('not built yet. Run `npm ci`');
    expect(run(['--help'], { REOPEN_AUDIT_LANG: 'en' }).stderr).toContain('not built yet');
    // --version needs no build.
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
