/**
 * Localisation: message lookup, labels for the domain's fixed vocabularies, and the
 * sentence that explains an item's result (with its formula and numbers).
 */
import type { Catalogue, ItemResult, Reason, Scalar } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { formatScalar } from '../expr/index.js';
import { en, zh, type Params } from './messages.js';
import { labels } from './labels.js';
import { factsText, sumText, itemRef, itemRefs, parameterNote, valuesText } from './words.js';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export function t(lang: Lang, code: string, params: Params = {}): string {
  const template = (lang === 'zh' ? zh : en)[code] ?? (lang === 'zh' ? en : zh)[code];
  return template ? template(params) : code;
}

export function tr(lang: Lang, reason: Reason): string {
  return t(lang, reason.code, reason.params ?? {});
}

export function local(lang: Lang, text: LocalText | undefined): string {
  return text ? text[lang] : '';
}

/** A fixed label: `label('zh', 'status', 'fail')` → 不符合. */
export function label(lang: Lang, group: keyof typeof labels, key: string): string {
  const entry = (labels[group] as Record<string, LocalText | undefined>)[key];
  return entry ? entry[lang] : key;
}

function withUnit(lang: Lang, value: Scalar, unit: LocalText | undefined): string {
  if (typeof value === 'boolean') return label(lang, 'yesNo', String(value));
  const text = typeof value === 'string' ? value : formatScalar(value);
  if (!unit) return text;
  return lang === 'zh' ? `${text} ${unit.zh}` : `${text} ${unit.en}`;
}

/**
 * The sentence a person reads for an item: `口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) ×
 * 1 × 14`. Threshold failures name the item, the numbers and the sum behind them; other items
 * are named by their title, conditions and rules are said as what holds, with the values.
 * `catalogue` is the one the school was audited against.
 */
export function explain(lang: Lang, result: ItemResult, catalogue: Catalogue): string {
  const { reason, computation } = result;
  const info = catalogue.items[result.id];
  const p = reason.params ?? {};
  const title = info ? info.title[lang] : result.id;
  const unit = info?.unit;
  // `= (1100 + 100) × 1 × 14` shows the sum; a bare parameter (`= 7`) would only repeat it,
  // so it is named instead, with who set it.
  const sum = computation && computation.substituted !== formatScalar(computation.required) ? ` = ${sumText(lang, computation.substituted)}` : '';
  const param = computation ? parameterNote(lang, catalogue, computation.formula, computation.inputs) : '';
  const req = lang === 'zh' ? '要求' : 'required';
  let text: string;
  switch (reason.code) {
    case 'reason.failMin':
      text = `${title} ${withUnit(lang, p.actual ?? null, unit)} < ${req} ${withUnit(lang, p.required ?? null, unit)}${sum}${param}`;
      break;
    case 'reason.failMax':
      text = `${title} ${withUnit(lang, p.actual ?? null, unit)} > ${req} ${withUnit(lang, p.required ?? null, unit)}${sum}${param}`;
      break;
    case 'reason.failEquals':
      text =
        lang === 'zh'
          ? `${title}：${withUnit(lang, p.actual ?? null, unit)}，要求为 ${withUnit(lang, p.required ?? null, unit)}${sum}${param}`
          : `${title}: ${withUnit(lang, p.actual ?? null, unit)}, required ${withUnit(lang, p.required ?? null, unit)}${sum}${param}`;
      break;
    case 'reason.failWithinDays':
      text = `${tr(lang, reason)}${param}`;
      break;
    case 'reason.pass':
      if (computation?.bound === 'within_days' && typeof p.age === 'number') {
        text =
          lang === 'zh'
            ? `${String(result.answer?.value ?? '')}（距核验日 ${p.age} 天），要求不超过 ${formatScalar(computation.required)} 天${sum}${param}`
            : `${String(result.answer?.value ?? '')} (${p.age} days before the audit); at most ${formatScalar(computation.required)} days allowed${sum}${param}`;
        break;
      }
      text = computation
        ? lang === 'zh'
          ? `${withUnit(lang, result.answer?.value ?? null, unit)}，${req} ${boundSymbol(computation.bound)} ${withUnit(lang, computation.required, unit)}${sum}${param}`
          : `${withUnit(lang, result.answer?.value ?? null, unit)}; ${req} ${boundSymbol(computation.bound)} ${withUnit(lang, computation.required, unit)}${sum}${param}`
        : tr(lang, reason);
      break;
    case 'reason.failOneOf': {
      const labelOf = (v: string) => info?.options?.find((o) => o.value === v)?.label[lang] ?? v;
      const allowed = String(p.allowed ?? '')
        .split(', ')
        .map(labelOf)
        .join(lang === 'zh' ? '、' : ', ');
      text = tr(lang, { code: reason.code, params: { ...p, actual: labelOf(String(p.actual)), allowed } });
      break;
    }
    case 'reason.conditionFalse':
    case 'reason.failRule': {
      // Results read back from an older report may lack the facts: then the values, in words.
      const why = reason.facts
        ? factsText(lang, catalogue, result.id, reason.facts)
        : t(lang, 'reason.conditionValues', { values: valuesText(lang, String(p.values ?? '')) });
      const wording = reason.wording ? reason.wording[lang] : null;
      text = t(lang, reason.code, { why, wording });
      break;
    }
    case 'reason.dependsNotApplicable':
    case 'reason.dependsUnanswered':
      text = t(lang, reason.code, { ...p, dep: itemRef(lang, catalogue, String(p.dep)) });
      break;
    case 'reason.rollupFail':
    case 'reason.rollupOpen':
      text = t(lang, reason.code, { ...p, items: itemRefs(lang, catalogue, p.items) });
      break;
    default:
      text = tr(lang, reason);
  }
  if (result.waiver?.expired) {
    text += lang === 'zh' ? `（豁免已于 ${result.waiver.expires} 过期，不再适用）` : ` (waiver expired on ${result.waiver.expires}; no longer applies)`;
  }
  return text;
}

function boundSymbol(bound: string): string {
  return bound === 'min' ? '≥' : bound === 'max' ? '≤' : bound === 'within_days' ? '≤' : '=';
}
