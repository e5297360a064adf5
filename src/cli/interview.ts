/**
 * `reopen-audit interview <school.yaml>`: the shell around the interview — the terminal
 * check, loading and resolving, today's date for a new file, Ctrl-C, the report file and
 * the exit code. The walk itself is src/interview/.
 *
 * Exit codes: 0 READY, 1 NOT READY or INCOMPLETE (as `audit`), 2 usage or file errors
 * (including "not a terminal"), 130 interrupted with Ctrl-C (128 + SIGINT, as shells do);
 * every confirmed answer is on disk in all cases.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { t, type Lang } from '../i18n/index.js';
import type { Problem } from '../model/result.js';
import type { SchoolFile } from '../model/schema.js';
import { loadSource } from '../load/source.js';
import { Resolver, requestFor } from '../pipeline.js';
import { askProfile } from '../interview/profile.js';
import { finish, walkItems, type SessionOptions } from '../interview/session.js';
import { SchoolStore, StoreError } from '../interview/store.js';
import { w } from '../interview/text.js';
import { checkScope } from '../interview/walk.js';
import { newSchoolFileText, writeSchoolText } from '../write/school-file.js';
import { toolVersion } from '../version.js';
import { parseParams } from './audit.js';
import { commandError as fail, formatFailures, formatProblem, useColor } from './shared.js';
import { namedFileFailures, selectLibrary } from '../load/selection.js';
import type { GlobalOptions } from './options.js';

export interface InterviewCommandOptions {
  review?: boolean;
  section: string[];
  checklist: string[];
  profile?: string;
  param: string[];
}

export const EXIT_INTERRUPTED = 130;
const EXIT_ERROR = 2;


function printProblems(lang: Lang, problems: Problem[]): void {
  for (const p of problems) process.stderr.write(`${formatProblem(lang, p)}\n`);
}

/** Today in the local calendar: the only place the tool reads the clock. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function isInterrupt(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/** The command that carries on where this one stopped. */
function resumeCommand(file: string, opts: InterviewCommandOptions, lang: Lang): string {
  const quote = (s: string) => (/^[\w./@:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['reopen-audit', 'interview', quote(file)];
  if (opts.profile) parts.push('--profile', quote(opts.profile));
  for (const c of opts.checklist) parts.push('--checklist', quote(c));
  for (const s of opts.section) parts.push('--section', quote(s));
  for (const p of opts.param) parts.push('--param', quote(p));
  if (lang === 'en') parts.push('--lang', 'en');
  return parts.join(' ');
}

export function reportPathFor(file: string): string {
  const base = path.basename(file).replace(/\.ya?ml$/i, '');
  return path.join(path.dirname(file), `${base}.report.md`);
}

export async function runInterview(file: string, opts: InterviewCommandOptions, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  if (process.stdin.isTTY !== true) return fail(lang, 'interview.notTty', { file });
  const parsedParams = parseParams(opts.param);
  if ('bad' in parsedParams) return fail(lang, 'cli.badParam', { spec: parsedParams.bad });
  if (existsSync(file) && statSync(file).isDirectory()) return fail(lang, 'file.isDirectory');

  const print = (text: string) => process.stdout.write(`${text}\n`);
  const selection = await selectLibrary(opts.profile, opts.checklist);
  const named = namedFileFailures(selection);
  if (named.length > 0) {
    process.stderr.write(formatFailures(lang, named));
    return EXIT_ERROR;
  }
  let created = existsSync(file);
  let store: SchoolStore | undefined;

  // Ctrl-C between prompts (while a file is being written) waits for the write to finish.
  const onSigint = () => {
    const exit = () => {
      process.stderr.write(`\n${interruptMessage()}\n`);
      process.exit(EXIT_INTERRUPTED);
    };
    if (store?.busy) void store.idle().then(exit);
    else exit();
  };
  const interruptMessage = () =>
    created ? t(lang, 'interview.interrupted', { file, count: store?.savedCount ?? 0, resume: resumeCommand(file, opts, lang) }) : t(lang, 'interview.interruptedNew', { file });
  process.on('SIGINT', onSigint);

  try {
    if (!created) {
      print(w(lang, 'newSchool', { file }));
      const asked = await askProfile(lang, { today: today(), profile: selection.profile, checklists: selection.checklists });
      const text = newSchoolFileText({ header: [w(lang, 'fileTitle'), w(lang, 'fileEditable')], ...asked.file });
      try {
        await writeSchoolText(file, text);
      } catch (error) {
        return fail(lang, 'cli.writeFailed', { path: file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
      }
      created = true;
      print(w(lang, 'created', { file }));
    }

    const loaded = await loadSource<SchoolFile>(file, 'school');
    if (!loaded.ok) {
      printProblems(lang, loaded.problems);
      return fail(lang, 'interview.fixFirst', { file });
    }
    const outcome = new Resolver(selection.library).get(requestFor({ profile: selection.profile, params: parsedParams.params }, loaded.source.data), file);
    if (!outcome.ok) {
      process.stderr.write(formatFailures(lang, [...selection.library.failures, ...outcome.failures]));
      return EXIT_ERROR;
    }
    const { set } = outcome;
    const scope = { checklists: selection.checklists ?? [], sections: opts.section };
    for (const problem of checkScope(set, scope)) {
      if (problem.kind === 'checklist') return fail(lang, 'interview.checklistNotUsed', { id: problem.name, known: problem.known.join(', ') });
      return fail(lang, 'interview.unknownSection', { name: problem.name, known: problem.known.join(', ') });
    }

    store = new SchoolStore(file, set);
    const color = useColor(process.stdout, g.color);
    const options: SessionOptions = {
      lang,
      review: opts.review === true,
      scope,
      width: Math.max(40, Math.min(process.stdout.columns || 80, 100)),
      color,
      tool: { name: 'reopen-audit', version: toolVersion() },
    };
    const walked = await walkItems(set, store, options, print);
    const reportFile = reportPathFor(file);
    const markdown = await finish(set, walked, options, reportFile, print);
    if (markdown !== undefined) {
      try {
        await writeSchoolText(reportFile, markdown);
      } catch (error) {
        return fail(lang, 'cli.writeFailed', { path: reportFile, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
      }
      print(w(lang, 'reportWritten', { file: reportFile }));
    }
    return walked.result.verdict === 'READY' ? 0 : 1;
  } catch (error) {
    if (isInterrupt(error)) {
      process.stderr.write(`\n${interruptMessage()}\n`);
      return EXIT_INTERRUPTED;
    }
    if (error instanceof StoreError) {
      printProblems(lang, error.problems);
      return fail(lang, 'interview.fixFirst', { file });
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
