/** Runs expandInputsPacked for expandInputsApart (files.ts) and hands back the list. */
import { parentPort, workerData } from 'node:worker_threads';
import { expandInputsPacked } from './walk.js';

const { packed, problems } = await expandInputsPacked(workerData as string[]);
const { bytes, ends, shared } = packed;
parentPort?.postMessage({ bytes, ends, shared, problems }, [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer, shared.buffer as ArrayBuffer]);
