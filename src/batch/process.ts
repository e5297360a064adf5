/** The work of one task, the same in a worker thread and in-process. */
import type { Catalogue, SchoolResult } from '../model/result.js';
import type { Detail } from '../report/index.js';
import { loadLibrary } from '../load/library.js';
import { STREAMERS } from '../report/index.js';
import { renderSchoolMarkdown } from '../report/markdown.js';
import { rowOf } from '../report/stream.js';
import { SchoolAuditor } from '../pipeline.js';
import type { FileDone, SchoolDone, Task, WorkerInit } from './protocol.js';

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

export async function createProcessor(init: WorkerInit): Promise<Processor> {
  const library = await loadLibrary(init.options.checklistFiles, init.options.profileFiles);
  const auditor = new SchoolAuditor(library, init.options);
  const sent = new Set<string>();
  return {
    libraryFailures: library.failures,
    async run(task) {
      const files: FileDone[] = [];
      const catalogues: Record<string, Catalogue> = {};
      for (const { index, file } of task.files) {
        const outcomes: FileDone['outcomes'] = [];
        for (const outcome of await auditor.audit(file)) {
          if (outcome.kind === 'failure') {
            outcomes.push(outcome);
            continue;
          }
          const catalogue = auditor.catalogue(outcome.catalogueKey);
          if (!catalogue) continue;
          if (!sent.has(outcome.catalogueKey)) {
            sent.add(outcome.catalogueKey);
            catalogues[outcome.catalogueKey] = catalogue;
          }
          const entry = { result: outcome.result, catalogue, catalogueKey: outcome.catalogueKey };
          const chunks: Record<string, string> = {};
          const shown = detailOf(entry.result, init.detail ?? 'all');
          if (shown) {
            for (const { name, ctx } of init.formats) {
              const reporter = STREAMERS[name];
              if (reporter) chunks[name] = reporter.school({ ...entry, result: shown }, ctx);
            }
          }
          const done: SchoolDone = { kind: 'school', row: rowOf(outcome.result, outcome.catalogueKey), chunks, catalogueKey: outcome.catalogueKey };
          if (init.wantResults) done.result = outcome.result;
          if (init.perSchool) done.perSchool = renderSchoolMarkdown(entry, init.perSchool);
          outcomes.push(done);
        }
        files.push({ index, outcomes });
      }
      return { files, catalogues };
    },
  };
}
