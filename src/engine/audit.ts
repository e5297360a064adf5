/**
 * The audit engine: (resolved checklist set, school) → result. Pure: no file system, no
 * terminal, no clock — the audit date comes from the school file. Every status carries a
 * reason; every computed threshold carries its formula and the numbers put into it.
 */
import { evaluateExpr, factsOf, formatScalar, substitute, tidyNumber, type CompiledExpr, type EvalResult, type Scope } from '../expr/index.js';
import {
  RECTIFICATION_DAYS,
  type ChecklistScore,
  type Computation,
  type Decision,
  type ItemResult,
  type Reason,
  type Scalar,
  type SchoolResult,
  type StatusCounts,
  type Verdict,
} from '../model/result.js';
import type { Bound, CompiledItem, Condition, ResolvedSet } from '../resolve/index.js';
import type { Answer, SchoolInput } from '../load/school.js';

type Outcome = Pick<ItemResult, 'status' | 'reason' | 'computation' | 'waiver'>;

const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `2020-04-20` + 5 → `2020-04-25`, in UTC so no clock or time zone enters. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whether an answer gives a value. A text answer of only spaces (`"  "`) gives none: it is
 * unanswered, like `null`, not a failing answer.
 */
export function hasValue(answer: Answer | undefined): answer is Answer & { value: Scalar } {
  if (answer === undefined || answer.value === null) return false;
  return typeof answer.value !== 'string' || answer.value.trim() !== '';
}

/**
 * What a resolved set's expressions give that does not depend on the school, kept for the
 * set's life (a worker audits thousands of schools against one set):
 * - the result of an expression that reads only parameters, computed once;
 * - the outcome of an item's condition found false, by the values it read (`boarding`
 *   false, `type` primary): the same reason, values and facts for every school with those
 *   values (one reason object per item, which the JSON report keeps its line by).
 * The outcomes are shared between schools' results, so nothing may change them.
 */
interface Plan {
  constants: Map<CompiledExpr, EvalResult | null>;
  notApplicable: Map<CompiledItem, Map<string, Outcome>>;
  /** A rollup's covered items of the severities it counts, in order, by place. */
  rollups: Map<CompiledItem, number[]>;
  /** Bounds on parameters alone: required value and computation. */
  bounds: Map<Bound, Resolved>;
  /** Each item's place in the set by id (the last with that id, as in itemsById). */
  index: Map<string, number>;
  /** By place: the place whose outcome and answer an item has (the last with its id). */
  canonical: Int32Array;
  /** By list of names an expression reads: each name's item place, or -1 for a name that is no item. */
  refPlaces: Map<readonly string[], Int32Array>;
  /**
   * By place: the result of the item passed with a bare yes (PASS_YES, no note, evidence or
   * person), the same object in every school that has it.
   */
  passedYes: (ItemResult | undefined)[];
  /** The result of a not-applicable outcome kept in `notApplicable`, for a school with no answer to the item. */
  notApplicableResults: WeakMap<Outcome, ItemResult>;
  /** By compiled item: a yes/no item with no `equals` bound and no rule (yes passes, anything else fails). */
  plainYesNo: Map<CompiledItem, boolean>;
}

type Resolved = { required: Scalar; computation?: Computation } | { outcome: Outcome };

const plans = new WeakMap<ResolvedSet, Plan>();

// Outcomes that say nothing of the school, shared by every result that has them.
const UNANSWERED: Outcome = { status: 'unanswered', reason: { code: 'reason.unanswered' } };
const UNANSWERED_OPTIONAL: Outcome = { status: 'unanswered', reason: { code: 'reason.unansweredOptional' } };
const ROLLUP_PASS: Outcome = { status: 'pass', reason: { code: 'reason.rollupPass' } };
/** A yes/no item answered yes where yes is all it asks (most items of most schools). */
const PASS_YES: Outcome = { status: 'pass', reason: { code: 'reason.pass', params: { actual: formatScalar(true) } }, computation: undefined };
const MEMO_LIMIT = 4096;

function planOf(set: ResolvedSet): Plan {
  let plan = plans.get(set);
  if (!plan) {
    const index = new Map(set.items.map((c, i) => [c.item.id, i]));
    plan = {
      constants: new Map(),
      notApplicable: new Map(),
      rollups: new Map(),
      bounds: new Map(),
      index,
      canonical: Int32Array.from(set.items, (c) => index.get(c.item.id) as number),
      refPlaces: new Map(),
      passedYes: new Array<ItemResult | undefined>(set.items.length),
      notApplicableResults: new WeakMap(),
      plainYesNo: new Map(set.items.map((c) => [c, c.item.answer?.type === 'boolean' && !c.bounds.some((b) => b.name === 'equals') && !c.rule])),
    };
    plans.set(set, plan);
  }
  return plan;
}

function placesOf(plan: Plan, refs: readonly string[]): Int32Array {
  let places = plan.refPlaces.get(refs);
  if (!places) {
    places = Int32Array.from(refs, (ref) => plan.index.get(ref) ?? -1);
    plan.refPlaces.set(refs, places);
  }
  return places;
}

/**
 * An expression's result when it reads only parameters (null when it reads anything else).
 * The scope a school starts from holds the set's parameters over the profile fields, and
 * only item answers and `value` are written into it later, so such a result is the same
 * for every school.
 */
function constantOf(plan: Plan, set: ResolvedSet, expr: CompiledExpr, scope: Scope): EvalResult | null {
  let known = plan.constants.get(expr);
  if (known === undefined) {
    const paramsOnly = expr.refs.every((ref) => set.params.has(ref) && ref !== 'value' && !set.itemsById.has(ref));
    known = paramsOnly ? evaluateExpr(expr, scope) : null;
    plan.constants.set(expr, known);
  }
  return known;
}

/** The memo key of the values an expression reads (a string and its text differ). */
function valuesKey(expr: CompiledExpr, scope: Scope): string {
  let key = '';
  for (const name of expr.refs) {
    const value = scope.get(name);
    key += `${typeof value === 'string' ? 's' : ''}${String(value)}\u0001`;
  }
  return key;
}

/** What a failed bound's reason says: the answer and what was required of it. */
function failParams(actual: Scalar, required: Scalar): Record<string, Scalar> {
  return { actual, required: typeof required === 'number' ? tidyNumber(required) : required };
}

export function auditSchool(set: ResolvedSet, input: SchoolInput): SchoolResult {
  const plan = planOf(set);
  /**
   * The result of the item at place i when it is the same in every school (a bare yes
   * passed, a not-applicable item with no answer), or undefined. Such a result is shared:
   * nothing may change it (locateFindings writes only to failed, open and waived items).
   */
  const sharedResult = (i: number, id: string, outcome: Outcome, answer: Answer | undefined): ItemResult | undefined => {
    if (outcome === PASS_YES) {
      if (answer === undefined || answer.note !== undefined || answer.evidence !== undefined || answer.responsible !== undefined) return undefined;
      return (plan.passedYes[i] ??= { id, status: 'pass', reason: outcome.reason, answer: { value: true } });
    }
    return outcome.status === 'not_applicable' && answer === undefined ? plan.notApplicableResults.get(outcome) : undefined;
  };
  const { school, audit } = input;
  // One scope for the whole school. An item's answer is written into it only after the
  // item is found applicable and answered, and every expression checks each item it reads
  // that way before it runs, so nothing it should not see is ever read.
  const scope = new Map<string, Scalar | undefined>([
    ['students', school.students],
    ['staff', school.staff],
    ['boarders', school.boarders],
    ['classes', school.classes],
    ['boarding', school.boarding ?? false],
    ['canteen', school.canteen ?? false],
    ['type', school.type],
    ['district', school.district],
    ['level', audit.level],
    ['audit_date', audit.date],
  ]);
  for (const [name, value] of set.params) scope.set(name, value);

  // Each item's outcome once decided, whether it is being decided, and its answer, by its place in the set.
  const outcomes: (Outcome | undefined)[] = new Array<Outcome | undefined>(set.items.length);
  const deciding = new Uint8Array(set.items.length);
  const answers: (Answer | undefined)[] = new Array<Answer | undefined>(set.items.length);
  input.answers.forEach((answer, id) => {
    const at = plan.index.get(id);
    if (at !== undefined) answers[at] = answer;
  });

  /** Whether an expression may run: every item it reads must apply and be answered. */
  const blockerOf = (refs: readonly string[]): Outcome | undefined => {
    const places = placesOf(plan, refs);
    for (let k = 0; k < refs.length; k++) {
      const at = places[k] as number;
      if (at < 0) continue;
      const ref = refs[k] as string;
      const dep = outcomeAt(at);
      const answer = answers[at];
      if (dep.status === 'not_applicable') {
        return { status: 'not_applicable', reason: { code: 'reason.dependsNotApplicable', params: { dep: ref } } };
      }
      if (!hasValue(answer) || answer.notApplicable) {
        return { status: 'unanswered', reason: { code: 'reason.dependsUnanswered', params: { dep: ref } } };
      }
      scope.set(ref, answer.value);
    }
    return undefined;
  };

  const evaluate = (expr: CompiledExpr, scope: Map<string, Scalar | undefined>): { value: Scalar } | { outcome: Outcome } => {
    const result = constantOf(plan, set, expr, scope) ?? evaluateExpr(expr, scope);
    // The result itself (it has a value and no outcome): no wrapper made per evaluation.
    if (result.ok) return result;
    if ('missing' in result) {
      return { outcome: { status: 'error', reason: { code: 'reason.missingProfile', params: { names: result.missing.join(', ') } } } };
    }
    return { outcome: { status: 'error', reason: { ...result.error, params: { ...result.error.params, formula: expr.source } } } };
  };

  /** The outcome of the item at a canonical place (the last with its id). */
  function outcomeAt(at: number): Outcome {
    const known = outcomes[at];
    if (known) return known;
    const compiled = set.items[at] as CompiledItem;
    if (deciding[at] === 1) return { status: 'error', reason: { code: 'reason.cycle', params: { id: compiled.item.id } } };
    deciding[at] = 1;
    const outcome = decide(compiled, answers[at]);
    deciding[at] = 0;
    outcomes[at] = outcome;
    return outcome;
  }

  function decide(compiled: CompiledItem, answer: Answer | undefined): Outcome {
    for (const condition of compiled.conditions) {
      const blocked = blockerOf(condition.refs);
      if (blocked) return blocked;
      const result = evaluate(condition, scope);
      if ('outcome' in result) return result.outcome;
      if (result.value !== true) return notApplicable(compiled, condition);
    }
    if (compiled.covers) return decideRollup(compiled);
    if (answer?.notApplicable) {
      return { status: 'not_applicable', reason: { code: 'reason.markedNotApplicable', params: { note: answer.note ?? null } } };
    }
    if (!hasValue(answer)) {
      return compiled.required ? UNANSWERED : UNANSWERED_OPTIONAL;
    }
    const outcome = check(compiled, answer);
    if (outcome.status === 'fail') return waive(compiled, outcome);
    return outcome;
  }

  /** An item's condition found false: its reason, values and facts, the same for the same values. */
  function notApplicable(compiled: CompiledItem, condition: Condition): Outcome {
    let byValues = plan.notApplicable.get(compiled);
    if (!byValues) {
      byValues = new Map();
      plan.notApplicable.set(compiled, byValues);
    }
    const key = `${compiled.conditions.indexOf(condition)}\u0002${valuesKey(condition, scope)}`;
    const known = byValues.get(key);
    if (known) return known;
    const reason: Reason = { code: 'reason.conditionFalse', params: { condition: condition.source, values: substitute(condition, scope) } };
    const facts = factsOf(condition, scope, false);
    if (facts) reason.facts = facts;
    if (condition.notApplicableReason) reason.wording = condition.notApplicableReason;
    const outcome: Outcome = { status: 'not_applicable', reason };
    if (byValues.size >= MEMO_LIMIT) byValues.clear();
    byValues.set(key, outcome);
    plan.notApplicableResults.set(outcome, { id: compiled.item.id, status: 'not_applicable', reason });
    return outcome;
  }

  function decideRollup(compiled: CompiledItem): Outcome {
    let covered = plan.rollups.get(compiled);
    if (!covered) {
      const severities = new Set(compiled.item.rollup?.severities ?? []);
      covered = (compiled.covers ?? [])
        .map((id) => plan.index.get(id) as number)
        .filter((at) => severities.has((set.items[at] as CompiledItem).item.severity));
      plan.rollups.set(compiled, covered);
    }
    const failing: string[] = [];
    const open: string[] = [];
    for (const at of covered) {
      const dep = set.items[at] as CompiledItem;
      const id = dep.item.id;
      const { status } = outcomeAt(at);
      if (status === 'fail') failing.push(id);
      else if (status === 'error' || (status === 'unanswered' && dep.required)) open.push(id);
    }
    if (failing.length > 0) return { status: 'fail', reason: { code: 'reason.rollupFail', params: { count: failing.length, items: failing.join(', ') } } };
    if (open.length > 0) return { status: 'unanswered', reason: { code: 'reason.rollupOpen', params: { count: open.length, items: open.join(', ') } } };
    return ROLLUP_PASS;
  }

  function waive(compiled: CompiledItem, outcome: Outcome): Outcome {
    const waiver = input.waivers.find((w) => w.item === compiled.item.id);
    if (!waiver || compiled.item.severity === 'gate') return outcome;
    const record = { reason: waiver.reason, approvedBy: waiver.approved_by, approvedOn: waiver.approved_on, expires: waiver.expires };
    if (waiver.expires < audit.date) return { ...outcome, waiver: { ...record, expired: true } };
    return {
      status: 'waived',
      reason: { code: 'reason.waived', params: { reason: waiver.reason, by: waiver.approved_by, expires: waiver.expires } },
      computation: outcome.computation,
      waiver: { ...record, expired: false },
    };
  }

  function resolveBound(bound: Bound, name: string): Resolved {
    if (bound.kind === 'literal') return { required: bound.value };
    const known = plan.bounds.get(bound);
    if (known) return known;
    const blocked = blockerOf(bound.expr.refs);
    if (blocked) return { outcome: blocked };
    const result = evaluate(bound.expr, scope);
    if ('outcome' in result) return result;
    const required = result.value;
    const resolved: Resolved = {
      required,
      computation: {
        bound: name,
        formula: bound.expr.source,
        substituted: substitute(bound.expr, scope),
        inputs: bound.expr.refs.map((ref) => ({ name: ref, value: scope.get(ref) ?? null })),
        required,
      },
    };
    // A bound on parameters alone (`stock_days`) has the same computation for every school.
    if (constantOf(plan, set, bound.expr, scope) !== null) plan.bounds.set(bound, resolved);
    return resolved;
  }

  function check(compiled: CompiledItem, answer: Answer): Outcome {
    const expect = compiled.item.expect ?? {};
    const actual = answer.value as Scalar;
    if (plan.plainYesNo.get(compiled) === true) {
      return actual === true ? PASS_YES : { status: 'fail', reason: { code: 'reason.failEquals', params: { actual, required: true } } };
    }
    let computation: Computation | undefined;
    const passParams: Record<string, Scalar> = { actual: formatScalar(actual) };
    const pass = (): Outcome => ({ status: 'pass', reason: { code: 'reason.pass', params: passParams }, computation });

    for (const { name, bound } of compiled.bounds) {
      const resolved = resolveBound(bound, name);
      if ('outcome' in resolved) return resolved.outcome;
      computation ??= resolved.computation;
      const required = resolved.required;
      if (name === 'min' && typeof actual === 'number' && typeof required === 'number' && actual < required) {
        return { status: 'fail', reason: { code: 'reason.failMin', params: failParams(actual, required) }, computation: resolved.computation };
      }
      if (name === 'max' && typeof actual === 'number' && typeof required === 'number' && actual > required) {
        return { status: 'fail', reason: { code: 'reason.failMax', params: failParams(actual, required) }, computation: resolved.computation };
      }
      if (name === 'equals' && actual !== required) {
        return { status: 'fail', reason: { code: 'reason.failEquals', params: failParams(actual, required) }, computation: resolved.computation };
      }
      if (name === 'within_days' && typeof actual === 'string' && typeof required === 'number') {
        const age = daysBetween(actual, audit.date);
        passParams.age = age;
        if (age < 0) return { status: 'fail', reason: { code: 'reason.failFuture', params: { actual, auditDate: audit.date } } };
        if (age > required) {
          return { status: 'fail', reason: { code: 'reason.failWithinDays', params: { actual, age, required, auditDate: audit.date } }, computation: resolved.computation };
        }
      }
    }
    if (expect.one_of && typeof actual === 'string' && !expect.one_of.includes(actual)) {
      return { status: 'fail', reason: { code: 'reason.failOneOf', params: { actual, allowed: expect.one_of.join(', ') } } };
    }
    if (expect.not_after_audit && typeof actual === 'string' && actual > audit.date) {
      return { status: 'fail', reason: { code: 'reason.failFuture', params: { actual, auditDate: audit.date } } };
    }
    if (compiled.rule) {
      const blocked = blockerOf(compiled.rule.refs);
      if (blocked) return blocked;
      scope.set('value', actual);
      const result = evaluate(compiled.rule, scope);
      if ('outcome' in result) return result.outcome;
      if (result.value !== true) {
        const reason: Reason = { code: 'reason.failRule', params: { rule: compiled.rule.source, values: substitute(compiled.rule, scope) } };
        const facts = factsOf(compiled.rule, scope, false);
        if (facts) reason.facts = facts;
        return { status: 'fail', reason };
      }
    }
    return pass();
  }

  const items: ItemResult[] = [];
  const counts: StatusCounts = { fail: 0, error: 0, unanswered: 0, waived: 0, pass: 0, not_applicable: 0 };
  const tallies = new Map<string, { score: number; possible: number; open: number }>();
  for (const cl of set.catalogue.checklists) tallies.set(cl.id, { score: 0, possible: 0, open: 0 });
  const decisive: Decision[] = [];
  const open: Decision[] = [];
  const rectificationDays = set.params.get(RECTIFICATION_DAYS);
  const deadline = typeof rectificationDays === 'number' ? addDays(audit.date, Math.ceil(rectificationDays)) : undefined;
  for (let i = 0; i < set.items.length; i++) {
    const compiled = set.items[i] as CompiledItem;
    const id = compiled.item.id;
    const at = plan.canonical[i] as number;
    const outcome = outcomeAt(at);
    const { status } = outcome;
    const answer = answers[at];
    // A result with nothing of the school's own is one object for every school that has it.
    const shared = sharedResult(i, id, outcome, answer);
    const result: ItemResult = shared ?? { id, status, reason: outcome.reason };
    if (!shared) {
      if (outcome.computation) result.computation = outcome.computation;
      if (outcome.waiver) result.waiver = outcome.waiver;
      if (status === 'fail' && deadline !== undefined) result.deadline = deadline;
      if (answer && (answer.value !== null || answer.note || answer.evidence)) {
        const record: ItemResult['answer'] = { value: answer.value };
        if (answer.note !== undefined) record.note = answer.note;
        if (answer.evidence !== undefined) record.evidence = answer.evidence;
        if (answer.responsible !== undefined) record.responsible = answer.responsible;
        result.answer = record;
      }
    }
    items.push(result);
    counts[status]++;
    const tally = tallies.get(compiled.checklistId);
    if (tally && status !== 'not_applicable' && status !== 'waived') {
      tally.possible += compiled.weight;
      if (status === 'pass') tally.score += compiled.weight;
      else if (status === 'unanswered' || status === 'error') tally.open += compiled.weight;
    }
    const severity = compiled.item.severity;
    if (status === 'fail' && set.notReadyOn.has(severity)) decisive.push({ id, kind: 'item', status, severity });
    if (status === 'error' || (status === 'unanswered' && compiled.required)) open.push({ id, kind: 'item', status, severity });
  }

  const scores: ChecklistScore[] = set.catalogue.checklists.map((cl) => {
    const { score, possible, open: unsure } = tallies.get(cl.id) as { score: number; possible: number; open: number };
    const percent = possible > 0 ? Math.round((score / possible) * 1000) / 10 : null;
    // Below the pass mark only when even passing every open item could not lift it.
    const belowPassMark = cl.passMark !== null && possible > 0 && ((score + unsure) / possible) * 100 < cl.passMark;
    return { id: cl.id, version: cl.version, score, possible, percent, passMark: cl.passMark, belowPassMark };
  });
  for (const score of scores) if (score.belowPassMark) decisive.push({ id: score.id, kind: 'score' });

  let verdict: Verdict = 'READY';
  let decidedBy: Decision[] = [];
  if (decisive.length > 0) {
    verdict = 'NOT_READY';
    decidedBy = decisive;
  } else if (open.length > 0) {
    verdict = 'INCOMPLETE';
    decidedBy = open;
  }
  return {
    file: input.file,
    school: input.school,
    audit: input.audit,
    profileId: set.profileId,
    verdict,
    decidedBy,
    scores,
    counts,
    items,
  };
}

