/**
 * `reopen-audit compare <before> <after>`: the rectification follow-up (整改复核). Each side
 * is a school file, a JSON report from `audit --format json`, or a directory of school
 * files; school files are audited as `audit` would, then src/compare pairs the schools by
 * id and compares them, and a reporter per format writes the result.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { AuditedSchool } from '../compare/index.js';
import { compareAll, needsFollowUp } from '../compare/index.js';
import { schoolsFromReport } from '../compare/report-input.js';
import type { Catalogue, FileFailure } from '../model/result.js';
import { auditFiles, type AuditOptions } from '../pipeline.js';
import type { Library } from '../load/library.js';
import { readSource } from '../load/source.js';
import { decode } from '../load/decode.js';
import type { ReportContext } from '../report/index.js';
import type { CompareRun } from '../compare/report/common.js';
import { renderCompareText } from '../compare/report/text.js';
import { renderCompareMarkdown } from '../compare/report/markdown.js';
import { renderCompareJson } from '../compare/report/json.js';
import { AtomicFile } from '../util/atomic-file.js';
import { toolVersion } from '../version.js';
import { expandInputs } from '../load/walk.js';
import { parseParams } from './audit.js';
import { commandError as usage, formatFailures, outputClash, useColor } from './shared.js';
import { selectLibrary } from '../load/selection.js';
import type { GlobalOptions } from './options.js';

export interface CompareCommandOptions {
  format: string[];
  profile?: string;
  checklist: string[];
  param: string[];
}

const REPORTERS = {
  text: renderCompareText,
  markdown: renderCompareMarkdown,
  json: renderCompareJson,
} satisfies Record<string, (run: CompareRun, ctx: ReportContext) => string>;

type FormatName = keyof typeof REPORTERS;

const EXIT_OK = 0;
const EXIT_OPEN = 1;
const EXIT_ERROR = 2;


function parseOutputs(
  specs: string[],
): { outputs: { format: FormatName; path?: string }[] } | { bad: string } {
  const outputs: { format: FormatName; path?: string }[] = [];
  for (const spec of specs.length > 0 ? specs : ['text']) {
    const colon = spec.indexOf(':');
    const name = colon === -1 ? spec : spec.slice(0, colon);
    const file = colon === -1 ? undefined : spec.slice(colon + 1);
    if (!Object.hasOwn(REPORTERS, name) || file === '') return { bad: spec };
    outputs.push({ format: name as FormatName, path: file });
  }
  return { outputs };
}

interface Side {
  schools: AuditedSchool[];
  failures: FileFailure[];
  /** A directory: its schools are paired by id, never taken as the one school of the side. */
  directory: boolean;
  /** The files read, so no report is written over one. */
  files: string[];
}

/** A JSON report: by its extension, or a non-YAML file whose text is a report object. */
function asReport(file: string, text: string): boolean {
  if (/\.json$/i.test(file)) return true;
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const data: unknown = JSON.parse(text);
    return data !== null && typeof data === 'object' && 'reportVersion' in data;
  } catch {
    return false;
  }
}

async function audited(
  files: string[],
  options: AuditOptions,
  library: Library,
): Promise<{ schools: AuditedSchool[]; failures: FileFailure[] }> {
  const run = await auditFiles(files, options, library);
  const schools = run.schools.map(({ result, catalogueKey }) => ({
    result,
    catalogue: run.catalogues[catalogueKey] as Catalogue,
  }));
  return { schools, failures: run.failures };
}

async function loadSide(input: string, options: AuditOptions, library: Library): Promise<Side> {
  const info = await stat(input).catch(() => undefined);
  if (!info) {
    return {
      schools: [],
      failures: [
        {
          file: input,
          problems: [{ file: input, message: { code: 'file.notFound', params: { path: input } } }],
        },
      ],
      directory: false,
      files: [],
    };
  }
  if (info.isDirectory()) {
    const expanded = await expandInputs([input]);
    const { schools, failures } = await audited(expanded.files, options, library);
    const pathFailures = expanded.problems.map((p) => ({ file: p.file, problems: [p] }));
    return { schools, failures: [...pathFailures, ...failures], directory: true, files: expanded.files };
  }
  const read = await readSource(input);
  if (!read.ok)
    return {
      schools: [],
      failures: [{ file: input, problems: read.problems }],
      directory: false,
      files: [input],
    };
  const decoded = decode(read.bytes);
  if (decoded.ok && asReport(input, decoded.text)) {
    const report = schoolsFromReport(input, decoded.text);
    if (!report.ok)
      return {
        schools: [],
        failures: [{ file: input, problems: report.problems }],
        directory: false,
        files: [input],
      };
    return { schools: report.schools, failures: [], directory: false, files: [input] };
  }
  return { ...(await audited([input], options, library)), directory: false, files: [input] };
}

async function write(target: string | undefined, text: string): Promise<void> {
  if (target === undefined) {
    await new Promise<void>((resolve) => {
      if (process.stdout.write(text)) resolve();
      else process.stdout.once('drain', () => resolve());
    });
    return;
  }
  const file = await AtomicFile.open(target);
  try {
    await file.write(text);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

export async function runCompare(
  before: string,
  after: string,
  opts: CompareCommandOptions,
  g: GlobalOptions,
): Promise<number> {
  const { lang } = g;
  const parsed = parseOutputs(opts.format);
  if ('bad' in parsed)
    return usage(lang, 'cli.badFormat', { spec: parsed.bad, known: Object.keys(REPORTERS).join(', ') });
  const { outputs } = parsed;
  const clash = outputClash(outputs);
  if (clash) return usage(lang, clash.code, clash.params);
  const params = parseParams(opts.param);
  if ('bad' in params) return usage(lang, 'cli.badParam', { spec: params.bad });

  const selection = await selectLibrary(opts.profile, opts.checklist);
  const options: AuditOptions = {
    profile: selection.profile,
    checklists: selection.checklists,
    params: params.params,
    checklistFiles: selection.checklistFiles,
    profileFiles: selection.profileFiles,
    locate: false,
  };
  const b = await loadSide(before, options, selection.library);
  const a = await loadSide(after, options, selection.library);
  const inputs = new Set([...b.files, ...a.files].map((f) => path.resolve(f)));
  for (const o of outputs) {
    if (o.path !== undefined && inputs.has(path.resolve(o.path)))
      return usage(lang, 'cli.outputIsInput', { path: o.path });
  }

  const single = !b.directory && !a.directory;
  const { comparison, problems } = compareAll(b.schools, a.schools, { single });
  if (b.schools.length + a.schools.length + b.failures.length + a.failures.length === 0) {
    problems.push({ file: `${before} ${after}`, message: { code: 'compare.noSchool' } });
  }
  // The library's own failures come back with each side: report them once.
  const failures: FileFailure[] = [];
  const seen = new Set<string>();
  for (const failure of [
    ...b.failures,
    ...a.failures,
    ...problems.map((p) => ({ file: p.file, problems: [p] })),
  ]) {
    const key = JSON.stringify(failure);
    if (!seen.has(key)) failures.push(failure);
    seen.add(key);
  }
  if (failures.length > 0) process.stderr.write(formatFailures(lang, failures));

  const tool = { name: 'reopen-audit', version: toolVersion() };
  const run: CompareRun = { comparison, failures };
  let writing = '';
  try {
    for (const o of outputs) {
      writing = o.path ?? '-';
      const toStdout = o.path === undefined;
      const ctx: ReportContext = {
        lang,
        color: toStdout && o.format === 'text' && useColor(process.stdout, g.color),
        tool,
      };
      await write(o.path, REPORTERS[o.format](run, ctx));
    }
  } catch (error) {
    return usage(lang, 'cli.writeFailed', {
      path: writing,
      reason: (error as NodeJS.ErrnoException).code ?? String(error),
    });
  }

  if (failures.length > 0) return EXIT_ERROR;
  return needsFollowUp(comparison) ? EXIT_OPEN : EXIT_OK;
}
