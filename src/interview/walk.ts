/**
 * Which items an interview walks, in what order, and where it stands. Pure: applicability
 * comes from the engine's own result for the answers given so far, so the interview never
 * decides on its own what applies.
 */
import type { ItemResult, SchoolResult } from '../model/result.js';
import type { CompiledItem, ResolvedSet } from '../resolve/index.js';
import type { Answer } from '../load/school.js';
import { hasValue } from '../engine/audit.js';

export interface WalkScope {
  /** Checklist ids to walk; empty = all. */
  checklists: string[];
  /** `checklist/section` or a bare section id; empty = all. */
  sections: string[];
}

/** A scope entry that names nothing in the resolved checklists. */
export type ScopeProblem = { kind: 'checklist' | 'section'; name: string; known: string[] };

export function checkScope(set: ResolvedSet, scope: WalkScope): ScopeProblem[] {
  const problems: ScopeProblem[] = [];
  const checklistIds = set.catalogue.checklists.map((c) => c.id);
  for (const id of scope.checklists) {
    if (!checklistIds.includes(id)) problems.push({ kind: 'checklist', name: id, known: checklistIds });
  }
  const sectionKeys = set.catalogue.checklists.flatMap((c) => c.sections.map((s) => `${c.id}/${s.id}`));
  for (const name of scope.sections) {
    const found = name.includes('/') ? sectionKeys.includes(name) : sectionKeys.some((k) => k.endsWith(`/${name}`));
    if (!found) problems.push({ kind: 'section', name, known: sectionKeys });
  }
  return problems;
}

/** Answerable items in scope, in checklist order (roll-ups are derived, never asked). */
export function itemsInScope(set: ResolvedSet, scope: WalkScope): CompiledItem[] {
  return set.items.filter((c) => {
    if (!c.item.answer) return false;
    if (scope.checklists.length > 0 && !scope.checklists.includes(c.checklistId)) return false;
    if (scope.sections.length > 0) {
      const key = `${c.checklistId}/${c.sectionId}`;
      if (!scope.sections.some((s) => (s.includes('/') ? s === key : s === c.sectionId))) return false;
    }
    return true;
  });
}

/** Answered as the engine sees it: a value (a text of only spaces is none) or marked not applicable. */
export function isAnswered(answer: Answer | undefined): boolean {
  return answer !== undefined && (answer.notApplicable === true || hasValue(answer));
}

/**
 * Whether the item is part of the walk for this school as answered so far: everything but
 * what the engine finds not applicable by condition. An item the inspector marked not
 * applicable is still part of it (it was asked).
 */
export function inWalk(result: ItemResult | undefined): boolean {
  if (!result) return false;
  return result.status !== 'not_applicable' || result.reason.code === 'reason.markedNotApplicable';
}

export interface Progress {
  section: number;
  sections: number;
  sectionTitleKey: { checklistId: string; sectionId: string };
  item: number;
  items: number;
  answered: number;
}

/** `章节 3/10，第 17/64 项`: the place of `id` among the items that apply, by section. */
export function progressOf(items: CompiledItem[], result: SchoolResult, answers: ReadonlyMap<string, Answer>, id: string): Progress {
  const byId = new Map(result.items.map((i) => [i.id, i]));
  const walked = items.filter((c) => inWalk(byId.get(c.item.id)) || c.item.id === id);
  const sectionKeys: string[] = [];
  for (const c of walked) {
    const key = `${c.checklistId}/${c.sectionId}`;
    if (!sectionKeys.includes(key)) sectionKeys.push(key);
  }
  const index = walked.findIndex((c) => c.item.id === id);
  const current = walked[index] as CompiledItem;
  return {
    section: sectionKeys.indexOf(`${current.checklistId}/${current.sectionId}`) + 1,
    sections: sectionKeys.length,
    sectionTitleKey: { checklistId: current.checklistId, sectionId: current.sectionId },
    item: index + 1,
    items: walked.length,
    answered: walked.filter((c) => isAnswered(answers.get(c.item.id))).length,
  };
}

/**
 * The next item to ask from position `from`: the first that applies and, unless reviewing,
 * is not yet answered. `-1` when the walk is over.
 */
export function nextToAsk(items: CompiledItem[], result: SchoolResult, answers: ReadonlyMap<string, Answer>, from: number, review: boolean): number {
  const byId = new Map(result.items.map((i) => [i.id, i]));
  for (let i = from; i < items.length; i++) {
    const id = (items[i] as CompiledItem).item.id;
    if (!inWalk(byId.get(id))) continue;
    if (!review && isAnswered(answers.get(id))) continue;
    return i;
  }
  return -1;
}
