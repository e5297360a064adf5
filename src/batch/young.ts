/**
 * The main thread's young generation, collected every so many schools of a batch.
 *
 * A batch's main thread allocates little (each school's message from its worker), but V8
 * grows a thread's young generation to its most (two 16 MB halves for the main thread) as
 * survivors add up, and a collection comes only when a half is full: between two, the
 * allocation walks through the whole half, so all 32 MB stay resident for the rest of the
 * run — about a tenth of a national batch's memory. Collected every few dozen schools, only
 * the first pages of each half are ever touched. The workers' young generations are bounded
 * by their resource limits (src/batch/run.ts); the main thread's can be set only on the
 * command line (`--max-semi-space-size`), which the tool does not control.
 *
 * The collector is V8's own `gc`, which is exposed to a new context when the flag is set at
 * run time (Node's documented v8.setFlagsFromString, then vm); no code from any input runs.
 * Where it cannot be had, nothing is collected and nothing else changes.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' }) => void;

let collect: Collect | null | undefined;

function obtain(): Collect | null {
  const given = (globalThis as { gc?: unknown }).gc;
  if (typeof given === 'function') return given as Collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const exposed: unknown = runInNewContext('gc');
    v8.setFlagsFromString('--no-expose-gc');
    return typeof exposed === 'function' ? (exposed as Collect) : null;
  } catch {
    return null;
  }
}

/** A minor collection of this thread's heap, now. */
export function collectYoung(): void {
  if (collect === undefined) collect = obtain();
  collect?.({ type: 'minor' });
}
