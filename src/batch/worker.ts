/** A worker thread of the batch runner: set up once, then audit the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { createProcessor } from './process.js';
import type { Task, WorkerInit, WorkerMessage } from './protocol.js';

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message);
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
