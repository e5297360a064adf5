/**
 * The result model: what the engine produces and every reporter reads. Plain data, no
 * parser objects, so results can cross worker threads and be written as JSON as they are.
 */
import type { AuditMeta, LocalText, Method, SchoolProfile, Severity, SourceDoc, SourceRef } from './schema.js';

export const ITEM_STATUSES = ['fail', 'error', 'unanswered', 'waived', 'pass', 'not_applicable'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export type Verdict = 'READY' | 'NOT_READY' | 'INCOMPLETE';

/**
 * The parameter that sets the rectification period (整改期限). It is declared as data, by
 * the three-no-opening checklist with its source; checklists that leave it out get no
 * deadlines rather than a number from the code.
 */
export const RECTIFICATION_DAYS = 'rectification_days';

export type Scalar = string | number | boolean | null;

/** A reason a person can read, as a message key and its parameters (localised by i18n). */
export interface Reason {
  code: string;
  params?: Record<string, Scalar>;
  /**
   * For a condition that does not hold or a rule that fails: what holds instead, with the
   * values, so the reason can be said in words (`在校学生数 180 < 600`), never as `||`/`&&`/`!`.
   */
  facts?: Fact[];
  /** The checklist's own words for it (`not_applicable_reason` of the condition), when it gives them. */
  wording?: LocalText;
}

/** One side of a fact: a name with its value, a constant, a list of constants, or a sum and its result. */
export interface Term {
  /** A profile field, parameter or item id, or `value` (the item's own answer in a rule). */
  name?: string;
  value: Scalar;
  list?: Scalar[];
  /** The sum with the values put in (`1100 ÷ 20`), for a term that is not a plain name or constant. */
  sum?: string;
}

export const FACT_OPS = ['is', '<', '<=', '>', '>=', '==', '!=', 'in', 'not_in'] as const;

/**
 * Something that holds for the school, with the values: `is` (a yes/no value, in `left`), a
 * comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`) or membership (`in`, `not_in`).
 */
export interface Fact {
  op: (typeof FACT_OPS)[number];
  left: Term;
  right?: Term;
}

/** How a computed threshold was reached: the formula, the numbers put in, the result. */
export interface Computation {
  /** Which bound of the expectation: `min`, `max`, `equals`, `within_days`. */
  bound: string;
  formula: string;
  /** The formula with every name replaced by its value, e.g. `(1100 + 100) × 1 × 14`. */
  substituted: string;
  /** The names used and their values, in order of first use. */
  inputs: { name: string; value: Scalar }[];
  required: Scalar;
}

export interface AnswerRecord {
  value: Scalar;
  note?: string;
  evidence?: string[];
  responsible?: string;
}

export interface ItemResult {
  id: string;
  status: ItemStatus;
  reason: Reason;
  computation?: Computation;
  answer?: AnswerRecord;
  /**
   * Where a finding points in the school file (fail, error, unanswered): the answer's key,
   * or for a missing answer the \`answers:\` key (or line 1). Filled by the pipeline, which
   * has the parsed file; the engine knows nothing of positions.
   */
  location?: { line: number; col: number };
  /** A waiver on file for this item; an expired one is shown but no longer applies. */
  waiver?: { reason: string; approvedBy: string; approvedOn: string; expires: string; expired: boolean };
  /**
   * For a failed item: the day by which it is to be fixed (整改期限), the audit date plus
   * the parameter `rectification_days`. Absent when no checklist in force declares it.
   */
  deadline?: string;
}

export interface ChecklistScore {
  id: string;
  version: string;
  /** Weighted points earned and possible (not-applicable and waived items excluded). */
  score: number;
  possible: number;
  /** Percentage with one decimal, or null when nothing applicable was scored. */
  percent: number | null;
  passMark: number | null;
  belowPassMark: boolean;
}

export interface Decision {
  /** An item id, or a checklist id for a score below its pass mark. */
  id: string;
  kind: 'item' | 'score';
  status?: ItemStatus;
  severity?: Severity;
}

export type StatusCounts = Record<ItemStatus, number>;

export interface SchoolResult {
  file: string;
  school: SchoolProfile;
  audit: AuditMeta;
  profileId: string;
  verdict: Verdict;
  decidedBy: Decision[];
  scores: ChecklistScore[];
  counts: StatusCounts;
  /** Every item of the resolved checklists, in checklist order. */
  items: ItemResult[];
}

/** Static facts about an item that reporters need; shared by all schools in a run. */
export interface ItemInfo {
  id: string;
  checklistId: string;
  sectionId: string;
  title: LocalText;
  method: Method;
  guidance: LocalText;
  severity: Severity;
  weight: number;
  /** An unanswered required item keeps the school INCOMPLETE; an optional one does not (absent: required). */
  required?: boolean;
  unit?: LocalText;
  /** For choice answers: the options with their labels, to show labels instead of codes. */
  options?: { value: string; label: LocalText }[];
  remediation: LocalText;
  source: SourceRef;
}

export interface SectionInfo {
  id: string;
  title: LocalText;
  items: string[];
}

export interface ChecklistInfo {
  id: string;
  version: string;
  title: LocalText;
  passMark: number | null;
  sources: SourceDoc[];
  sections: SectionInfo[];
}

export interface ParameterInfo {
  name: string;
  value: Scalar;
  unit?: LocalText;
  /** A short name for the parameter (`储备天数`); absent when the checklist gives none. */
  title?: LocalText;
  description: LocalText;
  /** Where the value in force comes from: a checklist default, a profile, or the command line. */
  origin: 'default' | 'profile' | 'cli';
  /** For `origin: 'profile'`: the profile of the chain that set it. */
  profile?: { id: string; title: LocalText };
  source?: SourceRef;
}

export interface Catalogue {
  profile: { id: string; title: LocalText; version: string | null };
  checklists: ChecklistInfo[];
  items: Record<string, ItemInfo>;
  parameters: ParameterInfo[];
}

/** A file that could not be read or validated: located, localisable problems. */
export interface Problem {
  file: string;
  line?: number;
  col?: number;
  message: Reason;
}

export interface FileFailure {
  file: string;
  problems: Problem[];
}

export interface AuditRun {
  catalogues: Record<string, Catalogue>;
  schools: { result: SchoolResult; catalogueKey: string }[];
  failures: FileFailure[];
}
