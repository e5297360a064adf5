/** Pieces the commands share: located problem lines and colour. */
import path from 'node:path';
import type { FileFailure, Problem, Scalar } from '../model/result.js';
import { t, tr, type Lang } from '../i18n/index.js';
import { terminalSafe } from '../report/escape.js';

/** `file:line:col: message`, the form editors and CI annotate from. */
export function formatProblem(lang: Lang, p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return terminalSafe(`${where}: ${tr(lang, p.message)}`);
}

export function formatFailures(lang: Lang, failures: FileFailure[]): string {
  return failures.flatMap((f) => f.problems.map((p) => `${formatProblem(lang, p)}\n`)).join('');
}

/**
 * A line of the tool's own on standard error, `reopen-audit: message`: what the user typed
 * (a path, a format, an id) is in it, so it is made safe for the terminal as every line is.
 */
export function commandMessage(lang: Lang, code: string, params: Record<string, Scalar> = {}): string {
  return `reopen-audit: ${terminalSafe(t(lang, code, params))}\n`;
}

/** A usage or input error of a command: its line on standard error, and exit code 2. */
export function commandError(lang: Lang, code: string, params: Record<string, Scalar> = {}): number {
  process.stderr.write(commandMessage(lang, code, params));
  return 2;
}

/** Colour on a terminal only, never with NO_COLOR or --no-color. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean): boolean {
  if (!flag) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Warnings, one a line, marked as such: they change no exit code. */
export function formatWarnings(lang: Lang, warnings: Problem[]): string {
  const mark = lang === 'zh' ? '提示' : 'warning';
  return warnings.map((p) => `${mark}: ${formatProblem(lang, p)}\n`).join('');
}

/** File names that are the process's standard output itself. */
const STDOUT_FILES = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/**
 * Two outputs that would write to one place: two formats on standard output (with no path,
 * or a path that is standard output), or two formats given the same file, where the one
 * written last would silently replace the other. Paths are compared resolved against the
 * working folder; the message names the path as written.
 */
export function outputClash(
  outputs: readonly { format: string; path?: string }[],
): { code: string; params: Record<string, string> } | undefined {
  let toStdout = 0;
  const byPath = new Map<string, string>();
  for (const { format, path: written } of outputs) {
    if (written === undefined || STDOUT_FILES.has(path.resolve(written))) {
      toStdout += 1;
      if (toStdout > 1) return { code: 'cli.oneStdout', params: {} };
      continue;
    }
    const resolved = path.resolve(written);
    const first = byPath.get(resolved);
    if (first !== undefined) return { code: 'cli.samePath', params: { path: written, first, second: format } };
    byPath.set(resolved, format);
  }
  return undefined;
}
