/**
 * CSV reports for Excel and dashboards: `csv`, one row per school file (a summary), and
 * `csv-items`, one row per item of each school (the long format for pivot tables).
 *
 * Written the way Excel opens them without a wizard: UTF-8 with a byte-order mark (or the
 * Chinese comes out garbled), CRLF between rows, RFC 4180 quoting. A cell that starts
 * like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, so a school name such as
 * `=HYPERLINK(…)` is shown as text and never run by the spreadsheet.
 */
import type { AuditRun, FileFailure } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import { tr } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { stripControls } from './escape.js';
import { formatProblem, orderedFailures } from './shared.js';
import { itemRow, itemsHeader, schoolRow, summaryHeader, w } from './rows.js';
import { renderAll, type StreamReporter } from './stream.js';
import { label } from '../i18n/index.js';
import { cw, figureHeader, figureRows, missingSchools, STATE_CODE } from './coverage.js';

/** The code a row of a file that could not be audited carries in the verdict-code column. */
export const INPUT_ERROR = 'INPUT_ERROR';

const FORMULA_START = /^[=+\-@\t\r]/;
/** What cleaning or quoting would change: controls, line and paragraph separators, bidirectional controls, `"` and `,`. */
// eslint-disable-next-line no-control-regex
const CELL_TOUCHED = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069",]/;

/**
 * One cell: controls removed, formula-like text neutralised, quoted when it holds a
 * separator, a quote or a line break. The check runs on the text before and after
 * cleaning, so neither a leading tab nor a colour code in front of `=` slips through.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  // Most cells (ids, names, counts, dates) have nothing to clean or quote.
  if (!CELL_TOUCHED.test(raw)) return FORMULA_START.test(raw) ? `'${raw}` : raw;
  const text = stripControls(raw);
  const safe = FORMULA_START.test(raw) || FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, ended by CRLF. */
function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** `csv`: one row per school, then one per file that could not be audited. */
export const streamCsv: StreamReporter = {
  begin(ctx) {
    return `\uFEFF${csvLine(summaryHeader(ctx.lang))}`;
  },
  school({ result, catalogue }, ctx) {
    return csvLine(schoolRow(ctx.lang, result, catalogue));
  },
  separator: '',
  end(summary, ctx) {
    const lang = ctx.lang;
    const blanks = (n: number) => Array.from({ length: n }, () => '');
    // With a roster, each school that sent no file gets a row too: every roster school is here.
    const missing = summary.coverage
      ? missingSchools(summary.coverage).map((m) =>
          csvLine(['', m.id, m.name, m.district, m.type ? label(lang, 'schoolType', m.type) : '', '', '', cw(lang, 'missing'), STATE_CODE.missing, ...blanks(ITEM_STATUSES.length + 3)]),
        )
      : [];
    return missing.join('') + sortedFailures(summary.failures)
      .map((failure) =>
        csvLine([
          failure.file,
          ...blanks(6),
          w(lang, 'couldNotAudit'),
          INPUT_ERROR,
          ...blanks(ITEM_STATUSES.length + 2),
          failure.problems.map((problem) => formatProblem(lang, problem)).join('\n'),
        ]),
      )
      .join('');
  },
};

export function renderCsv(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamCsv, run, ctx);
}

function sortedFailures(failures: FileFailure[]): FileFailure[] {
  return orderedFailures({ catalogues: {}, schools: [], failures });
}

/**
 * `csv-coverage`: with `--roster`, the coverage figures, one row per district and the total
 * (the same numbers as the text, Markdown and JSON reports); the CLI refuses it without a roster.
 */
export const streamCsvCoverage: StreamReporter = {
  begin: () => '',
  school: () => '',
  separator: '',
  end({ coverage }, ctx) {
    if (!coverage) return '';
    return `\uFEFF${csvLine(figureHeader(ctx.lang, coverage))}${figureRows(ctx.lang, coverage)
      .map((r) => csvLine([r.district, ...r.numbers]))
      .join('')}`;
  },
};

export function renderCsvCoverage(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamCsvCoverage, run, ctx);
}

/** `csv-items`: one row per item of each school, then one per problem of each failed file. */
export const streamCsvItems: StreamReporter = {
  begin(ctx) {
    return `\uFEFF${csvLine(itemsHeader(ctx.lang))}`;
  },
  school({ result, catalogue }, ctx) {
    return result.items.map((item) => csvLine(itemRow(ctx.lang, result, item, catalogue))).join('');
  },
  separator: '',
  end(summary, ctx) {
    const lang = ctx.lang;
    const width = itemsHeader(lang).length;
    // A file that could not be audited still gets a row per problem: nothing drops out unseen.
    return sortedFailures(summary.failures)
      .flatMap((failure) => failure.problems)
      .map((problem) => {
        const row: (string | number | null)[] = Array.from({ length: width }, () => '');
        row[0] = problem.file;
        row[1] = problem.line ?? null;
        row[9] = w(lang, 'couldNotAudit');
        row[10] = tr(lang, problem.message);
        return csvLine(row);
      })
      .join('');
  },
};

export function renderCsvItems(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamCsvItems, run, ctx);
}
