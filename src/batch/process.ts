/** The work of one task, the same in a worker thread and in-process. */
import type { Catalogue, SchoolResult } from '../model/result.js';
import type { Detail } from '../report/index.js';
import { loadLibrary, type Library } from '../load/library.js';
import { loadFormats, type FormatName } from '../report/index.js';
import { rowOf } from '../report/stream.js';
import { packRow } from '../report/packed-rows.js';
import { SchoolAuditor } from '../pipeline.js';
import { coverageInputOf } from '../coverage/pair.js';
import { readSource } from '../load/source.js';
import type { ResolveRequest } from '../resolve/index.js';
import { ResultCache, type CacheEntry, type CachedOutcome } from './cache.js';
import { ROW_CHUNK, type FileDone, type SchoolDone, type Task, type WorkerInit } from './protocol.js';

const utf8 = new TextEncoder();

export interface Processor {
  libraryFailures: import('../model/result.js').FileFailure[];
  run(task: Task): Promise<{ files: FileDone[]; catalogues: Record<string, Catalogue> }>;
}

/** The part of a school's result the per-school output shows, or nothing. */
function detailOf(result: SchoolResult, detail: Detail): SchoolResult | undefined {
  if (detail === 'none') return undefined;
  if (detail === 'all') return result;
  if (result.verdict === 'READY') return undefined;
  return { ...result, items: result.items.filter((i) => i.status !== 'pass' && i.status !== 'not_applicable') };
}

/** `library`: the one the caller already loaded from `init.options`' files (in-process runs). */
export async function createProcessor(init: WorkerInit, loaded?: Library): Promise<Processor> {
  const library = loaded ?? (await loadLibrary(init.options.checklistFiles, init.options.profileFiles));
  const auditor = new SchoolAuditor(library, init.options);
  const formats = await loadFormats(init.formats.map((f) => f.name as FormatName));
  const renderSchoolReport = !init.perSchool
    ? undefined
    : init.perSchoolFormat === 'html'
      ? (await import('../report/html.js')).renderSchoolHtml
      : (await import('../report/markdown.js')).renderSchoolMarkdown;
  const sent = new Set<string>();
  const cache = init.cache ? new ResultCache(init.cache) : undefined;
  // Set when an entry could not be written: the rest of the run does not try again.
  let unwritable: string | undefined;

  /** Note a catalogue the main thread has not been sent yet. */
  const share = (key: string, catalogue: Catalogue, catalogues: Record<string, Catalogue>) => {
    if (sent.has(key)) return;
    sent.add(key);
    catalogues[key] = catalogue;
  };

  /** A cached entry as the outcomes to send, or undefined if it no longer fits (a miss). */
  const fromCache = (entry: CacheEntry, file: string, catalogues: Record<string, Catalogue>): FileDone['outcomes'] | undefined => {
    const outcomes: FileDone['outcomes'] = [];
    for (const cached of entry.outcomes) {
      if (cached.kind === 'failure') {
        outcomes.push(cached);
        continue;
      }
      const { request, ...done } = cached;
      const found = auditor.catalogueFor(request, file);
      if (!found || found.key !== done.catalogueKey) return undefined;
      share(found.key, found.catalogue, catalogues);
      outcomes.push(done);
    }
    return outcomes;
  };

  /** Audit one file; `bytes` when it was already read. */
  const auditFile = async (file: string, bytes: Uint8Array | undefined, catalogues: Record<string, Catalogue>): Promise<CachedOutcome[]> => {
    const outcomes: CachedOutcome[] = [];
    for (const outcome of await auditor.audit(file, bytes)) {
      if (outcome.kind === 'failure') {
        outcomes.push(outcome);
        continue;
      }
      const catalogue = auditor.catalogue(outcome.catalogueKey);
      if (!catalogue) continue;
      share(outcome.catalogueKey, catalogue, catalogues);
      const entry = { result: outcome.result, catalogue, catalogueKey: outcome.catalogueKey };
      const chunks: Record<string, Uint8Array> = {};
      const shown = detailOf(entry.result, init.detail ?? 'all');
      if (shown) {
        for (const { name, ctx } of init.formats) {
          const reporter = formats.get(name as FormatName)?.stream;
          if (!reporter) continue;
          const bytes = reporter.schoolBytes?.({ ...entry, result: shown }, ctx) ?? utf8.encode(reporter.school({ ...entry, result: shown }, ctx));
          // Nothing to write, between schools either: no buffer to send.
          if (bytes.length > 0 || reporter.separator !== '') chunks[name] = bytes;
        }
      }
      if (init.rows !== false) chunks[ROW_CHUNK] = packRow(rowOf(outcome.result, outcome.catalogueKey));
      const done: SchoolDone & { request: ResolveRequest } = {
        kind: 'school',
        verdict: outcome.result.verdict,
        chunks,
        catalogueKey: outcome.catalogueKey,
        request: outcome.request,
      };
      if (init.wantResults) done.result = outcome.result;
      if (init.pair) done.pair = coverageInputOf(outcome.result);
      if (init.perSchool && renderSchoolReport) done.perSchool = utf8.encode(renderSchoolReport(entry, init.perSchool));
      outcomes.push(done);
    }
    return outcomes;
  };

  return {
    libraryFailures: library.failures,
    async run(task) {
      const files: FileDone[] = [];
      const catalogues: Record<string, Catalogue> = {};
      for (const { index, file } of task.files) {
        if (!cache) {
          files.push({ index, outcomes: (await auditFile(file, undefined, catalogues)).map(withoutRequest) });
          continue;
        }
        const read = await readSource(file);
        if (!read.ok) {
          // Unreadable now is no property of the bytes: never cached.
          files.push({ index, outcomes: (await auditFile(file, undefined, catalogues)).map(withoutRequest) });
          continue;
        }
        const key = cache.keyOf(file, read.bytes);
        const found = cache.get(key);
        const hit = 'entry' in found ? fromCache(found.entry, file, catalogues) : undefined;
        if (hit) {
          files.push({ index, outcomes: hit, cache: 'hit' });
          continue;
        }
        const outcomes = await auditFile(file, read.bytes, catalogues);
        const done: FileDone = { index, outcomes: outcomes.map(withoutRequest) };
        if ('refused' in found) done.refused = true;
        if (unwritable === undefined) {
          const failed = cache.put({ key, outcomes });
          if (failed === undefined) done.cache = 'written';
          else done.unwritable = unwritable = failed;
        }
        files.push(done);
      }
      return { files, catalogues };
    },
  };
}

/** What the main thread is sent: the request was only kept for the cache. */
function withoutRequest(outcome: CachedOutcome): FileDone['outcomes'][number] {
  if (outcome.kind === 'failure') return outcome;
  const { request: _request, ...done } = outcome;
  return done;
}
