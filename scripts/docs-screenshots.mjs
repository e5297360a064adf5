#!/usr/bin/env node
/**
 * The pictures of the printed report in README.md and docs/outputs.md (docs/img/*.png),
 * made from the example schools with the browser the `pdf` format uses:
 *
 *   printed-summary.png  page 1 of the example batch printed to PDF: the district summary
 *   printed-school.png   page 1 of one school's printed report: verdict, profile, audit
 *   printed-rectification.png  the page of that report with its rectification list (整改清单)
 *   summary-charts.png   the two charts of the district summary, as the browser draws them
 *
 * The pages are printed by Chromium (the tool's own `--format pdf`) and rasterised by
 * pdftoppm (poppler-utils) at 72 dpi; the charts are a Chromium screenshot at a fixed window
 * size and scale. Same tools and fonts, same pixels. Run `npm run docs:screenshots`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser, printArgs } from '../dist/cli/browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'docs/img');
const BIN = path.join(ROOT, 'bin/reopen-audit.js');
/** The school shown: not ready, with a computed threshold and a rectification list. */
const SCHOOL = 'examples/schools/boarding-senior-short-masks.yaml';
const DPI = '72';

const browser = findBrowser(process.argv[2]);
if (!browser.ok) {
  console.error('docs:screenshots needs a Chromium-family browser (apt-get install chromium), or its path as the argument');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(tmpdir(), 'reopen-audit-screenshots-'));
mkdirSync(OUT, { recursive: true });

/** The tool itself, from the checkout's root, so the reports show `examples/schools/…` paths. */
function audit(args) {
  try {
    execFileSync(process.execPath, [BIN, 'audit', ...args, '--browser', browser.path], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    // Exit 1: some examples are not ready, on purpose.
    if (error.status !== 1) throw error;
  }
}

/** One page of a PDF as a PNG in docs/img. */
function page(pdf, n, name) {
  const prefix = path.join(tmp, name);
  execFileSync('pdftoppm', ['-png', '-r', DPI, '-f', String(n), '-l', String(n), '-singlefile', pdf, prefix]);
  renameSync(`${prefix}.png`, path.join(OUT, `${name}.png`));
}

/** The first page whose text holds `text`. */
function pageWith(pdf, text) {
  const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f');
  const n = pages.findIndex((p) => p.includes(text));
  if (n === -1) throw new Error(`${pdf}: no page with ${text}`);
  return n + 1;
}

try {
  const batchPdf = path.join(tmp, 'batch.pdf');
  const batchHtml = path.join(tmp, 'batch.html');
  audit(['examples/schools', '--format', `pdf:${batchPdf}`, '--format', `html:${batchHtml}`]);
  page(batchPdf, 1, 'printed-summary');

  const schoolPdf = path.join(tmp, 'school.pdf');
  audit([SCHOOL, '--format', `pdf:${schoolPdf}`]);
  page(schoolPdf, 1, 'printed-school');
  page(schoolPdf, pageWith(schoolPdf, '整改清单\n'), 'printed-rectification');

  // The charts alone, in the report's own style, on a page as wide as they are drawn.
  const html = readFileSync(batchHtml, 'utf8');
  const style = /<style>[\s\S]*?<\/style>/.exec(html)?.[0] ?? '';
  const charts = [...html.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);
  const label = (svg) => /aria-label="([^"]*)"/.exec(svg)?.[1] ?? '';
  const height = charts.reduce((sum, svg) => sum + Number(/ height="([\d.]+)"/.exec(svg)?.[1] ?? 0), 0) + charts.length * 56 + 16;
  const page2 = `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">${style}<style>body { max-width: none; width: 720px; padding: 8px 20px; margin: 0; } h3 { margin-top: 4mm; }</style></head><body>${charts.map((svg) => `<h3>${label(svg)}</h3>${svg}`).join('\n')}</body></html>\n`;
  const chartsHtml = path.join(tmp, 'charts.html');
  writeFileSync(chartsHtml, page2);
  const profile = mkdtempSync(path.join(tmp, 'profile-'));
  const args = printArgs(profile, chartsHtml, '').filter((a) => !a.startsWith('--print-to-pdf') && a !== '--no-pdf-header-footer');
  const shot = path.join(tmp, 'charts.png');
  execFileSync(browser.path, ['--hide-scrollbars', '--force-device-scale-factor=1', '--font-render-hinting=none', `--window-size=760,${Math.ceil(height)}`, `--screenshot=${shot}`, ...args], {
    stdio: 'ignore',
    env: { ...process.env, HOME: profile },
    timeout: 120000,
  });
  renameSync(shot, path.join(OUT, 'summary-charts.png'));
  for (const name of ['printed-summary', 'printed-school', 'printed-rectification', 'summary-charts']) console.log(`docs/img/${name}.png`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
