/**
 * `--out-dir`: one Markdown report per school, at the school file's own relative path,
 * and an index that links them with each school's verdict.
 */
import path from 'node:path';
import { label } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import type { RunSummary } from './stream.js';
import { mdCell, mdText } from './escape.js';
import { compareText, formatProblem } from './shared.js';
import { coverageSection } from './md.js';

/** `examples/schools/a.yaml` → `examples/schools/a.md` (or `.html`); never outside the output folder. */
export function schoolReportPath(file: string, ext = '.md'): string {
  const parts = path
    .normalize(file)
    .split(/[\\/]+/)
    .filter((p) => p !== '' && p !== '.' && p !== '..' && !/^[A-Za-z]:$/.test(p));
  const name = (parts.pop() ?? 'school').replace(/\.ya?ml$/i, '');
  return path.join(...parts, `${name}${ext}`);
}

/** A school whose report does not go where its path alone would put it. */
export interface MovedReport {
  file: string;
  /** Where it goes. */
  target: string;
  /** Where its path alone would put it: the index, or another school's report. */
  wanted: string;
  index: boolean;
}

/**
 * Where each school's report goes under --out-dir: its own relative path with `ext`. Paths
 * that would name one file — two schools (`a.yaml` and `a.yml`, `a.yaml` and `../a.yaml`,
 * `A.yaml` and `a.yaml` on a file system that ignores case) or a school and the index
 * (`index.yaml`) — are all moved, in path order, to the file's full name plus `ext`
 * (`a.yaml.md`), numbered from 2 while that is taken (`a.yaml-2.md`). The same inputs
 * give the same paths whatever the order they are named in.
 */
export function planReports(files: Iterable<string>, ext: string): { paths: Map<string, string>; moved: MovedReport[] } {
  const key = (target: string) => target.normalize('NFC').toLowerCase();
  const index = `index${ext}`;
  const byKey = new Map<string, string[]>();
  const paths = new Map<string, string>();
  for (const file of files) {
    const target = schoolReportPath(file, ext);
    paths.set(file, target);
    const k = key(target);
    const sharing = byKey.get(k);
    if (sharing) sharing.push(file);
    else byKey.set(k, [file]);
  }
  const taken = new Set([key(index)]);
  const clashing: string[] = [];
  for (const [k, sharing] of byKey) {
    if (sharing.length === 1 && k !== key(index)) taken.add(k);
    else clashing.push(...sharing);
  }
  const moved: MovedReport[] = [];
  const order = clashing.map((file) => ({ file, at: path.resolve(file) })).sort((a, b) => compareText(a.at, b.at) || compareText(a.file, b.file));
  for (const { file } of order) {
    const wanted = paths.get(file) as string;
    const base = `${wanted.slice(0, -ext.length)}${path.extname(file)}`;
    let target = `${base}${ext}`;
    for (let n = 2; taken.has(key(target)); n++) target = `${base}-${n}${ext}`;
    taken.add(key(target));
    paths.set(file, target);
    moved.push({ file, target, wanted, index: key(wanted) === key(index) });
  }
  return { paths, moved };
}

const W = {
  title: { zh: '开学条件核验报告索引', en: 'Reopening readiness audit reports' },
  school: { zh: '学校', en: 'School' },
  district: { zh: '区县', en: 'District' },
  verdict: { zh: '结论', en: 'Verdict' },
  fails: { zh: '不符合', en: 'Failed' },
  open: { zh: '未核验', en: 'Open' },
  report: { zh: '报告', en: 'Report' },
  failed: { zh: '无法核验的文件', en: 'Files that could not be audited' },
  totals: { zh: '合计', en: 'Totals' },
};

export function renderIndex(summary: RunSummary, ctx: ReportContext, pathOf: (file: string) => string = schoolReportPath): string {
  const { lang } = ctx;
  const w = (k: keyof typeof W) => W[k][lang];
  const out = [`# ${w('title')}`, ''];
  const count = (v: string) => summary.rows.filter((r) => r.verdict === v).length;
  out.push(
    `${w('totals')}: ${summary.rows.length} · ${label(lang, 'verdict', 'READY')} ${count('READY')} · ${label(lang, 'verdict', 'NOT_READY')} ${count('NOT_READY')} · ${label(lang, 'verdict', 'INCOMPLETE')} ${count('INCOMPLETE')}`,
    '',
  );
  out.push(`| ${w('school')} | ${w('district')} | ${w('verdict')} | ${w('fails')} | ${w('open')} | ${w('report')} |`, '| --- | --- | --- | --- | --- | --- |');
  for (const r of summary.rows) {
    const target = pathOf(r.file);
    const link = target.split(path.sep).map(encodeURIComponent).join('/');
    out.push(
      `| ${mdCell(r.name)} | ${mdCell(r.district)} | ${label(lang, 'verdict', r.verdict)} | ${r.counts.fail} | ${r.counts.unanswered + r.counts.error} | [${mdCell(target)}](${link}) |`,
    );
  }
  if (summary.coverage) out.push('', ...coverageSection(lang, summary.coverage));
  if (summary.failures.length > 0) {
    out.push('', `## ${w('failed')}`, '');
    for (const f of summary.failures) for (const p of f.problems) out.push(`- ${mdText(formatProblem(lang, p))}`);
  }
  return `${out.join('\n')}\n`;
}
