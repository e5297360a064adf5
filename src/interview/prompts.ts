/**
 * One prompt per answer type. Yes/no and choice items are a list to pick from; numbers,
 * dates and text are typed, checked as they are entered against the item's own limits.
 * Every item prompt also offers "not applicable" (never for a gate), "skip for now" and
 * "back"; a typed prompt takes these as an empty line, `<` and `不适用` / `n/a`.
 */
import { confirm, input, select, Separator } from '@inquirer/prompts';
import { t, type Lang } from '../i18n/index.js';
import type { Scalar } from '../model/result.js';
import type { AnswerSpec } from '../model/schema.js';
import type { CompiledItem } from '../resolve/index.js';
import type { Answer } from '../load/school.js';
import { describeValue, typeName } from '../load/schema-check.js';
import { w } from './text.js';

export type ItemOutcome =
  | { kind: 'answer'; value: Scalar; notApplicable: boolean }
  | { kind: 'skip' }
  | { kind: 'back' };

const NA_WORDS = new Set(['n/a', 'na', '不适用']);
const BACK = '<';

/** The text written to the file for "not applicable"; both read back the same. */
export function notApplicableValue(lang: Lang): string {
  return lang === 'zh' ? '不适用' : 'n/a';
}

export function selectTheme(lang: Lang) {
  const words: Record<string, string> = lang === 'zh' ? { navigate: '移动', select: '选择' } : {};
  return {
    style: {
      keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${key} ${words[action] ?? action}`).join(' • '),
    },
  };
}

export async function yesNo(lang: Lang, message: string, byDefault: boolean): Promise<boolean> {
  return confirm({
    message,
    default: byDefault,
    theme:
      lang === 'zh'
        ? { keywords: { yes: w(lang, 'yes'), no: w(lang, 'no'), error: () => w(lang, 'yesNoError') }, style: { confirmDefault: (text: string) => `[${text}]` } }
        : undefined,
  });
}

/** `2020-04-10`, also written `2020/4/10`, `2020.4.10` or `2020年4月10日`; undefined if not a real date. */
export function parseDate(raw: string): string | undefined {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A typed answer checked against the item's answer type: the value, or why it does not fit. */
export function parseTyped(lang: Lang, spec: AnswerSpec, raw: string): { value: Scalar } | { error: string } {
  const text = raw.trim();
  const got = { got: typeName(text), value: describeValue(text) };
  switch (spec.type) {
    case 'number': {
      const n = Number(text.replace(/[,，\s]/g, ''));
      if (text === '' || !Number.isFinite(n)) return { error: t(lang, 'answer.number', got) };
      if (spec.integer && !Number.isInteger(n)) return { error: t(lang, 'answer.integer', { value: text }) };
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        return { error: t(lang, 'answer.range', { value: text, min: spec.min ?? null, max: spec.max ?? null }) };
      }
      return { value: n };
    }
    case 'date': {
      const date = parseDate(text);
      return date ? { value: date } : { error: t(lang, 'answer.date', got) };
    }
    default:
      return text === '' ? { error: t(lang, 'answer.text', got) } : { value: text };
  }
}

type Pick = { kind: 'value'; value: Scalar } | { kind: 'na' } | { kind: 'skip' } | { kind: 'back' };

/** The prompt for one item; `current` is shown as the default when it has an answer. */
export async function askItem(lang: Lang, compiled: CompiledItem, current: Answer | undefined): Promise<ItemOutcome> {
  const spec = compiled.item.answer as AnswerSpec;
  const gate = compiled.item.severity === 'gate';
  if (spec.type === 'boolean' || spec.type === 'choice') {
    const values: { value: Scalar; name: string }[] =
      spec.type === 'boolean'
        ? [
            { value: true, name: w(lang, 'yes') },
            { value: false, name: w(lang, 'no') },
          ]
        : (spec.options ?? []).map((o) => ({ value: o.value, name: `${o.label[lang]} (${o.value})` }));
    const picks: { value: Pick; name: string }[] = values.map((v) => ({ value: { kind: 'value', value: v.value }, name: v.name }));
    if (!gate) picks.push({ value: { kind: 'na' }, name: w(lang, 'markNotApplicable') });
    const skip = { value: { kind: 'skip' } as Pick, name: w(lang, 'skip') };
    const back = { value: { kind: 'back' } as Pick, name: w(lang, 'back') };
    const byDefault = current?.notApplicable
      ? picks.find((p) => p.value.kind === 'na')
      : current && current.value !== null
        ? picks.find((p) => p.value.kind === 'value' && p.value.value === current.value)
        : undefined;
    const choice = await select<Pick>({
      message: w(lang, 'answerPrompt'),
      choices: [...picks, new Separator(), skip, back],
      default: byDefault?.value,
      loop: false,
      theme: selectTheme(lang),
    });
    if (choice.kind === 'value') return { kind: 'answer', value: choice.value, notApplicable: false };
    if (choice.kind === 'na') return { kind: 'answer', value: notApplicableValue(lang), notApplicable: true };
    return choice;
  }
  const message = w(lang, spec.type === 'number' ? 'numberPrompt' : spec.type === 'date' ? 'datePrompt' : 'textPrompt') + (spec.unit ? (lang === 'zh' ? `（${spec.unit.zh}）` : ` (${spec.unit.en})`) : '');
  const currentText = current?.notApplicable ? notApplicableValue(lang) : current && current.value !== null ? String(current.value) : undefined;
  const raw = await input({
    message,
    default: currentText,
    validate: (value) => {
      const text = value.trim();
      if (text === '' || text === BACK) return true;
      if (NA_WORDS.has(text.toLowerCase())) return gate ? w(lang, 'noNaForGate') : true;
      const parsed = parseTyped(lang, spec, text);
      return 'error' in parsed ? parsed.error : true;
    },
  });
  const text = raw.trim();
  if (text === '') return { kind: 'skip' };
  if (text === BACK) return { kind: 'back' };
  if (NA_WORDS.has(text.toLowerCase())) return { kind: 'answer', value: notApplicableValue(lang), notApplicable: true };
  const parsed = parseTyped(lang, spec, text);
  return 'value' in parsed ? { kind: 'answer', value: parsed.value, notApplicable: false } : { kind: 'skip' };
}

/** The hint line for a typed prompt. */
export function typedHint(lang: Lang, compiled: CompiledItem, hasCurrent: boolean): string | undefined {
  const spec = compiled.item.answer;
  if (!spec || spec.type === 'boolean' || spec.type === 'choice') return undefined;
  return w(lang, hasCurrent ? 'inputHintKeep' : 'inputHint') + (compiled.item.severity === 'gate' ? '' : w(lang, 'inputHintNa'));
}

/** Optional note and evidence after an answer; the current ones are the defaults. */
export async function askNotes(lang: Lang, current: Answer | undefined): Promise<{ note: string; evidence: string[] }> {
  const note = (await input({ message: w(lang, 'notePrompt'), default: current?.note })).trim();
  const evidenceRaw = await input({ message: w(lang, 'evidencePrompt'), default: current?.evidence?.join(', ') });
  const evidence = evidenceRaw
    .split(/[,，;；]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { note, evidence };
}
