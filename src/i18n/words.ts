/**
 * Reasons in words: items named by their title, conditions and rules said as what holds for
 * the school (`在校学生数 180 < 每名专职卫生技术人员对应学生数 600`), the parameter behind a
 * threshold and who set it, and the expression functions by name in the report's language.
 * A person reading a report never meets an item id alone, `&&`, `||` or `!`.
 */
import type { Catalogue, Computation, Fact, ParameterInfo, Scalar, Term } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { formatScalar, FUNCTION_NAMES, isRealDate } from '../expr/index.js';
import { labels } from './labels.js';

type Lang = 'zh' | 'en';

/** The expression functions in words; every function the language allows has an entry. */
export const FUNCTION_WORDS: Record<string, LocalText> = {
  ceil: { zh: '向上取整', en: 'ceil' },
  floor: { zh: '向下取整', en: 'floor' },
  round: { zh: '四舍五入', en: 'round' },
  abs: { zh: '绝对值', en: 'abs' },
  min: { zh: '最小值', en: 'min' },
  max: { zh: '最大值', en: 'max' },
};

/** The names the school file gives every expression, as a person calls them. */
const PROFILE_FIELDS: Record<string, LocalText> = {
  students: { zh: '在校学生数', en: 'students' },
  staff: { zh: '教职员工数', en: 'staff' },
  boarders: { zh: '住校学生数', en: 'boarders' },
  classes: { zh: '班级数', en: 'classes' },
  boarding: { zh: '寄宿制', en: 'boarding' },
  canteen: { zh: '学生食堂', en: 'canteen' },
  type: { zh: '学校类型', en: 'school type' },
  district: { zh: '所在区县', en: 'district' },
  level: { zh: '核验层级', en: 'audit level' },
  audit_date: { zh: '核验日期', en: 'audit date' },
};

const STRINGS = /"(?:[^"\\]|\\.)*"/g;
const CALL = new RegExp(`\\b(${FUNCTION_NAMES.join('|')})\\(`, 'g');

/**
 * A sum with the values put in, its functions named in the report's language:
 * `ceil(1100 ÷ 600)` → `向上取整(1100 ÷ 600)`. Text inside quotes is left alone.
 */
export function sumText(lang: Lang, sum: string): string {
  return outsideStrings(sum, (text) => text.replace(CALL, (_, name: string) => `${FUNCTION_WORDS[name]?.[lang] ?? name}(`));
}

/** `change` applied to the text between quoted strings, which are kept as they are. */
function outsideStrings(text: string, change: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(STRINGS)) {
    out += change(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + change(text.slice(last));
}

const OPERATOR_WORDS: Record<string, LocalText> = {
  '&&': { zh: ' 且 ', en: ' and ' },
  '||': { zh: ' 或 ', en: ' or ' },
  '!': { zh: '非', en: 'not ' },
  '==': { zh: ' = ', en: ' = ' },
  '!=': { zh: ' ≠ ', en: ' ≠ ' },
  '<=': { zh: ' ≤ ', en: ' ≤ ' },
  '>=': { zh: ' ≥ ', en: ' ≥ ' },
  in: { zh: ' 属于 ', en: ' in ' },
  true: { zh: '是', en: 'yes' },
  false: { zh: '否', en: 'no' },
};

/**
 * A condition or rule with the values put in, its operators in words, for a reason whose
 * facts are not known (a result read back from an older report): `false || false` → `否 或 否`.
 */
export function valuesText(lang: Lang, values: string): string {
  const words = (part: string) =>
    part.replace(/\s*(&&|\|\||==|!=|<=|>=|\bin\b)\s*|!|\b(true|false)\b/g, (m, op?: string, word?: string) => OPERATOR_WORDS[op ?? word ?? '!']?.[lang] ?? m);
  return outsideStrings(sumText(lang, values), words);
}

/** An item by its title, the id after it in brackets: `“已设立隔离观察室（留观室）”[isolation.room.exists]`. */
export function itemRef(lang: Lang, catalogue: Catalogue, id: string): string {
  const info = catalogue.items[id];
  if (!info) return `[${id}]`;
  return lang === 'zh' ? `“${info.title.zh}”[${id}]` : `"${info.title.en}" [${id}]`;
}

/** Several items by title: `“A”[a]；“B”[b]`. `ids` is the comma-separated list a reason holds. */
export function itemRefs(lang: Lang, catalogue: Catalogue, ids: Scalar | undefined): string {
  return String(ids ?? '')
    .split(', ')
    .filter((id) => id !== '')
    .map((id) => itemRef(lang, catalogue, id))
    .join(lang === 'zh' ? '；' : '; ');
}

/** What a name stands for, for a reader: a profile field, a parameter's title, an item's title. */
function nameText(lang: Lang, catalogue: Catalogue, self: string, name: string): string {
  const field = PROFILE_FIELDS[name];
  if (field) return field[lang];
  const param = catalogue.parameters.find((p) => p.name === name);
  if (param) return param.title ? param.title[lang] : name;
  const item = catalogue.items[name === 'value' ? self : name];
  return item ? item.title[lang] : name;
}

/** The unit of an item's answer; a parameter's unit (`名学生/人`) is a rate and reads wrong beside a count. */
function unitOf(catalogue: Catalogue, self: string, name: string | undefined): LocalText | undefined {
  return name === undefined ? undefined : catalogue.items[name === 'value' ? self : name]?.unit;
}

/** A value as a person reads it; `name` is what it belongs to (for labels of types and options). */
function valueText(lang: Lang, catalogue: Catalogue, self: string, name: string | undefined, value: Scalar): string {
  if (value === null) return lang === 'zh' ? '未填写' : 'not given';
  if (typeof value === 'boolean') return labels.yesNo[String(value)]?.[lang] ?? String(value);
  if (typeof value === 'number') {
    const unit = unitOf(catalogue, self, name);
    return unit ? `${formatScalar(value)} ${unit[lang]}` : formatScalar(value);
  }
  if (name === 'type') return labels.schoolType[value]?.[lang] ?? value;
  if (name === 'level') return labels.level[value]?.[lang] ?? value;
  const option = name === undefined ? undefined : catalogue.items[name === 'value' ? self : name]?.options?.find((o) => o.value === value);
  if (option) return option.label[lang];
  if (isRealDate(value)) return value;
  return lang === 'zh' ? `“${value}”` : `"${value}"`;
}

const SYMBOL: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** One fact in words: `学生食堂：否`, `在校学生数 180 < 600`, `学校类型为小学，不是幼儿园`. */
function factText(lang: Lang, catalogue: Catalogue, self: string, fact: Fact): string {
  const zh = lang === 'zh';
  const { left, op } = fact;
  const right: Term = fact.right ?? { value: null };
  // A constant on one side is read in the terms of the name on the other (`"kindergarten"` → 幼儿园).
  const value = (term: Term, other: Term) => valueText(lang, catalogue, self, term.name ?? other.name, term.value);
  const term = (t: Term, other: Term) => {
    if (t.sum !== undefined) return sumText(lang, t.sum);
    if (t.list) return t.list.map((v) => valueText(lang, catalogue, self, other.name, v)).join(zh ? '、' : ', ');
    return t.name === undefined ? value(t, other) : `${nameText(lang, catalogue, self, t.name)} ${value(t, other)}`;
  };
  if (op === 'is') {
    const shown = valueText(lang, catalogue, self, left.name, left.value);
    if (left.name === undefined) return left.sum !== undefined ? `${sumText(lang, left.sum)}${zh ? '：' : ': '}${shown}` : shown;
    return `${nameText(lang, catalogue, self, left.name)}${zh ? '：' : ': '}${shown}`;
  }
  const named = left.name !== undefined && right.name === undefined && right.sum === undefined;
  if (named && (op === '==' || op === '!=' || op === 'in' || op === 'not_in')) {
    const subject = nameText(lang, catalogue, self, left.name as string);
    const is = zh ? `${subject}为${value(left, right)}` : `${subject} is ${value(left, right)}`;
    if (op === '==' || op === 'in') return is;
    if (op === '!=') return zh ? `${is}，不是${value(right, left)}` : `${is}, not ${value(right, left)}`;
    return zh ? `${is}，不属于${term(right, left)}` : `${is}, not one of ${term(right, left)}`;
  }
  if (op === 'in' || op === 'not_in') {
    const among = op === 'in' ? (zh ? '属于' : 'is one of') : zh ? '不属于' : 'is not one of';
    return `${term(left, right)} ${among} ${term(right, left)}`;
  }
  return `${term(left, right)} ${SYMBOL[op] ?? op} ${term(right, left)}`;
}

/** The facts that decided a condition or rule, joined: `学生食堂：否；寄宿制：否`. */
export function factsText(lang: Lang, catalogue: Catalogue, self: string, facts: Fact[]): string {
  return facts.map((f) => factText(lang, catalogue, self, f)).join(lang === 'zh' ? '；' : '; ');
}

/** Where a parameter's value comes from, in words. */
function originText(lang: Lang, param: ParameterInfo): string {
  const zh = lang === 'zh';
  if (param.origin === 'cli') {
    return zh ? `由命令行 --param ${param.name}=${formatScalar(param.value)} 设定` : `set by --param ${param.name}=${formatScalar(param.value)}`;
  }
  if (param.origin === 'profile') {
    if (!param.profile) return zh ? '由配置方案设定' : 'set by the profile';
    const { id, title } = param.profile;
    return zh ? `由配置方案“${title.zh}”[${id}] 设定` : `set by the profile "${title.en}" [${id}]`;
  }
  return zh ? '核验表默认值' : 'the checklist default';
}

/**
 * For a threshold that is one parameter (`min: stock_days`): which parameter it is and who
 * set its value, `（参数“储备天数”[stock_days]，由配置方案“…”[…] 设定）`. Empty for any other.
 */
export function parameterNote(lang: Lang, catalogue: Catalogue, formula: string, inputs: Computation['inputs']): string {
  const only = inputs.length === 1 ? inputs[0] : undefined;
  if (!only || formula.trim() !== only.name) return '';
  const param = catalogue.parameters.find((p) => p.name === only.name);
  if (!param) return '';
  const zh = lang === 'zh';
  const named = param.title ? (zh ? `“${param.title.zh}”[${param.name}]` : `"${param.title.en}" [${param.name}]`) : ` ${param.name}`;
  return zh ? `（参数${named}，${originText(lang, param)}）` : ` (parameter${param.title ? ' ' : ''}${named}, ${originText(lang, param)})`;
}
