/**
 * `reopen-audit init <school.yaml>`: write a fill-in template for a file-based audit. The
 * template itself is src/interview/template.ts; this is the shell: options, the profile,
 * never overwriting a file without `--force`, the atomic write.
 */
import { lstatSync } from 'node:fs';
import { t } from '../i18n/index.js';
import type { Level, SchoolType } from '../model/schema.js';
import { Resolver, requestFor } from '../pipeline.js';
import { renderTemplate } from '../interview/template.js';
import { replaceSchoolFile } from '../write/school-file.js';
import { commandError as fail, commandMessage, formatFailures } from './shared.js';
import { namedFileFailures, selectLibrary } from '../load/selection.js';
import { rosterTemplate } from '../load/roster.js';
import type { GlobalOptions } from './options.js';

export interface InitCommandOptions {
  type?: SchoolType;
  boarding?: boolean;
  canteen?: boolean;
  students?: string;
  staff?: string;
  level: Level;
  profile?: string;
  checklist: string[];
  force?: boolean;
  /** Write a roster template instead of a school file. */
  roster?: boolean;
}

const EXIT_ERROR = 2;


function count(raw: string | undefined): number | undefined | 'bad' {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : 'bad';
}

export async function runInit(file: string, opts: InitCommandOptions, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const students = count(opts.students);
  if (students === 'bad') return fail(lang, 'init.badNumber', { option: 'students', value: opts.students ?? '' });
  const staff = count(opts.staff);
  if (staff === 'bad') return fail(lang, 'init.badNumber', { option: 'staff', value: opts.staff ?? '' });
  if (opts.roster && !/\.(csv|txt|ya?ml)$/i.test(file)) return fail(lang, 'init.rosterFormat', { file });
  // A link is there even when what it points to is not: only --force replaces it.
  const there = lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  if (there && !opts.force) return fail(lang, 'init.exists', { file });
  if (opts.roster) {
    try {
      await replaceSchoolFile(file, rosterTemplate(lang, file));
    } catch (error) {
      return fail(lang, 'cli.writeFailed', { path: file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
    process.stdout.write(`${t(lang, 'init.rosterWritten', { file })}\n`);
    return 0;
  }

  const selection = await selectLibrary(opts.profile, opts.checklist);
  const named = namedFileFailures(selection);
  if (named.length > 0) {
    process.stderr.write(formatFailures(lang, named));
    return EXIT_ERROR;
  }
  const outcome = new Resolver(selection.library).get(requestFor({ profile: selection.profile, checklists: selection.checklists }, undefined), file);
  if (!outcome.ok) {
    process.stderr.write(formatFailures(lang, [...selection.library.failures, ...outcome.failures]));
    return EXIT_ERROR;
  }
  const template = renderTemplate(
    lang,
    outcome.set,
    {
      type: opts.type,
      boarding: opts.boarding,
      canteen: opts.canteen,
      students,
      staff,
      level: opts.level,
      profile: selection.profile,
      checklists: selection.profile ? undefined : selection.checklists,
    },
    file,
  );
  try {
    if (await replaceSchoolFile(file, template.text)) process.stderr.write(commandMessage(lang, 'cli.linkReplaced', { path: file }));
  } catch (error) {
    return fail(lang, 'cli.writeFailed', { path: file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
  process.stdout.write(`${t(lang, 'init.written', { file, count: template.items.length })}\n`);
  return 0;
}
