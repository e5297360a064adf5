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
 * A roster in columns, as a batch keeps it: a national roster (530,000 rows) is a few
 * arrays of strings and numbers rather than a million small objects, and crosses from the
 * worker thread that read it (readRosterApart) in one message. District and type are
 * indexes into the few distinct values.
 */
export interface PackedRoster {
  file: string;
  ids: string[];
  names: string[];
  /** Index into `districts`, per row. */
  district: Uint32Array;
  districts: string[];
  /** 0: no type; else `types[type - 1]`, per row. */
  type: Uint8Array;
  types: string[];
  lines: Int32Array;
  cols: Int32Array;
  /** xlsx: the sheet cell of each row (`名册!A17`). */
  cells?: string[];
  /** The rows with columns beyond the four known ones, by row. */
  extras: [number, [string, string][]][];
}

/** One roster row as the columns take it: a RosterSchool's fields, its place flattened. */
export interface RosterRowInput {
  id: string;
  name: string;
  district: string;
  type?: string;
  line: number;
  col: number;
  cell?: string;
  extras?: [string, string][];
}

/** A PackedRoster made row by row (the roster reader, and packRoster for rosters given as objects). */
export class RosterColumns {
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly district: number[] = [];
  private readonly districts: string[] = [];
  private readonly districtIndex = new Map<string, number>();
  private readonly type: number[] = [];
  private readonly types: string[] = [];
  private readonly lines: number[] = [];
  private readonly cols: number[] = [];
  private readonly cells: string[] = [];
  private anyCell = false;
  private readonly extras: [number, [string, string][]][] = [];

  get length(): number {
    return this.ids.length;
  }

  add(row: RosterRowInput): void {
    const index = this.ids.push(row.id) - 1;
    this.names.push(row.name);
    let d = this.districtIndex.get(row.district);
    if (d === undefined) {
      d = this.districts.push(row.district) - 1;
      this.districtIndex.set(row.district, d);
    }
    this.district.push(d);
    let t = row.type === undefined ? 0 : this.types.indexOf(row.type) + 1;
    if (row.type !== undefined && t === 0) t = this.types.push(row.type);
    this.type.push(t);
    this.lines.push(row.line);
    this.cols.push(row.col);
    this.cells.push(row.cell ?? '');
    if (row.cell !== undefined) this.anyCell = true;
    if (row.extras && row.extras.length > 0) this.extras.push([index, row.extras]);
  }

  finish(file: string): PackedRoster {
    const packed: PackedRoster = {
      file,
      ids: this.ids,
      names: this.names,
      district: Uint32Array.from(this.district),
      districts: this.districts,
      type: Uint8Array.from(this.type),
      types: this.types,
      lines: Int32Array.from(this.lines),
      cols: Int32Array.from(this.cols),
      extras: this.extras,
    };
    if (this.anyCell) packed.cells = this.cells;
    return packed;
  }
}

export function packRoster(roster: Roster): PackedRoster {
  const columns = new RosterColumns();
  for (const { id, name, district, type, extras, at } of roster.schools) columns.add({ id, name, district, type, extras, line: at.line, col: at.col, cell: at.cell });
  return columns.finish(roster.file);
}

/** One row of a packed roster as a RosterSchool. */
export function rosterRow(packed: PackedRoster, row: number): RosterSchool {
  const cell = packed.cells?.[row];
  const school: RosterSchool = {
    id: packed.ids[row] as string,
    name: packed.names[row] as string,
    district: packed.districts[packed.district[row] as number] as string,
    at: { file: packed.file, line: packed.lines[row] as number, col: packed.cols[row] as number, ...(cell ? { cell } : {}) },
  };
  const type = packed.type[row] as number;
  if (type > 0) school.type = packed.types[type - 1] as string;
  return school;
}

/** A packed roster as a RosterSchool per row (what readRoster gives). */
export function unpackRoster(packed: PackedRoster): Roster {
  const extras = new Map(packed.extras);
  const schools = packed.ids.map((_, row) => {
    const school = rosterRow(packed, row);
    const more = extras.get(row);
    if (more) school.extras = more;
    return school;
  });
  return { file: packed.file, schools };
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
  schools: SchoolList;
  /** Differences between the roster and the school files (name, district, type), located in the file. */
  warnings: Problem[];
}

/**
 * The schools of a coverage, in report order, each made when a report asks for it: a
 * national roster has 530,000, and a report walks them once or twice, so none is kept.
 * The few list methods the reporters use, on a getter.
 */
export class SchoolList implements Iterable<CoverageSchool> {
  constructor(
    readonly length: number,
    private readonly make: (index: number) => CoverageSchool,
  ) {}

  at(index: number): CoverageSchool | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.make(i) : undefined;
  }

  *[Symbol.iterator](): Iterator<CoverageSchool> {
    for (let i = 0; i < this.length; i++) yield this.make(i);
  }

  map<T>(fn: (school: CoverageSchool, index: number) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(fn(this.make(i), i));
    return out;
  }

  filter(fn: (school: CoverageSchool) => boolean): CoverageSchool[] {
    const out: CoverageSchool[] = [];
    for (let i = 0; i < this.length; i++) {
      const school = this.make(i);
      if (fn(school)) out.push(school);
    }
    return out;
  }

  find(fn: (school: CoverageSchool) => boolean): CoverageSchool | undefined {
    for (let i = 0; i < this.length; i++) {
      const school = this.make(i);
      if (fn(school)) return school;
    }
    return undefined;
  }

  every(fn: (school: CoverageSchool) => boolean): boolean {
    return this.find((school) => !fn(school)) === undefined;
  }
}
