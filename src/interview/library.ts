/**
 * A checklist or profile file the user named on the command line must load: silently
 * walking the built-in checklists instead would audit the school against the wrong thing.
 * (Problems in other library files matter only if the audit uses them; resolving says so.)
 */
import path from 'node:path';
import type { FileFailure } from '../model/result.js';
import type { LibrarySelection } from '../cli/shared.js';

export function namedFileFailures(selection: LibrarySelection): FileFailure[] {
  const named = new Set([...selection.checklistFiles, ...selection.profileFiles].map((f) => path.resolve(f)));
  return selection.library.failures.filter((f) => named.has(path.resolve(f.file)));
}
