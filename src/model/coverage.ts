/**
 * Roster coverage (不漏一校): the bureau's list of schools, and what a batch of school files
 * makes of it — which schools sent a file, which audit counts for each, which are cleared
 * at the level required. Plain data for every reporter; the pairing is src/coverage/pair.ts.
 */
import type { Problem, Verdict } from './result.js';
import type { Level } from './schema.js';
import { grownLength } from './growth.js';

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
 * A roster in columns, as a batch keeps it: a national roster (530,000 rows) is a few typed
 * arrays rather than a million small objects or strings, outside the heap the collector
 * walks, and crosses from the worker thread that read it (readRosterApart) in one message.
 * Ids and names are one UTF-8 buffer (row after row, the id then the name), made strings
 * only when a report asks for a row (RosterText). District and type are indexes into the
 * few distinct values.
 */
export interface PackedRoster {
  file: string;
  /** Each row's id then its name, as UTF-8. */
  text: Uint8Array;
  /** Where each row's id ends in `text` (and its name starts). */
  idEnd: Uint32Array;
  /** Where each row's name ends (and the next row's id starts). */
  nameEnd: Uint32Array;
  /** Rows whose id or name UTF-8 cannot carry back unchanged (a lone surrogate): [row, id, name]. */
  odd: [number, string, string][];
  /** Index into `districts`, per row (two bytes while there are at most 65,536 districts). */
  district: Uint16Array | Uint32Array;
  districts: string[];
  /** 0: no type; else `types[type - 1]`, per row. */
  type: Uint8Array;
  types: string[];
  /** Each row's line and column (as a step when every row's follows the one before by the same step, as a CSV's rows do). */
  lines: NumberColumn;
  cols: NumberColumn;
  /** xlsx: the sheet cell of each row (`名册!A17`). */
  cells?: string[];
  /** The rows with columns beyond the four known ones, by row. */
  extras: [number, [string, string][]][];
}

/**
 * Numbers by row: in a typed array, or, when each follows the one before by the same step
 * (a CSV's lines, its columns), only the first and the step.
 */
export type NumberColumn = Int32Array | { first: number; step: number };

/** Row `row`'s number in a column. */
export function numberAt(column: NumberColumn, row: number): number {
  return column instanceof Int32Array ? (column[row] as number) : column.first + column.step * row;
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

/** What UTF-8 cannot carry: half of a surrogate pair (a code point of category Cs only when alone). */
const LONE_SURROGATE = /\p{Cs}/u;

/** A growing list of numbers, kept in a typed array (grown as growth.ts says). */
class Column<T extends Uint8Array | Uint32Array | Int32Array> {
  length = 0;
  constructor(
    private values: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.make(grownLength(this.values.length, this.length + 1, this.values.BYTES_PER_ELEMENT));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  /** The values, in an array of their exact size. */
  finish(): T {
    return this.values.slice(0, this.length) as T;
  }
}

/** A NumberColumn made row by row: a first number and a step until a row breaks the step, a typed array from then on. */
class SteppedColumn {
  private length = 0;
  private first = 0;
  private step = 0;
  private values: Column<Int32Array> | undefined;

  push(value: number): void {
    const n = this.length++;
    if (this.values) return this.values.push(value);
    if (n === 0) this.first = value;
    else if (n === 1) this.step = value - this.first;
    if (value === this.first + this.step * n) return;
    this.values = new Column(new Int32Array(Math.max(1024, n + 1)), (size) => new Int32Array(size));
    for (let i = 0; i < n; i++) this.values.push(this.first + this.step * i);
    this.values.push(value);
  }

  finish(): NumberColumn {
    return this.values ? this.values.finish() : { first: this.first, step: this.step };
  }
}

/** A PackedRoster made row by row (the roster reader, and packRoster for rosters given as objects). */
export class RosterColumns {
  private text = Buffer.alloc(1 << 16);
  private used = 0;
  private readonly idEnd = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly nameEnd = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly odd: [number, string, string][] = [];
  private readonly district = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly districts: string[] = [];
  private readonly districtIndex = new Map<string, number>();
  private readonly type = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly types: string[] = [];
  private readonly lines = new SteppedColumn();
  private readonly cols = new SteppedColumn();
  private readonly cells: string[] = [];
  private anyCell = false;
  private readonly extras: [number, [string, string][]][] = [];

  get length(): number {
    return this.idEnd.length;
  }

  private write(text: string): number {
    const size = Buffer.byteLength(text, 'utf8');
    if (this.used + size > this.text.length) {
      const grown = Buffer.alloc(grownLength(this.text.length, this.used + size));
      this.text.copy(grown, 0, 0, this.used);
      this.text = grown;
    }
    this.used += this.text.write(text, this.used, 'utf8');
    return this.used;
  }

  add(row: RosterRowInput): void {
    const index = this.length;
    this.idEnd.push(this.write(row.id));
    this.nameEnd.push(this.write(row.name));
    if (LONE_SURROGATE.test(row.id) || LONE_SURROGATE.test(row.name)) this.odd.push([index, row.id, row.name]);
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
      text: new Uint8Array(this.text.subarray(0, this.used)),
      idEnd: this.idEnd.finish(),
      nameEnd: this.nameEnd.finish(),
      odd: this.odd,
      district: this.districts.length <= 0x10000 ? Uint16Array.from(this.district.finish()) : this.district.finish(),
      districts: this.districts,
      type: this.type.finish(),
      types: this.types,
      lines: this.lines.finish(),
      cols: this.cols.finish(),
      extras: this.extras,
    };
    if (this.anyCell) packed.cells = this.cells;
    return packed;
  }
}

/** The buffers of a packed roster, to move it to another thread rather than copy it. */
export function rosterBuffers(packed: PackedRoster): ArrayBuffer[] {
  const arrays = [packed.text, packed.idEnd, packed.nameEnd, packed.district, packed.type, packed.lines, packed.cols];
  return arrays.flatMap((a) => (ArrayBuffer.isView(a) ? [a.buffer as ArrayBuffer] : []));
}

export function packRoster(roster: Roster): PackedRoster {
  const columns = new RosterColumns();
  for (const { id, name, district, type, extras, at } of roster.schools) columns.add({ id, name, district, type, extras, line: at.line, col: at.col, cell: at.cell });
  return columns.finish(roster.file);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Two UTF-8 texts in the order of their UTF-16 code units (JavaScript's `<`): the order of
 * the bytes, but for a character above U+FFFF (a surrogate pair in UTF-16, lead byte F0–F4),
 * which comes before U+E000–U+FFFF (lead byte EE or EF). The first byte two valid texts
 * differ at is of one character in both, so its lead bytes say which comes first.
 */
export function compareUtf8(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i] as number;
    const y = b[bStart + i] as number;
    if (x === y) continue;
    if (x >= 0xf0 && (y === 0xee || y === 0xef)) return -1;
    if (y >= 0xf0 && (x === 0xee || x === 0xef)) return 1;
    return x - y;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/** A text to look up in a roster's ids or names: its UTF-8 in a buffer reused for each. */
export class Utf8Key {
  bytes = Buffer.alloc(256);
  length = 0;
  /** The text has a lone surrogate: it is compared as a string. */
  odd = false;
  text = '';

  set(text: string): this {
    this.text = text;
    this.odd = LONE_SURROGATE.test(text);
    if (text.length * 3 > this.bytes.length) this.bytes = Buffer.alloc(text.length * 3);
    this.length = this.bytes.write(text, 0, 'utf8');
    return this;
  }
}

/**
 * The ids and names of a packed roster, read where they are: a row's id or name becomes a
 * string only when asked for; ids are compared and looked up as bytes.
 */
export class RosterText {
  private readonly bytes: Buffer;
  private readonly idEnd: Uint32Array;
  private readonly nameEnd: Uint32Array;
  private readonly odd: Map<number, [string, string]>;

  constructor(packed: PackedRoster) {
    this.bytes = Buffer.from(packed.text.buffer, packed.text.byteOffset, packed.text.length);
    this.idEnd = packed.idEnd;
    this.nameEnd = packed.nameEnd;
    this.odd = new Map(packed.odd.map(([row, id, name]) => [row, [id, name]]));
  }

  get length(): number {
    return this.idEnd.length;
  }

  private idStart(row: number): number {
    return row === 0 ? 0 : (this.nameEnd[row - 1] as number);
  }

  id(row: number): string {
    return this.odd.get(row)?.[0] ?? this.bytes.toString('utf8', this.idStart(row), this.idEnd[row]);
  }

  name(row: number): string {
    return this.odd.get(row)?.[1] ?? this.bytes.toString('utf8', this.idEnd[row], this.nameEnd[row]);
  }

  /** Two rows' ids in code-unit order. */
  compareIds(a: number, b: number): number {
    if (this.odd.size > 0 && (this.odd.has(a) || this.odd.has(b))) return byCodeUnit(this.id(a), this.id(b));
    return compareUtf8(this.bytes, this.idStart(a), this.idEnd[a] as number, this.bytes, this.idStart(b), this.idEnd[b] as number);
  }

  /** A row's id against a key, in code-unit order. */
  compareId(row: number, key: Utf8Key): number {
    if (key.odd || (this.odd.size > 0 && this.odd.has(row))) return byCodeUnit(this.id(row), key.text);
    return compareUtf8(this.bytes, this.idStart(row), this.idEnd[row] as number, key.bytes, 0, key.length);
  }

  /** Whether a row's name is the key's text. */
  nameIs(row: number, key: Utf8Key): boolean {
    if (key.odd || (this.odd.size > 0 && this.odd.has(row))) return this.name(row) === key.text;
    const start = this.idEnd[row] as number;
    const end = this.nameEnd[row] as number;
    return end - start === key.length && this.bytes.compare(key.bytes, 0, key.length, start, end) === 0;
  }
}

const texts = new WeakMap<PackedRoster, RosterText>();

/** The ids and names of a packed roster (made once per roster). */
export function rosterText(packed: PackedRoster): RosterText {
  let text = texts.get(packed);
  if (!text) {
    text = new RosterText(packed);
    texts.set(packed, text);
  }
  return text;
}

/** One row of a packed roster as a RosterSchool. */
export function rosterRow(packed: PackedRoster, row: number): RosterSchool {
  const text = rosterText(packed);
  const cell = packed.cells?.[row];
  const school: RosterSchool = {
    id: text.id(row),
    name: text.name(row),
    district: packed.districts[packed.district[row] as number] as string,
    at: { file: packed.file, line: numberAt(packed.lines, row), col: numberAt(packed.cols, row), ...(cell ? { cell } : {}) },
  };
  const type = packed.type[row] as number;
  if (type > 0) school.type = packed.types[type - 1] as string;
  return school;
}

/** A packed roster as a RosterSchool per row (what readRoster gives). */
export function unpackRoster(packed: PackedRoster): Roster {
  const extras = new Map(packed.extras);
  const schools: RosterSchool[] = [];
  for (let row = 0; row < packed.idEnd.length; row++) {
    const school = rosterRow(packed, row);
    const more = extras.get(row);
    if (more) school.extras = more;
    schools.push(school);
  }
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
