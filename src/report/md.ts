/** Markdown building blocks shared by the Markdown reports (school reports and district summary). */
import type { FileFailure } from '../model/result.js';
import type { Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { mdText } from './escape.js';
import { formatProblem, s } from './shared.js';
import type { Coverage } from '../model/coverage.js';
import { coverageIntro, cw, figureHeader, figureRows, missingSchools, schoolCells, schoolHeader } from './coverage.js';

/** A GFM table; cells are already escaped, so none can hold a raw `|` or line break. */
/**
 * A pipe table. `widths` (relative, e.g. percentages) become the number of dashes under each
 * header: pandoc sizes the printed columns by them, GitHub ignores them.
 */
export function table(header: string[], rows: string[][], widths?: number[]): string[] {
  const line = (cells: string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  const rule = header.map((_, i) => ` ${'-'.repeat(Math.max(3, widths?.[i] ?? 3))} `);
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line), ''];
}

export function heading(level: number, text: string): string[] {
  return [`${'#'.repeat(Math.min(level, 6))} ${text}`, ''];
}

/** The files that could not be audited, each with its located problems. */
export function failedFilesSection(lang: Lang, failures: FileFailure[], title = s(lang, 'failedFilesCount')): string[] {
  const out = heading(2, title);
  if (failures.length === 0) out.push(s(lang, 'failedFilesNone'), '');
  for (const failure of failures) {
    out.push(`- ${mdText(failure.file, true)}`);
    for (const problem of failure.problems) out.push(`  - ${mdText(formatProblem(lang, problem), true)}`);
  }
  out.push('');
  return out;
}

/** The closing line naming the tool, and the lines joined with single blank lines between blocks. */
export function finish(out: string[], ctx: ReportContext): string {
  const tool = `${ctx.tool.name} ${ctx.tool.version}`;
  const all = [...out, '---', '', mdText(s(ctx.lang, 'generatedBy').replace('{tool}', tool), true)];
  return `${all
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** The roster coverage: figures by district, the missing schools, every school's state, the differences. */
export function coverageSection(lang: Lang, coverage: Coverage): string[] {
  const out = heading(2, cw(lang, 'byDistrict'));
  out.push(...coverageIntro(lang, coverage).map((line) => `${mdText(line, true)}\n`), '');
  out.push(
    ...table(
      figureHeader(lang, coverage).map((h) => mdText(h)),
      figureRows(lang, coverage).map((r) => [r.total ? `**${mdText(r.district)}**` : mdText(r.district), ...r.numbers.map(String)]),
    ),
  );
  out.push(...heading(3, cw(lang, 'missingTitle')));
  const missing = missingSchools(coverage);
  if (missing.length === 0) out.push(cw(lang, 'missingNone'), '');
  else out.push(...missing.map((m) => `- **${mdText(m.name)}**（${mdText(m.id)}，${mdText(m.district)}）`), '');
  out.push(...heading(3, cw(lang, 'schoolsTitle')));
  out.push(...table(schoolHeader(lang), coverage.schools.map((school) => schoolCells(lang, coverage, school).map((c) => mdText(c)))));
  if (coverage.warnings.length > 0) {
    out.push(...heading(3, cw(lang, 'warningsTitle')));
    out.push(...coverage.warnings.map((w) => `- ${mdText(formatProblem(lang, w), true)}`), '');
  }
  return out;
}
