/**
 * What the rectification follow-up reports (text, markdown, json)
 * share: their fixed words in both languages, the labels of the changes and outcomes, how
 * an answer is shown, and the sentence that counts a school's changes.
 */
import type { FileFailure, ItemInfo, ItemResult, Scalar } from '../../model/result.js';
import type { LocalText } from '../../model/schema.js';
import { formatScalar } from '../../expr/index.js';
import { explain, label, type Lang } from '../../i18n/index.js';
import type {
  Change,
  ChangeCounts,
  Comparison,
  ItemComparison,
  Outcome,
  SchoolComparison,
} from '../index.js';

/** What a compare renderer receives: the comparison and the files that could not be read. */
export interface CompareRun {
  comparison: Comparison;
  failures: FileFailure[];
}

export const WORDS = {
  reportTitle: { zh: '整改复核报告', en: 'Rectification follow-up report' },
  summaryTitle: { zh: '整改复核汇总报告', en: 'Rectification follow-up: summary' },
  before: { zh: '整改前', en: 'Before' },
  after: { zh: '整改后', en: 'After' },
  audits: { zh: '两次核验', en: 'The two audits' },
  outcomeTitle: { zh: '复核结论', en: 'Outcome' },
  fixedItems: { zh: '已整改的核验项', en: 'Items fixed' },
  stillItems: { zh: '仍不符合的核验项（未整改）', en: 'Items still failing' },
  regressedItems: { zh: '新增不符合的核验项', en: 'Items newly failing' },
  uncheckedItems: { zh: '未复核的核验项', en: 'Items not re-checked' },
  waivedItems: { zh: '改为豁免的核验项', en: 'Items now waived' },
  newlyItems: { zh: '新适用的核验项', en: 'Items newly applicable' },
  goneItems: { zh: '不再适用的核验项', en: 'Items no longer applicable' },
  answersChanged: { zh: '答案变化', en: 'Answers changed' },
  none: { zh: '无。', en: 'None.' },
  overdue: { zh: '逾期 {days} 天', en: '{days} days overdue' },
  onTime: { zh: '未逾期', en: 'not overdue' },
  deadlineSet: { zh: '原整改期限', en: 'Deadline set' },
  newDeadline: { zh: '新整改期限', en: 'New deadline' },
  colOverdue: { zh: '是否逾期', en: 'Overdue' },
  colBefore: { zh: '整改前', en: 'Before' },
  colAfter: { zh: '整改后', en: 'After' },
  colProblemNow: { zh: '问题（整改后）', en: 'Problem (after)' },
  colChange: { zh: '变化', en: 'Change' },
  colOutcome: { zh: '复核结论', en: 'Outcome' },
  colFixed: { zh: '已整改', en: 'Fixed' },
  colStill: { zh: '仍不符合', en: 'Still failing' },
  colRegressed: { zh: '新增不符合', en: 'Newly failing' },
  colUnchecked: { zh: '未复核', en: 'Not re-checked' },
  colOverdueCount: { zh: '逾期', en: 'Overdue' },
  failedCount: { zh: '不符合项数', en: 'Items failed' },
  unpaired: { zh: '未配对的学校', en: 'Schools without a pair' },
  onlyBefore: { zh: '只有整改前的文件（未复核）', en: 'Before only (not re-checked)' },
  onlyAfter: { zh: '只有整改后的文件', en: 'After only' },
  failuresTitle: { zh: '无法读取或核验的文件', en: 'Files that could not be read or audited' },
  newlyApplicableNote: { zh: '整改前不适用', en: 'did not apply before' },
  notAudited: { zh: '未核验此项', en: 'not audited' },
  reviewIntro: {
    zh: '本次复核为{level}，复核日期 {date}，对照 {beforeDate} {beforeLevel}的整改清单逐项复核。复核人员和学校负责人对以上复核结果签字确认。',
    en: 'This {level} on {date} re-checked the rectification list of the {beforeLevel} on {beforeDate}. The re-checkers and the school head confirm the results above by signing.',
  },
} satisfies Record<string, LocalText>;

export type Word = keyof typeof WORDS;

export function w(lang: Lang, word: Word, params: Record<string, string | number> = {}): string {
  return WORDS[word][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

const CHANGE_LABELS: Record<Change, LocalText> = {
  regressed: { zh: '新增不符合', en: 'newly failing' },
  still_failing: { zh: '仍不符合', en: 'still failing' },
  not_rechecked: { zh: '未复核', en: 'not re-checked' },
  fixed: { zh: '已整改', en: 'fixed' },
  waived: { zh: '改为豁免', en: 'now waived' },
  newly_applicable: { zh: '新适用', en: 'newly applicable' },
  no_longer_applicable: { zh: '不再适用', en: 'no longer applicable' },
  unchanged: { zh: '无变化', en: 'unchanged' },
};

const OUTCOME_LABELS: Record<Outcome, LocalText> = {
  RECTIFIED: { zh: '整改完成', en: 'RECTIFIED' },
  NOT_RECTIFIED: { zh: '整改未完成', en: 'NOT RECTIFIED' },
};

export function changeLabel(lang: Lang, change: Change): string {
  return CHANGE_LABELS[change][lang];
}

export function outcomeLabel(lang: Lang, outcome: Outcome): string {
  return OUTCOME_LABELS[outcome][lang];
}

/** The items of one kind of change, in the order the comparison holds them. */
export function itemsOf(school: SchoolComparison, change: Change): ItemComparison[] {
  return school.items.filter((i) => i.change === change);
}

/** An answer as a person reads it: 是/否, a number with its unit, a choice by its label; `—` for none. */
export function valueText(lang: Lang, value: Scalar | undefined, info: ItemInfo | undefined): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return label(lang, 'yesNo', String(value));
  if (typeof value === 'number') {
    const unit = info?.unit?.[lang];
    return unit ? `${formatScalar(value)} ${unit}` : formatScalar(value);
  }
  return info?.options?.find((o) => o.value === value)?.label[lang] ?? value;
}

/** An item's state on one side: its status, and its answer when it has one. */
export function sideText(lang: Lang, result: ItemResult | undefined, info: ItemInfo | undefined): string {
  if (!result) return WORDS.notAudited[lang];
  const status = label(lang, 'status', result.status);
  const value = result.answer?.value;
  if (value === undefined || value === null || result.status === 'not_applicable') return status;
  return lang === 'zh'
    ? `${status}（${valueText(lang, value, info)}）`
    : `${status} (${valueText(lang, value, info)})`;
}

/** Why the item stands where it does after the follow-up: the after-audit's explained reason. */
export function reasonNow(lang: Lang, school: SchoolComparison, item: ItemComparison): string {
  const result = item.after ?? item.before;
  if (!result) return '';
  return explain(lang, result, item.after ? school.after.catalogue : school.before.catalogue);
}

/** `已整改 4 项，仍不符合 1 项（其中逾期 1 项），新增不符合 1 项，未复核 0 项…` */
export function countsSentence(lang: Lang, c: ChangeCounts): string {
  if (lang === 'zh') {
    return (
      `已整改 ${c.fixed} 项，仍不符合 ${c.still_failing} 项（其中逾期 ${c.overdue} 项），新增不符合 ${c.regressed} 项，未复核 ${c.not_rechecked} 项；` +
      `改为豁免 ${c.waived} 项，新适用 ${c.newly_applicable} 项，不再适用 ${c.no_longer_applicable} 项，答案变化 ${c.answersChanged} 项。`
    );
  }
  return (
    `${c.fixed} fixed, ${c.still_failing} still failing (${c.overdue} overdue), ${c.regressed} newly failing, ${c.not_rechecked} not re-checked; ` +
    `${c.waived} now waived, ${c.newly_applicable} newly applicable, ${c.no_longer_applicable} no longer applicable, ${c.answersChanged} answers changed.`
  );
}

/** For a still-failing item: the deadline the before-audit set and whether it has passed. */
export function overdueText(lang: Lang, item: ItemComparison): string {
  if (item.overdueDays !== undefined) return w(lang, 'overdue', { days: item.overdueDays });
  return item.before?.deadline ? w(lang, 'onTime') : '—';
}

/** Who is responsible, as the after-audit (else the before-audit) names them. */
export function responsibleOf(item: ItemComparison): string | undefined {
  return item.after?.answer?.responsible ?? item.before?.answer?.responsible;
}
