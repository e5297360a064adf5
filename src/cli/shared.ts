/** Pieces the commands share: located problem lines, library loading with user files, colour. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { FileFailure, Problem } from '../model/result.js';
import { tr, type Lang } from '../i18n/index.js';
import { terminalSafe } from '../report/escape.js';
import { loadLibrary, type Library } from '../load/library.js';

/** `file:line:col: message`, the form editors and CI annotate from. */
export function formatProblem(lang: Lang, p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return terminalSafe(`${where}: ${tr(lang, p.message)}`);
}

export function formatFailures(lang: Lang, failures: FileFailure[]): string {
  return failures.flatMap((f) => f.problems.map((p) => `${formatProblem(lang, p)}\n`)).join('');
}

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
export async function selectLibrary(profile: string | undefined, checklists: string[]): Promise<LibrarySelection> {
  const profileFiles = profile && looksLikeFile(profile) ? [profile] : [];
  const checklistFiles = checklists.filter(looksLikeFile);
  const library = await loadLibrary(checklistFiles, profileFiles);
  const idOf = <T extends { id: string }>(map: Map<string, { file: string; data: T }>, file: string) => {
    const wanted = path.resolve(file);
    for (const [id, source] of map) if (path.resolve(source.file) === wanted) return id;
    return undefined;
  };
  const profileId = profile === undefined ? undefined : profileFiles.length > 0 ? idOf(library.profiles, profile) : profile;
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

/** Colour on a terminal only, never with NO_COLOR or --no-color. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean): boolean {
  if (!flag) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
