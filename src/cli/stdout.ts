/**
 * Standard output that a reader may close early (`reopen-audit … | head`), that may be full
 * (`>/dev/full`) or closed before the run (`>&-`). A reader that leaves early is its own
 * choice: what would go there is dropped, the run still writes its files and ends with its
 * own exit code. A write that fails otherwise is recorded (never thrown from the stream's
 * event) and said at the end with exit 2; a standard output closed before the run is said
 * on standard error when something was meant for it, and the exit code is kept.
 */
import { fstatSync, readFileSync, statSync } from 'node:fs';

let closed = false;
let watching = false;
let used = false;
let failure: string | undefined;
let closedAtStart = false;

/**
 * Node replaces a standard output closed at start with /dev/null opened for reading and
 * writing; a shell's `>/dev/null` opens it for writing only. Linux shows the difference in
 * /proc; elsewhere a closed standard output cannot be told from /dev/null.
 */
function wasClosedAtStart(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'));
    const O_ACCMODE = 3;
    const O_RDWR = 2;
    if (!flags || (parseInt(flags[1] as string, 8) & O_ACCMODE) !== O_RDWR) return false;
    // The same file as /dev/null: its device and inode (a container may make it a plain file).
    const out = fstatSync(1);
    const nul = statSync('/dev/null');
    return out.dev === nul.dev && out.ino === nul.ino;
  } catch {
    return false;
  }
}

export function watchStdout(): void {
  if (watching) return;
  watching = true;
  closedAtStart = wasClosedAtStart();
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code !== 'EPIPE') failure ??= error.code ?? error.message;
  });
  // Every write, whichever command makes it: only a run that meant to print is told about a closed output.
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((...args: unknown[]) => {
    used = true;
    return write(...args);
  }) as typeof process.stdout.write;
}

/**
 * Write to standard output; a promise to wait for when the pipe is full. Nothing is written
 * once the reader has gone or a write failed.
 */
export function writeStdout(text: string | Uint8Array): Promise<void> | undefined {
  if (closed || text.length === 0) return undefined;
  if (process.stdout.write(text)) return undefined;
  // The pipe is full: wait for it to drain (or to close).
  return new Promise<void>((resolve) => {
    const done = () => {
      process.stdout.off('drain', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.stdout.once('drain', done);
    process.stdout.once('error', done);
  });
}

/** What became of standard output once everything written has gone out (or failed to). */
export async function stdoutOutcome(): Promise<{ failed: string } | { closedAtStart: true } | undefined> {
  const meant = used;
  if (!closed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('error', done);
      process.stdout.write('', done);
    });
  }
  if (failure !== undefined) return { failed: failure };
  if (closedAtStart && meant) return { closedAtStart: true };
  return undefined;
}
