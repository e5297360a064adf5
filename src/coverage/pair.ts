/**
 * Pairing a batch with the bureau's roster (不漏一校): the audited files grouped by school id,
 * the audit that counts for each school (highest level, then latest date; the others are its
 * history), every roster school with a state, and the figures by district. Pure: the batch
 * hands in one compact record per audited school, in file order.
 */
import type { Coverage, CoverageAudit, CoverageFigures, CoverageInput, CoverageSchool, CoverageState, Roster, RosterSchool } from '../model/coverage.js';
import { createHash } from 'node:crypto';
import type { FileFailure, Problem, SchoolResult } from '../model/result.js';
import type { Level } from '../model/schema.js';
import { LEVELS } from '../model/constants.js';

const levelRank = (level: Level) => LEVELS.indexOf(level);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newer first: the higher level, then the later date, then the file path (for a stable order). */
function compareAudits(a: CoverageInput, b: CoverageInput): number {
  return levelRank(b.level) - levelRank(a.level) || byCodeUnit(b.date, a.date) || byCodeUnit(a.file, b.file);
}

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

export interface CoverageOutcome {
  coverage: Coverage;
  /** Two files of one school at its highest level and date that differ: input errors, naming both. */
  failures: FileFailure[];
}

const audit = (a: CoverageInput): CoverageAudit => ({ file: a.file, level: a.level, date: a.date, verdict: a.verdict });

/** The state of a school from its audits (newest first). */
function stateOf(audits: CoverageInput[], requireLevel: Level | undefined): { state: CoverageState; conflict?: CoverageInput } {
  const [counted, ...rest] = audits as [CoverageInput, ...CoverageInput[]];
  const conflict = rest.find((a) => a.level === counted.level && a.date === counted.date && a.digest !== counted.digest);
  if (conflict) return { state: 'conflict', conflict };
  if (counted.verdict === 'NOT_READY') return { state: 'not_ready' };
  if (counted.verdict === 'INCOMPLETE') return { state: 'incomplete' };
  if (requireLevel !== undefined && levelRank(counted.level) < levelRank(requireLevel)) return { state: 'awaiting' };
  return { state: 'cleared' };
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
function differences(rosterFile: string, row: RosterSchool, file: CoverageInput): Problem[] {
  const out: Problem[] = [];
  const params = { id: row.id, rosterFile, line: row.at.line };
  if (row.name !== file.name) out.push({ file: file.file, message: { code: 'coverage.nameDiffers', params: { ...params, roster: row.name, file: file.name } } });
  if (row.district !== file.district) out.push({ file: file.file, message: { code: 'coverage.districtDiffers', params: { ...params, roster: row.district, file: file.district } } });
  if (row.type !== undefined && row.type !== file.type) out.push({ file: file.file, message: { code: 'coverage.typeDiffers', params: { ...params, roster: row.type, file: file.type } } });
  return out;
}

/**
 * Groups audits by school id and pairs them with the roster. Audits are added one at a time
 * (`add`), so a caller may feed them as they are released; `finish` gives the coverage.
 */
export class CoverageBuilder {
  private readonly audits = new Map<string, CoverageInput[]>();

  constructor(
    private readonly roster: Roster,
    private readonly requireLevel?: Level,
  ) {}

  add(input: CoverageInput): void {
    const list = this.audits.get(input.id);
    if (list) list.push(input);
    else this.audits.set(input.id, [input]);
  }

  finish(): CoverageOutcome {
    const { roster, requireLevel } = this;
    const districts = new Map<string, CoverageFigures>();
    const figuresOf = (district: string) => {
      let f = districts.get(district);
      if (!f) {
        f = emptyFigures(district);
        districts.set(district, f);
      }
      return f;
    };
    const schools: CoverageSchool[] = [];
    const extra: CoverageSchool[] = [];
    const warnings: Problem[] = [];
    const failures: FileFailure[] = [];
    const place = (audits: CoverageInput[] | undefined) => {
      if (!audits) return undefined;
      const sorted = [...audits].sort(compareAudits);
      const { state, conflict } = stateOf(sorted, requireLevel);
      const counted = sorted[0] as CoverageInput;
      if (conflict) {
        const message = { code: 'coverage.conflict', params: { id: counted.id, level: counted.level, date: counted.date, file: counted.file, other: conflict.file } };
        failures.push({ file: counted.file, problems: [{ file: counted.file, message }] });
      }
      return { sorted, state, counted };
    };
    const rosterIds = new Set<string>();
    for (const row of roster.schools) {
      rosterIds.add(row.id);
      const figures = figuresOf(row.district);
      figures.onRoster++;
      const found = place(this.audits.get(row.id));
      const school: CoverageSchool = { id: row.id, name: row.name, district: row.district, onRoster: true, state: 'missing', history: [], at: row.at };
      if (row.type !== undefined) school.type = row.type;
      if (!found) {
        figures.missing++;
      } else {
        figures.submitted++;
        figures[FIGURE_OF[found.state as Exclude<CoverageState, 'missing'>]]++;
        school.state = found.state;
        school.counted = audit(found.counted);
        school.history = found.sorted.slice(1).map(audit);
        warnings.push(...differences(roster.file, row, found.counted));
      }
      schools.push(school);
    }
    for (const [id, audits] of this.audits) {
      if (rosterIds.has(id)) continue;
      const found = place(audits) as NonNullable<ReturnType<typeof place>>;
      const c = found.counted;
      figuresOf(c.district).notOnRoster++;
      extra.push({ id, name: c.name, district: c.district, type: c.type, onRoster: false, state: found.state, counted: audit(c), history: found.sorted.slice(1).map(audit) });
      for (const a of found.sorted) warnings.push({ file: a.file, message: { code: 'coverage.notOnRoster', params: { id, rosterFile: roster.file } } });
    }
    const total = emptyFigures('');
    const ordered = [...districts.values()].sort((a, b) => byCodeUnit(a.district, b.district));
    for (const f of ordered) for (const key of Object.keys(total) as (keyof CoverageFigures)[]) if (key !== 'district') total[key] += f[key];
    schools.sort((a, b) => byCodeUnit(a.district, b.district) || byCodeUnit(a.id, b.id));
    extra.sort((a, b) => byCodeUnit(a.id, b.id));
    warnings.sort((a, b) => byCodeUnit(a.file, b.file));
    failures.sort((a, b) => byCodeUnit(a.file, b.file));
    const coverage: Coverage = { roster: roster.file, districts: ordered, total, schools: [...schools, ...extra], warnings };
    if (requireLevel !== undefined) coverage.requireLevel = requireLevel;
    return { coverage, failures };
  }
}

/** Whether every school of the coverage (on the roster or not) is cleared. */
export function allCleared(coverage: Coverage): boolean {
  return coverage.schools.every((s) => s.state === 'cleared');
}
