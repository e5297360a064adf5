/** A worker thread of the batch runner: set up once, then audit the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { createProcessor } from './process.js';
import type { FileDone, SchoolDone, Task, WorkerInit, WorkerMessage } from './protocol.js';

/**
 * The bytes of a message's chunks, copied into one buffer that is moved to the main thread,
 * not copied again; each chunk becomes a view into it.
 */
function pack(files: FileDone[]): ArrayBuffer[] {
  const pieces: { outcome: SchoolDone; name?: string; bytes: Uint8Array }[] = [];
  let total = 0;
  for (const { outcomes } of files) {
    for (const outcome of outcomes) {
      if (outcome.kind !== 'school') continue;
      for (const [name, bytes] of Object.entries(outcome.chunks)) pieces.push({ outcome, name, bytes });
      if (outcome.perSchool) pieces.push({ outcome, bytes: outcome.perSchool });
    }
  }
  for (const piece of pieces) total += piece.bytes.length;
  const buffer = new ArrayBuffer(total);
  let offset = 0;
  for (const { outcome, name, bytes } of pieces) {
    const view = new Uint8Array(buffer, offset, bytes.length);
    view.set(bytes);
    offset += bytes.length;
    if (name === undefined) outcome.perSchool = view;
    else outcome.chunks[name] = view;
  }
  return [buffer];
}

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message, message.type === 'done' ? pack(message.files) : []);
  try {
    const processor = await createProcessor(workerData as WorkerInit);
    port.on('message', (task: Task) => {
      processor.run(task).then(
        (done) => post({ type: 'done', ...done }),
        (error: unknown) => post({ type: 'crash', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
      );
    });
    post({ type: 'ready', libraryFailures: processor.libraryFailures });
  } catch (error) {
    post({ type: 'crash', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  }
}
