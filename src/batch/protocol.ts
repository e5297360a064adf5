/** Messages between the batch runner and its worker threads. */
import type { Catalogue, FileFailure, SchoolResult, Verdict } from '../model/result.js';
import type { AuditOptions } from '../pipeline.js';
import type { Detail, ReportContext } from '../report/index.js';
import type { CoverageInput } from '../model/coverage.js';

export interface WorkerInit {
  options: AuditOptions;
  /** Streaming formats whose per-school chunk the worker renders, with their contexts. */
  formats: { name: string; ctx: ReportContext }[];
  /** Whether the full results are needed (a format that renders the whole run at the end). */
  wantResults: boolean;
  /** Render each school's own Markdown report (for --out-dir) in this context. */
  perSchool?: ReportContext;
  /** The format of those reports: Markdown (default) or HTML (`--out-dir-format html`). */
  perSchoolFormat?: 'markdown' | 'html';
  /** `failures`: chunks only for schools not ready, listing only items not passed; `none`: no chunks. */
  detail?: Detail;
  /** Send each school's row, packed as the chunk ROW_CHUNK (formats that list the schools, --out-dir); default yes. */
  rows?: boolean;
  /** `--roster`: send each school's pairing record (id, level, date, verdict, digest). */
  pair?: boolean;
  /** `--cache`: the folder of this run's entries (see cache.ts). */
  cache?: CacheFolder;
}

/** What the workers need to read and write this run's cache entries. */
export interface CacheFolder {
  dir: string;
  /** The key of the entries' MACs, as hex. */
  secret: string;
}

export interface Task {
  files: { index: number; file: string }[];
}

/**
 * The chunk that holds the school's row (`packRow`, src/report/packed-rows.ts) when rows are
 * asked for (WorkerInit.rows): bytes like the reports' chunks, so they travel, and are
 * cached, as those do, and the main thread keeps them as bytes. No format has this name.
 */
export const ROW_CHUNK = '#row';

export interface SchoolDone {
  kind: 'school';
  verdict: Verdict;
  /**
   * Per format, as UTF-8 (encoded in the worker, so the main thread only writes bytes); a
   * format is absent when the school is left out of the detail, or when its chunk would be
   * empty and it has no separator (the district summary). The row is ROW_CHUNK.
   */
  chunks: Record<string, Uint8Array>;
  perSchool?: Uint8Array;
  result?: SchoolResult;
  /** With a roster (WorkerInit.pair): what the pairing needs of the school. */
  pair?: CoverageInput;
  catalogueKey: string;
}

export interface FailureDone {
  kind: 'failure';
  failure: FileFailure;
}

export interface FileDone {
  index: number;
  outcomes: (SchoolDone | FailureDone)[];
  /** With --cache: taken from it, or audited and written to it. */
  cache?: 'hit' | 'written';
  /** With --cache: the entry found was refused (its MAC did not match), and the file audited again. */
  refused?: true;
  /** With --cache: why the entry could not be written (the first such file of a worker, which then stops writing). */
  unwritable?: string;
}

export type WorkerMessage =
  | { type: 'ready'; libraryFailures: FileFailure[] }
  | { type: 'done'; files: FileDone[]; catalogues: Record<string, Catalogue> }
  | { type: 'crash'; message: string; stack?: string };
