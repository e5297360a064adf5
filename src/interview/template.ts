/**
 * The fill-in template `init` writes: the school and audit blocks with blanks to fill, and
 * every item that applies to the school as described, each with its question, method,
 * guidance, expectation and how to answer as comments above a blank value. Filling in the
 * blanks is all it takes: the file then audits as it is. Pure: text out, no I/O.
 */
import { label, local, type Lang } from '../i18n/index.js';
import { LEVELS, SCHOOL_TYPES, type AnswerSpec, type Level, type SchoolType } from '../model/schema.js';
import type { CompiledItem, ResolvedSet } from '../resolve/index.js';
import { stripControls } from '../report/escape.js';
import { scalarText } from '../write/school-file.js';
import { applicability, conditionText, expectationText, parameterNotes, scopeOf, type Applicability } from './describe.js';
import { w, wrapLines } from './text.js';

export interface TemplateFacts {
  type?: SchoolType;
  boarding?: boolean;
  canteen?: boolean;
  students?: number;
  staff?: number;
  level: Level;
  /** Recorded in the audit block so `audit` uses the same checklists. */
  profile?: string;
  checklists?: string[];
}

export interface Template {
  text: string;
  items: string[];
}

/** Comment width in display columns (a Chinese character counts two). */
const WIDTH = 86;

function comment(indent: string, text: string, width = WIDTH): string[] {
  return wrapLines(stripControls(text), width - indent.length - 3).map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`));
}

function answerHint(lang: Lang, compiled: CompiledItem): string {
  const spec = compiled.item.answer as AnswerSpec;
  const na = compiled.item.severity === 'gate' ? '' : w(lang, 'tplNa');
  const sep = lang === 'zh' ? '，' : ', ';
  switch (spec.type) {
    case 'boolean':
      return `${w(lang, 'tplBoolean')}${na}`;
    case 'number': {
      const parts = [w(lang, 'tplNumber') + (spec.unit ? (lang === 'zh' ? `（${spec.unit.zh}）` : ` (${spec.unit.en})`) : '')];
      if (spec.integer) parts.push(w(lang, 'tplInteger'));
      if (spec.min !== undefined) parts.push(w(lang, 'tplAtLeast', { min: spec.min }));
      if (spec.max !== undefined) parts.push(w(lang, 'tplAtMost', { max: spec.max }));
      return parts.join(sep) + na;
    }
    case 'date':
      return w(lang, 'tplDateAnswer') + na;
    case 'choice': {
      const options = (spec.options ?? []).map((o) => (lang === 'zh' ? `${o.value}（${o.label.zh}）` : `${o.value} (${o.label.en})`));
      return w(lang, 'tplChoice', { options: options.join(' / ') }) + na;
    }
    default:
      return w(lang, 'tplText') + na;
  }
}

function facts(lang: Lang, f: TemplateFacts): string {
  const parts: string[] = [];
  if (f.type) parts.push(w(lang, 'tplFactType', { label: label(lang, 'schoolType', f.type) }));
  parts.push(w(lang, f.boarding ? 'tplFactBoarding' : 'tplFactNotBoarding'));
  parts.push(w(lang, f.canteen ? 'tplFactCanteen' : 'tplFactNoCanteen'));
  if (f.students !== undefined) parts.push(w(lang, 'tplFactStudents', { n: f.students }));
  if (f.staff !== undefined) parts.push(w(lang, 'tplFactStaff', { n: f.staff }));
  return parts.join(lang === 'zh' ? '；' : '; ');
}

/** `key: value  # note`, or `key:  # note` for a blank to fill in. */
function field(key: string, value: string | number | boolean | undefined, note: string): string {
  const head = value === undefined ? `  ${key}:` : `  ${key}: ${scalarText(value)}`;
  return `${head}  # ${stripControls(note)}`;
}

export function renderTemplate(lang: Lang, set: ResolvedSet, f: TemplateFacts, file: string): Template {
  const colon = lang === 'zh' ? '：' : ': ';
  const lines: string[] = [];
  const checklists = set.catalogue.checklists.map((c) => `${c.id} ${c.version}「${local(lang, c.title)}」`).join(lang === 'zh' ? '、' : ', ');
  const profile = `${set.catalogue.profile.id}「${local(lang, set.catalogue.profile.title)}」`;
  lines.push(...comment('', w(lang, 'tplTitle')), '#');
  lines.push(...comment('', w(lang, 'tplProfile', { profile, checklists })));
  lines.push(...comment('', f.type ? w(lang, 'tplFacts', { facts: facts(lang, f) }) : w(lang, 'tplAllItems')));
  lines.push(...comment('', w(lang, 'tplRegenerate', { file })), '#');
  lines.push(`# ${w(lang, 'tplHowTitle')}`);
  for (const key of ['tplHow1', 'tplHow2', 'tplHow3'] as const) lines.push(...comment('', w(lang, key)));
  lines.push(`# ${w(lang, 'tplHow3Example')}`);
  lines.push(...comment('', w(lang, 'tplHow4', { file })));

  const typeList = SCHOOL_TYPES.map((t) => `${t} ${label(lang, 'schoolType', t)}`).join(' / ');
  lines.push('school:');
  lines.push(field('id', undefined, w(lang, 'tplId')));
  lines.push(field('name', undefined, w(lang, 'tplName')));
  lines.push(field('district', undefined, w(lang, 'tplDistrict')));
  lines.push(f.type ? field('type', f.type, w(lang, 'tplTypeChosen', { label: label(lang, 'schoolType', f.type) })) : field('type', undefined, w(lang, 'tplType', { types: typeList })));
  lines.push(field('boarding', f.boarding ?? false, w(lang, 'tplBoarding')));
  lines.push(field('canteen', f.canteen ?? false, w(lang, 'tplCanteen')));
  lines.push(field('students', f.students, w(lang, 'tplStudents')));
  lines.push(field('staff', f.staff, w(lang, 'tplStaff')));
  lines.push(`  # boarders: 0  # ${w(lang, 'tplBoarders')}`);
  lines.push(`  # classes: 0  # ${w(lang, 'tplClasses')}`);
  lines.push('audit:');
  lines.push(field('date', undefined, w(lang, 'tplDate')));
  lines.push(field('level', f.level, w(lang, 'tplLevel', { levels: LEVELS.map((l) => `${l} ${label(lang, 'level', l)}`).join(' / ') })));
  if (f.profile) lines.push(`  profile: ${scalarText(f.profile)}`);
  else if (f.checklists && f.checklists.length > 0) lines.push(`  checklists: [${f.checklists.map((c) => scalarText(c)).join(', ')}]`);
  lines.push(`  # ${w(lang, 'tplAuditors')}`);
  lines.push(`  # auditors:`);
  lines.push(`  #   - name: ${w(lang, 'tplAuditorName')}`);
  lines.push(`  #     org: ${w(lang, 'tplAuditorOrg')}`);
  lines.push('answers:');

  const scope = scopeOf(set, { type: f.type, boarding: f.boarding, canteen: f.canteen, students: f.students, staff: f.staff }, { level: f.level });
  const decided = new Map<string, Applicability>();
  const written: string[] = [];
  let lastChecklist = '';
  let lastSection = '';
  for (const compiled of set.items) {
    const decision = f.type ? applicability(set, compiled, scope, decided) : 'undecided';
    decided.set(compiled.item.id, decision);
    if (decision === 'not_applicable' || !compiled.item.answer) continue;
    const checklist = set.catalogue.checklists.find((c) => c.id === compiled.checklistId);
    if (compiled.checklistId !== lastChecklist) {
      const version = `${compiled.checklistId} ${checklist?.version ?? ''}`.trim();
      const title = checklist ? local(lang, checklist.title) : compiled.checklistId;
      lines.push('', `  # ════ ${title}${lang === 'zh' ? `（${version}）` : ` (${version})`} ════`);
      lastChecklist = compiled.checklistId;
      lastSection = '';
    }
    if (compiled.sectionId !== lastSection) {
      const section = checklist?.sections.find((s) => s.id === compiled.sectionId);
      lines.push('', `  # ── ${section ? local(lang, section.title) : compiled.sectionId} ──`);
      lastSection = compiled.sectionId;
    }
    const item = compiled.item;
    const severity = label(lang, 'severity', item.severity);
    lines.push('');
    lines.push(...comment('  ', lang === 'zh' ? `【${severity}】${local(lang, item.title)}` : `[${severity}] ${local(lang, item.title)}`));
    lines.push(...comment('  ', `${w(lang, 'method')}${colon}${label(lang, 'method', item.method)}`));
    lines.push(...comment('  ', `${w(lang, 'guidance')}${colon}${local(lang, item.guidance)}`));
    const expectation = expectationText(lang, set, compiled, scope);
    if (expectation) lines.push(...comment('  ', `${w(lang, 'required_')}${colon}${expectation}`));
    for (const note of parameterNotes(lang, set, compiled)) lines.push(...comment('  ', `${w(lang, 'params')}${colon}${note}`));
    const condition = conditionText(lang, compiled);
    if (condition && decision === 'undecided') lines.push(...comment('  ', `${w(lang, condition.label)}${colon}${condition.text}${lang === 'zh' ? '' : ' '}${w(lang, condition.label === 'appliesWhen' ? 'tplUndecided' : 'tplThenBlank')}`));
    lines.push(...comment('  ', `${w(lang, 'tplAnswer')}${colon}${answerHint(lang, compiled)}`));
    lines.push(`  ${scalarText(item.id)}:`);
    written.push(item.id);
  }
  return { text: `${lines.join('\n')}\n`, items: written };
}
