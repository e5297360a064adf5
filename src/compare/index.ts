/**
 * Rectification follow-up (整改复核): two audits of the same school, before and after, →
 * what was fixed, what still fails, what newly fails, what newly applies, which answers
 * changed, and which rectifications are overdue. Pure: audited schools in, a comparison
 * out; reading files and auditing them is the command's work (src/cli/compare.ts).
 */
import { daysBetween } from '../engine/audit.js';
import { compareAudits, coverageInputOf } from '../coverage/pair.js';
import type {
  Catalogue,
  ItemInfo,
  ItemResult,
  ItemStatus,
  Problem,
  Scalar,
  SchoolResult,
} from '../model/result.js';

/** A school's audit result with the catalogue of the checklists it was audited against. */
export interface AuditedSchool {
  result: SchoolResult;
  catalogue: Catalogue;
}

/**
 * What happened to an item between the two audits, most urgent first. Every item gets
 * exactly one:
 * - `regressed`: fails now and did not before (also when it did not apply before);
 * - `still_failing`: failed before and fails again;
 * - `not_rechecked`: failed before and is unanswered now, or not in the after-audit at all;
 * - `fixed`: failed (or was waived) before and passes now;
 * - `waived`: failed before and is waived now;
 * - `newly_applicable`: did not apply (or was not audited) before, applies now and does not fail;
 * - `no_longer_applicable`: applied before, does not apply now;
 * - `unchanged`: anything else.
 */
export const CHANGES = [
  'regressed',
  'still_failing',
  'not_rechecked',
  'fixed',
  'waived',
  'newly_applicable',
  'no_longer_applicable',
  'unchanged',
] as const;
export type Change = (typeof CHANGES)[number];

/** Changes that leave a rectification open: any one makes the follow-up NOT_RECTIFIED. */
export const OPEN_CHANGES: ReadonlySet<Change> = new Set<Change>([
  'regressed',
  'still_failing',
  'not_rechecked',
]);

export interface ItemComparison {
  id: string;
  change: Change;
  /** The item in the before-audit; absent when its checklists did not hold it. */
  before?: ItemResult;
  after?: ItemResult;
  /** The answer's value differs: given, changed or taken away. */
  answerChanged: boolean;
  /** A regressed item that did not apply, or was not audited, before. */
  newlyApplicable: boolean;
  /** A still-failing item whose before-audit deadline had passed on the after-audit date: by how many days. */
  overdueDays?: number;
}

export type Outcome = 'RECTIFIED' | 'NOT_RECTIFIED';

export type ChangeCounts = Record<Change, number> & { overdue: number; answersChanged: number };

export interface SchoolComparison {
  before: AuditedSchool;
  after: AuditedSchool;
  /** Every item of either audit: the after-audit's order, then items only the before-audit had. */
  items: ItemComparison[];
  counts: ChangeCounts;
  outcome: Outcome;
}

export interface Comparison {
  /** In the order of the after-files. */
  schools: SchoolComparison[];
  /** Schools found on one side only, in file order. */
  unpaired: { before: AuditedSchool[]; after: AuditedSchool[] };
}

/** Plain code-unit order, the same on every machine and locale. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const applies = (status: ItemStatus | undefined) => status !== undefined && status !== 'not_applicable';

function classify(before: ItemResult | undefined, after: ItemResult | undefined): Change {
  const was = before?.status;
  const now = after?.status;
  if (was === 'fail') {
    if (now === 'fail') return 'still_failing';
    if (now === 'pass') return 'fixed';
    if (now === 'waived') return 'waived';
    if (now === 'not_applicable') return 'no_longer_applicable';
    return 'not_rechecked';
  }
  if (now === 'fail') return 'regressed';
  if (was === 'waived' && now === 'pass') return 'fixed';
  if (!applies(was) && applies(now)) return 'newly_applicable';
  if (applies(was) && now === 'not_applicable') return 'no_longer_applicable';
  return 'unchanged';
}

function answerValue(item: ItemResult | undefined): Scalar {
  return item?.answer?.value ?? null;
}

/** Compare two audits of one school. Which school they are is the caller's concern. */
export function compareSchools(before: AuditedSchool, after: AuditedSchool): SchoolComparison {
  const was = new Map(before.result.items.map((i) => [i.id, i]));
  const ids = after.result.items.map((i) => i.id);
  const seen = new Set(ids);
  for (const item of before.result.items) if (!seen.has(item.id)) ids.push(item.id);
  const now = new Map(after.result.items.map((i) => [i.id, i]));
  const afterDate = after.result.audit.date;

  const items = ids.map((id): ItemComparison => {
    const b = was.get(id);
    const a = now.get(id);
    const change = classify(b, a);
    const entry: ItemComparison = {
      id,
      change,
      answerChanged: answerValue(b) !== answerValue(a),
      newlyApplicable: change === 'regressed' && !applies(b?.status),
    };
    if (b) entry.before = b;
    if (a) entry.after = a;
    if (change === 'still_failing' && b?.deadline !== undefined) {
      const late = daysBetween(b.deadline, afterDate);
      if (late > 0) entry.overdueDays = late;
    }
    return entry;
  });

  const counts = Object.fromEntries(CHANGES.map((c) => [c, 0])) as ChangeCounts;
  counts.overdue = 0;
  counts.answersChanged = 0;
  for (const item of items) {
    counts[item.change]++;
    if (item.overdueDays !== undefined) counts.overdue++;
    if (item.answerChanged) counts.answersChanged++;
  }
  const outcome: Outcome = items.some((i) => OPEN_CHANGES.has(i.change)) ? 'NOT_RECTIFIED' : 'RECTIFIED';
  return { before, after, items, counts, outcome };
}

/** The item's title, severity and remediation: from the after-audit's catalogue, else the before's. */
export function itemInfo(comparison: SchoolComparison, id: string): ItemInfo | undefined {
  return comparison.after.catalogue.items[id] ?? comparison.before.catalogue.items[id];
}

/** Whether a school audited before and never again leaves a rectification open. */
export function leftOpen(school: AuditedSchool): boolean {
  return school.result.counts.fail > 0;
}

/** Whether `x` counts before `y` of one school's audits, by the roster coverage's rule (compareAudits). */
function countsBefore(x: AuditedSchool, y: AuditedSchool): boolean {
  const audit = (s: AuditedSchool) => ({ level: s.result.audit.level, date: s.result.audit.date, file: s.result.file });
  return compareAudits(audit(x), audit(y)) < 0;
}

const sameLevelAndDate = (x: AuditedSchool, y: AuditedSchool) => x.result.audit.level === y.result.audit.level && x.result.audit.date === y.result.audit.date;

/** Two files that say the same (profile, audit and answers): a copy, one audit. */
const sameAudit = (x: AuditedSchool, y: AuditedSchool) => coverageInputOf(x.result).digest === coverageInputOf(y.result).digest;

/**
 * Pair the before- and after-audits by school id and compare each pair. Given one school
 * on each side (two files), they are taken as one pair, and different ids are an error.
 * Of several files of one school on one side, the one that counts is paired (countsBefore);
 * two that differ at its level and date cannot be paired, and an after-audit dated before its
 * before-audit is refused (the files were probably given the wrong way round): both are
 * problems, located at the file.
 */
export function compareAll(
  before: AuditedSchool[],
  after: AuditedSchool[],
  options: { single: boolean },
): { comparison: Comparison; problems: Problem[] } {
  const problems: Problem[] = [];
  const comparison: Comparison = { schools: [], unpaired: { before: [], after: [] } };
  // File order, whatever order the audits finished in: the same input gives the same report.
  const byFile = (x: AuditedSchool, y: AuditedSchool) => compareText(x.result.file, y.result.file);
  before = [...before].sort(byFile);
  after = [...after].sort(byFile);

  const pair = (b: AuditedSchool, a: AuditedSchool) => {
    if (a.result.audit.date < b.result.audit.date) {
      problems.push({
        file: a.result.file,
        message: {
          code: 'compare.afterEarlier',
          params: { before: b.result.audit.date, after: a.result.audit.date },
        },
      });
      return;
    }
    comparison.schools.push(compareSchools(b, a));
  };

  const [onlyBefore] = before;
  const [onlyAfter] = after;
  // Two files, one of which could not be read: its problem says all there is to say.
  if (options.single && (before.length === 0 || after.length === 0)) return { comparison, problems };
  if (options.single && before.length === 1 && after.length === 1 && onlyBefore && onlyAfter) {
    const b = onlyBefore.result;
    const a = onlyAfter.result;
    if (b.school.id !== a.school.id) {
      problems.push({
        file: a.file,
        message: {
          code: 'compare.differentSchools',
          params: {
            before: `${b.school.name} ${b.school.id}`,
            beforeFile: b.file,
            after: `${a.school.name} ${a.school.id}`,
            afterFile: a.file,
          },
        },
      });
    } else pair(onlyBefore, onlyAfter);
    return { comparison, problems };
  }

  // One school, several files on one side (a self-check and the county's assessment, as a
  // roster batch has them): the audit that counts is compared, as the roster coverage counts
  // it — the highest level, at that level the latest date. Copies of one file are one audit;
  // two that differ at that level and date cannot be told apart, and are a problem.
  const index = (side: 'before' | 'after', schools: AuditedSchool[]) => {
    const byId = new Map<string, AuditedSchool>();
    const twice = new Set<string>();
    for (const school of schools) {
      const id = school.result.school.id;
      const first = byId.get(id);
      if (!first || countsBefore(school, first)) byId.set(id, school);
    }
    for (const school of schools) {
      const id = school.result.school.id;
      const counted = byId.get(id) as AuditedSchool;
      if (counted === school || twice.has(id) || !sameLevelAndDate(school, counted) || sameAudit(school, counted)) continue;
      twice.add(id);
      problems.push({
        file: school.result.file,
        message: { code: 'compare.duplicateSchool', params: { id, side, other: counted.result.file } },
      });
    }
    for (const id of twice) byId.delete(id);
    return { byId, twice };
  };
  const b = index('before', before);
  const a = index('after', after);
  for (const school of after) {
    const id = school.result.school.id;
    if (a.twice.has(id) || b.twice.has(id) || a.byId.get(id) !== school) continue;
    const match = b.byId.get(id);
    if (match) pair(match, school);
    else comparison.unpaired.after.push(school);
  }
  for (const school of before) {
    const id = school.result.school.id;
    if (!b.twice.has(id) && !a.twice.has(id) && !a.byId.has(id) && b.byId.get(id) === school) comparison.unpaired.before.push(school);
  }
  return { comparison, problems };
}

/** Whether the follow-up leaves anything to do: exit 1 for the command line. */
export function needsFollowUp(comparison: Comparison): boolean {
  return (
    comparison.schools.some((s) => s.outcome === 'NOT_RECTIFIED') || comparison.unpaired.before.some(leftOpen)
  );
}
