/**
 * The roster coverage of a batch (不漏一校) as words and table rows: the figures by district,
 * every school with its state, the missing ones. Every format shows these, each in its own
 * form and with its own escaping; the cells here are the raw text.
 */
import type { Coverage, CoverageAudit, CoverageFigures, CoverageSchool, CoverageState } from '../model/coverage.js';
import type { LocalText } from '../model/schema.js';
import { label, type Lang } from '../i18n/index.js';

export const COVERAGE_TEXT = {
  title: { zh: '名册覆盖', en: 'Roster coverage' },
  intro: {
    zh: '名册 {roster}：名册学校 {onRoster} 所，已提交 {submitted} 所，未提交 {missing} 所，已达标 {cleared} 所；不在名册的学校 {notOnRoster} 所。',
    en: 'Roster {roster}: {onRoster} {schoolsOn} on the roster, {submitted} submitted, {missing} missing, {cleared} cleared; {notOnRoster} {schoolsOff} not on the roster.',
  },
  rule: {
    zh: '每所学校以最高层级、同层级中日期最近的一次核验为准，其余列为历史。已达标：该次核验为{level}且结论为具备开学条件。',
    en: "Each school's audit that counts is its highest level, and at that level the latest date; the others are its history. Cleared: that audit is {level} and READY.",
  },
  anyLevel: { zh: '任一层级', en: 'at any level' },
  atLeast: { zh: '{level}或更高层级', en: 'at {level} or above' },
  byDistrict: { zh: '名册覆盖（按区县）', en: 'Roster coverage by district' },
  missingTitle: { zh: '未提交的学校', en: 'Missing schools' },
  missingNone: { zh: '名册中的学校均已提交。', en: 'Every school on the roster sent a file.' },
  schoolsTitle: { zh: '名册学校', en: 'Schools of the roster' },
  warningsTitle: { zh: '与名册不一致之处', en: 'Differences from the roster' },
  district: { zh: '区县', en: 'District' },
  onRoster: { zh: '名册学校', en: 'On roster' },
  submitted: { zh: '已提交', en: 'Submitted' },
  missing: { zh: '未提交', en: 'Missing' },
  cleared: { zh: '已达标', en: 'Cleared' },
  awaiting: { zh: '待上级核验', en: 'Awaiting level' },
  notReady: { zh: '不具备开学条件', en: 'Not ready' },
  incomplete: { zh: '核验未完成', en: 'Incomplete' },
  conflict: { zh: '文件冲突', en: 'Conflicting files' },
  notOnRoster: { zh: '不在名册', en: 'Not on roster' },
  total: { zh: '合计', en: 'Total' },
  id: { zh: '学校代码', en: 'School ID' },
  name: { zh: '学校名称', en: 'Name' },
  state: { zh: '状态', en: 'State' },
  counted: { zh: '计入的核验', en: 'Audit that counts' },
  history: { zh: '历史核验', en: 'History' },
  onRosterFlag: { zh: '是否在名册', en: 'On roster?' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否（不在名册）', en: 'no (not on the roster)' },
  rosterLine: { zh: '名册行号', en: 'Roster line' },
  stateCode: { zh: '状态代码', en: 'State code' },
} satisfies Record<string, LocalText>;

export type CoverageWord = keyof typeof COVERAGE_TEXT;

export function cw(lang: Lang, word: CoverageWord, params: Record<string, string | number> = {}): string {
  return COVERAGE_TEXT[word][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** The codes of the states, as JSON and the CSV files carry them. */
export const STATE_CODE: Record<CoverageState, string> = {
  cleared: 'CLEARED',
  awaiting: 'AWAITING',
  not_ready: 'NOT_READY',
  incomplete: 'INCOMPLETE',
  conflict: 'CONFLICT',
  missing: 'MISSING',
};

const LEVEL_NEXT_ZH: Record<string, string> = { county: '待县级评估', city: '待市级复核', province: '待省级抽查' };

/** A state as a person reads it: `待县级评估` for a READY self-check when county is required. */
export function stateLabel(lang: Lang, state: CoverageState, coverage: Coverage): string {
  switch (state) {
    case 'cleared':
      return cw(lang, 'cleared');
    case 'awaiting': {
      const level = coverage.requireLevel ?? 'county';
      return lang === 'zh' ? (LEVEL_NEXT_ZH[level] ?? cw(lang, 'awaiting')) : `awaiting ${label(lang, 'level', level)}`;
    }
    case 'not_ready':
      return cw(lang, 'notReady');
    case 'incomplete':
      return cw(lang, 'incomplete');
    case 'conflict':
      return cw(lang, 'conflict');
    case 'missing':
      return cw(lang, 'missing');
  }
}

/** The sentence that opens a coverage section, and the rule it applies. */
export function coverageIntro(lang: Lang, coverage: Coverage): string[] {
  const t = coverage.total;
  const level = coverage.requireLevel ? cw(lang, 'atLeast', { level: label(lang, 'level', coverage.requireLevel) }) : cw(lang, 'anyLevel');
  const schools = (n: number) => (n === 1 ? 'school' : 'schools');
  return [cw(lang, 'intro', { roster: coverage.roster, ...figureParams(t), schoolsOn: schools(t.onRoster), schoolsOff: schools(t.notOnRoster) }), cw(lang, 'rule', { level })];
}

function figureParams(f: CoverageFigures): Record<string, number> {
  const { district: _district, ...numbers } = f;
  return numbers;
}

export const FIGURE_KEYS = ['onRoster', 'submitted', 'missing', 'cleared', 'awaiting', 'notReady', 'incomplete', 'conflict', 'notOnRoster'] as const;

export function figureHeader(lang: Lang, coverage: Coverage): string[] {
  return [cw(lang, 'district'), ...FIGURE_KEYS.map((k) => (k === 'awaiting' ? stateLabel(lang, 'awaiting', coverage) : cw(lang, k)))];
}

/** One row per district, then the total; the district is raw text (escape it for the format). */
export function figureRows(lang: Lang, coverage: Coverage): { district: string; total: boolean; numbers: number[] }[] {
  return [
    ...coverage.districts.map((f) => ({ district: f.district, total: false, numbers: FIGURE_KEYS.map((k) => f[k]) })),
    { district: cw(lang, 'total'), total: true, numbers: FIGURE_KEYS.map((k) => coverage.total[k]) },
  ];
}

/** `县级评估 2024-02-20 具备开学条件`: an audit without its file. */
export function auditFacts(lang: Lang, a: CoverageAudit): string {
  return `${label(lang, 'level', a.level)} ${a.date} ${label(lang, 'verdict', a.verdict)}`;
}

/** `县级评估 2024-02-20 具备开学条件 (county/a.yaml)`. */
export function auditText(lang: Lang, a: CoverageAudit): string {
  return `${auditFacts(lang, a)} (${a.file})`;
}

export function historyText(lang: Lang, school: CoverageSchool): string {
  return school.history.map((a) => auditText(lang, a)).join(lang === 'zh' ? '；' : '; ');
}

export function schoolHeader(lang: Lang): string[] {
  return [cw(lang, 'district'), cw(lang, 'id'), cw(lang, 'name'), cw(lang, 'state'), cw(lang, 'counted'), cw(lang, 'history'), cw(lang, 'onRosterFlag')];
}

/** Every school of the coverage as raw cells, in the coverage's order. */
export function schoolCells(lang: Lang, coverage: Coverage, school: CoverageSchool): string[] {
  return [
    school.district,
    school.id,
    school.name,
    stateLabel(lang, school.state, coverage),
    school.counted ? auditText(lang, school.counted) : '',
    historyText(lang, school),
    school.onRoster ? cw(lang, 'yes') : cw(lang, 'no'),
  ];
}

export const missingSchools = (coverage: Coverage) => coverage.schools.filter((s) => s.state === 'missing');
