/**
 * Standard output that a reader may close early (`reopen-audit … | head`). Once the pipe
 * is closed, what would go there is dropped; the run still writes its files and ends
 * with its own exit code.
 */
let closed = false;
let watching = false;

export function watchStdout(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  });
}

/**
 * Write to standard output; a promise to wait for when the pipe is full. Nothing is written
 * once the reader has gone.
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
