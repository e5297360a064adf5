/**
 * Roster coverage (不漏一校): the bureau's list of schools, and what a batch of school files
 * makes of it — which schools sent a file, which audit counts for each, which are cleared
 * at the level required. Plain data for every reporter; the pairing is src/coverage/pair.ts.
 */
import type { Problem, Verdict } from './result.js';
import type { Level } from './schema.js';

/** Where a roster row is: a line (CSV, YAML) or a sheet cell (xlsx, `名册!A17`). */
export interface RosterPlace {
  file: string;
  line: number;
  col: number;
  cell?: string;
}

/** One school on the roster, as the bureau wrote it. */
export interface RosterSchool {
  id: string;
  name: string;
  district: string;
  /** A school type code (`primary` …), when the roster gives one. */
  type?: string;
  /** Optional columns beyond the four known ones, by header, in the roster's order. */
  extras?: [string, string][];
  at: RosterPlace;
}

export interface Roster {
  file: string;
  schools: RosterSchool[];
}

/**
 * A school's state for the bureau. `cleared`: the audit that counts is READY at the level
 * required (or any level when none is). `awaiting`: READY, but below the level required
 * (a self-check awaiting the county assessment). `missing`: on the roster, no file.
 * `conflict`: two files at its highest level and date that say different things.
 */
export const COVERAGE_STATES = ['cleared', 'awaiting', 'not_ready', 'incomplete', 'conflict', 'missing'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

/** One audit of a school: enough to list it as the one that counts or as history. */
export interface CoverageAudit {
  file: string;
  level: Level;
  date: string;
  verdict: Verdict;
}

/** What the pairing is told of each audited school file: a few hundred bytes, whatever the checklists. */
export interface CoverageInput extends CoverageAudit {
  id: string;
  name: string;
  district: string;
  type: string;
  /** A digest of what the file says (profile, audit, answers): two copies of one file are one audit. */
  digest: string;
}

export interface CoverageSchool {
  id: string;
  /** The roster's name and district (the file's when the school is not on the roster). */
  name: string;
  district: string;
  type?: string;
  onRoster: boolean;
  state: CoverageState;
  /** The audit that counts: the highest level, and at that level the latest date. */
  counted?: CoverageAudit;
  /** Every other audit of the school, newest first (highest level first on a tie). */
  history: CoverageAudit[];
  /** The roster row, for schools on it. */
  at?: RosterPlace;
}

/** The figures of one district (or the total): roster schools only, and those not on it. */
export interface CoverageFigures {
  district: string;
  onRoster: number;
  submitted: number;
  missing: number;
  cleared: number;
  awaiting: number;
  notReady: number;
  incomplete: number;
  conflict: number;
  /** Schools whose files name this district and whose id is not on the roster. */
  notOnRoster: number;
}

export interface Coverage {
  roster: string;
  /** `--require-level`: an audit at this level or above must be READY. */
  requireLevel?: Level;
  /** By district (code-unit order), then the total. */
  districts: CoverageFigures[];
  total: CoverageFigures;
  /** Roster schools by district then id, then the schools not on the roster by id. */
  schools: CoverageSchool[];
  /** Differences between the roster and the school files (name, district, type), located in the file. */
  warnings: Problem[];
}
