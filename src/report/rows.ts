/**
 * The rows of the tabular reports — one per school, one per item of each school — shared by
 * the CSV files and the workbook, so both say the same in the same columns.
 */
import type { Catalogue, ItemResult, Scalar, SchoolResult } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { formatScalar } from '../expr/index.js';
import { explain, label, local, type Lang } from '../i18n/index.js';
import { oncePerCatalogue, s, valueText } from './shared.js';

export const WORDS = {
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

export type Word = keyof typeof WORDS;

export function w(lang: Lang, word: Word): string {
  return WORDS[word][lang];
}

export function statusHeader(lang: Lang, status: string): string {
  const name = label(lang, 'status', status);
  return lang === 'zh' ? `${name}项数` : `${name} items`;
}

export function summaryHeader(lang: Lang): string[] {
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
 * Every checklist's score in one cell, `防疫物资储备 83.3%; 隔离观察室 100%`, by the
 * checklists' titles in the report's language (the checklists differ between profiles and a
 * streamed header cannot wait to learn them all). A checklist none of whose items applies
 * to the school is left out, not shown as `—`.
 */
function scoresText(lang: Lang, school: SchoolResult, catalogue: Catalogue): string {
  // applicableScores, by the titles made once per catalogue: a score whose checklist has an item that applies.
  const titles = checklistTitles(lang, catalogue);
  const applies = new Set<string>();
  for (const item of school.items) {
    if (item.status === 'not_applicable') continue;
    const checklistId = catalogue.items[item.id]?.checklistId;
    if (checklistId !== undefined) applies.add(checklistId);
  }
  let text = '';
  for (const sc of school.scores) {
    const title = applies.has(sc.id) ? titles.get(sc.id) : undefined;
    if (title === undefined) continue;
    text += `${text === '' ? '' : '; '}${title} ${sc.percent === null ? '—' : `${sc.percent}%`}`;
  }
  return text;
}

/** Each checklist's title in the language, by id, made once per catalogue (the first of an id, as `find` gives). */
const checklistTitles = oncePerCatalogue((lang, catalogue) => {
  const titles = new Map<string, string>();
  for (const cl of catalogue.checklists) if (!titles.has(cl.id)) titles.set(cl.id, local(lang, cl.title));
  return titles;
});

function checklistTitle(lang: Lang, catalogue: Catalogue, id: string): string {
  return checklistTitles(lang, catalogue).get(id) ?? id;
}

export function schoolRow(lang: Lang, r: SchoolResult, catalogue: Catalogue): (string | number)[] {
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
    scoresText(lang, r, catalogue),
    // Item ids as they are (a reader looks them up); a checklist below its pass mark by its title.
    r.decidedBy.map((d) => (d.kind === 'score' ? checklistTitle(lang, catalogue, d.id) : d.id)).join('; '),
    '',
  ];
}

/** A value for a cell: as text, or — for a workbook, `typed` — a number kept a number. */
function cellValue(lang: Lang, value: Scalar | undefined, typed: boolean): string | number {
  return typed && typeof value === 'number' ? Number(formatScalar(value)) : valueText(lang, value);
}

function requiredValue(lang: Lang, result: ItemResult, typed: boolean): string | number {
  if (result.computation) return cellValue(lang, result.computation.required, typed);
  const params = result.reason.params ?? {};
  return cellValue(lang, params.required ?? params.allowed, typed);
}

export function itemRow(
  lang: Lang,
  school: SchoolResult,
  result: ItemResult,
  catalogue: Catalogue,
  typed = false,
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
    info ? checklistTitle(lang, catalogue, info.checklistId) : '',
    section ? local(lang, section.title) : (info?.sectionId ?? ''),
    info ? local(lang, info.title) : '',
    info ? label(lang, 'severity', info.severity) : '',
    label(lang, 'status', result.status),
    explain(lang, result, catalogue),
    requiredValue(lang, result, typed),
    cellValue(lang, result.answer?.value, typed),
    result.computation?.formula ?? '',
    result.answer?.note ?? '',
    info && (result.status === 'fail' || result.status === 'error') ? local(lang, info.remediation) : '',
    result.deadline ?? '',
    result.answer?.responsible ?? '',
  ];
}

export function itemsHeader(lang: Lang): string[] {
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
