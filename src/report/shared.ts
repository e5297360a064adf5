/**
 * Helpers the document reporters (Markdown, JSON) share: the order schools and failures
 * are reported in, the sentence for a decision, located problems, auditors, and the
 * fixed strings of a report in both languages.
 */
import type {
  AuditRun,
  Catalogue,
  ChecklistInfo,
  Computation,
  Decision,
  FileFailure,
  ItemResult,
  Problem,
  Scalar,
  SchoolResult,
} from '../model/result.js';
import type { AuditMeta, LocalText, Severity } from '../model/schema.js';
import { SEVERITIES } from '../model/constants.js';
import { formatScalar } from '../expr/index.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';

/** Fixed report wording (headings, column names, sign-off) in zh and en. */
export const TEXT = {
  reportTitle: { zh: '开学条件核验报告', en: 'Reopening readiness audit report' },
  summaryTitle: { zh: '开学条件核验汇总报告', en: 'Reopening readiness audit: summary report' },
  summary: { zh: '汇总', en: 'Summary' },
  totals: { zh: '按结论统计', en: 'Totals by verdict' },
  total: { zh: '合计', en: 'Total' },
  schoolsCount: { zh: '学校数', en: 'Schools' },
  failedFilesCount: { zh: '无法核验的文件', en: 'Files that could not be audited' },
  failedFilesNone: { zh: '无。', en: 'None.' },
  school: { zh: '学校', en: 'School' },
  schoolProfile: { zh: '学校基本情况', en: 'School profile' },
  auditInfo: { zh: '核验信息', en: 'Audit' },
  field: { zh: '项目', en: 'Field' },
  value: { zh: '内容', en: 'Value' },
  schoolId: { zh: '学校编号', en: 'School ID' },
  schoolName: { zh: '学校名称', en: 'Name' },
  district: { zh: '所在区县', en: 'District' },
  checklistsNotApplying: { zh: '不适用于本校（没有适用的核验项）：', en: 'Not applicable to this school (no item applies): ' },
  schoolType: { zh: '学校类型', en: 'Type' },
  boarding: { zh: '寄宿制', en: 'Boarding' },
  canteen: { zh: '学生食堂', en: 'Canteen' },
  students: { zh: '在校学生数', en: 'Students' },
  staff: { zh: '教职员工数', en: 'Staff' },
  boarders: { zh: '住校学生数', en: 'Boarders' },
  file: { zh: '文件', en: 'File' },
  auditDate: { zh: '核验日期', en: 'Audit date' },
  level: { zh: '核验层级', en: 'Level' },
  auditors: { zh: '检查人员', en: 'Auditors' },
  profile: { zh: '配置方案', en: 'Profile' },
  checklists: { zh: '核验表', en: 'Checklists' },
  version: { zh: '版本', en: 'version' },
  note: { zh: '备注', en: 'Note' },
  verdict: { zh: '核验结论', en: 'Verdict' },
  decidedBy: { zh: '判定依据：', en: 'Decided by:' },
  noDecidingItems: {
    zh: '所有适用的核验项均已核验，一票否决项和关键项均符合要求。',
    en: 'Every applicable item was checked; all gate and critical items pass.',
  },
  gates: { zh: '一票否决项', en: 'Gate items' },
  noGates: { zh: '本次核验不含一票否决项。', en: 'No gate items in this audit.' },
  itemsTitle: { zh: '逐项核验结果', en: 'Results by item' },
  colId: { zh: '编号', en: 'ID' },
  colItem: { zh: '核验项', en: 'Item' },
  colMethod: { zh: '方式', en: 'Method' },
  colSeverity: { zh: '等级', en: 'Severity' },
  colStatus: { zh: '结果', en: 'Status' },
  colReason: { zh: '说明', en: 'Reason' },
  colNo: { zh: '序号', en: 'No.' },
  colProblem: { zh: '问题', en: 'Problem' },
  colRemediation: { zh: '整改建议', en: 'Remediation' },
  colVersion: { zh: '版本', en: 'Version' },
  colChecklist: { zh: '核验表', en: 'Checklist' },
  colScore: { zh: '得分', en: 'Score' },
  colPercent: { zh: '得分率', en: 'Percent' },
  colPassMark: { zh: '合格线', en: 'Pass mark' },
  colFails: { zh: '不符合', en: 'Failed' },
  colUnanswered: { zh: '未核验', en: 'Unanswered' },
  colVerdict: { zh: '结论', en: 'Verdict' },
  scores: { zh: '得分', en: 'Scores' },
  belowPassMark: { zh: '低于合格线', en: 'below pass mark' },
  atOrAbovePassMark: { zh: '达到合格线', en: 'meets pass mark' },
  formula: { zh: '公式', en: 'Formula' },
  rectification: { zh: '整改清单', en: 'Rectification list' },
  noRectification: { zh: '没有不符合要求的核验项。', en: 'No item fails.' },
  pendingTitle: { zh: '尚未核验的核验项（须补充核验）', en: 'Items not yet checked (to be completed)' },
  signOff: { zh: '签字确认', en: 'Sign-off' },
  inspector: { zh: '检查人（签字）', en: 'Inspector (signature)' },
  schoolHead: { zh: '学校负责人（签字）', en: 'School head (signature)' },
  date: { zh: '日期', en: 'Date' },
  inspectorNamed: { zh: '检查人', en: 'Inspector' },
  reviewerNamed: { zh: '复核人', en: 'Re-checker' },
  reviewer: { zh: '复核人（签字）', en: 'Re-checker (signature)' },
  schoolHeadNamed: { zh: '学校负责人', en: 'School head' },
  signature: { zh: '签字', en: 'Signature' },
  signOffIntro: {
    zh: '本次核验为{level}，核验日期 {date}。检查人员和学校负责人对以上核验结果签字确认。',
    en: 'This {level} was held on {date}. The auditors and the school head confirm the results above by signing.',
  },
  colDeadline: { zh: '整改期限', en: 'Deadline' },
  colResponsible: { zh: '责任人', en: 'Responsible' },
  deadlineNote: {
    zh: '整改期限为核验日期后 {days} 天（参数 `rectification_days`），整改完成后申请复核。',
    en: 'Each item is to be fixed within {days} days of the audit (parameter `rectification_days`), then re-checked.',
  },
  waiversTitle: { zh: '豁免事项', en: 'Waivers' },
  colWaiverReason: { zh: '豁免理由', en: 'Justification' },
  colApprovedBy: { zh: '批准人', en: 'Approved by' },
  colApprovedOn: { zh: '批准日期', en: 'Approved on' },
  colExpires: { zh: '有效期至', en: 'Expires' },
  colWaiverState: { zh: '状态', en: 'State' },
  waiverInForce: { zh: '有效（不计入结论和得分）', en: 'in force (left out of the verdict and score)' },
  waiverExpired: {
    zh: '已过期，不再适用（按不符合处理）',
    en: 'expired; no longer applies (counted as failed)',
  },
  notStated: { zh: '未填写', en: 'not stated' },
  generatedBy: { zh: '本报告由 {tool} 生成。', en: 'Generated by {tool}.' },
} satisfies Record<string, LocalText>;

export type TextKey = keyof typeof TEXT;

/** A fixed report string in the run's language. */
export function s(lang: Lang, key: TextKey): string {
  return TEXT[key][lang];
}

/**
 * A value made once per catalogue and language and then reused, such as the fixed parts of
 * an item's lines: a catalogue is shared by every school of a run that uses it.
 */
export function oncePerCatalogue<T>(make: (lang: Lang, catalogue: Catalogue) => T): (lang: Lang, catalogue: Catalogue) => T {
  const made = new WeakMap<Catalogue, Partial<Record<Lang, T>>>();
  return (lang, catalogue) => {
    let byLang = made.get(catalogue);
    if (!byLang) {
      byLang = {};
      made.set(catalogue, byLang);
    }
    let value = byLang[lang];
    if (value === undefined) {
      value = make(lang, catalogue);
      byLang[lang] = value;
    }
    return value;
  };
}

/** Plain code-unit order, so the result never depends on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Made at the first comparison: creating it loads ICU's Chinese collation data (milliseconds), which a one-school run never sorts by. */
let districtCollator: Intl.Collator | undefined;

/**
 * District (and other Chinese name) order as people expect it: by pinyin, with the code-unit
 * order breaking ties so the result is the same on every machine.
 */
export function compareDistricts(a: string, b: string): number {
  districtCollator ??= new Intl.Collator('zh', { usage: 'sort', sensitivity: 'variant' });
  return districtCollator.compare(a, b) || compareText(a, b);
}

/**
 * The checklists that apply to a school: those with at least one item that is not
 * "not applicable" (a kindergarten checklist does not apply to a junior middle school).
 */
export function applicableChecklists(school: SchoolResult, catalogue: Catalogue): ChecklistInfo[] {
  const applies = new Set(
    school.items.filter((i) => i.status !== 'not_applicable').map((i) => catalogue.items[i.id]?.checklistId),
  );
  return catalogue.checklists.filter((cl) => applies.has(cl.id));
}

/** The checklists of the catalogue none of whose items applies to the school: named once, never scored. */
export function checklistsNotApplying(school: SchoolResult, catalogue: Catalogue): ChecklistInfo[] {
  const applies = new Set(applicableChecklists(school, catalogue).map((cl) => cl.id));
  return catalogue.checklists.filter((cl) => !applies.has(cl.id));
}

/** The scores of the checklists that apply to the school (a checklist that does not has 0 / 0). */
export function applicableScores(school: SchoolResult, catalogue: Catalogue): SchoolResult['scores'] {
  const applies = new Set(applicableChecklists(school, catalogue).map((cl) => cl.id));
  return school.scores.filter((sc) => applies.has(sc.id));
}

const SEVERITY_RANK = new Map<Severity, number>(SEVERITIES.map((sev, i) => [sev, i]));

/** Gate first, then critical, …, advisory; an item the catalogue does not know goes last. */
export function severityRank(severity: Severity | undefined): number {
  return SEVERITY_RANK.get(severity ?? 'advisory') ?? SEVERITIES.length;
}

/** The failed items of a school in the order it should fix them: by severity, then checklist order. */
export function rectificationItems(school: SchoolResult, catalogue: Catalogue): ItemResult[] {
  const rank = (r: ItemResult) => severityRank(catalogue.items[r.id]?.severity);
  return school.items
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.status === 'fail')
    .sort((x, y) => rank(x.r) - rank(y.r) || x.index - y.index)
    .map(({ r }) => r);
}

/** A value as a person reads it: yes/no for booleans, numbers tidied, text as written. */
export function valueText(lang: Lang, value: Scalar | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return label(lang, 'yesNo', String(value));
  if (typeof value === 'number') return formatScalar(value);
  return value;
}

/**
 * `公式：students + staff（students = 1320，staff = 96）`: a computed threshold's formula and
 * the value of every name put into it. `code` escapes and marks up the formula and inputs.
 */
export function formulaText(lang: Lang, c: Computation, code: (text: string) => string): string {
  const inputs = c.inputs
    .map((i) => code(`${i.name} = ${formatScalar(i.value)}`))
    .join(lang === 'zh' ? '，' : ', ');
  const sep = lang === 'zh' ? '：' : ': ';
  const open = lang === 'zh' ? '（' : ' (';
  const close = lang === 'zh' ? '）' : ')';
  return `${s(lang, 'formula')}${sep}${code(c.formula)}${inputs ? `${open}${inputs}${close}` : ''}`;
}

/** The note to show beside a result: none when a not-applicable mark already quotes it in its reason. */
export function shownNote(result: ItemResult): string | undefined {
  const note = result.answer?.note;
  return note && result.reason.code !== 'reason.markedNotApplicable' ? note : undefined;
}

/**
 * Schools in file order, whatever order the batch runner finished them in: reports must
 * come out byte-identical for the same input.
 */
export function orderedSchools(run: AuditRun): AuditRun['schools'] {
  return [...run.schools].sort((a, b) => compareText(a.result.file, b.result.file));
}

export function orderedFailures(run: AuditRun): FileFailure[] {
  return [...run.failures]
    .sort((a, b) => compareText(a.file, b.file))
    .map((f) => ({ ...f, problems: [...f.problems].sort(compareProblems) }));
}

/** Problems in position order: file, line, column. */
export function compareProblems(a: Problem, b: Problem): number {
  return compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

const EMPTY_CATALOGUE: Catalogue = {
  profile: { id: '', title: { zh: '', en: '' }, version: null },
  checklists: [],
  items: {},
  parameters: [],
};

export function catalogueOf(run: AuditRun, key: string): Catalogue {
  return run.catalogues[key] ?? EMPTY_CATALOGUE;
}

/** `file:line:col message`, the form every located error takes. */
export function problemLocation(problem: Problem): string {
  let where = problem.file;
  if (problem.line !== undefined) where += `:${problem.line}`;
  if (problem.line !== undefined && problem.col !== undefined) where += `:${problem.col}`;
  return where;
}

export function formatProblem(lang: Lang, problem: Problem): string {
  return `${problemLocation(problem)} ${tr(lang, problem.message)}`;
}

export function itemTitle(lang: Lang, catalogue: Catalogue, id: string): string {
  const info = catalogue.items[id];
  return info ? local(lang, info.title) : id;
}

/** The sentence for one decision: the item's explained result, or a score below its pass mark. */
export function decisionText(
  lang: Lang,
  decision: Decision,
  school: SchoolResult,
  catalogue: Catalogue,
): string {
  if (decision.kind === 'score') {
    const score = school.scores.find((sc) => sc.id === decision.id);
    const checklist = catalogue.checklists.find((cl) => cl.id === decision.id);
    const title = checklist ? local(lang, checklist.title) : decision.id;
    const percent = score?.percent ?? 0;
    const mark = score?.passMark ?? 0;
    return lang === 'zh'
      ? `核验表“${title}”得分率 ${percent}%，低于合格线 ${mark}%`
      : `checklist "${title}" scored ${percent}%, below its pass mark of ${mark}%`;
  }
  const result = school.items.find((i) => i.id === decision.id);
  if (!result) return decision.id;
  return explain(lang, result, catalogue);
}

export function itemById(school: SchoolResult): Map<string, ItemResult> {
  return new Map(school.items.map((i) => [i.id, i]));
}

export type Auditor = NonNullable<AuditMeta['auditors']>[number];

/** `张三（区教育局，组长）` / `Zhang San (District bureau, lead)`. */
export function auditorText(lang: Lang, auditor: Auditor): string {
  if (typeof auditor === 'string') return auditor;
  const extra = [auditor.org, auditor.role].filter((x): x is string => x !== undefined && x !== '');
  if (extra.length === 0) return auditor.name;
  return lang === 'zh' ? `${auditor.name}（${extra.join('，')}）` : `${auditor.name} (${extra.join(', ')})`;
}

/** A fixed report string with `{name}` placeholders filled in. */
export function sf(lang: Lang, key: TextKey, params: Record<string, string | number>): string {
  return s(lang, key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** The parameter value in force, when the catalogue has it and it is a number. */
export function numericParameter(catalogue: Catalogue, name: string): number | undefined {
  const value = catalogue.parameters.find((p) => p.name === name)?.value;
  return typeof value === 'number' ? value : undefined;
}

/** The waivers on file for a school's items, in item order: those in force and those expired. */
export function waivedItems(school: SchoolResult): ItemResult[] {
  return school.items.filter((i) => i.waiver !== undefined);
}

/**
 * One line of a waiver, for formats without columns: `理由：…；批准：…（2020-04-18）；有效期至
 * 2020-05-01` and, when it has run out, that it no longer applies.
 */
export function waiverLine(lang: Lang, waiver: NonNullable<ItemResult['waiver']>): string {
  const zh = lang === 'zh';
  const parts = zh
    ? [
        `理由：${waiver.reason}`,
        `批准：${waiver.approvedBy}（${waiver.approvedOn}）`,
        `有效期至 ${waiver.expires}`,
      ]
    : [
        `justification: ${waiver.reason}`,
        `approved by ${waiver.approvedBy} on ${waiver.approvedOn}`,
        `expires ${waiver.expires}`,
      ];
  if (waiver.expired) parts.push(zh ? '已过期，不再适用' : 'expired, no longer applies');
  return parts.join(zh ? '；' : '; ');
}

/** Who signs: the persons named in the audit block, by name only (organisation and role apart). */
export function auditorNames(lang: Lang, auditors: AuditMeta['auditors']): string[] {
  return (auditors ?? []).map((a) => auditorText(lang, a));
}

/** One line of the sign-off block: the role's label and, when the audit names them, who signs. */
export interface SignOffEntry {
  role: string;
  name?: string;
}

/**
 * Who signs the printed report: one entry per named auditor (or one blank entry when nobody
 * is named), then the school head.
 */
export function signOffEntries(
  lang: Lang,
  role: 'inspector' | 'reviewer',
  auditors: AuditMeta['auditors'],
  principal: string | undefined,
): SignOffEntry[] {
  const names = auditorNames(lang, auditors);
  const namedRole = role === 'inspector' ? 'inspectorNamed' : 'reviewerNamed';
  const entries: SignOffEntry[] = names.length === 0 ? [{ role: s(lang, role) }] : names.map((name) => ({ role: s(lang, namedRole), name }));
  entries.push(principal ? { role: s(lang, 'schoolHeadNamed'), name: principal } : { role: s(lang, 'schoolHead') });
  return entries;
}

/**
 * Sign-off lines to sign by hand on the printed report: one per named auditor (or one blank
 * line when nobody is named), then the school head. `escape` makes the names safe for the
 * format the lines go into.
 */
export function signOffLines(
  lang: Lang,
  role: 'inspector' | 'reviewer',
  auditors: AuditMeta['auditors'],
  principal: string | undefined,
  escape: (text: string) => string,
): string[] {
  const blank = '______________________';
  const dateBlank = '______________';
  const sep = lang === 'zh' ? '：' : ': ';
  const gap = lang === 'zh' ? '\u3000\u3000' : '   ';
  const tail = `${gap}${s(lang, 'date')}${sep}${dateBlank}`;
  return signOffEntries(lang, role, auditors, principal).map((e) =>
    e.name === undefined ? `${e.role}${sep}${blank}${tail}` : `${e.role}${sep}${escape(e.name)}${gap}${s(lang, 'signature')}${sep}${blank}${tail}`,
  );
}
