/**
 * The printed report, as the inspection team gets it: the CLI prints the example batch
 * and each example school to PDF with the machine's Chromium, and pdftotext reads it back.
 * The page count is sane; the school's name, its verdict, every rectification item and the
 * sign-off lines are there in Chinese; the same input gives the same text; and, measured in
 * the browser, no table or chart is wider than the A4 content width. Without a browser or
 * poppler the cases are skipped with the reason — never under CI, which installs both.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiles } from '../src/pipeline.js';
import type { AuditRun } from '../src/model/result.js';
import { findBrowser, printArgs } from '../src/cli/browser.js';
import { cli, ROOT } from './helpers.js';

const TMP = mkdtempSync(path.join(tmpdir(), 'reopen-audit-pdf-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}
const browser = findBrowser(undefined);
const missing = [!browser.ok && 'a Chromium-family browser (apt-get install chromium)', !has('pdftotext') && 'pdftotext (apt-get install poppler-utils)'].filter(Boolean);
if (missing.length > 0) {
  if (process.env.CI === 'true') throw new Error(`test/pdf.test.ts needs ${missing.join(' and ')} under CI: .ci/run installs them`);
  console.warn(`test/pdf.test.ts: skipped, no ${missing.join(' and no ')}`);
}
const run = missing.length === 0 ? describe : describe.skip;

const EXAMPLES = readdirSync(path.join(ROOT, 'examples/schools')).sort();

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
function pages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
}
/** Text without any white space: table cells wrap a title over several lines. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The A4 content width (210 mm less 15 mm margins each side) in CSS px. */
const CONTENT_PX = ((210 - 30) / 25.4) * 96;

/**
 * Loads a copy of the report with a measuring script added (the report itself has none and
 * forbids scripts) and returns what is wider than the content width: tables, charts, cells
 * whose text does not fit.
 */
function overflows(html: string): { body: number; wide: string[] } {
  const copy = path.join(TMP, `measure-${Math.random().toString(36).slice(2)}.html`);
  const script = `<script>
const body = document.body.getBoundingClientRect();
const wide = [];
for (const el of document.querySelectorAll('table, svg.chart, .banner, .totals, h1, h2, p')) {
  const r = el.getBoundingClientRect();
  if (r.right > body.right + 0.5 || el.scrollWidth > Math.ceil(r.width) + 1) wide.push(el.tagName + ' ' + (el.textContent || '').slice(0, 40) + ' ' + Math.round(r.width) + '/' + el.scrollWidth);
}
for (const td of document.querySelectorAll('td, th')) if (td.scrollWidth > td.clientWidth + 1) wide.push('cell ' + (td.textContent || '').slice(0, 40) + ' ' + td.clientWidth + '/' + td.scrollWidth);
const out = document.createElement('pre'); out.id = 'measure'; out.textContent = JSON.stringify({ body: body.width, wide });
document.body.appendChild(out);
</script>`;
  writeFileSync(copy, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${script}</body>`));
  const profile = mkdtempSync(path.join(TMP, 'profile-'));
  const args = printArgs(profile, copy, '').filter((a) => !a.startsWith('--print-to-pdf') && a !== '--no-pdf-header-footer');
  const dom = execFileSync((browser as { path: string }).path, ['--window-size=1200,900', '--dump-dom', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 120000 });
  const json = /<pre id="measure">([^<]*)<\/pre>/.exec(dom)?.[1] ?? '{}';
  return JSON.parse(json.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as { body: number; wide: string[] };
}

run('PDF printed by the browser', () => {
  let examples: AuditRun;
  beforeAll(async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      examples = await auditFiles(EXAMPLES.map((f) => `examples/schools/${f}`), {});
    } finally {
      process.chdir(cwd);
    }
  });

  it('prints the example batch: the district summary first, then every school, a sane number of pages', () => {
    const pdf = path.join(TMP, 'batch.pdf');
    const r = cli(['audit', 'examples/schools', '--format', `pdf:${pdf}`, '--format', `html:${path.join(TMP, 'batch.html')}`]);
    expect(r.code, r.stderr).toBe(1);
    const n = pages(pdf);
    expect(n).toBeGreaterThan(EXAMPLES.length * 3);
    expect(n).toBeLessThan(EXAMPLES.length * 40);
    const text = pdfText(pdf);
    expect(text.indexOf('开学条件核验汇总报告')).toBeLessThan(text.indexOf('学校基本情况'));
    expect(text).toContain('按区县统计');
    for (const { result } of examples.schools) expect(squeeze(text), result.school.name).toContain(squeeze(result.school.name));
    expect(text).toContain(`第 1 页 / 共 ${n} 页`);
  }, 180000);

  it.each(EXAMPLES)('prints %s: name, verdict, every rectification item and the sign-off lines', (file) => {
    const pdf = path.join(TMP, `${file}.pdf`);
    const r = cli(['audit', `examples/schools/${file}`, '--format', `pdf:${pdf}`]);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).toBe('');
    const n = pages(pdf);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(40);
    const text = squeeze(pdfText(pdf));
    const entry = examples.schools.find((s) => s.result.file === `examples/schools/${file}`);
    if (!entry) throw new Error(file);
    const { result } = entry;
    const catalogue = examples.catalogues[entry.catalogueKey];
    expect(text).toContain(squeeze(result.school.name));
    expect(text).toContain({ READY: '核验结论：具备开学条件', NOT_READY: '核验结论：不具备开学条件', INCOMPLETE: '核验结论：核验未完成' }[result.verdict]);
    const list = text.slice(text.indexOf('整改清单'), text.indexOf('签字确认'));
    const failed = result.items.filter((i) => i.status === 'fail');
    if (failed.length === 0) expect(list).toContain('没有不符合要求的核验项。');
    // A title wraps inside its cell and pdftotext reads the cells of a row line by line, so
    // the first line of each title (8 characters always fit) and each part of the item's id
    // (which breaks only after a dot) are looked for.
    for (const item of failed) {
      expect(list, item.id).toContain(squeeze(catalogue?.items[item.id]?.title.zh ?? item.id).slice(0, 8));
      for (const part of item.id.split('.')) expect(list, item.id).toContain(part);
    }
    const signOff = text.slice(text.indexOf('签字确认'));
    for (const auditor of result.audit.auditors ?? []) expect(signOff).toContain(`检查人${squeeze(typeof auditor === 'string' ? auditor : auditor.name)}`);
    expect(signOff).toMatch(/学校负责人/);
    expect(signOff).toContain('签字');
    expect(signOff).toContain('日期');
  }, 60000);

  it('gives the same text for the same input', () => {
    const twice = ['a', 'b'].map((x) => {
      const pdf = path.join(TMP, `same-${x}.pdf`);
      expect(cli(['audit', 'examples/schools/gate-failed.yaml', '--format', `pdf:${pdf}`]).code).toBe(1);
      return pdfText(pdf);
    });
    expect(twice[1]).toBe(twice[0]);
  }, 60000);

  it('keeps every table and chart within the A4 content width', () => {
    const html = readFileSync(path.join(TMP, 'batch.html'), 'utf8');
    const measured = overflows(html);
    expect(Math.abs(measured.body - CONTENT_PX)).toBeLessThan(1);
    expect(measured.wide).toEqual([]);
  }, 120000);

  it('without a browser: exit 2, says how to get one or print the HTML, and writes nothing', () => {
    const pdf = path.join(TMP, 'none.pdf');
    const r = cli(['audit', 'examples/schools/ready-primary.yaml', '--format', `pdf:${pdf}`, '--browser', path.join(TMP, 'no-such-browser')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-browser 不存在或不能运行');
    expect(existsSync(pdf)).toBe(false);
    const failing = cli(['--lang', 'en', 'audit', 'examples/schools/ready-primary.yaml', '--format', `pdf:${pdf}`, '--browser', '/bin/false']);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/^reopen-audit: the browser could not print the report to PDF \(exit status 1\); write the HTML report with --format html:report.html and print it from a browser\n$/);
    expect(readdirSync(TMP).filter((f) => f.startsWith('.none.pdf'))).toEqual([]);
    expect(existsSync(pdf)).toBe(false);
  }, 60000);
});

describe('finding the browser', () => {
  it('takes --browser, then REOPEN_AUDIT_BROWSER, then PATH; says so when none is there', () => {
    const fake = path.join(TMP, 'chromium');
    writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findBrowser(fake, {})).toEqual({ ok: true, path: fake });
    expect(findBrowser(undefined, { REOPEN_AUDIT_BROWSER: fake })).toEqual({ ok: true, path: fake });
    expect(findBrowser(undefined, { PATH: TMP })).toEqual({ ok: true, path: fake });
    expect(findBrowser(path.join(TMP, 'nothing'), {})).toEqual({ ok: false, named: path.join(TMP, 'nothing') });
    expect(findBrowser(undefined, { PATH: path.join(TMP, 'empty') }, [])).toEqual({ ok: false });
    expect(pathToFileURL(fake).href.startsWith('file://')).toBe(true);
  });

  it('prints the message that says how to install one, in both languages', () => {
    const none = cli(['audit', 'examples/schools/ready-primary.yaml', '--format', 'pdf'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('reopen-audit: 格式 pdf 须写入文件：请写作 --format pdf:路径\n');
  });
});
