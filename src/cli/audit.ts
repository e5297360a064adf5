/** `reopen-audit audit`: school files in, reports out, an exit code that CI can act on. */
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { auditFiles } from '../pipeline.js';
import { REPORTERS, isFormat, type FormatName, type ReportContext } from '../report/index.js';
import { t, type Lang } from '../i18n/index.js';
import type { AuditRun, FileFailure } from '../model/result.js';
import { expandInputs } from './files.js';
import { formatFailures, selectLibrary, useColor } from './shared.js';
import type { GlobalOptions } from './main.js';
import { toolVersion } from '../version.js';

export interface AuditCommandOptions {
  format: string[];
  profile?: string;
  checklist: string[];
  param: string[];
}

interface OutputSpec {
  format: FormatName;
  path?: string;
}

const EXIT_OK = 0;
const EXIT_NOT_READY = 1;
const EXIT_ERROR = 2;

function usage(lang: Lang, code: string, params: Record<string, string> = {}): number {
  process.stderr.write(`reopen-audit: ${t(lang, code, params)}\n`);
  return EXIT_ERROR;
}

export function parseOutputs(specs: string[]): { outputs: OutputSpec[] } | { bad: string } {
  const outputs: OutputSpec[] = [];
  for (const spec of specs.length > 0 ? specs : ['text']) {
    const colon = spec.indexOf(':');
    const name = colon === -1 ? spec : spec.slice(0, colon);
    const file = colon === -1 ? undefined : spec.slice(colon + 1);
    if (!isFormat(name) || file === '') return { bad: spec };
    outputs.push({ format: name, path: file });
  }
  return { outputs };
}

export function parseParams(pairs: string[]): { params: Record<string, string> } | { bad: string } {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { bad: pair };
    params[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { params };
}

export function exitCodeFor(run: AuditRun): number {
  if (run.failures.length > 0) return EXIT_ERROR;
  if (run.schools.some((s) => s.result.verdict !== 'READY')) return EXIT_NOT_READY;
  return EXIT_OK;
}

export async function runAudit(paths: string[], opts: AuditCommandOptions, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const parsedOutputs = parseOutputs(opts.format);
  if ('bad' in parsedOutputs) return usage(lang, 'cli.badFormat', { spec: parsedOutputs.bad, known: Object.keys(REPORTERS).join(', ') });
  const { outputs } = parsedOutputs;
  if (outputs.filter((o) => o.path === undefined).length > 1) return usage(lang, 'cli.oneStdout');
  const parsedParams = parseParams(opts.param);
  if ('bad' in parsedParams) return usage(lang, 'cli.badParam', { spec: parsedParams.bad });

  const expanded = await expandInputs(paths);
  const inputs = new Set(expanded.files.map((f) => path.resolve(f)));
  for (const o of outputs) {
    if (o.path !== undefined && inputs.has(path.resolve(o.path))) return usage(lang, 'cli.outputIsInput', { path: o.path });
  }

  const selection = await selectLibrary(opts.profile, opts.checklist);
  const run = await auditFiles(
    expanded.files,
    { profile: selection.profile, checklists: selection.checklists, params: parsedParams.params },
    selection.library,
  );
  const pathFailures: FileFailure[] = expanded.problems.map((p) => ({ file: p.file, problems: [p] }));
  run.failures.unshift(...pathFailures);
  if (run.failures.length > 0) process.stderr.write(formatFailures(lang, run.failures));

  const tool = { name: 'reopen-audit', version: toolVersion() };
  for (const output of outputs) {
    const toStdout = output.path === undefined;
    const ctx: ReportContext = {
      lang,
      color: toStdout && output.format === 'text' && useColor(process.stdout, g.color),
      width: toStdout && process.stdout.isTTY ? process.stdout.columns : undefined,
      tool,
    };
    const text = REPORTERS[output.format](run, ctx);
    if (toStdout) {
      process.stdout.write(text);
    } else {
      try {
        await writeFileAtomic(output.path as string, text, { encoding: 'utf8' });
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        process.stderr.write(`reopen-audit: ${t(lang, 'cli.writeFailed', { path: output.path as string, reason })}\n`);
        return EXIT_ERROR;
      }
    }
  }
  return exitCodeFor(run);
}
