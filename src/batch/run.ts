/**
 * The batch runner: files are handed to worker threads in small ordered chunks, results
 * come back in any order and are released strictly in file order, so every output is the
 * same whatever the number of workers. Streaming formats are written as schools finish;
 * memory holds compact rows, a small reorder window, and full results only when a format
 * needs the whole run.
 */
import { Worker } from 'node:worker_threads';
import type { AuditRun, Catalogue, FileFailure, SchoolResult } from '../model/result.js';
import type { RunSummary, Tally } from '../report/stream.js';
import type { CoverageInput } from '../model/coverage.js';
import type { Library } from '../load/library.js';
import { compareText } from '../report/shared.js';
import { createProcessor } from './process.js';
import { collectYoung } from './young.js';
import { compileOnWorkerThreads } from './compile.js';
import { ROW_CHUNK, type FileDone, type Task, type WorkerInit, type WorkerMessage } from './protocol.js';
import { PackedRows } from '../report/packed-rows.js';

export interface BatchHandlers {
  /** A school audited, in file order: its row and the chunks rendered for it. */
  /** `index`: the file's place in the batch's list. */
  onSchool(done: { chunks: Record<string, Uint8Array>; perSchool?: Uint8Array; result?: SchoolResult; pair?: CoverageInput }, index: number): Promise<void> | void;
  onProgress?(done: number, total: number): void;
}

export interface BatchResult extends RunSummary {
  /** Full results in file order, when asked for (formats rendered from the whole run). */
  run?: AuditRun;
  /**
   * With --cache: files taken from it, files audited and written to it, entries refused
   * (their MAC did not match), and why entries could not be written, if they could not.
   */
  cache: { hits: number; written: number; refused: number; unwritable?: string };
}

/** The files of a batch, in order: an array, or a packed list (src/cli/files.ts). */
export interface FileList {
  readonly length: number;
  slice(start: number, end: number): string[];
}

/** Below this many files a worker's start-up costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 64;
const CHUNK = 16;
const WORKER_OLD_MB = 512;
/**
 * A worker's young generation: each school leaves some hundred KB of short-lived objects,
 * and at 4 MB the scavenger took about a fifth of a worker's time; 16 MB costs about 10 MB
 * more at the peak and about 15 % less CPU for a cold run (8 and 32 MB measured slower).
 */
const WORKER_YOUNG_MB = 16;
const IN_FLIGHT = 2;
/**
 * The main thread's young generation is collected after this many files (src/batch/young.ts):
 * some 1–2 MB of it used in between, against 16 MB left to itself.
 */
const COLLECT_EVERY = 64;

/**
 * The schools' rows come back for the footers when the workers send them (WorkerInit.rows),
 * kept packed until the end (src/report/packed-rows.ts). `library`: the library the caller
 * loaded from `init.options`' files, used as it is when the batch runs in this thread.
 */
export async function runBatch(
  files: FileList,
  init: WorkerInit,
  jobs: number,
  handlers: BatchHandlers,
  { library }: { library?: Library } = {},
): Promise<BatchResult> {
  const rows = new PackedRows();
  const tally: Tally = { schools: 0, READY: 0, NOT_READY: 0, INCOMPLETE: 0, catalogueKeys: [] };
  const catalogueKeys = new Set<string>();
  const failures: FileFailure[] = [];
  const failureKeys = new Set<string>();
  const catalogues: Record<string, Catalogue> = {};
  const run: AuditRun | undefined = init.wantResults ? { catalogues, schools: [], failures } : undefined;
  const addFailure = (f: FileFailure) => {
    const key = JSON.stringify(f);
    if (failureKeys.has(key)) return;
    failureKeys.add(key);
    failures.push(f);
  };

  const pending = new Map<number, FileDone>();
  let next = 0;
  // Files since the main thread's young generation was last collected (src/batch/young.ts).
  let sinceCollected = 0;
  let inWorkers = false;
  let completed = 0;
  const cache: BatchResult['cache'] = { hits: 0, written: 0, refused: 0 };
  const release = async () => {
    while (pending.has(next)) {
      const done = pending.get(next) as FileDone;
      pending.delete(next);
      next++;
      for (const outcome of done.outcomes) {
        if (outcome.kind === 'failure') {
          addFailure(outcome.failure);
          continue;
        }
        const row = outcome.chunks[ROW_CHUNK];
        if (row) rows.add(row);
        tally.schools++;
        tally[outcome.verdict]++;
        catalogueKeys.add(outcome.catalogueKey);
        if (run && outcome.result) run.schools.push({ result: outcome.result, catalogueKey: outcome.catalogueKey });
        const writing = handlers.onSchool(outcome, done.index);
        if (writing) await writing;
      }
      if (inWorkers && ++sinceCollected === COLLECT_EVERY) {
        sinceCollected = 0;
        collectYoung();
      }
    }
  };
  const accept = async (message: { files: FileDone[]; catalogues: Record<string, Catalogue> }) => {
    Object.assign(catalogues, message.catalogues);
    for (const done of message.files) {
      pending.set(done.index, done);
      if (done.cache === 'hit') cache.hits++;
      else if (done.cache === 'written') cache.written++;
      if (done.refused) cache.refused++;
      cache.unwritable ??= done.unwritable;
    }
    completed += message.files.length;
    await release();
    handlers.onProgress?.(completed, files.length);
  };

  // Tasks are made as they are handed out: nothing per file is built ahead.
  const tasks: Tasks = {
    count: Math.ceil(files.length / CHUNK),
    at: (t) => ({ files: files.slice(t * CHUNK, (t + 1) * CHUNK).map((file, k) => ({ index: t * CHUNK + k, file })) }),
  };

  const workers = files.length >= MIN_FILES_FOR_WORKERS ? Math.max(1, Math.min(jobs, tasks.count)) : 1;
  inWorkers = workers > 1;
  if (workers === 1) {
    const processor = await createProcessor(init, library);
    processor.libraryFailures.forEach(addFailure);
    for (let t = 0; t < tasks.count; t++) await accept(await processor.run(tasks.at(t)));
  } else {
    await runInWorkers(init, tasks, workers, accept, addFailure, () => next);
  }
  failures.sort((a, b) => compareText(a.file, b.file));
  tally.catalogueKeys = [...catalogueKeys].sort(compareText);
  return { rows: rows.rows(), tally, failures, catalogues, run, cache };
}

interface Tasks {
  count: number;
  at(index: number): Task;
}

function runInWorkers(
  init: WorkerInit,
  tasks: Tasks,
  count: number,
  accept: (message: { files: FileDone[]; catalogues: Record<string, Catalogue> }) => Promise<void>,
  addFailure: (f: FileFailure) => void,
  released: () => number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let nextTask = 0;
    let running = 0;
    let done = false;
    // Results are handled one message at a time, in arrival order.
    let queue: Promise<void> = Promise.resolve();
    const pool: Worker[] = [];
    // Tasks sent to each worker and not yet answered. Two each: a worker starts its next
    // task at once instead of waiting for the main thread to hand it one.
    const inFlight = new Map<Worker, number>();
    // Work may run ahead of the file-order output by this many files and no more, so a
    // slow file holds back the others instead of piling their results up in memory.
    const window = count * CHUNK * 4;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const pump = () => {
      for (let depth = 1; depth <= IN_FLIGHT; depth++) {
        for (const worker of pool) {
          if (nextTask >= tasks.count) break;
          if ((inFlight.get(worker) ?? -1) !== depth - 1) continue;
          if (nextTask * CHUNK >= released() + window && running > 0) return;
          const task = tasks.at(nextTask);
          nextTask++;
          running++;
          inFlight.set(worker, depth);
          worker.postMessage(task);
        }
      }
      if (nextTask >= tasks.count && running === 0) queue.then(() => finish(), finish);
    };
    compileOnWorkerThreads();
    for (let i = 0; i < count; i++) {
      // Bounded heaps: a school's working set is small and freed when the next starts,
      // but a file near the 5 MB limit parsed by the full YAML parser needs a few hundred MB.
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: init,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      pool.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          message.libraryFailures.forEach(addFailure);
          inFlight.set(worker, 0);
          pump();
        } else if (message.type === 'done') {
          running--;
          inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
          queue = queue.then(() => accept(message)).then(pump);
          queue.catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
          pump();
        } else {
          const error = new Error(message.message);
          error.stack = message.stack;
          finish(error);
        }
      });
      worker.on('error', (error) => finish(error));
    }
  });
}
