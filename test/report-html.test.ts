/**
 * The HTML report (and the PDF printed from it), read as the inspection team and the
 * bureau read it: one school's report with its verdict, rectification list and sign-off;
 * a batch opening with the district summary and its charts; the same bytes every time.
 * The real browser's view is in test/pdf.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiles } from '../src/pipeline.js';
import type { AuditRun } from '../src/model/result.js';
import { renderHtml } from '../src/report/html.js';
import { barChart, fitText, stackedBarChart, textWidth } from '../src/report/svg.js';
import { findBrowser, printArgs } from '../src/cli/browser.js';
import { BIN, cli, ROOT } from './helpers.js';
import { HOSTILE_NAME, REFUSED, writeHostileBatch } from './fixtures/bad/hostile-batch.js';
import { expectHtml } from './fixtures/bad/well-formed.js';

const tool = { name: 'reopen-audit', version: '0.0.0-test' };
const zh = { lang: 'zh' as const, color: false, tool };
const en = { lang: 'en' as const, color: false, tool };
const EXAMPLES = readdirSync(path.join(ROOT, 'examples/schools'))
  .sort()
  .map((f) => path.join('examples/schools', f));

/** The visible text of an HTML fragment: tags dropped, the entities the reporter writes decoded. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The section of the document between two headings' texts. */
function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  expect(start, from).toBeGreaterThan(-1);
  const end = html.indexOf(to, start + from.length);
  return html.slice(start, end === -1 ? undefined : end);
}

let batch: AuditRun;
let single: AuditRun;
beforeAll(async () => {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    batch = await auditFiles(EXAMPLES, {});
    single = await auditFiles(['examples/schools/boarding-senior-short-masks.yaml'], {});
  } finally {
    process.chdir(cwd);
  }
});

describe('HTML report of one school', () => {
  it('is one self-contained page: inline CSS, no script, nothing loaded from elsewhere', () => {
    const html = renderHtml(single, zh);
    expectHtml(html, 'single zh');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<link|@import|url\((?!#)/);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain('"Noto Sans CJK SC", "Source Han Sans SC"');
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('opens with the school, its verdict in a banner and the items that decided it; no district summary', () => {
    const html = renderHtml(single, zh);
    expect(html).toContain('<title>青河市第三高级中学 开学条件核验报告</title>');
    expect(html).not.toContain('开学条件核验汇总报告');
    const banner = between(html, '<div class="banner NOT_READY">', '<h2>');
    expect(textOf(banner)).toContain('✗核验结论：不具备开学条件');
    expect(textOf(banner)).toContain('口罩储备量满足全体师生员工储备天数用量 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(banner).toContain('supplies.<wbr>protective.<wbr>masks');
  });

  it('gives the profile and the audit: auditors with their organisations, the checklists that apply', () => {
    const text = textOf(renderHtml(single, zh));
    expect(text).toContain('学校编号130102-3003');
    expect(text).toContain('在校学生数1100');
    expect(text).toContain('杨立新（河西区教育局，组长）');
    // The checklists as a table of their own, a row each: title, id, version.
    expect(text).toContain('核验表编号版本三个不开学（开学前提条件）three-no-opening2.0.0');
    expect(text).toContain('防疫物资储备supplies2.0.0');
    // The kindergarten checklist does not apply to a senior high school: not in the table, said once.
    expect(text).not.toContain('kindergarten');
    expect(text.split('幼儿园补充检查项').length - 1).toBe(1);
    expect(text).toContain('不适用于本校（没有适用的核验项）：幼儿园补充检查项');
  });

  it('shows each item with its answer, the requirement with formula and numbers, note and evidence', () => {
    const html = renderHtml(single, zh);
    const row = between(html, '<tr class="s-fail"><td><span class="status s-fail"><span class="st">✗ 不符合</span></span></td><td>口罩储备量', '</tr>');
    const cells = textOf(row.replace(/<\/td>/g, '\t')).split('\t');
    expect(cells[0]).toBe('✗ 不符合');
    expect(cells[2]).toBe('8400 只');
    expect(cells[3]).toContain('要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(cells[3]).toContain('公式：(students + staff) * masks_per_person_day * stock_days（students = 1100，staff = 100，masks_per_person_day = 1，stock_days = 14）');
  });

  it('lists the rectification items, gate first, with remediation, deadline and responsible person', () => {
    const html = renderHtml(single, zh);
    const list = between(html, '<h2>整改清单</h2>', '<div class="signoff">');
    const rows = [...list.matchAll(/<tr><td class="num">(\d+)<\/td>(.*?)<\/tr>/g)].map((m) => textOf((m[2] as string).replace(/<\/td>/g, '\t')).split('\t'));
    expect(rows.map((r) => r[0]?.split('gates.')[0]?.split('supplies.')[0])).toEqual(['学校基本防控条件具备（隔离观察室、清洁消毒、物资储备、组织与预案、卫生人员）', '口罩储备量满足全体师生员工储备天数用量']);
    expect(rows[1]?.[3]).toBe('2020-04-08');
    expect(rows[1]?.[4]).toBe('高志强（总务处）');
    expect(list).toContain('<col style="width:12%"><col style="width:17%">');
  });

  it('ends with a sign-off block kept on one page: a line per auditor, then the school head', () => {
    const html = renderHtml(single, zh);
    const block = between(html, '<div class="signoff">', '</section>');
    const rows = [...block.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['检查人', '杨立新（河西区教育局，组长）'],
      ['检查人', '冯雪（河西区卫生健康局）'],
      ['检查人', '郭鹏（河西区市场监督管理局）'],
      ['学校负责人', '陈国栋'],
    ]);
    expect(html).toContain('.signoff { break-inside: avoid;');
  });

  it('is written in English with --lang en', () => {
    const html = renderHtml(single, en);
    expectHtml(html, 'single en');
    expect(html).toContain('<html lang="en">');
    expect(textOf(html)).toContain('Verdict: NOT READY');
    expect(textOf(html)).toContain('Rectification list');
    expect(textOf(html)).toContain('School head');
  });
});

describe('HTML report of a batch', () => {
  it('opens with the district summary: totals, charts, districts in pinyin order, top failed items, every school', () => {
    const html = renderHtml(batch, zh);
    expectHtml(html, 'batch zh');
    const summary = between(html, '<section class="summary">', '<section class="school">');
    expect(textOf(summary)).toContain('本次核验学校 9 所，无法核验的文件 0 个。');
    expect(summary.match(/<svg /g)).toHaveLength(2);
    const districts = [...between(summary, '<h2>按区县统计</h2>', '<h2>按学校类型统计</h2>').matchAll(/<tr(?: class="total")?><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(districts).toEqual(['北湖区', '河东区', '河西区', '南城区', '青山县', '汶河县', '合计']);
    expect(textOf(summary)).toContain('学校基本防控条件具备');
    expect(summary.match(/class="v-(READY|NOT_READY|INCOMPLETE)"/g)).toHaveLength(9);
    expect(html.match(/<section class="school">/g)).toHaveLength(9);
  });

  it('is the same bytes every time, whatever order the schools finished in', () => {
    const reversed = { ...batch, schools: [...batch.schools].reverse() };
    expect(renderHtml(reversed, zh)).toBe(renderHtml(batch, zh));
  });
});

describe('SVG charts', () => {
  it('draws stacked bars to scale, counts inside the parts, totals after, a legend that reads without colour', () => {
    const svg = stackedBarChart({
      id: 'c',
      title: '各区县',
      categories: ['北湖区', '河东区'],
      series: [
        { name: '具备', values: [3, 1], color: '#2e7d32', pattern: 'solid' },
        { name: '不具备', values: [1, 0], color: '#c62828', pattern: 'hatch' },
      ],
    });
    expect(svg).toContain('<pattern id="c-p1"');
    expect(svg).toContain('fill="url(#c-p1)"');
    // 680 − 120 labels − 60 tail = 500 px for the largest total (4).
    expect(svg).toContain('<rect x="120" y="4" width="375" height="16" fill="#2e7d32"');
    expect(svg).toContain('<rect x="495" y="4" width="125" height="16" fill="url(#c-p1)"');
    expect(svg).toContain('<rect x="120" y="30" width="125" height="16" fill="#2e7d32"');
    expect(svg).toContain('>4</text>');
    expect(svg).toContain('>不具备</text>');
  });

  it('escapes every label and cuts long ones to fit', () => {
    const svg = barChart({ id: 'b', title: '<x>', labels: ['<script>alert(1)</script>', '很长的核验项名称'.repeat(10)], values: [2, 1], color: '#c62828' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('>&lt;script&gt;alert(1…</text>');
    expect(svg).toContain('aria-label="&lt;x&gt;"');
    expect(textWidth('口罩')).toBe(24);
    expect(fitText('很长的核验项名称'.repeat(10), 108)).toBe('很长的核验项名称…');
  });
});

describe('html, pdf and xlsx files that cannot be written', () => {
  const TMP = mkdtempSync(path.join(tmpdir(), 'reopen-audit-html-out-'));
  afterAll(() => {
    chmodSync(path.join(TMP, 'locked'), 0o755);
    rmSync(TMP, { recursive: true, force: true });
  });
  const SCHOOL = path.join(ROOT, 'examples/schools/boarding-senior-short-masks.yaml');
  const canPrint = findBrowser(undefined).ok;
  const FORMATS = ['html', 'xlsx', ...(canPrint ? ['pdf'] : [])];
  if (!canPrint && process.env.CI === 'true') throw new Error('a Chromium-family browser is needed under CI: .ci/run installs chromium');
  /** Root writes anywhere: the read-only case drops the capability that lets it (as test/bad-input.test.ts does). */
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--inh-caps=-dac_override', '--bounding-set=-dac_override', '--'] : [];
  /** The tool, with the shell around it limiting the size of any file it writes (a disk that is full). */
  const run = (args: string[], shell = '') => {
    const r = spawnSync('bash', ['-c', `${shell} exec "$@"`, 'bash', ...asUser, process.execPath, BIN, ...args], { cwd: TMP, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stderr: r.stderr };
  };
  /** What is in a folder, hidden temporary files too. */
  const inside = (dir: string) => readdirSync(path.join(TMP, dir)).sort();

  beforeAll(() => {
    for (const dir of ['locked', 'full']) mkdirSync(path.join(TMP, dir));
    for (const f of FORMATS) {
      writeFileSync(path.join(TMP, 'locked', `r.${f}`), '旧报告');
      writeFileSync(path.join(TMP, 'full', `r.${f}`), '旧报告');
    }
    chmodSync(path.join(TMP, 'locked'), 0o555);
  });

  it.each(FORMATS)('%s into a folder that does not exist: exit 2, said with the path, nothing written', (format) => {
    const r = run(['audit', SCHOOL, '-f', `${format}:missing/r.${format}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`reopen-audit: 无法写入 missing/r.${format}（ENOENT）\n`);
    expect(existsSync(path.join(TMP, 'missing'))).toBe(false);
  });

  it.each(FORMATS)('%s into a read-only folder: exit 2, the old file kept, no temporary file', (format) => {
    const probe = spawnSync(asUser[0] ?? 'sh', [...asUser.slice(1), 'sh', '-c', `: > ${path.join(TMP, 'locked', 'probe')}`], { stdio: 'ignore' });
    if (probe.status === 0) {
      if (process.env.CI === 'true') throw new Error('a read-only folder could be written to under CI');
      console.warn('test/report-html.test.ts: read-only folder skipped: it can be written to here');
      return;
    }
    const r = run(['--lang', 'en', 'audit', SCHOOL, '-f', `${format}:locked/r.${format}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`reopen-audit: cannot write locked/r.${format} (EACCES)\n`);
    expect(inside('locked')).toEqual(FORMATS.map((f) => `r.${f}`).sort());
    expect(readFileSync(path.join(TMP, 'locked', `r.${format}`), 'utf8')).toBe('旧报告');
  });

  it.each(FORMATS)('%s on a full disk (no file may grow past 64 KB): exit 2, said with the path, the old file kept', (format) => {
    // The batch's HTML is over 600 KB and its workbook over 100 KB: every one of them fails
    // while it is being written, the HTML in its spool, the PDF in the browser's hands.
    const r = run(['audit', path.join(ROOT, 'examples/schools'), '-f', `${format}:full/r.${format}`], "trap '' XFSZ; ulimit -f 64;");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^reopen-audit: (无法写入 full/r\\.${format}（EFBIG）|浏览器未能把报告打印为 PDF（.*）；.*)\\n$`));
    expect(r.stderr).not.toMatch(/内部错误|^\s+at /m);
    expect(inside('full')).toEqual(FORMATS.map((f) => `r.${f}`).sort());
    expect(readFileSync(path.join(TMP, 'full', `r.${format}`), 'utf8')).toBe('旧报告');
  }, 60000);
});

describe('HTML of the hostile cases of the bad-input catalogue', () => {
  const TMP = mkdtempSync(path.join(tmpdir(), 'reopen-audit-html-hostile-'));
  afterAll(() => rmSync(TMP, { recursive: true, force: true }));
  const out = (name: string) => path.join(TMP, 'out', name);
  /** Input that must only ever appear escaped: tags, a comment, a CDATA end. */
  const NEVER = ['<script', '<img', '<b>粗', '<i>', '<!-- 注释', ']]>'];
  const runs: Record<string, { code: number; stderr: string }> = {};
  const documents: string[] = [];

  beforeAll(() => {
    writeHostileBatch(path.join(TMP, 'in'));
    mkdirSync(path.join(TMP, 'out'));
    for (const lang of ['zh', 'en']) {
      // Run inside the folder, so the hostile names start the file column (`=`, `@`).
      runs[lang] = cli(['--lang', lang, 'audit', '.', '-f', `html:../out/${lang}.html`, '--out-dir', `../out/${lang}`, '--out-dir-format', 'html'], { cwd: path.join(TMP, 'in') });
      documents.push(`${lang}.html`, ...readdirSync(out(lang), { recursive: true }).map((f) => `${lang}/${String(f)}`));
    }
  }, 60000);

  it('audits both copies, reports every refused file, exits 2, and writes every report', () => {
    for (const r of Object.values(runs)) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    // Per language: the report, two school reports and the index.
    expect(documents.filter((d) => d.endsWith('.html'))).toHaveLength(8);
  });

  it('is well-formed everywhere: no tag, attribute, handler or URL scheme from input, no terminal control', () => {
    for (const name of documents) expectHtml(readFileSync(out(name), 'utf8'), name, NEVER);
  });

  it('shows the input as the text it is: names, district, notes, file names and the refused files', () => {
    const text = textOf(readFileSync(out('zh.html'), 'utf8'));
    const shown = [
      // The name, the district and the audit note, cleaned of terminal controls only.
      '=HYPERLINK("http://example.invalid","东风小学")|<script>alert(1)</script> & 红字 ]]> "引号" \'单引号\'',
      '+历城区|<b>粗</b>',
      '四至六年级返校清屏 <img src=x onerror=alert(1)> %0A ::warning file=x::伪造',
      // The person responsible for the masks, the hostile file names, the refused files.
      "=cmd|' /C calc'!A0",
      "=cmd|' -C calc'!A0 <b>,x:y",
      '@坏文件|<i>.yaml',
      ...REFUSED,
      '不支持的 YAML 标签，已拒绝（不会执行其中任何内容）',
    ];
    for (const snippet of shown) expect(text, snippet).toContain(snippet);
  });

  it('links the index to each school report by a relative, percent-encoded address', () => {
    const index = readFileSync(out('zh/index.html'), 'utf8');
    const links = [...index.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toMatch(/^[A-Za-z0-9%._~!*()&#;-]+\.html$/);
    expect(links.map((l) => decodeURIComponent(l.replace(/&#39;/g, "'"))).sort()).toEqual(
      [`${HOSTILE_NAME.replace(/\.yaml$/, '.html')}`, 'hostile-text.html'].sort(),
    );
  });

  it('stays text in a real browser: the parsed page holds no element made from input', () => {
    const browser = findBrowser(undefined);
    if (!browser.ok) {
      if (process.env.CI === 'true') throw new Error('a Chromium-family browser is needed under CI: .ci/run installs chromium');
      return;
    }
    const profile = mkdtempSync(path.join(TMP, 'profile-'));
    const args = printArgs(profile, out('zh.html'), '').filter((a) => !a.startsWith('--print-to-pdf') && a !== '--no-pdf-header-footer');
    const dom = spawnSync(browser.path, ['--dump-dom', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120000 }).stdout;
    expect(dom).toContain('</html>');
    const markup = dom.replace(/<style>[\s\S]*?<\/style>/, '').replace(/>[^<]*</g, '><');
    expect(markup).not.toMatch(/<(script|img|i|iframe|object|embed|a)[\s>]/i);
    expect(markup).not.toMatch(/\son[a-z]+=/i);
    // The browser's own serialisation of the district: text, with its brackets escaped.
    expect(dom).toContain('+历城区|&lt;b&gt;粗&lt;/b&gt;');
  }, 120000);
});
