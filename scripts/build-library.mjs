#!/usr/bin/env node
/**
 * Build step: the built-in checklists and profiles, parsed and schema-checked once, kept as
 * JSON beside the compiled code (dist/library.snapshot.json) with the SHA-256 of each
 * file's bytes, and with jexl's tree of each expression a file holds. A run takes a built-in
 * file's data and trees from here only when its bytes still have that hash
 * (src/load/library.ts), so a one-file audit neither parses 270 KB of YAML nor loads jexl.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { BUILTIN_DIR, SNAPSHOT_FILE, loadLibrary, makeSnapshot, withTrees } = await import(path.join(root, 'dist/load/library.js'));
const { resolve } = await import(path.join(root, 'dist/resolve/index.js'));
const { parsedTrees } = await import(path.join(root, 'dist/expr/index.js'));
// The expressions' trees: those jexl makes while every profile, and every checklist on its
// own, is resolved from the files themselves (not from an earlier build's snapshot).
const library = await loadLibrary([], [], { dir: BUILTIN_DIR });
for (const profile of library.profiles.keys()) resolve(library, { profile }, 'build');
for (const checklist of library.checklists.keys()) resolve(library, { checklists: [checklist] }, 'build');
const snapshot = await withTrees(await makeSnapshot(BUILTIN_DIR), parsedTrees());
await writeFile(SNAPSHOT_FILE, `${JSON.stringify(snapshot)}\n`);
