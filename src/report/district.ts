/**
 * The district view of a batch (区县汇总), as numbers: schools by verdict, by district and by
 * school type, and the items failed most often. The Markdown summary, the HTML report and
 * the workbook all show these, each in its own form; the numbers come from here alone.
 */
import type { Catalogue, ItemInfo, Verdict } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { SCHOOL_TYPES } from '../model/constants.js';
import { label, type Lang } from '../i18n/index.js';
import { compareDistricts, compareText, s, severityRank } from './shared.js';
import type { SchoolRow } from './stream.js';

export const VERDICTS: readonly Verdict[] = ['READY', 'NOT_READY', 'INCOMPLETE'];
/** How many of the most frequently failed items a summary lists. */
export const TOP_ITEMS = 10;

export const DISTRICT_TEXT = {
  title: { zh: '开学条件核验区县汇总', en: 'Reopening readiness: district summary' },
  intro: {
    zh: '本次核验学校 {schools} 所，无法核验的文件 {failed} 个。',
    en: '{schools} schools audited; {failed} files could not be audited.',
  },
  percent: { zh: '占比', en: 'Percent' },
  readyPercent: { zh: '具备开学条件占比', en: 'Ready %' },
  byDistrict: { zh: '按区县统计', en: 'By district' },
  byType: { zh: '按学校类型统计', en: 'By school type' },
  topFailed: { zh: '不符合次数最多的核验项', en: 'Most frequently failed items' },
  topFailedNote: {
    zh: '按不符合的学校数排序，最多列 {n} 项；占比为不符合的学校数占核验表含该项的学校数的比例。',
    en: 'Ordered by the number of schools failing, at most {n} items; the percentage is of the schools whose checklists include the item.',
  },
  failingSchools: { zh: '不符合学校数', en: 'Schools failing' },
  auditedSchools: { zh: '核验学校数', en: 'Schools audited' },
  allSchools: { zh: '全部学校', en: 'All schools' },
  noSchools: { zh: '没有核验任何学校。', en: 'No school was audited.' },
  waivers: { zh: '豁免事项', en: 'Waivers' },
  waiversNote: {
    zh: '以下学校有经批准、仍在有效期内的豁免项：不计入结论和得分，豁免理由、批准人和有效期见各校报告。已过期的豁免不再适用，按不符合统计。',
    en: 'These schools have approved waivers still in force: left out of the verdict and score; the justification, approver and expiry are in each school report. An expired waiver no longer applies and is counted as failed.',
  },
  waivedItems: { zh: '已豁免项数', en: 'Waived items' },
} satisfies Record<string, LocalText>;

export type DistrictWord = keyof typeof DISTRICT_TEXT;

export function dw(lang: Lang, word: DistrictWord, params: Record<string, string | number> = {}): string {
  return DISTRICT_TEXT[word][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** One decimal place, or a dash when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** A group of schools (a district, a school type, all of them) and its counts by verdict. */
export interface Group {
  /** The district name as written, or the school type's label. */
  name: string;
  schools: number;
  verdicts: Record<Verdict, number>;
}

function groupOf(name: string, rows: SchoolRow[]): Group {
  const verdicts = { READY: 0, NOT_READY: 0, INCOMPLETE: 0 };
  for (const row of rows) verdicts[row.verdict]++;
  return { name, schools: rows.length, verdicts };
}

function groupBy(rows: SchoolRow[], key: (row: SchoolRow) => string): Map<string, SchoolRow[]> {
  const groups = new Map<string, SchoolRow[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k) ?? [];
    list.push(row);
    groups.set(k, list);
  }
  return groups;
}

/** Every school together. */
export function allGroup(lang: Lang, rows: SchoolRow[]): Group {
  return groupOf(s(lang, 'total'), rows);
}

/** The districts, in the order people look them up (pinyin). */
export function byDistrict(rows: SchoolRow[]): Group[] {
  return [...groupBy(rows, (r) => r.district).entries()]
    .sort(([a], [b]) => compareDistricts(a, b))
    .map(([name, list]) => groupOf(name, list));
}

/** The school types present, in the fixed order of the vocabulary. */
export function byType(lang: Lang, rows: SchoolRow[]): Group[] {
  const groups = groupBy(rows, (r) => r.type);
  return SCHOOL_TYPES.filter((type) => groups.has(type)).map((type) =>
    groupOf(label(lang, 'schoolType', type), groups.get(type) ?? []),
  );
}

export interface ItemTally {
  id: string;
  info: ItemInfo | undefined;
  failing: number;
  audited: number;
}

/**
 * The items failed by the most schools. The share is of the schools whose checklists hold
 * the item; whether it applied to each of them is in the per-school reports.
 */
export function mostFailed(rows: SchoolRow[], catalogues: Record<string, Catalogue>): ItemTally[] {
  const tallies = new Map<string, ItemTally>();
  const perCatalogue = new Map<string, number>();
  for (const row of rows) {
    perCatalogue.set(row.catalogueKey, (perCatalogue.get(row.catalogueKey) ?? 0) + 1);
    for (const id of row.failed) {
      let tally = tallies.get(id);
      if (!tally) {
        tally = { id, info: catalogues[row.catalogueKey]?.items[id], failing: 0, audited: 0 };
        tallies.set(id, tally);
      }
      tally.failing++;
    }
  }
  for (const [key, n] of perCatalogue) {
    for (const id of Object.keys(catalogues[key]?.items ?? {})) {
      const tally = tallies.get(id);
      if (tally) tally.audited += n;
    }
  }
  const rank = (t: ItemTally) => severityRank(t.info?.severity);
  return [...tallies.values()]
    .sort((a, b) => b.failing - a.failing || rank(a) - rank(b) || compareText(a.id, b.id))
    .slice(0, TOP_ITEMS);
}
