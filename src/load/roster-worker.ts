/** Runs readRosterColumns for readRosterApart (roster.ts) and hands back the roster in columns. */
import { parentPort, workerData } from 'node:worker_threads';
import { rosterBuffers } from '../model/coverage.js';
import { readRosterColumns } from './roster.js';

const { roster: packed, problems } = await readRosterColumns(workerData as string);
parentPort?.postMessage({ problems, ...(packed ? { roster: packed } : {}) }, packed ? rosterBuffers(packed) : []);
