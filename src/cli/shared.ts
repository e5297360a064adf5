/** Pieces the commands share: located problem lines and colour. */
import type { FileFailure, Problem } from '../model/result.js';
import { tr, type Lang } from '../i18n/index.js';
import { terminalSafe } from '../report/escape.js';

/** `file:line:col: message`, the form editors and CI annotate from. */
export function formatProblem(lang: Lang, p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return terminalSafe(`${where}: ${tr(lang, p.message)}`);
}

export function formatFailures(lang: Lang, failures: FileFailure[]): string {
  return failures.flatMap((f) => f.problems.map((p) => `${formatProblem(lang, p)}\n`)).join('');
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
