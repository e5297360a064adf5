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

/**
 * `out.push(...lines)` for a list that grows with the batch or the roster: a spread passes
 * every element as an argument, and some 120,000 of them overflow the stack.
 */
export function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
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

/** Lines joined in one piece of the document. */
const LINES_PER_PIECE = 256;

/**
 * The closing line naming the tool, and the lines joined with single blank lines between
 * blocks (runs of three or more line breaks become two), in pieces of a few hundred lines:
 * a district summary of a national roster lists 530,000 schools, and one string of it,
 * copied by each step, would be hundreds of MB. A run of line breaks, or of white space at
 * the end, is held back until what follows it is known, so the pieces joined are exactly
 * the whole document normalised at once.
 */
export function* finishPieces(out: readonly string[], ctx: ReportContext): Generator<string> {
  const tool = `${ctx.tool.name} ${ctx.tool.version}`;
  const footer = ['---', '', mdText(s(ctx.lang, 'generatedBy').replace('{tool}', tool), true)];
  const count = out.length + footer.length;
  const lineAt = (i: number) => (i < out.length ? out[i] : footer[i - out.length]) as string;
  let pending = '';
  for (let start = 0; start < count; start += LINES_PER_PIECE) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + LINES_PER_PIECE); i++) lines.push(lineAt(i));
    const text = `${pending}${start > 0 ? '\n' : ''}${lines.join('\n')}`;
    let end = text.length;
    while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
    pending = text.slice(end);
    if (end > 0) yield text.slice(0, end).replace(/\n{3,}/g, '\n\n');
  }
  yield '\n';
}

export function finish(out: readonly string[], ctx: ReportContext): string {
  return [...finishPieces(out, ctx)].join('');
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
  else {
    for (const m of missing) out.push(`- **${mdText(m.name)}**（${mdText(m.id)}，${mdText(m.district)}）`);
    out.push('');
  }
  out.push(...heading(3, cw(lang, 'schoolsTitle')));
  append(out, table(schoolHeader(lang), coverage.schools.map((school) => schoolCells(lang, coverage, school).map((c) => mdText(c)))));
  if (coverage.warnings.length > 0) {
    out.push(...heading(3, cw(lang, 'warningsTitle')));
    for (const w of coverage.warnings) out.push(`- ${mdText(formatProblem(lang, w), true)}`);
    out.push('');
  }
  return out;
}
