/**
 * Pairing a batch with the bureau's roster (不漏一校): the audited files grouped by school id,
 * the audit that counts for each school (highest level, then latest date; the others are its
 * history), every roster school with a state, and the figures by district. Pure: the batch
 * hands in one compact record per audited school, in file order, and the pairing keeps a
 * few bytes of it (AuditColumns).
 */
import { COVERAGE_STATES, packRoster, rosterRow, rosterText, SchoolList, Utf8Key, type RosterText, type Coverage, type CoverageAudit, type CoverageFigures, type CoverageInput, type CoverageSchool, type CoverageState, type PackedRoster, type Roster, type RosterSchool } from '../model/coverage.js';
import { createHash } from 'node:crypto';
import type { FileFailure, Problem, SchoolResult, Verdict } from '../model/result.js';
import type { Level } from '../model/schema.js';
import { LEVELS } from '../model/constants.js';

const levelRank = (level: Level) => LEVELS.indexOf(level);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The record of one audited school. Its digest covers what the file says — the profile, the
 * audit facts and every answer — so a copy of a file is the same audit, and two files that
 * disagree on anything are not.
 */
export function coverageInputOf(result: SchoolResult): CoverageInput {
  const said = JSON.stringify([result.school, result.audit, result.items.map((i) => [i.id, i.answer ?? null, i.waiver ?? null])]);
  return {
    file: result.file,
    id: result.school.id,
    name: result.school.name,
    district: result.school.district,
    type: result.school.type,
    level: result.audit.level,
    date: result.audit.date,
    verdict: result.verdict,
    digest: createHash('sha256').update(said).digest('hex').slice(0, 32),
  };
}

/**
 * The order of one school's audits, the one that counts first: the highest level, at that
 * level the latest date, then the first path. The roster coverage and compare both use it.
 */
export function compareAudits(a: Pick<CoverageAudit, 'level' | 'date' | 'file'>, b: Pick<CoverageAudit, 'level' | 'date' | 'file'>): number {
  return levelRank(b.level) - levelRank(a.level) || byCodeUnit(b.date, a.date) || byCodeUnit(a.file, b.file);
}

export interface CoverageOutcome {
  coverage: Coverage;
  /** Two files of one school at its highest level and date that differ: input errors, naming both. */
  failures: FileFailure[];
}

function emptyFigures(district: string): CoverageFigures {
  return { district, onRoster: 0, submitted: 0, missing: 0, cleared: 0, awaiting: 0, notReady: 0, incomplete: 0, conflict: 0, notOnRoster: 0 };
}

const FIGURE_OF: Record<Exclude<CoverageState, 'missing'>, 'cleared' | 'awaiting' | 'notReady' | 'incomplete' | 'conflict'> = {
  cleared: 'cleared',
  awaiting: 'awaiting',
  not_ready: 'notReady',
  incomplete: 'incomplete',
  conflict: 'conflict',
};

/** Warnings for what the roster and the counted file say differently of one school. */
function differences(rosterFile: string, row: RosterSchool, file: Pick<CoverageInput, 'file' | 'name' | 'district' | 'type'>): Problem[] {
  const out: Problem[] = [];
  const params = { id: row.id, rosterFile, line: row.at.line };
  if (row.name !== file.name) out.push({ file: file.file, message: { code: 'coverage.nameDiffers', params: { ...params, roster: row.name, file: file.name } } });
  if (row.district !== file.district) out.push({ file: file.file, message: { code: 'coverage.districtDiffers', params: { ...params, roster: row.district, file: file.district } } });
  if (row.type !== undefined && row.type !== file.type) out.push({ file: file.file, message: { code: 'coverage.typeDiffers', params: { ...params, roster: row.type, file: file.type } } });
  return out;
}

const VERDICTS: readonly Verdict[] = ['READY', 'NOT_READY', 'INCOMPLETE'];
const NAME_DIFFERS = 1;
const DISTRICT_DIFFERS = 2;
const TYPE_DIFFERS = 4;
const NONE = -1;
/** What UTF-8 cannot carry: half of a surrogate pair (a code point of category Cs only when alone). */
const LONE_SURROGATE = /\p{Cs}/u;

/** A school's name, district and type as one of its files gives them. */
type Facts = [name: string, district: string, type: string];

/** The batch's files in order (the walk's PathList): a path found again by its index. */
export interface FilePaths {
  at(index: number): string;
}

/** The bits of an entry's `flags` byte: its level, its verdict, and where its path is. */
const LEVEL_BITS = 0b11;
const VERDICT_SHIFT = 2;
/** The entry's `fileStart` is its file's index in the batch's list (FilePaths), not a place in the paths' buffer. */
const IN_LIST = 0x80;
/** The bytes of a digest kept for each entry: equal digests give equal bytes, and two of one school's files that differ share them once in 2^64. */
const FINGERPRINT = 8;

/**
 * The audits of a batch, one entry per file in columns of typed arrays (19 bytes each, and
 * the path's bytes only when it is not in the batch's list; none of them a JS object): a
 * national batch of 530,000 files costs some 10 MB, outside the heap the collector walks.
 * An entry's level and verdict share one byte; its date is an index into the
 * few distinct dates. Each entry links to the previous one of its school, so a school's
 * audits are found without a list per school. Told the number of files first (`reserve`),
 * the columns are made once at that size, and the paths' buffer grows once to what the
 * first paths say the rest will take: doubled as they grew, a national batch's columns and
 * paths came to 54 MB for some 30 MB of entries.
 */
class AuditColumns {
  count = 0;
  private capacity = 1024;
  /** The number of entries expected (the batch's files), when told. */
  private expected = 0;
  private flags = new Uint8Array(this.capacity);
  /** Index into `dates`; two bytes while there are fewer than 65,536 distinct dates, else four. */
  private date: Uint16Array | Uint32Array = new Uint16Array(this.capacity);
  previous = new Int32Array(this.capacity);
  private digest = new Uint8Array(this.capacity * FINGERPRINT);
  private fileStart = new Uint32Array(this.capacity);
  /** Where a path ends in the paths' buffer: made with the first entry whose path is kept there. */
  private fileEnd: Uint32Array | undefined;
  private pool = Buffer.alloc(0);
  private poolUsed = 0;
  /** The batch's list of files, when told: an entry then keeps its file's index in it, not a copy of the path. */
  private paths: FilePaths | undefined;
  private readonly dates: string[] = [];
  private readonly dateIndex = new Map<string, number>();
  /** Paths UTF-8 cannot carry back unchanged (a lone surrogate): kept as strings, by entry. */
  private readonly oddFiles = new Map<number, string>();

  /**
   * Make the columns for `files` entries at once (more may still come: a file may hold
   * several schools); with the batch's list of files, entries added with their file's index
   * keep only that.
   */
  reserve(files: number, paths?: FilePaths): void {
    this.expected = files;
    this.paths = paths;
    if (files > this.capacity) this.grow(files);
  }

  add(input: CoverageInput, previous: number, fileIndex?: number): number {
    const n = this.count++;
    if (n === this.capacity) this.grow(this.capacity * 2);
    let date = this.dateIndex.get(input.date);
    if (date === undefined) {
      date = this.dates.push(input.date) - 1;
      this.dateIndex.set(input.date, date);
      if (date === 0x10000) this.date = Uint32Array.from(this.date);
    }
    this.date[n] = date;
    this.previous[n] = previous;
    putFingerprint(input.digest, this.digest, n * FINGERPRINT);
    let flags = LEVELS.indexOf(input.level) | (VERDICTS.indexOf(input.verdict) << VERDICT_SHIFT);
    if (fileIndex !== undefined && this.paths !== undefined) {
      this.fileStart[n] = fileIndex;
      flags |= IN_LIST;
    } else if (!LONE_SURROGATE.test(input.file)) {
      const bytes = Buffer.byteLength(input.file);
      if (this.poolUsed + bytes > this.pool.length) this.growPool(n, bytes);
      this.fileEnd ??= new Uint32Array(this.capacity);
      this.fileStart[n] = this.poolUsed;
      this.poolUsed += this.pool.write(input.file, this.poolUsed);
      this.fileEnd[n] = this.poolUsed;
    } else {
      this.oddFiles.set(n, input.file);
    }
    this.flags[n] = flags;
    return n;
  }

  file(n: number): string {
    if ((this.flags[n] as number) & IN_LIST) return (this.paths as FilePaths).at(this.fileStart[n] as number);
    return this.oddFiles.get(n) ?? this.pool.toString('utf8', this.fileStart[n], (this.fileEnd as Uint32Array)[n]);
  }

  dateOf(n: number): string {
    return this.dates[this.date[n] as number] as string;
  }

  /** The entry's level as its place in LEVELS. */
  levelRank(n: number): number {
    return (this.flags[n] as number) & LEVEL_BITS;
  }

  levelOf(n: number): Level {
    return LEVELS[this.levelRank(n)] as Level;
  }

  verdictOf(n: number): Verdict {
    return VERDICTS[((this.flags[n] as number) >> VERDICT_SHIFT) & 0b11] as Verdict;
  }

  /** Whether two entries are at one level and date with different digests: two files of one audit that disagree. */
  conflicts(a: number, b: number): boolean {
    if (this.levelRank(a) !== this.levelRank(b) || this.date[a] !== this.date[b]) return false;
    for (let i = 0; i < FINGERPRINT; i++) if (this.digest[a * FINGERPRINT + i] !== this.digest[b * FINGERPRINT + i]) return true;
    return false;
  }

  audit(n: number): CoverageAudit {
    return { file: this.file(n), level: this.levelOf(n), date: this.dateOf(n), verdict: this.verdictOf(n) };
  }

  /**
   * Room for `bytes` more of paths after entry `n`: as much as the paths so far say the
   * expected entries take (and a little more), or twice the buffer when no number was told.
   */
  private growPool(n: number, bytes: number): void {
    const needed = this.poolUsed + bytes;
    const estimate = n < this.expected ? Math.ceil(((needed / (n + 1)) * this.expected) * 1.02) : 0;
    const bigger = Buffer.alloc(Math.max(needed, estimate, 1 << 16, this.expected > 0 ? Math.ceil(this.pool.length * 1.125) : this.pool.length * 2));
    this.pool.copy(bigger, 0, 0, this.poolUsed);
    this.pool = bigger;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    const more = <T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(this.capacity * per);
      next.set(old);
      return next;
    };
    this.flags = more(this.flags, (n) => new Uint8Array(n));
    this.date = this.date instanceof Uint16Array ? more(this.date, (n) => new Uint16Array(n)) : more(this.date, (n) => new Uint32Array(n));
    this.previous = more(this.previous, (n) => new Int32Array(n));
    this.digest = more(this.digest, (n) => new Uint8Array(n), FINGERPRINT);
    this.fileStart = more(this.fileStart, (n) => new Uint32Array(n));
    if (this.fileEnd) this.fileEnd = more(this.fileEnd, (n) => new Uint32Array(n));
  }
}

/**
 * FINGERPRINT bytes at `at` that are equal whenever two digests are: the digest's first
 * bytes when it is 32 hex digits (coverageInputOf), else those of a hash of it.
 */
function putFingerprint(digest: string, into: Uint8Array, at: number): void {
  if (/^[0-9a-f]{32}$/.test(digest)) {
    for (let i = 0; i < FINGERPRINT; i++) into[at + i] = Number.parseInt(digest.slice(i * 2, i * 2 + 2), 16);
  } else {
    into.set(createHash('sha256').update(digest).digest().subarray(0, FINGERPRINT), at);
  }
}

/**
 * Groups audits by school id and pairs them with the roster. Audits are added one at a time
 * (`add`), so a caller may feed them as they are released; `finish` gives the coverage.
 * Nothing is kept per file but a few bytes in columns (AuditColumns); the roster schools
 * are found by binary search in their ids sorted once (compared as UTF-8 where the roster
 * keeps them, RosterText), and a file's name, district and type are kept only where they
 * differ from the roster, or for a school not on it.
 */
export class CoverageBuilder {
  private readonly audits = new AuditColumns();
  /** The roster in columns (a roster given as objects is packed first). */
  private readonly roster: PackedRoster;
  /** Its ids and names, as UTF-8. */
  private readonly text: RosterText;
  /** The id and the name of the file being added, as UTF-8. */
  private readonly idKey = new Utf8Key();
  private readonly nameKey = new Utf8Key();
  /** Roster rows by id (code-unit order); a row's index in it is its place in `heads`. */
  private readonly byId: Int32Array;
  /** The latest audit of each roster row's id (NONE: none yet), at the row's place in byId. */
  private readonly heads: Int32Array;
  /** The latest audit of each id not on the roster, in the order the ids first came. */
  private readonly extraHeads = new Map<string, number>();
  /** A file's name, district and type, by audit: where they differ from the roster, or off it. */
  private readonly facts = new Map<number, Facts>();
  /** A roster with an id twice (only built by hand; readRoster refuses it): keep every file's facts. */
  private readonly keepFacts: boolean;

  constructor(
    roster: Roster | PackedRoster,
    private readonly requireLevel?: Level,
  ) {
    this.roster = 'schools' in roster ? packRoster(roster) : roster;
    const text = rosterText(this.roster);
    this.text = text;
    const order = new Int32Array(text.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => text.compareIds(a, b) || a - b);
    this.byId = order;
    this.heads = new Int32Array(text.length).fill(NONE);
    this.keepFacts = order.some((row, i) => i > 0 && text.compareIds(row, order[i - 1] as number) === 0);
  }

  /**
   * The batch has this many files: the audits' columns are made for them at once. Given the
   * list itself, an audit added with its file's index keeps the index, not its own copy of
   * the path (some 30 MB of a national batch's 530,000 paths).
   */
  reserve(files: number, paths?: FilePaths): void {
    this.audits.reserve(files, paths);
  }

  /** The first place in byId of a roster id, or NONE when the id is not on the roster. */
  private placeOf(id: string): number {
    const { text, byId } = this;
    const key = this.idKey.set(id);
    let lo = 0;
    let hi = byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (text.compareId(byId[mid] as number, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < byId.length && text.compareId(byId[lo] as number, key) === 0 ? lo : NONE;
  }

  /** One audit; `fileIndex`: its file's place in the list given to `reserve` (its path is that one). */
  add(input: CoverageInput, fileIndex?: number): void {
    const place = this.placeOf(input.id);
    const facts = (): Facts => [input.name, input.district, input.type];
    if (place === NONE) {
      const n = this.audits.add(input, this.extraHeads.get(input.id) ?? NONE, fileIndex);
      this.extraHeads.set(input.id, n);
      this.facts.set(n, facts());
      return;
    }
    const { roster } = this;
    const row = this.byId[place] as number;
    const type = roster.type[row] as number;
    const differs =
      (!this.text.nameIs(row, this.nameKey.set(input.name)) ? NAME_DIFFERS : 0) |
      (roster.districts[roster.district[row] as number] !== input.district ? DISTRICT_DIFFERS : 0) |
      (type > 0 && roster.types[type - 1] !== input.type ? TYPE_DIFFERS : 0);
    const n = this.audits.add(input, this.heads[place] as number, fileIndex);
    this.heads[place] = n;
    if (differs !== 0 || this.keepFacts) this.facts.set(n, facts());
  }

  /** A school's audits from its latest one, in the order they were added, then the one that counts first (compareAudits). */
  private sortedFrom(head: number): number[] {
    const { audits } = this;
    const list: number[] = [];
    for (let n = head; n !== NONE; n = audits.previous[n] as number) list.push(n);
    list.reverse();
    if (list.length < 2) return list;
    const audit = new Map(list.map((n) => [n, audits.audit(n)]));
    return list.sort((a, b) => compareAudits(audit.get(a) as CoverageAudit, audit.get(b) as CoverageAudit));
  }

  /** The state of a school from its audits (newest first), and the file it conflicts with, if any. */
  private stateOf(sorted: number[]): { state: CoverageState; conflict?: number } {
    const { audits, requireLevel } = this;
    const [counted, ...rest] = sorted as [number, ...number[]];
    const conflict = rest.find((a) => audits.conflicts(a, counted));
    if (conflict !== undefined) return { state: 'conflict', conflict };
    const verdict = audits.verdictOf(counted);
    if (verdict === 'NOT_READY') return { state: 'not_ready' };
    if (verdict === 'INCOMPLETE') return { state: 'incomplete' };
    if (requireLevel !== undefined && audits.levelRank(counted) < levelRank(requireLevel)) return { state: 'awaiting' };
    return { state: 'cleared' };
  }

  /** Warnings for what roster row `row` and its counted file say differently (kept facts only where they differ). */
  private differences(row: number, counted: number): Problem[] {
    const facts = this.facts.get(counted);
    if (!facts) return [];
    const [name, district, type] = facts;
    return differences(this.roster.file, rosterRow(this.roster, row), { file: this.audits.file(counted), name, district, type });
  }

  finish(): CoverageOutcome {
    const { roster, audits, text } = this;
    const districts = new Map<string, CoverageFigures>();
    const figuresOf = (district: string) => {
      let f = districts.get(district);
      if (!f) {
        f = emptyFigures(district);
        districts.set(district, f);
      }
      return f;
    };
    const warnings: Problem[] = [];
    const failures: FileFailure[] = [];
    /** A school's state and the audit that counts; its conflict, if any, an input error. */
    const place = (head: number, idOf: () => string) => {
      const sorted = this.sortedFrom(head);
      const { state, conflict } = this.stateOf(sorted);
      const first = sorted[0] as number;
      if (conflict !== undefined) {
        const counted = audits.audit(first);
        const message = { code: 'coverage.conflict', params: { id: idOf(), level: counted.level, date: counted.date, file: counted.file, other: audits.file(conflict) } };
        failures.push({ file: counted.file, problems: [{ file: counted.file, message }] });
      }
      return { state, first };
    };
    const rows = text.length;
    // Per roster row, the first place in byId of its id: ids compare as these numbers do.
    const canonical = new Int32Array(rows);
    this.byId.forEach((row, i) => {
      const before = this.byId[i - 1] as number;
      canonical[row] = i > 0 && text.compareIds(before, row) === 0 ? (canonical[before] as number) : i;
    });
    const headOf = (row: number) => this.heads[canonical[row] as number] as number;
    // Per roster row, a byte: its state (its audits are found again from heads when asked for).
    const stateOfRow = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const district = roster.districts[roster.district[i] as number] as string;
      const figures = figuresOf(district);
      figures.onRoster++;
      const head = headOf(i);
      if (head === NONE) {
        figures.missing++;
        stateOfRow[i] = COVERAGE_STATES.indexOf('missing');
        continue;
      }
      const found = place(head, () => text.id(i));
      figures.submitted++;
      figures[FIGURE_OF[found.state as Exclude<CoverageState, 'missing'>]]++;
      stateOfRow[i] = COVERAGE_STATES.indexOf(found.state);
      warnings.push(...this.differences(i, found.first));
    }
    const extraIds = [...this.extraHeads.keys()];
    const extraStates = new Map<string, { state: CoverageState; first: number }>();
    for (const id of extraIds) {
      const head = this.extraHeads.get(id) as number;
      const found = place(head, () => id);
      extraStates.set(id, found);
      const [, district] = this.facts.get(found.first) as Facts;
      figuresOf(district).notOnRoster++;
      for (const n of this.sortedFrom(head)) warnings.push({ file: audits.file(n), message: { code: 'coverage.notOnRoster', params: { id, rosterFile: roster.file } } });
    }
    const total = emptyFigures('');
    const ordered = [...districts.values()].sort((a, b) => byCodeUnit(a.district, b.district));
    for (const f of ordered) for (const key of Object.keys(total) as (keyof CoverageFigures)[]) if (key !== 'district') total[key] += f[key];
    // Report order: roster schools by district then id (then roster order), those not on it by id.
    const districtRank = new Int32Array(roster.districts.length);
    [...roster.districts.keys()].sort((a, b) => byCodeUnit(roster.districts[a] as string, roster.districts[b] as string)).forEach((d, rank) => (districtRank[d] = rank));
    const rankOf = (row: number) => districtRank[roster.district[row] as number] as number;
    const order = new Int32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    order.sort((a, b) => rankOf(a) - rankOf(b) || (canonical[a] as number) - (canonical[b] as number) || a - b);
    extraIds.sort(byCodeUnit);
    const audited = (head: number) => {
      const sorted = this.sortedFrom(head);
      return { counted: audits.audit(sorted[0] as number), history: sorted.slice(1).map((n) => audits.audit(n)) };
    };
    const schoolAt = (k: number): CoverageSchool => {
      if (k < rows) {
        const i = order[k] as number;
        const row = rosterRow(roster, i);
        const state = COVERAGE_STATES[stateOfRow[i] as number] as CoverageState;
        const school: CoverageSchool = { id: row.id, name: row.name, district: row.district, onRoster: true, state, history: [], at: row.at };
        if (row.type !== undefined) school.type = row.type;
        if (state !== 'missing') Object.assign(school, audited(headOf(i)));
        return school;
      }
      const id = extraIds[k - rows] as string;
      const { state, first } = extraStates.get(id) as { state: CoverageState; first: number };
      const [name, district, type] = this.facts.get(first) as Facts;
      return { id, name, district, type, onRoster: false, state, ...audited(this.extraHeads.get(id) as number) };
    };
    warnings.sort((a, b) => byCodeUnit(a.file, b.file));
    failures.sort((a, b) => byCodeUnit(a.file, b.file));
    const coverage: Coverage = { roster: roster.file, districts: ordered, total, schools: new SchoolList(rows + extraIds.length, schoolAt), warnings };
    if (this.requireLevel !== undefined) coverage.requireLevel = this.requireLevel;
    return { coverage, failures };
  }
}

/** Whether every school of the coverage (on the roster or not) is cleared. */
export function allCleared(coverage: Coverage): boolean {
  return coverage.schools.every((s) => s.state === 'cleared');
}
