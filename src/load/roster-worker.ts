/** Runs readRoster for readRosterApart (roster.ts) and hands back the roster packed in columns. */
import { parentPort, workerData } from 'node:worker_threads';
import { packRoster, readRoster } from './roster.js';

const { roster, problems } = await readRoster(workerData as string);
parentPort?.postMessage({ packed: roster ? packRoster(roster) : undefined, problems });
