/** A worker thread of the batch runner: set up once, then audit the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { createProcessor } from './process.js';
import type { FileDone, Task, WorkerInit, WorkerMessage } from './protocol.js';

/** The chunk buffers of a message: moved to the main thread, not copied (each has its own buffer). */
function transferable(files: FileDone[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const { outcomes } of files) {
    for (const outcome of outcomes) {
      if (outcome.kind !== 'school') continue;
      for (const chunk of Object.values(outcome.chunks)) buffers.push(chunk.buffer as ArrayBuffer);
      if (outcome.perSchool) buffers.push(outcome.perSchool.buffer as ArrayBuffer);
    }
  }
  return buffers;
}

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message, message.type === 'done' ? transferable(message.files) : []);
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
