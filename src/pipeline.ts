/**
 * The audit flow for a set of school files: load the library once, resolve each distinct
 * profile once, then for each file load → bind → audit. One bad file becomes a failure
 * entry; it never stops the others.
 */
import type { AuditRun, FileFailure, SchoolResult } from './model/result.js';
import type { SchoolFile } from './model/schema.js';
import { loadLibrary, type Library } from './load/library.js';
import { loadSource, type SourceFile } from './load/source.js';
import { bindSchool } from './load/school.js';
import { resolve, type ResolvedSet, type ResolveRequest } from './resolve/index.js';
import { auditSchool } from './engine/audit.js';

export interface AuditOptions {
  /** `--profile`: an id from the library (overrides the school file's own). */
  profile?: string;
  /** `--checklist`: ids, or paths of checklist files to load and use. */
  checklists?: string[];
  /** Profile files to add to the library (`--profile path.yaml`). */
  profileFiles?: string[];
  checklistFiles?: string[];
  params?: Record<string, string>;
}

export class Resolver {
  private readonly cache = new Map<string, { ok: true; set: ResolvedSet } | { ok: false; failures: FileFailure[] }>();
  constructor(readonly library: Library) {}

  get(request: ResolveRequest, origin: string) {
    const key = JSON.stringify([request.profile ?? null, request.checklists ?? null, request.params ?? {}]);
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = resolve(this.library, request, origin);
      this.cache.set(key, outcome);
    }
    return outcome;
  }
}

export function requestFor(options: AuditOptions, school: SchoolFile | undefined): ResolveRequest {
  const cliChecklists = options.checklists && options.checklists.length > 0 ? options.checklists : undefined;
  return {
    profile: options.profile ?? (cliChecklists ? undefined : school?.audit.profile),
    checklists: cliChecklists ?? (options.profile ? undefined : school?.audit.checklists),
    params: options.params,
  };
}

/** Attach the school-file position of every finding, for annotations in CI. */
export function locateFindings(result: SchoolResult, source: SourceFile<SchoolFile>): void {
  const answers = source.data.answers ?? {};
  for (const item of result.items) {
    if (item.status !== 'fail' && item.status !== 'error' && item.status !== 'unanswered') continue;
    const path = Object.hasOwn(answers, item.id) ? ['answers', item.id] : source.data.answers !== undefined ? ['answers'] : [];
    item.location = source.parsed.locate(path, 'key');
  }
}

export async function auditFiles(files: string[], options: AuditOptions, library?: Library): Promise<AuditRun> {
  const lib = library ?? (await loadLibrary(options.checklistFiles, options.profileFiles));
  const resolver = new Resolver(lib);
  const run: AuditRun = { catalogues: {}, schools: [], failures: [...lib.failures] };
  const brokenConfig = new Set<string>();
  for (const file of files) {
    const loaded = await loadSource<SchoolFile>(file, 'school');
    if (!loaded.ok) {
      run.failures.push({ file, problems: loaded.problems });
      continue;
    }
    const outcome = resolver.get(requestFor(options, loaded.source.data), file);
    if (!outcome.ok) {
      // A broken checklist or profile is reported once, not once per school.
      for (const failure of outcome.failures) {
        const key = JSON.stringify(failure);
        if (!brokenConfig.has(key)) {
          brokenConfig.add(key);
          run.failures.push(failure);
        }
      }
      continue;
    }
    const { set } = outcome;
    const bound = bindSchool(loaded.source, set);
    if (!bound.ok) {
      run.failures.push({ file, problems: bound.problems });
      continue;
    }
    run.catalogues[set.key] ??= set.catalogue;
    const result = auditSchool(set, bound.input);
    locateFindings(result, loaded.source);
    run.schools.push({ result, catalogueKey: set.key });
  }
  return run;
}
