/**
 * The HTML report (and the PDF printed from it), read as the inspection team and the
 * bureau read it: one school's report with its verdict, rectification list and sign-off;
 * a batch opening with the district summary and its charts; the same bytes every time.
 * The real browser's view is in test/pdf.test.ts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditFiles } from '../src/pipeline.js';
import type { AuditRun } from '../src/model/result.js';
import { renderHtml } from '../src/report/html.js';
import { barChart, fitText, stackedBarChart, textWidth } from '../src/report/svg.js';
import { ROOT } from './helpers.js';
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
    expect(text).toContain('防疫物资储备 supplies · 版本 2.0.0');
    // The kindergarten checklist does not apply to a senior high school: not listed at all.
    expect(text).not.toContain('幼儿园补充检查项');
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
    expect(list).toContain('<col style="width:12%"><col style="width:14%">');
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
