/**
 * Where the batch's workers optimise their code: on their own thread, not on V8's
 * background compiler threads.
 *
 * V8 optimises hot functions on the process's shared helper threads, and each helper
 * thread that compiles gets a C allocator arena of its own, which keeps the compiler's
 * freed zones — some 4–5 MB each, four of them in a batch, for the rest of the run. A batch
 * keeps every core busy with its workers, so a background compile only ever takes a core
 * from another worker; done on the worker's own thread, the same work costs the same CPU,
 * and its zones go back to the arena that thread already has. At 100,000 files with their
 * roster, the peak is 14 MB lower at the same CPU time (docs/performance.md).
 *
 * The setting is V8's `--no-concurrent-recompilation`, given at run time through Node's
 * documented v8.setFlagsFromString; V8 reads it when an isolate is made, so it applies to
 * the workers started after it and leaves the main thread as it is.
 */
import v8 from 'node:v8';

let set = false;

/** Have the workers started from now on optimise on their own thread. */
export function compileOnWorkerThreads(): void {
  if (set) return;
  set = true;
  try {
    v8.setFlagsFromString('--no-concurrent-recompilation');
  } catch {
    // A runtime that refuses the flag runs as before.
  }
}
