/** Runs readRosterColumns for readRosterApart (roster.ts) and hands back the roster in columns. */
import { parentPort, workerData } from 'node:worker_threads';
import { readRosterColumns } from './roster.js';

const { roster: packed, problems } = await readRosterColumns(workerData as string);
const transfer = packed ? [packed.district, packed.type, packed.lines, packed.cols].map((a) => a.buffer as ArrayBuffer) : [];
parentPort?.postMessage({ problems, ...(packed ? { roster: packed } : {}) }, transfer);
