/**
 * The terminal report as a person reads it in an 80-column terminal or pipe: no line runs
 * past the edge, no item id or file path is cut in two, long lines wrap with an indent, and
 * a long name costs time in proportion to its length.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { renderText } from '../src/report/text.js';
import { wrapText } from '../src/report/wrap.js';
import { reportRun, zhContext, enContext } from './fixtures/report-run.js';
import { cli, ROOT, toolAvailable } from './helpers.js';

const HAS_TMUX = toolAvailable(['tmux', '-V'], 'tmux (the terminal table at a real width)', 'apt-get install tmux');

const EXAMPLES = path.join(ROOT, 'examples', 'schools');
const exampleFiles = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `examples/schools/${f}`);

/** Every item id of the built-in checklists (the ids a report can print). */
function libraryIds(): string[] {
  const dir = path.join(ROOT, 'checklists');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*- id: ([a-z_]+(?:\.[a-z_]+)+)$/gm)].map((m) => m[1] as string));
}

/** A token split across lines shows as a line ending in its head and the next starting with its tail. */
function splitTokens(lines: string[], tokens: string[]): string[] {
  const split: string[] = [];
  const cells = lines.map((l) => l.split('│').map((c) => c.trim()));
  for (const token of tokens) {
    for (let cut = 1; cut < token.length; cut++) {
      const head = token.slice(0, cut);
      const tail = token.slice(cut);
      const broken = lines.some((line, n) => {
        const next = lines[n + 1];
        if (next === undefined) return false;
        if (line.trimEnd().endsWith(head) && next.trimStart().startsWith(tail)) return true;
        // Inside a table: the same column of two lines (`supplies.disinfection.d│` / `isinfectant_days│`).
        const here = cells[n] as string[];
        const below = cells[n + 1] as string[];
        return here.some((c, i) => c.endsWith(head) && (below[i] ?? '').startsWith(tail) && !c.endsWith(token));
      });
      if (broken) split.push(`${head}|${tail}`);
    }
  }
  return split;
}

describe('terminal report at 80 columns', () => {
  const run = cli(['audit', 'examples/schools'], { env: { COLUMNS: '80' } });
  const lines = run.stdout.split('\n');

  it('takes the width from COLUMNS when piped, and no line runs past it', () => {
    expect(run.code).toBe(1);
    const over = lines.filter((l) => stringWidth(l) > 80);
    expect(over).toEqual([]);
    // Something does reach the edge: the width is used, not some narrower default.
    expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeGreaterThan(76);
  });

  it('never splits an item id or a file path across lines or table cells', () => {
    const ids = libraryIds();
    const printed = ids.filter((id) => run.stdout.includes(id));
    expect(printed).toContain('supplies.disinfection.disinfectant_days');
    expect(splitTokens(lines, printed)).toEqual([]);
    expect(splitTokens(lines, exampleFiles)).toEqual([]);
    // Every file is shown whole (the table gives it a line across when its column is too narrow).
    for (const file of exampleFiles) expect(run.stdout).toContain(file);
  });

  it('wraps the 得分 line and long list entries with an indent, never inside a score', () => {
    const blocks = lines.flatMap((l, n) => (l.startsWith('   得分: ') ? [n] : []));
    expect(blocks.length).toBe(exampleFiles.length);
    for (const start of blocks) {
      const block = [lines[start] as string];
      for (let n = start + 1; (lines[n] ?? '').startsWith('     '); n++) block.push(lines[n] as string);
      expect(block.length).toBeGreaterThan(1);
      // Every line ends with a whole score (`食堂与宿舍 75%，`), the next starts a new one.
      for (const line of block) expect(line).toMatch(/\S \d+(\.\d+)?%，?$/);
      for (const line of block.slice(1)) expect(line).toMatch(/^ {5}[^\s\d]/);
    }
  });

  it('lays out the report fixture in English at 80 columns too', () => {
    const text = renderText(reportRun(), { ...enContext, width: 80 });
    const enLines = text.split('\n');
    expect(enLines.filter((l) => stringWidth(l) > 80)).toEqual([]);
    expect(splitTokens(enLines, ['supplies.protective.masks', 'schools/jinshui/yizhong.yaml', 'schools/erqi/shiyan-youeryuan.yaml'])).toEqual([]);
  });

  it('keeps the wide-terminal table when the ids fit (120 and 160 columns)', () => {
    for (const width of [120, 160]) {
      const text = renderText(reportRun(), { ...zhContext, width });
      const wide = text.split('\n');
      expect(wide.filter((l) => stringWidth(l) > width)).toEqual([]);
      expect(text).toContain('┌');
      expect(splitTokens(wide, ['supplies.protective.masks', 'schools/jinshui/yizhong.yaml'])).toEqual([]);
    }
  });
});

describe('the roster coverage at 80 columns', () => {
  const countyFiles = readdirSync(path.join(ROOT, 'examples', 'county'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `examples/county/${f.split(path.sep).join('/')}`);
  const ids = [...readFileSync(path.join(ROOT, 'examples/county/roster.csv'), 'utf8').matchAll(/^\uFEFF?(\d{6}-\d{4}),/gm)].map((m) => m[1] as string);

  for (const lang of ['zh', 'en']) {
    it(`${lang}: the figures, the missing school and every school's table fit, no id or path split, every file shown`, () => {
      const run = cli(['audit', 'examples/county', '--roster', 'examples/county/roster.csv', '--require-level', 'county', '--summary-only', '--lang', lang], { env: { COLUMNS: '80' } });
      expect(run.code).toBe(1);
      const lines = run.stdout.split('\n');
      expect(lines.filter((l) => stringWidth(l) > 80)).toEqual([]);
      expect(ids).toHaveLength(12);
      expect(countyFiles).toHaveLength(14);
      expect(splitTokens(lines, [...ids, '130108-0999', ...countyFiles])).toEqual([]);
      for (const file of countyFiles) expect(run.stdout).toContain(file);
      // Each school's row: district, id, name and state on one line of the table.
      const row = (id: string) => lines.find((l) => l.startsWith('│') && l.includes(`│ ${id} │`))?.split('│').slice(1, -1).map((c) => c.trim());
      const states = lang === 'zh' ? ['待县级评估', '未提交', '已达标'] : ['awaiting county assessment', 'Missing', 'Cleared'];
      expect(row('130104-0412')).toEqual(['河东区', '130104-0412', '青河市河东区第五小学', states[0]]);
      expect(row('130104-0520')).toEqual(['河东区', '130104-0520', '青河市河东区朝阳小学', states[1]]);
      expect(row('130104-0301')?.[3]).toBe(states[2]);
    });
  }
});

describe('wrapping', () => {
  it('keeps closing marks with the character before them and opening marks with the one after', () => {
    const lines = wrapText('本批应为哪一级核验：省级（省级抽查）；其余不予核验', 18);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^[）；，。、：]/);
    for (const line of lines) expect(line).not.toMatch(/[（《“]$/);
    expect(lines.join('')).toBe('本批应为哪一级核验：省级（省级抽查）；其余不予核验');
  });

  it('is linear in the text: two schools with 20,000-character names render in one pass', { timeout: 60_000 }, () => {
    // Before, 1,600 characters took 16 s (the table library measured every line once per
    // line of the cell); 20,000 would have taken over half an hour.
    const long = reportRun();
    const names = ['石门镇中学'.repeat(4000), '长 '.repeat(10_000).trim()];
    long.schools.slice(0, 2).forEach((s, i) => {
      s.result.school.name = names[i] as string;
    });
    const text = renderText(long, { ...zhContext, width: 80 });
    const out = text.split('\n');
    expect(out.filter((l) => stringWidth(l) > 80)).toEqual([]);
    // The names come out whole, only wrapped: in the summary table's first column…
    const column = out
      .filter((l) => /^│ [石门镇中学]+ +│/.test(l))
      .map((l) => (l.split('│')[1] as string).trim())
      .join('');
    expect(column).toBe(names[0]);
    // …and in the schools' own blocks (wrapping takes out only the spaces where it breaks).
    const compact = (t: string) => t.replace(/\s+/g, '');
    expect(compact(text).includes(compact(names[1] as string))).toBe(true);
  });

  it('a threshold of 8,000 terms renders in one pass, every term shown', { timeout: 60_000 }, () => {
    // An 800-term bound took 29 s per run in text before; 8,000 would have taken most of an hour.
    const long = reportRun();
    const terms = Array.from({ length: 8000 }, (_, i) => String(100 + (i % 900)));
    for (const { result } of long.schools) {
      const masks = result.items.find((i) => i.id === 'supplies.protective.masks');
      if (masks?.computation) masks.computation.substituted = terms.join(' + ');
    }
    for (const width of [80, 160]) {
      const text = renderText(long, { ...zhContext, width });
      expect(text.split('\n').filter((l) => stringWidth(l) > width)).toEqual([]);
      // Wrapped at the spaces between terms, never inside a number: read back in order (from
      // the reason column when it is a table), the whole sum is there.
      const reasons = text
        .split('\n')
        .map((l) => (l.trimStart().startsWith('│') ? (l.split('│').at(-2) ?? '') : l))
        .join(' ');
      expect(reasons.replace(/\s+/g, ' ')).toContain(`= ${terms.join(' + ')}`);
    }
  });
});

describe('terminal report in a real terminal (tmux)', () => {
  it.runIf(HAS_TMUX)('fits and splits no id or path at 80, 120 and 160 columns', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ra-tmux-'));
    const files = ['boarding-junior-crowded-dorms.yaml', 'shandong-autumn-disinfectant-month.yaml', 'unanswered-items.yaml'].map((f) => `examples/schools/${f}`);
    for (const cols of [80, 120, 160]) {
      const shown = tmuxScreen(dir, cols, ['--no-color', 'audit', ...files]);
      expect(shown.some((l) => l.includes('共 3 所学校'))).toBe(true);
      expect(shown.filter((l) => stringWidth(l) > cols)).toEqual([]);
      expect(splitTokens(shown, ['supplies.disinfection.disinfectant_days', 'living.dorm.max_per_room', ...files])).toEqual([]);
    }
  });
});


/**
 * The report as a terminal of `cols` columns shows it: run in a detached tmux pane (stdout a
 * real terminal), then the pane's whole history captured with wrapped lines joined, so a line
 * longer than the terminal comes back as one long line.
 */
function tmuxScreen(dir: string, cols: number, args: string[]): string[] {
  const socket = `ra-test-${process.pid}-${cols}`;
  const script = path.join(dir, `${cols}.sh`);
  const command = [process.execPath, path.join(ROOT, 'bin', 'reopen-audit.js'), ...args].map((a) => `'${a}'`).join(' ');
  writeFileSync(script, `cd '${ROOT}' && ${command}; tmux -L ${socket} wait-for -S done; sleep 60\n`);
  const tmux = (...a: string[]) => spawnSync('tmux', ['-L', socket, ...a], { encoding: 'utf8', timeout: 60_000 });
  try {
    tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(cols), '-y', '40', '-e', 'NO_COLOR=1', `sh '${script}'`);
    tmux('set-option', '-g', 'history-limit', '10000');
    tmux('wait-for', 'done');
    return tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-').stdout.split('\n');
  } finally {
    tmux('kill-server');
  }
}
