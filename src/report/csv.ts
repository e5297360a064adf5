/**
 * CSV reports for Excel and dashboards: `csv`, one row per school file (a summary), and
 * `csv-items`, one row per item of each school (the long format for pivot tables).
 *
 * Written the way Excel opens them without a wizard: UTF-8 with a byte-order mark (or the
 * Chinese comes out garbled), CRLF between rows, RFC 4180 quoting. A cell that starts
 * like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, so a school name such as
 * `=HYPERLINK(…)` is shown as text and never run by the spreadsheet.
 */
import type { AuditRun, Catalogue, FileFailure, ItemResult, Scalar, SchoolResult } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { formatScalar } from '../expr/index.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { stripControls } from './escape.js';
import { formatProblem, orderedFailures, s } from './shared.js';
import { renderAll, type StreamReporter } from './stream.js';

const WORDS = {
  line: { zh: '行号', en: 'Line' },
  verdictCode: { zh: '结论代码', en: 'Verdict code' },
  decidedBy: { zh: '判定依据', en: 'Decided by' },
  problems: { zh: '无法核验的原因', en: 'Input errors' },
  scores: { zh: '各核验表得分率', en: 'Checklist scores' },
  couldNotAudit: { zh: '无法核验', en: 'could not be audited' },
  itemId: { zh: '核验项编号', en: 'Item ID' },
  checklist: { zh: '核验表', en: 'Checklist' },
  section: { zh: '分项', en: 'Section' },
  title: { zh: '核验项', en: 'Item' },
  severity: { zh: '等级', en: 'Severity' },
  status: { zh: '结果', en: 'Status' },
  reason: { zh: '说明', en: 'Reason' },
  required: { zh: '要求值', en: 'Required' },
  actual: { zh: '实际值', en: 'Actual' },
  formula: { zh: '公式', en: 'Formula' },
  note: { zh: '备注', en: 'Note' },
  remediation: { zh: '整改建议', en: 'Remediation' },
  deadline: { zh: '整改期限', en: 'Deadline' },
  responsible: { zh: '责任人', en: 'Responsible' },
} satisfies Record<string, LocalText>;

type Word = keyof typeof WORDS;

/** The code a row of a file that could not be audited carries in the verdict-code column. */
export const INPUT_ERROR = 'INPUT_ERROR';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: controls removed, formula-like text neutralised, quoted when it holds a
 * separator, a quote or a line break. The check runs on the text before and after
 * cleaning, so neither a leading tab nor a colour code in front of `=` slips through.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  const text = stripControls(raw);
  const safe = FORMULA_START.test(raw) || FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, ended by CRLF. */
function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function w(lang: Lang, word: Word): string {
  return WORDS[word][lang];
}

/** A value as a spreadsheet user reads it: yes/no for booleans, numbers tidied, text as written. */
function valueText(lang: Lang, value: Scalar | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return label(lang, 'yesNo', String(value));
  if (typeof value === 'number') return formatScalar(value);
  return value;
}

function statusHeader(lang: Lang, status: string): string {
  const name = label(lang, 'status', status);
  return lang === 'zh' ? `${name}项数` : `${name} items`;
}

function summaryHeader(lang: Lang): string[] {
  return [
    s(lang, 'file'),
    s(lang, 'schoolId'),
    s(lang, 'schoolName'),
    s(lang, 'district'),
    s(lang, 'schoolType'),
    s(lang, 'level'),
    s(lang, 'auditDate'),
    s(lang, 'verdict'),
    w(lang, 'verdictCode'),
    ...ITEM_STATUSES.map((status) => statusHeader(lang, status)),
    w(lang, 'scores'),
    w(lang, 'decidedBy'),
    w(lang, 'problems'),
  ];
}

/**
 * Every checklist's score in one cell, `supplies 83.3%; isolation 100%`: the checklists
 * differ between profiles and a streamed header cannot wait to learn them all.
 */
function scoresText(school: SchoolResult): string {
  return school.scores.map((sc) => `${sc.id} ${sc.percent === null ? '—' : `${sc.percent}%`}`).join('; ');
}

function schoolRow(lang: Lang, r: SchoolResult): (string | number)[] {
  const p = r.school;
  return [
    r.file,
    p.id,
    p.name,
    p.district,
    label(lang, 'schoolType', p.type),
    label(lang, 'level', r.audit.level),
    r.audit.date,
    label(lang, 'verdict', r.verdict),
    r.verdict,
    ...ITEM_STATUSES.map((status) => r.counts[status]),
    scoresText(r),
    r.decidedBy.map((d) => d.id).join('; '),
    '',
  ];
}

/** `csv`: one row per school, then one per file that could not be audited. */
export const streamCsv: StreamReporter = {
  begin(ctx) {
    return `\uFEFF${csvLine(summaryHeader(ctx.lang))}`;
  },
  school({ result }, ctx) {
    return csvLine(schoolRow(ctx.lang, result));
  },
  separator: '',
  end(summary, ctx) {
    const lang = ctx.lang;
    const blanks = (n: number) => Array.from({ length: n }, () => '');
    return sortedFailures(summary.failures)
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

function requiredValue(lang: Lang, result: ItemResult): string {
  if (result.computation) return valueText(lang, result.computation.required);
  const params = result.reason.params ?? {};
  return valueText(lang, params.required ?? params.allowed);
}

function itemRow(
  lang: Lang,
  school: SchoolResult,
  result: ItemResult,
  catalogue: Catalogue,
): (string | number | null)[] {
  const info = catalogue.items[result.id];
  const section = catalogue.checklists
    .find((cl) => cl.id === info?.checklistId)
    ?.sections.find((sec) => sec.id === info?.sectionId);
  return [
    school.file,
    result.location?.line ?? null,
    school.school.id,
    school.school.name,
    result.id,
    info?.checklistId ?? '',
    section ? local(lang, section.title) : (info?.sectionId ?? ''),
    info ? local(lang, info.title) : '',
    info ? label(lang, 'severity', info.severity) : '',
    label(lang, 'status', result.status),
    explain(lang, result, catalogue),
    requiredValue(lang, result),
    valueText(lang, result.answer?.value),
    result.computation?.formula ?? '',
    result.answer?.note ?? '',
    info && (result.status === 'fail' || result.status === 'error') ? local(lang, info.remediation) : '',
    result.deadline ?? '',
    result.answer?.responsible ?? '',
  ];
}

function itemsHeader(lang: Lang): string[] {
  return [
    s(lang, 'file'),
    w(lang, 'line'),
    s(lang, 'schoolId'),
    s(lang, 'schoolName'),
    w(lang, 'itemId'),
    w(lang, 'checklist'),
    w(lang, 'section'),
    w(lang, 'title'),
    w(lang, 'severity'),
    w(lang, 'status'),
    w(lang, 'reason'),
    w(lang, 'required'),
    w(lang, 'actual'),
    w(lang, 'formula'),
    w(lang, 'note'),
    w(lang, 'remediation'),
    w(lang, 'deadline'),
    w(lang, 'responsible'),
  ];
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
