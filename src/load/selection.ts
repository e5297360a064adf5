/**
 * The library a command runs with: the built-in checklists plus the checklist and profile
 * files named on the command line, with those names turned into ids.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { FileFailure } from '../model/result.js';
import { loadLibrary, type Library } from './library.js';

export function looksLikeFile(value: string): boolean {
  return /\.ya?ml$/i.test(value) || value.includes('/') || value.includes(path.sep) || existsSync(value);
}

export interface LibrarySelection {
  library: Library;
  profile?: string;
  checklists?: string[];
  /** The files named, for worker threads to load the same library. */
  profileFiles: string[];
  checklistFiles: string[];
}

/**
 * Load the library with any checklist or profile files named on the command line, and
 * turn those names into ids (a file replaces a built-in of the same id).
 */
export async function selectLibrary(
  profile: string | undefined,
  checklists: string[],
): Promise<LibrarySelection> {
  const profileFiles = profile && looksLikeFile(profile) ? [profile] : [];
  const checklistFiles = checklists.filter(looksLikeFile);
  const library = await loadLibrary(checklistFiles, profileFiles);
  const idOf = <T extends { id: string }>(map: Map<string, { file: string; data: T }>, file: string) => {
    const wanted = path.resolve(file);
    for (const [id, source] of map) if (path.resolve(source.file) === wanted) return id;
    return undefined;
  };
  const profileId =
    profile === undefined ? undefined : profileFiles.length > 0 ? idOf(library.profiles, profile) : profile;
  const checklistIds = checklists
    .map((c) => (looksLikeFile(c) ? idOf(library.checklists, c) : c))
    .filter((c): c is string => c !== undefined);
  return {
    library,
    profile: profileId,
    checklists: checklistIds.length > 0 ? checklistIds : undefined,
    profileFiles,
    checklistFiles,
  };
}

/**
 * A checklist or profile file the user named on the command line must load: silently
 * walking the built-in checklists instead would audit the school against the wrong thing.
 * (Problems in other library files matter only if the audit uses them; resolving says so.)
 */
export function namedFileFailures(selection: LibrarySelection): FileFailure[] {
  const named = new Set([...selection.checklistFiles, ...selection.profileFiles].map((f) => path.resolve(f)));
  return selection.library.failures.filter((f) => named.has(path.resolve(f.file)));
}
