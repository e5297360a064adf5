/** Messages between the batch runner and its worker threads. */
import type { Catalogue, FileFailure, SchoolResult } from '../model/result.js';
import type { AuditOptions } from '../pipeline.js';
import type { Detail, ReportContext } from '../report/index.js';
import type { SchoolRow } from '../report/stream.js';

export interface WorkerInit {
  options: AuditOptions;
  /** Streaming formats whose per-school chunk the worker renders, with their contexts. */
  formats: { name: string; ctx: ReportContext }[];
  /** Whether the full results are needed (a format that renders the whole run at the end). */
  wantResults: boolean;
  /** Render each school's own Markdown report (for --out-dir) in this context. */
  perSchool?: ReportContext;
  /** `failures`: chunks only for schools not ready, listing only items not passed; `none`: no chunks. */
  detail?: Detail;
}

export interface Task {
  files: { index: number; file: string }[];
}

export interface SchoolDone {
  kind: 'school';
  row: SchoolRow;
  /** Per format; a format is absent when the school is left out of the detail. */
  chunks: Record<string, string>;
  perSchool?: string;
  result?: SchoolResult;
  catalogueKey: string;
}

export interface FailureDone {
  kind: 'failure';
  failure: FileFailure;
}

export interface FileDone {
  index: number;
  outcomes: (SchoolDone | FailureDone)[];
}

export type WorkerMessage =
  | { type: 'ready'; libraryFailures: FileFailure[] }
  | { type: 'done'; files: FileDone[]; catalogues: Record<string, Catalogue> }
  | { type: 'crash'; message: string; stack?: string };
