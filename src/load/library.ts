/**
 * The checklists and profiles a run can use: the built-in library in `checklists/`, plus
 * files the user names with `--checklist` / `--profile` (which replace a built-in of the
 * same id). Each file is loaded once per process.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import type { Checklist, Profile } from '../model/schema.js';
import type { FileFailure } from '../model/result.js';
import { readSource, type Loaded, type SourceFile } from './source.js';
import { decode } from './decode.js';
import { parseSourceFast } from './fast.js';
import type { SchemaKind } from './schema-check.js';

export const BUILTIN_DIR = fileURLToPath(new URL('../../checklists/', import.meta.url));
export const DEFAULT_PROFILE = 'national';

export interface Library {
  checklists: Map<string, SourceFile<Checklist>>;
  profiles: Map<string, SourceFile<Profile>>;
  failures: FileFailure[];
  /** SHA-256 over every file loaded (name and bytes): what a cached result depends on. */
  digest: string;
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

async function loadFast<T>(file: string, kind: SchemaKind, hash: Hash): Promise<Loaded<T>> {
  const read = await readSource(file);
  hash.update(`${file}\0${read.ok ? read.bytes.length : -1}\0`);
  if (!read.ok) return read;
  hash.update(read.bytes);
  const decoded = decode(read.bytes);
  if (!decoded.ok) return { ok: false, problems: [{ file, message: decoded.error }] };
  return parseSourceFast<T>(file, decoded.text, kind);
}

export async function loadLibrary(extraChecklists: string[] = [], extraProfiles: string[] = []): Promise<Library> {
  const library: Library = { checklists: new Map(), profiles: new Map(), failures: [], digest: '' };
  const hash = createHash('sha256');
  const builtinChecklists = await yamlFiles(BUILTIN_DIR);
  const builtinProfiles = await yamlFiles(path.join(BUILTIN_DIR, 'profiles'));
  for (const file of [...builtinChecklists, ...extraChecklists]) {
    const loaded = await loadFast<Checklist>(displayPath(file), 'checklist', hash);
    if (loaded.ok) library.checklists.set(loaded.source.data.id, loaded.source);
    else library.failures.push({ file: displayPath(file), problems: loaded.problems });
  }
  for (const file of [...builtinProfiles, ...extraProfiles]) {
    const loaded = await loadFast<Profile>(displayPath(file), 'profile', hash);
    if (loaded.ok) library.profiles.set(loaded.source.data.id, loaded.source);
    else library.failures.push({ file: displayPath(file), problems: loaded.problems });
  }
  library.digest = hash.digest('hex');
  return library;
}
