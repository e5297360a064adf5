/** `reopen-audit audit`: school files in, reports out, an exit code that CI can act on. */
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { mkdir, stat } from 'node:fs/promises';
import { FILE_ONLY_FORMATS, FORMAT_NAMES, isFormat, loadFormats, type Detail, type Format, type FormatName, type ReportContext } from '../report/index.js';
import { t, type Lang } from '../i18n/index.js';
import type { FileFailure, Reason } from '../model/result.js';
import type { Library } from '../load/library.js';
import { closest } from '../util/suggest.js';
import { parseCliParam } from '../resolve/index.js';
import type { Level } from '../model/schema.js';
import { runBatch } from '../batch/run.js';
import { DEFAULT_CACHE_LOCATION, openCacheFolder, pruneCache, runDigest } from '../batch/cache.js';
import { ROW_CHUNK, type WorkerInit } from '../batch/protocol.js';
import { AtomicFile } from '../util/atomic-file.js';
import { footerPieces } from '../report/stream.js';
import { unpackRow } from '../report/packed-rows.js';
import { RealFolders } from '../util/real-folders.js';
import { findBrowser } from './browser.js';
import { fileSink, named, OutputError, pdfSink, PrintError, spooled, stdoutSink, xlsxSink, type Sink } from './sinks.js';
import { expandInputsApart } from '../load/walk.js';
import { commandError as usage, commandMessage, formatFailures, formatWarnings, outputClash, useColor } from './shared.js';
import { terminalSafe } from '../report/escape.js';
import { looksLikeFile, selectLibrary } from '../load/selection.js';
import type { GlobalOptions } from './options.js';
import { toolHomepage, toolVersion } from '../version.js';
import { startProgress } from './progress.js';
import { allCleared, CoverageBuilder } from '../coverage/pair.js';
import type { PackedRoster } from '../model/coverage.js';

export interface AuditCommandOptions {
  format: string[];
  profile?: string;
  checklist: string[];
  param: string[];
  jobs?: string;
  outDir?: string;
  failuresOnly?: boolean;
  summaryOnly?: boolean;
  exitZero?: boolean;
  level?: Level;
  cache?: boolean;
  cacheLocation?: string;
  /** `--out-dir-format`: the per-school reports and index as Markdown (default) or HTML. */
  outDirFormat?: 'markdown' | 'html';
  /** `--browser`: the browser that prints PDF. */
  browser?: string;
  /** `--roster`: the bureau's list of schools, to check coverage against. */
  roster?: string;
  /** `--require-level`: the level at or above which a READY audit clears a school. */
  requireLevel?: Level;
}

interface OutputSpec {
  format: FormatName;
  path?: string;
}

/** Formats that point at the line of each finding in the school file. */
const LOCATING_FORMATS = new Set<string>(['junit', 'csv-items', 'github', 'sarif']);

const EXIT_OK = 0;
const EXIT_NOT_READY = 1;
const EXIT_ERROR = 2;


/** A line on standard error that changes nothing else (a note or a warning). */
function note(text: string): void {
  process.stderr.write(`reopen-audit: ${terminalSafe(text)}\n`);
}

export function parseOutputs(specs: string[], defaultText: boolean): { outputs: OutputSpec[] } | { bad: string } | { needsPath: string } {
  const outputs: OutputSpec[] = [];
  for (const spec of specs.length > 0 ? specs : defaultText ? ['text'] : []) {
    const colon = spec.indexOf(':');
    const name = colon === -1 ? spec : spec.slice(0, colon);
    const file = colon === -1 ? undefined : spec.slice(colon + 1);
    if (!isFormat(name) || file === '') return { bad: spec };
    if (file === undefined && FILE_ONLY_FORMATS.has(name)) return { needsPath: name };
    outputs.push({ format: name, path: file });
  }
  return { outputs };
}

/** `--param` names and values against every parameter the library's checklists declare. */
function checkCliParams(library: Library, params: Record<string, string>): Reason | undefined {
  const declared = new Map<string, 'number' | 'boolean' | 'string'>();
  for (const cl of library.checklists.values()) for (const p of cl.data.parameters ?? []) declared.set(p.name, p.type);
  for (const [name, raw] of Object.entries(params)) {
    const type = declared.get(name);
    if (type === undefined) return { code: 'resolve.unknownParam', params: { name, suggestion: closest(name, declared.keys()) ?? null } };
    if (parseCliParam(raw, type) === undefined) return { code: 'resolve.cliParamType', params: { name, value: raw, want: type } };
  }
  return undefined;
}

/**
 * `name=value` pairs exactly as written (a padded name or value is not trimmed into a valid
 * one), in an object without a prototype: `__proto__` is a name like any other, refused
 * when no checklist declares it.
 */
export function parseParams(pairs: string[]): { params: Record<string, string> } | { bad: string } {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { bad: pair };
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { params };
}

const utf8 = new TextEncoder();

/**
 * `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: standard output itself, written as a report
 * without a path is. Opened by name it fails when standard output is a socket (ENXIO on
 * Linux), as it is for a program that starts the tool with pipes (Node's child processes).
 */
function namesStdout(target: string): boolean {
  return process.platform !== 'win32' && ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(path.resolve(target));
}

/** The sink of a streamed output: by what the format writes, and whether it opens with a head. */
async function openSink(o: OutputSpec, format: Format, lang: Lang, browser: string): Promise<Sink> {
  if (o.path === undefined || (format.output !== 'pdf' && format.output !== 'xlsx' && namesStdout(o.path)))
    return format.stream?.head ? spooled(stdoutSink()) : stdoutSink();
  if (format.output === 'pdf') return named(await pdfSink(o.path, browser), o.path);
  if (format.output === 'xlsx') return named(await xlsxSink(o.path, lang), o.path);
  const direct = await fileSink(o.path);
  return named(format.stream?.head ? await spooled(direct) : direct, o.path);
}

/** The terminal's width, or for a pipe the width COLUMNS names (as `COLUMNS=80 … | less`). */
function terminalWidth(): number | undefined {
  if (process.stdout.isTTY) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

export async function runAudit(paths: string[], opts: AuditCommandOptions, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const parsedOutputs = parseOutputs(opts.format, opts.outDir === undefined);
  if ('bad' in parsedOutputs) return usage(lang, 'cli.badFormat', { spec: parsedOutputs.bad, known: FORMAT_NAMES.join(', ') });
  if ('needsPath' in parsedOutputs) return usage(lang, 'cli.needsPath', { format: parsedOutputs.needsPath });
  const { outputs } = parsedOutputs;
  const clash = outputClash(outputs);
  if (clash) return usage(lang, clash.code, clash.params);
  const parsedParams = parseParams(opts.param);
  if ('bad' in parsedParams) return usage(lang, 'cli.badParam', { spec: parsedParams.bad });
  const jobs = opts.jobs === undefined ? availableParallelism() : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) return usage(lang, 'cli.badJobs', { value: String(opts.jobs) });

  if (opts.requireLevel !== undefined && opts.roster === undefined) return usage(lang, 'cli.requireLevelNeedsRoster');
  if (opts.roster === undefined && outputs.some((o) => o.format === 'csv-coverage')) return usage(lang, 'cli.coverageNeedsRoster');
  // The roster first: one that cannot be used at all stops the run; bad rows are reported and left out.
  let roster: PackedRoster | undefined;
  const rosterFailures: FileFailure[] = [];
  if (opts.roster !== undefined) {
    const { readRosterApart } = await import('../load/roster.js');
    const read = await readRosterApart(opts.roster);
    if (read.problems.length > 0) rosterFailures.push({ file: opts.roster, problems: read.problems });
    if (!read.roster) {
      process.stderr.write(formatFailures(lang, rosterFailures));
      return EXIT_ERROR;
    }
    roster = read.roster;
  }
  const coverageBuilder = roster ? new CoverageBuilder(roster, opts.requireLevel) : undefined;

  const expanded = await expandInputsApart(paths);
  coverageBuilder?.reserve(expanded.files.length, expanded.files);
  // Nothing the user wrote is overwritten: school files, the roster, and checklist or profile files named.
  const named = [...opts.checklist, ...(opts.profile !== undefined ? [opts.profile] : []), ...(opts.roster !== undefined ? [opts.roster] : [])].filter(looksLikeFile);
  // The few places written to, against every input (no set of a national batch's paths kept).
  const cacheLocation = opts.cache || opts.cacheLocation !== undefined ? (opts.cacheLocation ?? DEFAULT_CACHE_LOCATION) : undefined;
  const targets = new Map<string, string>();
  for (const o of outputs) if (o.path !== undefined) targets.set(path.resolve(o.path), o.path);
  if (cacheLocation !== undefined) targets.set(path.resolve(cacheLocation), cacheLocation);
  // Only a path ending in a target's name can be that target: the others are not even decoded.
  const targetNames = [...new Set([...targets.keys()].map((t) => path.basename(t)))];
  for (const input of [expanded.files.endingWith(targetNames), named]) {
    for (const f of input) {
      const target = targets.get(path.resolve(f));
      if (target !== undefined) return usage(lang, 'cli.outputIsInput', { path: target });
    }
  }

  if (opts.failuresOnly && opts.summaryOnly) return usage(lang, 'cli.detailConflict');

  const selection = await selectLibrary(opts.profile, opts.checklist);
  // A parameter no checklist declares is a usage error, said before anything is audited.
  const paramProblem = checkCliParams(selection.library, parsedParams.params);
  if (paramProblem) return usage(lang, paramProblem.code, paramProblem.params);
  const homepage = toolHomepage();
  const tool = { name: 'reopen-audit', version: toolVersion(), ...(homepage ? { informationUri: homepage } : {}) };
  const detail: Detail = opts.summaryOnly ? 'none' : opts.failuresOnly ? 'failures' : 'all';
  const outDirHtml = opts.outDirFormat === 'html';
  const reportExt = outDirHtml ? '.html' : '.md';
  // The per-school reports' planning and index only for a run that writes them.
  const outDirReports = opts.outDir !== undefined ? await import('../report/out-dir.js') : undefined;
  const plan = outDirReports ? outDirReports.planReports(expanded.files, reportExt) : { paths: new Map<string, string>(), moved: [] };
  const reportPaths = plan.paths;
  const contextFor = (output: OutputSpec): ReportContext => {
    const toStdout = output.path === undefined;
    return {
      lang,
      color: toStdout && output.format === 'text' && useColor(process.stdout, g.color),
      width: toStdout ? terminalWidth() : undefined,
      tool,
      detail,
    };
  };
  const formats = await loadFormats(outputs.map((o) => o.format));
  // The browser is found before anything is audited: without one, no PDF, said at once.
  let browser = '';
  if (outputs.some((o) => formats.get(o.format)?.output === 'pdf')) {
    const found = findBrowser(opts.browser);
    if (!found.ok) return found.named !== undefined ? usage(lang, 'cli.browserMissing', { path: found.named }) : usage(lang, 'cli.noBrowser');
    browser = found.path;
  }
  const streamerOf = (o: OutputSpec) => formats.get(o.format)?.stream;
  const streamed = outputs.filter((o) => streamerOf(o) !== undefined);
  const whole = outputs.filter((o) => streamerOf(o) === undefined);
  const fileCtx: ReportContext = { lang, color: false, tool };
  // Rows cost memory per school: keep them only for formats that list the schools.
  const keepRows = opts.outDir !== undefined || whole.length > 0 || streamed.some((o) => streamerOf(o)?.needsRows === true);
  const init: WorkerInit = {
    options: {
      profile: selection.profile,
      checklists: selection.checklists,
      params: parsedParams.params,
      checklistFiles: selection.checklistFiles,
      profileFiles: selection.profileFiles,
      locate: outputs.some((o) => LOCATING_FORMATS.has(o.format)),
      level: opts.level,
    },
    formats: streamed.map((o) => ({ name: o.format, ctx: contextFor(o) })),
    wantResults: whole.length > 0,
    perSchool: opts.outDir !== undefined ? fileCtx : undefined,
    perSchoolFormat: outDirHtml ? 'html' : 'markdown',
    detail,
    rows: keepRows,
    pair: coverageBuilder !== undefined,
  };

  // --cache-location alone asks for the cache too. A folder that cannot be written costs time, never the run.
  let cacheDigest = '';
  if (cacheLocation !== undefined) {
    cacheDigest = runDigest(init, selection.library.digest);
    const opened = openCacheFolder(cacheLocation, cacheDigest);
    if (opened.ok) init.cache = opened.folder;
    else if ('unwritable' in opened) note(t(lang, 'cli.cacheUnwritable', { path: cacheLocation, reason: opened.unwritable }));
    else if (opened.refused === 'foreign') return usage(lang, 'cli.cacheForeign', { path: cacheLocation, example: opened.example });
    else return usage(lang, 'cli.cacheUnusable', { path: cacheLocation, reason: 'ENOTDIR' });
  }

  const sinks = new Map<OutputSpec, Sink>();
  const openSinks: Sink[] = [];
  let opening = opts.outDir ?? '';
  try {
    for (const o of streamed) {
      opening = o.path ?? '-';
      const sink = await openSink(o, formats.get(o.format) as Format, lang, browser);
      sinks.set(o, sink);
      openSinks.push(sink);
    }
    if (opts.outDir !== undefined) {
      opening = opts.outDir;
      const existing = await stat(opts.outDir).catch(() => undefined);
      if (existing !== undefined && !existing.isDirectory()) {
        await Promise.all(openSinks.map((s) => s.abort()));
        return usage(lang, 'cli.outDirIsFile', { path: opts.outDir });
      }
      await mkdir(opts.outDir, { recursive: true });
    }
  } catch (error) {
    await Promise.all(openSinks.map((s) => s.abort()));
    return usage(lang, 'cli.writeFailed', { path: opening, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
  }

  const stdoutUsed = outputs.some((o) => o.path === undefined);
  const progress = startProgress(lang, expanded.files.length, process.stderr.isTTY === true && !(stdoutUsed && process.stdout.isTTY));
  const outDirFailures: FileFailure[] = [];
  // What --out-dir did other than write where each path says: said on standard error.
  const outDirNotes = plan.moved.map((m) =>
    t(lang, m.index ? 'cli.outDirMovedIndex' : 'cli.outDirMoved', {
      file: m.file,
      target: path.join(opts.outDir as string, m.target),
      wanted: path.join(opts.outDir as string, m.wanted),
    }),
  );
  const folders = new RealFolders(opts.outDir ?? '.', (link) => outDirNotes.push(t(lang, 'cli.linkReplaced', { path: link })));
  /** A school's own report under --out-dir; one that cannot be written is reported, the others are still written. */
  const writeSchoolReport = async (file: string, bytes: Uint8Array): Promise<void> => {
    const relative = reportPaths.get(file) as string;
    const target = path.join(opts.outDir as string, relative);
    try {
      await folders.prepareFile(relative);
      const report = await AtomicFile.open(target, { replaceLink: true });
      await report.write(bytes);
      await report.commit();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      outDirFailures.push({ file: target, problems: [{ file: target, message: { code: 'cli.writeFailed', params: { path: target, reason } } }] });
    }
  };
  let summary;
  try {
    for (const o of streamed) await (sinks.get(o) as Sink).write(streamerOf(o)?.begin(contextFor(o)) ?? '');
    // Writes the current school must wait for, if any.
    let waits: Promise<void>[] = [];
    const wait = (pending: Promise<void> | undefined) => {
      if (pending) waits.push(pending);
    };
    // Each streamed output with its separator as bytes, made once.
    const streams = streamed.map((o) => ({ o, sink: sinks.get(o) as Sink, separator: utf8.encode(streamerOf(o)?.separator ?? ''), written: 0 }));
    summary = await runBatch(expanded.files, init, jobs, {
      // Most schools only add bytes to buffers: no promise unless a write must be waited for.
      onSchool(done, index) {
        if (done.pair) coverageBuilder?.add(done.pair, index);
        const row = done.chunks[ROW_CHUNK];
        for (const stream of streams) {
          const chunk = done.chunks[stream.o.format];
          // --failures-only and --summary-only leave some schools without a chunk.
          if (chunk === undefined) continue;
          if (stream.written > 0) wait(stream.sink.write(stream.separator));
          wait(stream.sink.write(chunk));
          stream.written++;
        }
        if (opts.outDir !== undefined && done.perSchool !== undefined && row) wait(writeSchoolReport(unpackRow(row).file, done.perSchool));
        if (waits.length === 0) return undefined;
        const all = Promise.all(waits);
        waits = [];
        return all.then(() => undefined);
      },
      onProgress: (n, total) => progress.update(n, total),
    }, { library: selection.library });
  } catch (error) {
    progress.stop();
    await Promise.all(openSinks.map((s) => s.abort()));
    if (error instanceof OutputError) return usage(lang, 'cli.writeFailed', { path: error.path, reason: error.reason });
    throw error;
  }
  progress.stop();
  if (cacheLocation !== undefined && summary.cache.written > 0) pruneCache(cacheLocation, cacheDigest);
  if (summary.cache.refused > 0) note(t(lang, 'cli.cacheRefused', { path: cacheLocation ?? '', count: summary.cache.refused }));
  if (summary.cache.unwritable !== undefined) note(t(lang, 'cli.cacheWriteStopped', { path: cacheLocation ?? '', reason: summary.cache.unwritable }));

  const pathFailures: FileFailure[] = expanded.problems.map((p) => ({ file: p.file, problems: [p] }));
  const paired = coverageBuilder?.finish();
  const failures = [...rosterFailures, ...pathFailures, ...summary.failures, ...(paired?.failures ?? []), ...outDirFailures];
  const coverage = paired?.coverage;
  const end = { rows: summary.rows, tally: summary.tally, failures, catalogues: summary.catalogues, ...(coverage ? { coverage } : {}) };
  if (coverage && coverage.warnings.length > 0) process.stderr.write(formatWarnings(lang, coverage.warnings));
  for (const text of outDirNotes.splice(0)) note(text);
  if (failures.length > 0) process.stderr.write(formatFailures(lang, failures));

  let writing = '';
  try {
    for (const o of streamed) {
      writing = o.path ?? '-';
      const sink = sinks.get(o) as Sink;
      const streamer = streamerOf(o);
      if (streamer) for (const piece of footerPieces(streamer, end, contextFor(o))) await sink.write(piece);
      await sink.commit(streamer?.head?.(end, contextFor(o)));
    }
    for (const o of whole) {
      writing = o.path ?? '-';
      const run = { ...(summary.run ?? { catalogues: {}, schools: [] }), failures, ...(coverage ? { coverage } : {}) };
      const text = (formats.get(o.format) as { render: (r: typeof run, c: ReportContext) => string }).render(run, contextFor(o));
      if (o.path === undefined) await stdoutSink().write(text);
      else {
        const file = await AtomicFile.open(o.path);
        await file.write(text);
        await file.commit();
      }
    }
    if (opts.outDir !== undefined) {
      const indexName = outDirHtml ? 'index.html' : 'index.md';
      writing = path.join(opts.outDir, indexName);
      const pathOf = (file: string) => reportPaths.get(file) as string;
      await folders.prepareFile(indexName);
      for (const text of outDirNotes.splice(0)) note(text);
      const index = await AtomicFile.open(writing, { replaceLink: true });
      await index.write(outDirHtml ? (await import('../report/html.js')).renderHtmlIndex(end, fileCtx, pathOf) : (outDirReports as typeof import('../report/out-dir.js')).renderIndex(end, fileCtx, pathOf));
      await index.commit();
    }
  } catch (error) {
    await Promise.all(openSinks.map((s) => s.abort()));
    if (error instanceof PrintError) return usage(lang, 'cli.pdfFailed', { reason: error.message });
    const reason = error instanceof OutputError ? error.reason : ((error as NodeJS.ErrnoException).code ?? String(error));
    process.stderr.write(commandMessage(lang, 'cli.writeFailed', { path: error instanceof OutputError ? error.path : writing, reason }));
    return EXIT_ERROR;
  }

  // --exit-zero: report, never fail the job (usage errors above still exit 2).
  if (opts.exitZero) return EXIT_OK;
  if (failures.length > 0) return EXIT_ERROR;
  // With a roster, the schools decide: a missing school, or one not cleared at the level required, fails the run.
  if (coverage) return allCleared(coverage) ? EXIT_OK : EXIT_NOT_READY;
  if (summary.tally.NOT_READY + summary.tally.INCOMPLETE > 0) return EXIT_NOT_READY;
  return EXIT_OK;
}
