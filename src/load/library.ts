/**
 * The checklists and profiles a run can use: the built-in library in `checklists/`, plus
 * files the user names with `--checklist` / `--profile` (which replace a built-in of the
 * same id). Each file is loaded once per process.
 *
 * The build (scripts/build-library.mjs) keeps the built-in files' checked data in a snapshot
 * beside the compiled code, each with the SHA-256 of its bytes. A run still reads every
 * built-in file (what the cache's digest is made of) but parses and checks only those whose
 * bytes differ from the snapshot's: a checklist edited without rebuilding is seen as edited.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import type { Checklist, Profile } from '../model/schema.js';
import type { FileFailure } from '../model/result.js';
import type { ParsedYaml } from './yaml.js';
import { readSource, type Loaded, type SourceFile } from './source.js';
import { decode } from './decode.js';
import { parseSourceFast } from './fast.js';
import type { SchemaKind } from './schema-check.js';
import { addParsedTrees, jexlVersion } from '../expr/index.js';

export const BUILTIN_DIR = fileURLToPath(new URL('../../checklists/', import.meta.url));
export const DEFAULT_PROFILE = 'national';
/** Written by the build; absent when running from the sources (tests), where every file is parsed. */
export const SNAPSHOT_FILE = fileURLToPath(new URL('../library.snapshot.json', import.meta.url));
const SNAPSHOT_FORMAT = 2;

export interface Library {
  checklists: Map<string, SourceFile<Checklist>>;
  profiles: Map<string, SourceFile<Profile>>;
  failures: FileFailure[];
  /** SHA-256 over every file loaded (name and bytes): what a cached result depends on. */
  digest: string;
}

/**
 * One built-in file's checked data, by its name under the library folder and its bytes'
 * SHA-256, with jexl's tree of each expression the file holds (by its text).
 */
interface SnapshotEntry {
  name: string;
  sha256: string;
  data: unknown;
  trees?: Record<string, unknown>;
}

export interface LibrarySnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** The jexl that made the trees: with another, a run parses every expression itself. */
  jexl?: string;
  files: SnapshotEntry[];
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Where a snapshot file's problem is: found by loading the file as a run without the
 * snapshot would, only when something asks (a built-in's problem is rare).
 */
function deferredLocate(file: string, bytes: Uint8Array, kind: SchemaKind, data: unknown): ParsedYaml {
  let real: ParsedYaml | undefined;
  return {
    data,
    locate(at, side) {
      if (real === undefined) {
        const decoded = decode(bytes);
        const loaded = decoded.ok ? parseSourceFast(file, decoded.text, kind) : undefined;
        real = loaded?.ok ? loaded.source.parsed : { data, locate: () => ({ line: 1, col: 1 }) };
      }
      return real.locate(at, side);
    },
  };
}

async function loadFast<T>(file: string, kind: SchemaKind, hash: Hash, known?: Map<string, SnapshotEntry>): Promise<Loaded<T>> {
  const read = await readSource(file);
  hash.update(`${file}\0${read.ok ? read.bytes.length : -1}\0`);
  if (!read.ok) return read;
  hash.update(read.bytes);
  const entry = known?.get(path.resolve(file));
  if (entry !== undefined && entry.sha256 === sha256(read.bytes)) {
    if (entry.trees !== undefined) addParsedTrees(entry.trees);
    return { ok: true, source: { file, data: entry.data as T, parsed: deferredLocate(file, read.bytes, kind, entry.data) } };
  }
  const decoded = decode(read.bytes);
  if (!decoded.ok) return { ok: false, problems: [{ file, message: decoded.error }] };
  return parseSourceFast<T>(file, decoded.text, kind);
}

/** The build's snapshot by absolute path, or nothing (none written, unreadable, another format). */
async function readSnapshot(snapshotFile: string, dir: string): Promise<Map<string, SnapshotEntry> | undefined> {
  let snapshot: LibrarySnapshot;
  try {
    snapshot = JSON.parse(await readFile(snapshotFile, 'utf8')) as LibrarySnapshot;
  } catch {
    return undefined;
  }
  if (snapshot?.format !== SNAPSHOT_FORMAT || !Array.isArray(snapshot.files)) return undefined;
  if (snapshot.files.some((e) => e.trees !== undefined) && snapshot.jexl !== jexlVersion()) {
    for (const e of snapshot.files) delete e.trees;
  }
  return new Map(snapshot.files.map((e) => [path.resolve(dir, e.name), e]));
}

export interface LibrarySources {
  /** The built-in library's folder (profiles in its `profiles/`). */
  dir: string;
  /** The snapshot to take unchanged built-in files from, if any. */
  snapshotFile?: string;
}

export async function loadLibrary(
  extraChecklists: string[] = [],
  extraProfiles: string[] = [],
  sources: LibrarySources = { dir: BUILTIN_DIR, snapshotFile: SNAPSHOT_FILE },
): Promise<Library> {
  const library: Library = { checklists: new Map(), profiles: new Map(), failures: [], digest: '' };
  const hash = createHash('sha256');
  const known = sources.snapshotFile === undefined ? undefined : await readSnapshot(sources.snapshotFile, sources.dir);
  const builtinChecklists = await yamlFiles(sources.dir);
  const builtinProfiles = await yamlFiles(path.join(sources.dir, 'profiles'));
  // Only built-in files come from the snapshot: a user's file is always read and checked.
  const load = <T>(file: string, kind: SchemaKind, builtin: boolean) => loadFast<T>(displayPath(file), kind, hash, builtin ? known : undefined);
  for (const [i, file] of [...builtinChecklists, ...extraChecklists].entries()) {
    const loaded = await load<Checklist>(file, 'checklist', i < builtinChecklists.length);
    if (loaded.ok) library.checklists.set(loaded.source.data.id, loaded.source);
    else library.failures.push({ file: displayPath(file), problems: loaded.problems });
  }
  for (const [i, file] of [...builtinProfiles, ...extraProfiles].entries()) {
    const loaded = await load<Profile>(file, 'profile', i < builtinProfiles.length);
    if (loaded.ok) library.profiles.set(loaded.source.data.id, loaded.source);
    else library.failures.push({ file: displayPath(file), problems: loaded.problems });
  }
  library.digest = hash.digest('hex');
  return library;
}

/**
 * The snapshot of a library folder, made by the build: every file that loads without a
 * problem and whose data survives JSON unchanged (anything else is left to be parsed at
 * run time, as it would be without a snapshot).
 */
export async function makeSnapshot(dir: string): Promise<LibrarySnapshot> {
  const { isDeepStrictEqual } = await import('node:util');
  const files: SnapshotEntry[] = [];
  const kinds: [string, SchemaKind][] = [
    ...(await yamlFiles(dir)).map((f): [string, SchemaKind] => [f, 'checklist']),
    ...(await yamlFiles(path.join(dir, 'profiles'))).map((f): [string, SchemaKind] => [f, 'profile']),
  ];
  for (const [file, kind] of kinds) {
    const loaded = await loadFast(file, kind, createHash('sha256'));
    if (!loaded.ok) continue;
    const data = loaded.source.data;
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) continue;
    const read = await readSource(file);
    if (!read.ok) continue;
    files.push({ name: path.relative(dir, file).split(path.sep).join('/'), sha256: sha256(read.bytes), data });
  }
  return { format: SNAPSHOT_FORMAT, files };
}

/**
 * The snapshot with each file's expression trees: of `trees` (jexl's, by expression text:
 * those parsed while the build resolved the library), the ones whose text is a string of the
 * file's data and that survive JSON unchanged. A run takes them with the file's data, so
 * only when the file's bytes are those the snapshot was made from.
 */
export async function withTrees(snapshot: LibrarySnapshot, trees: ReadonlyMap<string, unknown>): Promise<LibrarySnapshot> {
  const { isDeepStrictEqual } = await import('node:util');
  const files = snapshot.files.map((entry) => {
    const own: Record<string, unknown> = {};
    for (const text of stringsOf(entry.data)) {
      const tree = trees.get(text);
      if (tree !== undefined && !Object.hasOwn(own, text) && isDeepStrictEqual(JSON.parse(JSON.stringify(tree)), tree)) own[text] = tree;
    }
    return Object.keys(own).length > 0 ? { ...entry, trees: own } : entry;
  });
  return { format: SNAPSHOT_FORMAT, jexl: jexlVersion(), files };
}

/** Every string in a tree of JSON data. */
function stringsOf(data: unknown): string[] {
  const found: string[] = [];
  const stack = [data];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next === 'string') found.push(next);
    else if (Array.isArray(next)) stack.push(...(next as unknown[]));
    else if (next !== null && typeof next === 'object') stack.push(...Object.values(next));
  }
  return found;
}
