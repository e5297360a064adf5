/**
 * Streaming reporters, for batches of any size: a header, one chunk per school (a pure
 * function of that school, so workers can render it), and a footer built from compact
 * per-school rows. Memory then grows with the rows, never with the full results.
 */
import type { AuditRun, Catalogue, FileFailure, SchoolResult, StatusCounts, Verdict } from '../model/result.js';
import type { Coverage } from '../model/coverage.js';
import type { ReportContext } from './context.js';
import { compareText } from './shared.js';

export interface SchoolEntry {
  result: SchoolResult;
  catalogue: Catalogue;
  /** The catalogue's id in this run (the profile id, or profile~digest for a custom set). */
  catalogueKey: string;
}

/** What a footer may know of each school: a few hundred bytes, whatever the checklists. */
export interface SchoolRow {
  file: string;
  id: string;
  name: string;
  district: string;
  type: string;
  level: string;
  date: string;
  verdict: Verdict;
  counts: StatusCounts;
  /** Failed item ids, and required items still open (unanswered or error). */
  failed: string[];
  open: string[];
  catalogueKey: string;
}

/** Counts every footer can rely on, kept whatever the size of the batch. */
export interface Tally {
  schools: number;
  READY: number;
  NOT_READY: number;
  INCOMPLETE: number;
  /** The catalogues the audited schools used, sorted. */
  catalogueKeys: string[];
}

export interface RunSummary {
  /** Per-school rows, in file order — kept only when a requested format needs them. */
  rows: SchoolRow[];
  tally: Tally;
  failures: FileFailure[];
  catalogues: Record<string, Catalogue>;
  /** With `--roster`: every roster school's state and the figures by district. */
  coverage?: Coverage;
}

/** A whole run, with its roster coverage when there is one. */
export type CoveredRun = AuditRun & { coverage?: Coverage };

export function tallyOf(rows: SchoolRow[]): Tally {
  const tally: Tally = { schools: 0, READY: 0, NOT_READY: 0, INCOMPLETE: 0, catalogueKeys: [] };
  const keys = new Set<string>();
  for (const row of rows) {
    tally.schools++;
    tally[row.verdict]++;
    keys.add(row.catalogueKey);
  }
  tally.catalogueKeys = [...keys].sort(compareText);
  return tally;
}

export interface StreamReporter {
  /**
   * Written before everything else, once the batch is done: a summary that opens the
   * document (the HTML report). The school chunks are kept aside on disk until then.
   */
  head?(summary: RunSummary, ctx: ReportContext): string;
  begin(ctx: ReportContext): string;
  school(entry: SchoolEntry, ctx: ReportContext): string;
  /** The school's chunk as UTF-8, when the reporter writes it so faster than `school` and encoding (the same bytes). */
  schoolBytes?(entry: SchoolEntry, ctx: ReportContext): Uint8Array;
  /** Written between two school chunks (e.g. `,\n` in a JSON array). */
  separator: string;
  /** The footer lists schools (a summary table), so the per-school rows must be kept. */
  needsRows?: boolean;
  end(summary: RunSummary, ctx: ReportContext): string;
  /**
   * The footer in pieces, written one after the other, when it can grow with the batch (the
   * JSON coverage of a national roster); joined, the pieces are `end` (see `inPieces`).
   */
  endPieces?(summary: RunSummary, ctx: ReportContext): Iterable<string>;
}

type Footer = (summary: RunSummary, ctx: ReportContext) => Iterable<string>;

/** A footer written in pieces, as a reporter's `endPieces` and the `end` that joins them. */
export function inPieces(endPieces: Footer): Pick<StreamReporter, 'end' | 'endPieces'> {
  return { endPieces, end: (summary, ctx) => [...endPieces(summary, ctx)].join('') };
}

/** A reporter's footer as pieces to write one after the other: its `endPieces`, or its `end` whole. */
export function footerPieces(reporter: StreamReporter, summary: RunSummary, ctx: ReportContext): Iterable<string> {
  return reporter.endPieces ? reporter.endPieces(summary, ctx) : [reporter.end(summary, ctx)];
}

export function rowOf(result: SchoolResult, catalogueKey: string): SchoolRow {
  const open = result.decidedBy.filter((d) => d.kind === 'item' && (d.status === 'unanswered' || d.status === 'error')).map((d) => d.id);
  return {
    file: result.file,
    id: result.school.id,
    name: result.school.name,
    district: result.school.district,
    type: result.school.type,
    level: result.audit.level,
    date: result.audit.date,
    verdict: result.verdict,
    counts: result.counts,
    failed: result.items.filter((i) => i.status === 'fail').map((i) => i.id),
    open: result.verdict === 'INCOMPLETE' ? open : [],
    catalogueKey,
  };
}

/** Render a whole run through a streaming reporter: schools and failures in path order. */
export function renderAll(reporter: StreamReporter, run: CoveredRun, ctx: ReportContext): string {
  const schools = [...run.schools].sort((a, b) => compareText(a.result.file, b.result.file));
  const failures = [...run.failures].sort((a, b) => compareText(a.file, b.file));
  const chunks = schools.map(({ result, catalogueKey }) => reporter.school({ result, catalogue: run.catalogues[catalogueKey] as Catalogue, catalogueKey }, ctx));
  const rows = schools.map(({ result, catalogueKey }) => rowOf(result, catalogueKey));
  const summary: RunSummary = { rows, tally: tallyOf(rows), failures, catalogues: run.catalogues, ...(run.coverage ? { coverage: run.coverage } : {}) };
  return (reporter.head?.(summary, ctx) ?? '') + reporter.begin(ctx) + chunks.join(reporter.separator) + reporter.end(summary, ctx);
}
