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

/** Write to standard output, waiting for it to drain; nothing once the reader has gone. */
export function writeStdout(text: string | Uint8Array): Promise<void> {
  if (closed || text.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    if (process.stdout.write(text)) resolve();
    else {
      const done = () => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
    }
  });
}
