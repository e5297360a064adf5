/**
 * The audit flow for school files: load the library once, resolve each distinct profile
 * once, then for each file read → decode → parse (fast path) → bind → audit → locate
 * findings. One bad file becomes a failure entry; it never stops the others. The batch
 * runner (src/batch) runs the same SchoolAuditor in worker threads.
 */
import type { AuditRun, Catalogue, FileFailure, SchoolResult } from './model/result.js';
import type { Level, SchoolFile } from './model/schema.js';
import { loadLibrary, type Library } from './load/library.js';
import { problemAt, readSource, type SourceFile } from './load/source.js';
import { decode } from './load/decode.js';
import { parseSourceFast } from './load/fast.js';
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
  /** Find each finding's line in the school file (for CI annotations); off saves the scan. */
  locate?: boolean;
  /** `--level`: the level every school file must record; another is a located input error. */
  level?: Level;
}

type Resolved = { ok: true; set: ResolvedSet } | { ok: false; failures: FileFailure[] };

export class Resolver {
  private readonly cache = new Map<string, Resolved>();
  /** The last request and its outcome: a batch's schools mostly ask for the same, and need no key made. */
  private last: { request: ResolveRequest; outcome: Resolved } | undefined;
  constructor(readonly library: Library) {}

  get(request: ResolveRequest, origin: string) {
    const last = this.last;
    if (last && sameRequest(last.request, request)) return last.outcome;
    const key = JSON.stringify([request.profile ?? null, request.checklists ?? null, request.params ?? {}]);
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = resolve(this.library, request, origin);
      this.cache.set(key, outcome);
    }
    this.last = { request: { ...request, checklists: request.checklists && [...request.checklists] }, outcome };
    return outcome;
  }
}

/** The same profile, the same checklists in the same order, and the very same parameters object (the run's). */
function sameRequest(a: ResolveRequest, b: ResolveRequest): boolean {
  if (a.profile !== b.profile || a.params !== b.params) return false;
  const x = a.checklists;
  const y = b.checklists;
  if (x === undefined || y === undefined) return x === y;
  return x.length === y.length && x.every((id, i) => id === y[i]);
}

export function requestFor(options: AuditOptions, school: SchoolFile | undefined): ResolveRequest {
  const cliChecklists = options.checklists && options.checklists.length > 0 ? options.checklists : undefined;
  return {
    profile: options.profile ?? (cliChecklists ? undefined : school?.audit.profile),
    checklists: cliChecklists ?? (options.profile ? undefined : school?.audit.checklists),
    params: options.params,
  };
}

/** Attach the school-file position of every finding (and waiver), for annotations in CI. */
export function locateFindings(result: SchoolResult, source: SourceFile<SchoolFile>): void {
  const answers = source.data.answers ?? {};
  for (const item of result.items) {
    if (item.status !== 'fail' && item.status !== 'error' && item.status !== 'unanswered' && item.status !== 'waived') continue;
    const path = Object.hasOwn(answers, item.id) ? ['answers', item.id] : source.data.answers !== undefined ? ['answers'] : [];
    item.location = source.parsed.locate(path, 'key');
  }
}

export type FileOutcome =
  | { kind: 'school'; result: SchoolResult; catalogueKey: string; request: ResolveRequest }
  | { kind: 'failure'; failure: FileFailure };

export class SchoolAuditor {
  private readonly resolver: Resolver;
  private readonly catalogues = new Map<string, Catalogue>();

  constructor(
    readonly library: Library,
    private readonly options: AuditOptions,
  ) {
    this.resolver = new Resolver(library);
  }

  catalogue(key: string): Catalogue | undefined {
    return this.catalogues.get(key);
  }

  /** The catalogue a request resolves to (for results kept from an earlier run). */
  catalogueFor(request: ResolveRequest, origin: string): { key: string; catalogue: Catalogue } | undefined {
    const outcome = this.resolver.get(request, origin);
    if (!outcome.ok) return undefined;
    this.catalogues.set(outcome.set.key, outcome.set.catalogue);
    return { key: outcome.set.key, catalogue: outcome.set.catalogue };
  }

  /** Usually one outcome; a broken checklist or profile adds its own failures. `bytes`: the file, already read. */
  async audit(file: string, bytes?: Uint8Array): Promise<FileOutcome[]> {
    const read = bytes !== undefined ? { ok: true as const, bytes } : await readSource(file);
    if (!read.ok) return [{ kind: 'failure', failure: { file, problems: read.problems } }];
    const decoded = decode(read.bytes);
    if (!decoded.ok) return [{ kind: 'failure', failure: { file, problems: [{ file, message: decoded.error }] } }];
    const loaded = parseSourceFast<SchoolFile>(file, decoded.text, 'school');
    if (!loaded.ok) return [{ kind: 'failure', failure: { file, problems: loaded.problems } }];
    const level = loaded.source.data.audit.level;
    if (this.options.level !== undefined && level !== this.options.level) {
      const message = { code: 'audit.levelMismatch', params: { level, expected: this.options.level } };
      return [{ kind: 'failure', failure: { file, problems: [problemAt(file, loaded.source.parsed, ['audit', 'level'], message)] } }];
    }
    const request = requestFor(this.options, loaded.source.data);
    const outcome = this.resolver.get(request, file);
    if (!outcome.ok) {
      const outcomes: FileOutcome[] = outcome.failures.map((failure) => ({ kind: 'failure', failure }));
      if (!outcome.failures.some((f) => f.file === file)) {
        // The school is fine but what it is audited against is not: say so at the school too.
        const files = outcome.failures.map((f) => f.file).join(', ');
        outcomes.push({ kind: 'failure', failure: { file, problems: [{ file, message: { code: 'resolve.configBroken', params: { files } } }] } });
      }
      return outcomes;
    }
    const { set } = outcome;
    const bound = bindSchool(loaded.source, set);
    if (!bound.ok) return [{ kind: 'failure', failure: { file, problems: bound.problems } }];
    this.catalogues.set(set.key, set.catalogue);
    const result = auditSchool(set, bound.input);
    if (this.options.locate !== false) locateFindings(result, loaded.source);
    return [{ kind: 'school', result, catalogueKey: set.key, request }];
  }
}

/** Audit files in-process and keep every result (for small runs, tests and the interview). */
export async function auditFiles(files: string[], options: AuditOptions, library?: Library): Promise<AuditRun> {
  const lib = library ?? (await loadLibrary(options.checklistFiles, options.profileFiles));
  const auditor = new SchoolAuditor(lib, options);
  const run: AuditRun = { catalogues: {}, schools: [], failures: [...lib.failures] };
  const seen = new Set<string>();
  for (const file of files) {
    for (const outcome of await auditor.audit(file)) {
      if (outcome.kind === 'failure') {
        const key = JSON.stringify(outcome.failure);
        if (!seen.has(key)) run.failures.push(outcome.failure);
        seen.add(key);
        continue;
      }
      run.catalogues[outcome.catalogueKey] ??= auditor.catalogue(outcome.catalogueKey) as Catalogue;
      run.schools.push({ result: outcome.result, catalogueKey: outcome.catalogueKey });
    }
  }
  return run;
}
