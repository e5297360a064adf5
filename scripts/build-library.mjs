#!/usr/bin/env node
/**
 * Build step: the built-in checklists and profiles, parsed and schema-checked once, kept as
 * JSON beside the compiled code (dist/library.snapshot.json) with the SHA-256 of each
 * file's bytes. A run takes a built-in file's data from here only when its bytes still have
 * that hash (src/load/library.ts), so a one-file audit does not parse 270 KB of YAML first.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { BUILTIN_DIR, SNAPSHOT_FILE, makeSnapshot } = await import(path.join(root, 'dist/load/library.js'));
const snapshot = await makeSnapshot(BUILTIN_DIR);
await writeFile(SNAPSHOT_FILE, `${JSON.stringify(snapshot)}\n`);
