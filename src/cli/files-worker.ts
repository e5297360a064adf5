/** Runs expandInputs for expandInputsApart (files.ts) and hands back the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { expandInputs } from './files.js';

parentPort?.postMessage(await expandInputs(workerData as string[]));
