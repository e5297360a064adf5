/** Runs expandInputs for expandInputsApart (files.ts) and hands back the list, packed. */
import { parentPort, workerData } from 'node:worker_threads';
import { expandInputs, PathList } from './files.js';

const { files, problems } = await expandInputs(workerData as string[]);
const { bytes, ends } = PathList.pack(files);
parentPort?.postMessage({ bytes, ends, problems }, [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
