/**
 * A school file bound to the checklists it is audited against: every answer key must be an
 * item id, every value must fit its item's answer type. Problems are located at the key or
 * value in the school file; the engine then receives clean, typed answers.
 */
import type { Item, SchoolFile } from '../model/schema.js';
import type { AnswerRecord, Problem, Reason, Scalar } from '../model/result.js';
import { closest } from '../util/suggest.js';
import { isRealDate } from '../expr/index.js';
import { describeValue, typeName } from './schema-check.js';
import { problemAt, type SourceFile } from './source.js';

export interface Answer extends AnswerRecord {
  /** The inspector marked the item not applicable (`N/A`, `不适用`). */
  notApplicable?: boolean;
}

export interface SchoolInput {
  file: string;
  school: SchoolFile['school'];
  audit: SchoolFile['audit'];
  answers: Map<string, Answer>;
  waivers: NonNullable<SchoolFile['waivers']>;
}

const NA_MARKERS = new Set(['n/a', 'na', '不适用']);
/** Where an answer's value is: at its key, or under the key's `value:`. */
const valuePath = (id: string, nested: boolean): (string | number)[] => (nested ? ['answers', id, 'value'] : ['answers', id]);
/** Whether a text could be a marker once trimmed (at most 3 characters): most answers are longer and not padded. */
const mayMarkNotApplicable = (text: string) => text.length <= 3 || /^\s|\s$/.test(text);
const TRUE_WORDS = new Set(['是', '有']);
const FALSE_WORDS = new Set(['否', '无']);
const ANSWER_KEYS = ['value', 'note', 'evidence', 'responsible'];

/**
 * What binding needs of the checklists a school is audited against: each item by id, and
 * the ids of library items this run leaves out. A resolved checklist set is one.
 */
export interface BindTarget {
  itemsById: ReadonlyMap<string, { item: Item }>;
  knownElsewhere: ReadonlySet<string>;
}

export type BindOutcome = { ok: true; input: SchoolInput } | { ok: false; problems: Problem[] };

/** Why a raw value does not fit its item's answer type (a value never is one). */
class Rejected {
  constructor(readonly error: Reason) {}
}

/** What a rejected answer is described by. */
const got = (raw: unknown) => ({ got: typeName(raw), value: describeValue(raw) });

/**
 * Convert one raw value to the item's answer type, or say why it does not fit. The value
 * itself comes back (no wrapper per answer: a school has about a hundred).
 */
function coerce(raw: unknown, spec: NonNullable<Item['answer']>): Scalar | Rejected {
  switch (spec.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && TRUE_WORDS.has(raw.trim())) return true;
      if (typeof raw === 'string' && FALSE_WORDS.has(raw.trim())) return false;
      return new Rejected({ code: 'answer.boolean', params: got(raw) });
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return new Rejected({ code: 'answer.number', params: got(raw) });
      if (spec.integer && !Number.isInteger(raw)) return new Rejected({ code: 'answer.integer', params: got(raw) });
      if ((spec.min !== undefined && raw < spec.min) || (spec.max !== undefined && raw > spec.max)) {
        return new Rejected({ code: 'answer.range', params: { ...got(raw), min: spec.min ?? null, max: spec.max ?? null } });
      }
      return raw;
    case 'choice': {
      const options = (spec.options ?? []).map((o) => o.value);
      if (typeof raw === 'string' && options.includes(raw)) return raw;
      const suggestion = typeof raw === 'string' ? (closest(raw, options) ?? null) : null;
      return new Rejected({ code: suggestion ? 'answer.choiceSuggest' : 'answer.choice', params: { ...got(raw), allowed: options.join(', '), suggestion } });
    }
    case 'date':
      if (typeof raw === 'string' && isRealDate(raw)) return raw;
      return new Rejected({ code: 'answer.date', params: got(raw) });
    case 'text':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number') return String(raw);
      return new Rejected({ code: 'answer.text', params: got(raw) });
  }
}

export function bindSchool(source: SourceFile<SchoolFile>, set: BindTarget): BindOutcome {
  const { file, data, parsed } = source;
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: Reason, where: 'key' | 'value' = 'value') =>
    problems.push(problemAt(file, parsed, path, message, where));
  const answers = new Map<string, Answer>();
  const knownIds = () => set.itemsById.keys();

  const given = (data.answers ?? {}) as Record<string, unknown>;
  // Each answer in the order Object.entries gives them, with no pair made per answer.
  for (const id in given) {
    if (!Object.hasOwn(given, id)) continue;
    const raw = given[id];
    const compiled = set.itemsById.get(id);
    if (!compiled && set.knownElsewhere.has(id)) continue;
    if (!compiled) {
      const suggestion = closest(id, knownIds()) ?? null;
      at(['answers', id], { code: suggestion ? 'answer.unknownItemSuggest' : 'answer.unknownItem', params: { id, suggestion } }, 'key');
      continue;
    }
    const spec = compiled.item.answer;
    if (!spec) {
      at(['answers', id], { code: 'answer.derived', params: { id } }, 'key');
      continue;
    }
    let record: Answer = { value: null };
    // Whether the value is under the key's `value:` (its path is made only for a problem).
    let nested = false;
    let rawValue: unknown = raw;
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const obj = raw as Record<string, unknown>;
      let shapeOk = true;
      for (const key of Object.keys(obj)) {
        if (!ANSWER_KEYS.includes(key)) {
          const suggestion = closest(key, ANSWER_KEYS) ?? null;
          at(['answers', id, key], { code: suggestion ? 'schema.unknownKeySuggest' : 'schema.unknownKey', params: { key, suggestion, known: ANSWER_KEYS.join(', ') } }, 'key');
          shapeOk = false;
        }
      }
      if (obj.note !== undefined && obj.note !== null && typeof obj.note !== 'string') {
        at(['answers', id, 'note'], { code: 'schema.type', params: { field: 'note', want: 'string', got: typeName(obj.note), value: describeValue(obj.note) } });
        shapeOk = false;
      }
      if (obj.responsible !== undefined && obj.responsible !== null && typeof obj.responsible !== 'string') {
        at(['answers', id, 'responsible'], { code: 'schema.type', params: { field: 'responsible', want: 'string', got: typeName(obj.responsible), value: describeValue(obj.responsible) } });
        shapeOk = false;
      }
      const evidence = obj.evidence;
      if (evidence !== undefined && evidence !== null && !(Array.isArray(evidence) && evidence.every((e) => typeof e === 'string')) && typeof evidence !== 'string') {
        at(['answers', id, 'evidence'], { code: 'answer.evidence' });
        shapeOk = false;
      }
      if (!shapeOk) continue;
      rawValue = obj.value ?? null;
      nested = true;
      if (typeof obj.note === 'string' && obj.note !== '') record.note = obj.note;
      if (typeof obj.responsible === 'string' && obj.responsible !== '') record.responsible = obj.responsible;
      if (typeof evidence === 'string') record.evidence = [evidence];
      else if (Array.isArray(evidence) && evidence.length > 0) record.evidence = evidence as string[];
    } else if (Array.isArray(raw)) {
      at(valuePath(id, nested), { code: 'answer.shape', params: { got: 'list' } });
      continue;
    }
    if (rawValue === null || rawValue === undefined || rawValue === '') {
      answers.set(id, record);
      continue;
    }
    if (typeof rawValue === 'string' && mayMarkNotApplicable(rawValue) && NA_MARKERS.has(rawValue.trim().toLowerCase())) {
      if (compiled.item.severity === 'gate') {
        at(valuePath(id, nested), { code: 'answer.gateNotApplicable', params: { id } });
        continue;
      }
      record = { ...record, value: rawValue, notApplicable: true };
      answers.set(id, record);
      continue;
    }
    const coerced = coerce(rawValue, spec);
    if (coerced instanceof Rejected) {
      at(valuePath(id, nested), coerced.error);
      continue;
    }
    record.value = coerced;
    answers.set(id, record);
  }

  (data.waivers ?? []).forEach((waiver, index) => {
    const compiled = set.itemsById.get(waiver.item);
    if (!compiled && set.knownElsewhere.has(waiver.item)) return;
    if (!compiled) {
      const suggestion = closest(waiver.item, knownIds()) ?? null;
      at(['waivers', index, 'item'], { code: suggestion ? 'answer.unknownItemSuggest' : 'answer.unknownItem', params: { id: waiver.item, suggestion } });
    } else if (compiled.item.severity === 'gate') {
      at(['waivers', index, 'item'], { code: 'waiver.gate', params: { id: waiver.item } });
    }
  });

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { file, school: data.school, audit: data.audit, answers, waivers: data.waivers ?? [] } };
}
