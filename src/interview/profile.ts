/**
 * A new school's profile and audit block, asked for one field at a time with the same
 * limits the school-file schema sets, so the file created is valid from the start.
 */
import { input, select } from '@inquirer/prompts';
import { label, type Lang } from '../i18n/index.js';
import { LEVELS, SCHOOL_TYPES, type Level, type SchoolType } from '../model/schema.js';
import type { NewSchoolFile } from '../write/school-file.js';
import { parseDate, selectTheme, yesNo } from './prompts.js';
import { w } from './text.js';

export interface ProfileDefaults {
  /** Today's date, read by the command-line shell (the engine never reads the clock). */
  today: string;
  profile?: string;
  checklists?: string[];
}

function wholeNumber(lang: Lang, min: number, max: number, optional = false) {
  return (raw: string): true | string => {
    const text = raw.trim();
    if (text === '' && optional) return true;
    const n = Number(text.replace(/[,，\s]/g, ''));
    if (text === '' || !Number.isInteger(n) || n < min || n > max) return w(lang, 'wholeNumber', { min, max });
    return true;
  };
}

const toInt = (raw: string) => Number(raw.trim().replace(/[,，\s]/g, ''));

export async function askProfile(lang: Lang, defaults: ProfileDefaults): Promise<{ file: Omit<NewSchoolFile, 'header'>; auditorsGiven: boolean }> {
  const required = (raw: string) => (raw.trim() === '' ? w(lang, 'required') : true);
  const name = (await input({ message: w(lang, 'askName'), validate: required })).trim();
  const id = (await input({ message: w(lang, 'askId'), validate: required })).trim();
  const district = (await input({ message: w(lang, 'askDistrict'), validate: required })).trim();
  const type = await select<SchoolType>({
    message: w(lang, 'askType'),
    choices: SCHOOL_TYPES.map((t) => ({ value: t, name: lang === 'zh' ? `${label(lang, 'schoolType', t)}（${t}）` : `${label(lang, 'schoolType', t)} (${t})` })),
    default: 'primary',
    pageSize: SCHOOL_TYPES.length,
    theme: selectTheme(lang),
  });
  const boarding = await yesNo(lang, w(lang, 'askBoarding'), false);
  const canteen = await yesNo(lang, w(lang, 'askCanteen'), false);
  const students = toInt(await input({ message: w(lang, 'askStudents'), validate: wholeNumber(lang, 0, 1_000_000) }));
  const staff = toInt(await input({ message: w(lang, 'askStaff'), validate: wholeNumber(lang, 0, 100_000) }));
  let boarders: number | undefined;
  if (boarding) {
    const raw = await input({
      message: w(lang, 'askBoarders'),
      validate: (v) => {
        const ok = wholeNumber(lang, 0, 1_000_000, true)(v);
        if (ok !== true) return ok;
        return v.trim() !== '' && toInt(v) > students ? w(lang, 'notMoreThanStudents', { students }) : true;
      },
    });
    boarders = raw.trim() === '' ? undefined : toInt(raw);
  }
  const classesRaw = await input({ message: w(lang, 'askClasses'), validate: wholeNumber(lang, 0, 10_000, true) });
  const classes = classesRaw.trim() === '' ? undefined : toInt(classesRaw);
  const date = parseDate(
    await input({
      message: w(lang, 'askDate'),
      default: defaults.today,
      validate: (v) => (parseDate(v) ? true : w(lang, 'askDate')),
    }),
  ) as string;
  const level = await select<Level>({
    message: w(lang, 'askLevel'),
    choices: LEVELS.map((l) => ({ value: l, name: lang === 'zh' ? `${label(lang, 'level', l)}（${l}）` : `${label(lang, 'level', l)} (${l})` })),
    default: 'county',
    theme: selectTheme(lang),
  });
  const auditor = (await input({ message: w(lang, 'askAuditor') })).trim();
  const org = auditor ? (await input({ message: w(lang, 'askOrg') })).trim() : '';
  const auditors: Record<string, string>[] | undefined = auditor ? [org ? { name: auditor, org } : { name: auditor }] : undefined;
  return {
    auditorsGiven: auditor !== '',
    file: {
      school: { id, name, district, type, boarding, canteen, students, staff, boarders, classes },
      audit: {
        date,
        level,
        auditors,
        profile: defaults.profile,
        checklists: defaults.profile ? undefined : defaults.checklists,
      },
      notes: {
        'school.type': label(lang, 'schoolType', type),
        'audit.level': label(lang, 'level', level),
      },
    },
  };
}
