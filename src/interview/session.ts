/**
 * The interview: walk the items that apply, section by section, one prompt each, saving
 * every answer to the school file before the next question. Applicability and results are
 * the engine's (`auditSchool` on the answers so far); the file on disk is the only state
 * that outlives the process, so stopping anywhere loses nothing that was confirmed.
 */
import { Chalk } from 'chalk';
import { auditSchool } from '../engine/audit.js';
import { explain, label, local, t, type Lang } from '../i18n/index.js';
import type { AuditRun, SchoolResult } from '../model/result.js';
import type { Answer, SchoolInput } from '../load/school.js';
import type { CompiledItem, ResolvedSet } from '../resolve/index.js';
import type { ReportContext } from '../report/index.js';
import { renderText } from '../report/text.js';
import { renderMarkdown } from '../report/markdown.js';
import { terminalSafe } from '../report/escape.js';
import type { AnswerEdit } from '../write/school-file.js';
import { answerText, conditionText, expectationText, scopeOf } from './describe.js';
import { askItem, askNotes, typedHint, yesNo } from './prompts.js';
import type { SchoolStore } from './store.js';
import { w, wrapLines } from './text.js';
import { isAnswered, itemsInScope, nextToAsk, progressOf, type WalkScope } from './walk.js';

export interface SessionOptions {
  lang: Lang;
  review: boolean;
  scope: WalkScope;
  /** Columns to wrap guidance at. */
  width: number;
  color: boolean;
  tool: ReportContext['tool'];
}

export type Print = (text: string) => void;

export interface WalkOutcome {
  input: SchoolInput;
  result: SchoolResult;
  /** Items passed over with "skip for now" that are still unanswered. */
  skipped: string[];
  /** Answers saved in this run. */
  saved: number;
}

function sectionTitle(lang: Lang, set: ResolvedSet, compiled: CompiledItem): string {
  const checklist = set.catalogue.checklists.find((c) => c.id === compiled.checklistId);
  const section = checklist?.sections.find((s) => s.id === compiled.sectionId);
  return [checklist ? local(lang, checklist.title) : compiled.checklistId, section ? local(lang, section.title) : compiled.sectionId].join(' › ');
}

/** `说明：…` wrapped to the terminal, continuation lines indented under it. */
function wrapped(prefix: string, text: string, width: number): string[] {
  const lines = wrapLines(terminalSafe(`${prefix}${text}`), Math.max(20, width - 5));
  return lines.map((line, i) => (i === 0 ? line : `  ${line}`));
}

function header(lang: Lang, set: ResolvedSet, compiled: CompiledItem, input: SchoolInput, result: SchoolResult, items: CompiledItem[], options: SessionOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const item = compiled.item;
  const p = progressOf(items, result, input.answers, item.id);
  const colon = lang === 'zh' ? '：' : ': ';
  const lines: string[] = ['', chalk.dim('─'.repeat(Math.min(options.width, 72)))];
  lines.push(chalk.cyan(w(lang, 'progress', { section: p.section, sections: p.sections, title: sectionTitle(lang, set, compiled), item: p.item, items: p.items })));
  const severity = label(lang, 'severity', item.severity);
  const tag = lang === 'zh' ? `【${severity}】` : `[${severity}] `;
  lines.push(...wrapped('', `${tag}${local(lang, item.title)}`, options.width).map((l) => chalk.bold(l)));
  lines.push(chalk.dim(`${item.id} · ${w(lang, 'method')}${colon}${label(lang, 'method', item.method)}`));
  lines.push(...wrapped(`${w(lang, 'guidance')}${colon}`, local(lang, item.guidance), options.width));
  const scope = scopeOf(set, input.school, input.audit, input.answers);
  const expectation = expectationText(lang, set, compiled, scope);
  if (expectation) lines.push(...wrapped(`${w(lang, 'required_')}${colon}`, expectation, options.width).map((l) => chalk.yellow(l)));
  const condition = conditionText(lang, compiled);
  if (condition) lines.push(chalk.dim(`${w(lang, condition.label)}${colon}${condition.text}`));
  const answer = input.answers.get(item.id);
  const current = answerText(lang, compiled, answer);
  if (current) lines.push(`${w(lang, 'current')}${colon}${terminalSafe(current)}`);
  const hint = typedHint(lang, compiled, isAnswered(answer));
  if (hint) lines.push(chalk.dim(hint));
  return lines.join('\n');
}

function sameValue(current: Answer | undefined, value: AnswerEdit['value'], notApplicable: boolean): boolean {
  if (!current) return false;
  return notApplicable ? current.notApplicable === true : !current.notApplicable && current.value === value;
}

function sameNotes(current: Answer | undefined, note: string, evidence: string[]): boolean {
  return (current?.note ?? '') === note && (current?.evidence ?? []).join('\n') === evidence.join('\n');
}

/** Walk the items; throws the prompt library's ExitPromptError on Ctrl-C (the caller says how to resume). */
export async function walkItems(set: ResolvedSet, store: SchoolStore, options: SessionOptions, print: Print): Promise<WalkOutcome> {
  const { lang } = options;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  let input = await store.load();
  let result = auditSchool(set, input);
  const items = itemsInScope(set, options.scope);
  const history: number[] = [];
  const skipped = new Set<string>();
  let saved = 0;
  let index = nextToAsk(items, result, input.answers, 0, options.review);
  if (index === -1) print(w(lang, 'nothingToAsk'));
  else if (options.review) print(w(lang, 'reviewing'));
  else if ([...input.answers.values()].some(isAnswered)) print(w(lang, 'resumeAt'));

  while (index !== -1) {
    const compiled = items[index] as CompiledItem;
    const id = compiled.item.id;
    print(header(lang, set, compiled, input, result, items, options));
    const current = input.answers.get(id);
    const outcome = await askItem(lang, compiled, current);
    if (outcome.kind === 'back') {
      const previous = history.pop();
      if (previous === undefined) print(chalk.yellow(w(lang, 'atFirst')));
      else index = previous;
      continue;
    }
    history.push(index);
    if (outcome.kind === 'skip') {
      if (!isAnswered(current)) skipped.add(id);
    } else {
      // The answer is saved before the note is asked for: stopping at the note loses nothing.
      const save = async (edit: AnswerEdit, what: 'saved' | 'savedNotes') => {
        const stored = await store.save(id, edit);
        if (stored.reencoded) print(t(lang, 'interview.reencoded', { file: store.file, encoding: stored.reencoded }));
        input = stored.input;
        result = auditSchool(set, input);
        saved++;
        const itemResult = result.items.find((r) => r.id === id);
        const status = itemResult ? label(lang, 'status', itemResult.status) : '';
        const why = itemResult && itemResult.status !== 'pass' ? ` — ${explain(lang, itemResult, set.catalogue)}` : '';
        print(chalk.green(`✔ ${w(lang, what)}`) + chalk.dim(` · ${status}${terminalSafe(why)}`));
      };
      if (!sameValue(current, outcome.value, outcome.notApplicable)) await save({ value: outcome.value }, 'saved');
      const { note, evidence } = await askNotes(lang, input.answers.get(id));
      if (!sameNotes(input.answers.get(id), note, evidence)) await save({ value: outcome.value, note, evidence }, 'savedNotes');
      skipped.delete(id);
    }
    index = nextToAsk(items, result, input.answers, index + 1, options.review);
  }
  return { input, result, skipped: [...skipped].filter((id) => !isAnswered(input.answers.get(id))), saved };
}

export function runOf(set: ResolvedSet, result: SchoolResult): AuditRun {
  return { catalogues: { [set.key]: set.catalogue }, schools: [{ result, catalogueKey: set.key }], failures: [] };
}

/**
 * The verdict with the failed and unanswered items (the terminal report), then the offer
 * to write the Markdown report. Returns whether the report should be written.
 */
export async function finish(set: ResolvedSet, outcome: WalkOutcome, options: SessionOptions, reportFile: string, print: Print): Promise<string | undefined> {
  const { lang } = options;
  const run = runOf(set, outcome.result);
  print('');
  print(w(lang, 'done'));
  print(renderText(run, { lang, color: options.color, width: options.width, tool: options.tool }).trimEnd());
  if (outcome.skipped.length > 0) print(w(lang, 'skippedLeft', { count: outcome.skipped.length }));
  const write = await yesNo(lang, w(lang, 'writeReport', { file: reportFile }), true);
  if (!write) return undefined;
  return renderMarkdown(run, { lang, color: false, tool: options.tool });
}
