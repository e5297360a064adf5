/** A worker thread of the batch runner: set up once, then audit the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { createProcessor } from './process.js';
import type { FileDone, SchoolDone, Task, WorkerInit, WorkerMessage } from './protocol.js';

/**
 * The buffers of a message's chunks, moved to the main thread, not copied: a chunk that is
 * the whole of its own buffer (as the reporters make them) goes as it is; the others (views
 * into a bigger buffer, as a cache hit's are) are copied into one buffer, each becoming a
 * view into it. Copying every chunk into one buffer of a few hundred KB a message left
 * the C allocator's arenas holding some 10 MB more at the peak of 135,000 files.
 */
function pack(files: FileDone[]): ArrayBuffer[] {
  const pieces: { outcome: SchoolDone; name?: string; bytes: Uint8Array }[] = [];
  const whole: ArrayBuffer[] = [];
  let total = 0;
  for (const { outcomes } of files) {
    for (const outcome of outcomes) {
      if (outcome.kind !== 'school') continue;
      for (const [name, bytes] of Object.entries(outcome.chunks)) pieces.push({ outcome, name, bytes });
      if (outcome.perSchool) pieces.push({ outcome, bytes: outcome.perSchool });
    }
  }
  const shared: typeof pieces = [];
  for (const piece of pieces) {
    const { bytes } = piece;
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer && !whole.includes(bytes.buffer)) whole.push(bytes.buffer);
    else shared.push(piece);
  }
  if (shared.length === 0) return whole;
  for (const piece of shared) total += piece.bytes.length;
  const buffer = new ArrayBuffer(total);
  let offset = 0;
  for (const { outcome, name, bytes } of shared) {
    const view = new Uint8Array(buffer, offset, bytes.length);
    view.set(bytes);
    offset += bytes.length;
    if (name === undefined) outcome.perSchool = view;
    else outcome.chunks[name] = view;
  }
  return [...whole, buffer];
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
