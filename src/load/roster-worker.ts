/** Runs readRoster for readRosterApart (roster.ts) and hands back the roster in columns. */
import { parentPort, workerData } from 'node:worker_threads';
import { packRoster } from '../model/coverage.js';
import { readRoster } from './roster.js';

const { roster, problems } = await readRoster(workerData as string);
const packed = roster ? packRoster(roster) : undefined;
const transfer = packed ? [packed.district, packed.type, packed.lines, packed.cols].map((a) => a.buffer as ArrayBuffer) : [];
parentPort?.postMessage({ problems, ...(packed ? { roster: packed } : {}) }, transfer);
