/**
 * What an inspector needs to read before answering an item: the expectation computed for
 * this school (`≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天`), how to
 * answer, when the item applies. Shared by the interview and the fill-in template; pure.
 */
import { evaluateExpr, formatScalar, substitute, tidyNumber, type CompiledExpr } from '../expr/index.js';
import { label, local, type Lang } from '../i18n/index.js';
import type { Scalar } from '../model/result.js';
import type { AuditMeta, LocalText, SchoolProfile } from '../model/schema.js';
import type { Answer } from '../load/school.js';
import { hasValue } from '../engine/audit.js';
import { PROFILE_SYMBOLS, type CompiledItem, type ResolvedSet } from '../resolve/index.js';
import { w, type WordKey } from './text.js';

export type Scope = ReadonlyMap<string, Scalar | undefined>;

/**
 * The names an expression can read, with the values known so far. Mirrors the engine's
 * scope; profile fields not yet known (a template for a school without a headcount) are
 * simply absent.
 */
export function scopeOf(set: ResolvedSet, school: Partial<SchoolProfile>, audit: Partial<AuditMeta>, answers?: ReadonlyMap<string, Answer>): Map<string, Scalar | undefined> {
  const scope = new Map<string, Scalar | undefined>([
    ['students', school.students],
    ['staff', school.staff],
    ['boarders', school.boarders],
    ['classes', school.classes],
    ['boarding', school.boarding ?? (school.type !== undefined ? false : undefined)],
    ['canteen', school.canteen ?? (school.type !== undefined ? false : undefined)],
    ['type', school.type],
    ['district', school.district],
    ['level', audit.level],
    ['audit_date', audit.date],
  ]);
  for (const [name, value] of set.params) scope.set(name, value);
  for (const [id, answer] of answers ?? []) {
    if (hasValue(answer) && !answer.notApplicable) scope.set(id, answer.value);
  }
  return scope;
}

function unitText(lang: Lang, unit: LocalText | undefined): string {
  return unit ? ` ${unit[lang]}` : '';
}

function valueText(lang: Lang, value: Scalar): string {
  if (typeof value === 'boolean') return label(lang, 'yesNo', String(value));
  if (typeof value === 'string') return value;
  return formatScalar(value);
}

/** How a name reads inside a formula: `学生 1100`, `14 天`, or just `学生` while unknown. */
function refLabel(lang: Lang, set: ResolvedSet, name: string, value: Scalar | undefined): string {
  const known = value !== undefined && value !== null;
  if (PROFILE_SYMBOLS.has(name)) {
    const word = w(lang, `var_${name}` as WordKey);
    return known ? `${word} ${valueText(lang, value)}` : word;
  }
  const param = set.catalogue.parameters.find((p) => p.name === name);
  if (param) {
    if (param.unit && known) return `${valueText(lang, value)}${unitText(lang, param.unit)}`;
    return known ? `${name} ${valueText(lang, value)}` : name;
  }
  const item = set.catalogue.items[name];
  if (item && known) return `${valueText(lang, value)}${unitText(lang, item.unit)}`;
  return name;
}

/**
 * The formula with every name shown as a person reads it. `substitute()` renders the sum
 * with the right brackets; each name goes in as a distinct number that is then swapped for
 * its label, so the bracketing stays the engine's own.
 */
export function labelledFormula(lang: Lang, set: ResolvedSet, expr: CompiledExpr, scope: Scope): string {
  let base = 7_300_000_001;
  while (expr.source.includes(String(base).slice(0, 6))) base += 1_000_000_000;
  const stand = new Map<string, Scalar>();
  const labels = new Map<string, string>();
  expr.refs.forEach((name, i) => {
    const marker = base + i;
    stand.set(name, marker);
    labels.set(String(marker), refLabel(lang, set, name, scope.get(name)));
  });
  let text = substitute(expr, stand);
  for (const [marker, text_] of labels) text = text.split(marker).join(text_);
  return text;
}

function symbol(bound: string): string {
  return bound === 'min' ? '≥' : bound === 'max' ? '≤' : '=';
}

function shiftDate(date: string, days: number): string | undefined {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return undefined;
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** `≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天` and the like; undefined when any answer passes. */
export function expectationText(lang: Lang, set: ResolvedSet, compiled: CompiledItem, scope: Scope): string | undefined {
  const spec = compiled.item.answer;
  if (!spec) return undefined;
  const expect = compiled.item.expect ?? {};
  const unit = unitText(lang, spec.unit);
  const sep = lang === 'zh' ? '，' : ', ';
  const parts: string[] = [];
  const optionLabel = (value: string) => {
    const option = spec.options?.find((o) => o.value === value);
    return option ? `${local(lang, option.label)} (${value})` : value;
  };
  if (spec.type === 'boolean' && !compiled.bounds.some((b) => b.name === 'equals') && !compiled.rule) parts.push(w(lang, 'mustBeYes'));
  for (const { name, bound } of compiled.bounds) {
    if (name === 'within_days') {
      const days = bound.kind === 'literal' ? bound.value : evaluated(bound.expr, scope);
      const date = scope.get('audit_date');
      if (typeof days === 'number' && typeof date === 'string') {
        parts.push(w(lang, 'withinDays', { days, from: shiftDate(date, -days) ?? '?', to: date }));
      } else parts.push(w(lang, 'withinDaysNoDate', { days: typeof days === 'number' ? days : bound.kind === 'expr' ? bound.expr.source : '?' }));
      continue;
    }
    if (bound.kind === 'literal') {
      const v = bound.value;
      if (typeof v === 'boolean') parts.push(w(lang, v ? 'mustBeYes' : 'mustBeNo'));
      else if (spec.type === 'choice' && typeof v === 'string') parts.push(optionLabel(v));
      else parts.push(`${symbol(name)} ${typeof v === 'string' ? `“${v}”` : formatScalar(v)}${unit}`);
      continue;
    }
    const value = evaluated(bound.expr, scope);
    const formula = labelledFormula(lang, set, bound.expr, scope);
    if (value !== undefined) {
      const shown = typeof value === 'number' ? formatScalar(tidyNumber(value)) : valueText(lang, value);
      parts.push(`${symbol(name)} ${shown}${unit}${sep}${w(lang, 'basis')} ${formula}`);
    } else {
      const pending = bound.expr.refs.some((r) => set.itemsById.has(r)) ? w(lang, 'whenAnswered') : w(lang, 'whenKnown');
      parts.push(`${symbol(name)} ${formula}${lang === 'en' ? ' ' : ''}${pending}`);
    }
  }
  if (expect.one_of) parts.push(w(lang, 'oneOf', { options: expect.one_of.map(optionLabel).join(lang === 'zh' ? '、' : ', ') }));
  if (expect.not_after_audit) {
    const date = scope.get('audit_date');
    parts.push(w(lang, 'notAfterAudit', { date: typeof date === 'string' ? (lang === 'zh' ? `（${date}）` : ` (${date})`) : '' }));
  }
  if (expect.non_empty) parts.push(w(lang, 'nonEmpty'));
  if (compiled.rule) parts.push(w(lang, 'rule', { rule: compiled.rule.source }));
  return parts.length > 0 ? parts.join(lang === 'zh' ? '；' : '; ') : undefined;
}

function evaluated(expr: CompiledExpr, scope: Scope): Scalar | undefined {
  const result = evaluateExpr(expr, scope);
  return result.ok ? result.value : undefined;
}

/** The conditions under which an item applies, as written in the checklist. */
export function conditionText(lang: Lang, compiled: CompiledItem): { label: WordKey; text: string } | undefined {
  if (compiled.conditions.length === 0) return undefined;
  // In words where the checklist says when it does not apply (every built-in condition does);
  // the expression itself only for a condition that has no such words.
  if (compiled.conditions.every((c) => c.notApplicableReason)) {
    const reasons = [...new Set(compiled.conditions.map((c) => local(lang, c.notApplicableReason)))];
    const joined = lang === 'zh' ? reasons.join('；或') : reasons.map((r, i) => (i > 0 ? r.charAt(0).toLowerCase() + r.slice(1) : r)).join('; or ');
    return { label: 'notApplicableWhen', text: joined };
  }
  return { label: 'appliesWhen', text: compiled.conditions.map((c) => (compiled.conditions.length > 1 ? `(${c.source})` : c.source)).join(' && ') };
}

/** Parameters a threshold reads, with their value and what they mean. */
export function parameterNotes(lang: Lang, set: ResolvedSet, compiled: CompiledItem): string[] {
  const names = new Set<string>();
  for (const { bound } of compiled.bounds) if (bound.kind === 'expr') for (const r of bound.expr.refs) names.add(r);
  return set.catalogue.parameters
    .filter((p) => names.has(p.name))
    .map((p) => `${p.name} = ${valueText(lang, p.value)}${unitText(lang, p.unit)}${lang === 'zh' ? '：' : ': '}${local(lang, p.description)}`);
}

/** A recorded answer as a person reads it: 是, 16800 只, 测温门 (gate), 不适用. */
export function answerText(lang: Lang, compiled: CompiledItem, answer: Answer | undefined): string | undefined {
  if (!answer) return undefined;
  if (answer.notApplicable) return label(lang, 'status', 'not_applicable');
  if (answer.value === null) return undefined;
  const spec = compiled.item.answer;
  if (spec?.type === 'choice') {
    const option = spec.options?.find((o) => o.value === answer.value);
    if (option) return `${local(lang, option.label)} (${String(answer.value)})`;
  }
  return `${valueText(lang, answer.value)}${unitText(lang, spec?.unit)}`;
}

export type Applicability = 'applies' | 'not_applicable' | 'undecided';

/**
 * Whether an item applies to a school known only in part (a template written before the
 * school is filled in): a condition that reads something unknown, or another item's
 * answer, stays undecided. `decided` holds the items already judged, in checklist order.
 */
export function applicability(set: ResolvedSet, compiled: CompiledItem, scope: Scope, decided: ReadonlyMap<string, Applicability>): Applicability {
  let undecided = false;
  for (const condition of compiled.conditions) {
    if (condition.refs.some((r) => set.itemsById.has(r) && decided.get(r) === 'not_applicable')) return 'not_applicable';
    const result = evaluateExpr(condition, scope);
    if (!result.ok) {
      undecided = true;
      continue;
    }
    if (result.value !== true) return 'not_applicable';
  }
  return undecided ? 'undecided' : 'applies';
}
