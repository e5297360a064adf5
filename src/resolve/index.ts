/**
 * Profile + checklists + parameters → one resolved, compiled checklist set. Every
 * cross-reference and expression is checked here, with its position in the checklist or
 * profile file, so the engine can trust what it gets.
 */
import { createHash } from 'node:crypto';
import type { Checklist, Item, LocalText, Profile, Severity } from '../model/schema.js';
import { LEVELS, SCHOOL_TYPES } from '../model/constants.js';
import type { Catalogue, FileFailure, ItemInfo, ParameterInfo, Problem, Reason, Scalar } from '../model/result.js';
import { compileExpr, quotedExpr, type CompiledExpr, type ExprType, type SymbolInfo } from '../expr/index.js';
import { closest } from '../util/suggest.js';
import { problemAt, type SourceFile } from '../load/source.js';
import { DEFAULT_PROFILE, type Library } from '../load/library.js';
import type { PathSegment } from '../load/yaml.js';

export type Bound = { kind: 'literal'; value: Scalar } | { kind: 'expr'; expr: CompiledExpr };

/** An `applies_if` with the checklist's words for when it does not hold (`not_applicable_reason`). */
export interface Condition extends CompiledExpr {
  notApplicableReason?: LocalText;
}

export interface CompiledItem {
  item: Item;
  checklistId: string;
  sectionId: string;
  /** Conditions of the checklist, the section and the item, all of which must hold. */
  conditions: Condition[];
  bounds: { name: 'equals' | 'min' | 'max' | 'within_days'; bound: Bound }[];
  rule?: CompiledExpr;
  /** For rollups: the items they cover, in checklist order. */
  covers?: string[];
  weight: number;
  required: boolean;
}

export interface ResolvedSet {
  key: string;
  profileId: string;
  catalogue: Catalogue;
  items: CompiledItem[];
  itemsById: Map<string, CompiledItem>;
  params: Map<string, Scalar>;
  notReadyOn: ReadonlySet<Severity>;
  /** Items of library checklists this run leaves out: answers to them are kept, not audited. */
  knownElsewhere: ReadonlySet<string>;
}

export interface ResolveRequest {
  profile?: string;
  checklists?: string[];
  /** `--param name=value` from the command line, as typed. */
  params?: Record<string, string>;
}

/** A parameter name's characters (`^[a-z][a-z0-9_]*$`) in the Unicode collation's root order: `_`, digits, letters. */
const PARAM_NAME_RANK = (code: number) => (code === 0x5f ? 0 : code <= 0x39 ? code - 0x2f : code - 0x56);

/**
 * The order parameters are listed in, the one `localeCompare` gave such names, without
 * creating ICU's collator (a few milliseconds at start-up) or depending on the machine's locale.
 */
export function compareParamNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = PARAM_NAME_RANK(a.charCodeAt(i)) - PARAM_NAME_RANK(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Stands in for a profile when checklists are chosen directly (`--checklist`). */
const CUSTOM_PROFILE: Profile = { id: 'custom', title: { zh: '自选核验表', en: 'Chosen checklists' } };

export type ResolveOutcome = { ok: true; set: ResolvedSet } | { ok: false; failures: FileFailure[] };

/** The names the school profile and audit block give every expression. */
export const PROFILE_SYMBOLS: ReadonlyMap<string, SymbolInfo> = new Map<string, SymbolInfo>([
  ['students', { type: 'number' }],
  ['staff', { type: 'number' }],
  ['boarders', { type: 'number' }],
  ['classes', { type: 'number' }],
  ['boarding', { type: 'boolean' }],
  ['canteen', { type: 'boolean' }],
  ['type', { type: 'string', values: SCHOOL_TYPES }],
  ['district', { type: 'string' }],
  ['level', { type: 'string', values: LEVELS }],
  ['audit_date', { type: 'date' }],
]);

const ANSWER_EXPR_TYPE: Record<string, ExprType> = {
  boolean: 'boolean',
  number: 'number',
  choice: 'string',
  date: 'date',
  text: 'string',
};

class Problems {
  readonly byFile = new Map<string, Problem[]>();
  add(problem: Problem): void {
    const list = this.byFile.get(problem.file) ?? [];
    list.push(problem);
    this.byFile.set(problem.file, list);
  }
  at(source: SourceFile<unknown>, path: PathSegment[], message: Reason, at: 'key' | 'value' = 'value'): void {
    this.add(problemAt(source.file, source.parsed, path, message, at));
  }
  get empty(): boolean {
    return this.byFile.size === 0;
  }
  failures(): FileFailure[] {
    return [...this.byFile.entries()].map(([file, problems]) => ({ file, problems }));
  }
}

/** Profile chain, most general first, with cycle detection. */
function profileChain(library: Library, id: string, problems: Problems, origin: string): SourceFile<Profile>[] {
  const chain: SourceFile<Profile>[] = [];
  const seen = new Set<string>();
  let current: string | undefined = id;
  let from: SourceFile<Profile> | undefined;
  while (current !== undefined) {
    const profile = library.profiles.get(current);
    if (!profile) {
      const suggestion = closest(current, library.profiles.keys()) ?? null;
      const message: Reason = { code: 'resolve.unknownProfile', params: { id: current, suggestion, known: [...library.profiles.keys()].sort().join(', ') } };
      if (from) problems.at(from, ['extends'], message);
      else problems.add({ file: origin, message });
      return [];
    }
    if (seen.has(current)) {
      problems.at(profile, ['extends'], { code: 'resolve.profileCycle', params: { id: current } });
      return [];
    }
    seen.add(current);
    chain.unshift(profile);
    from = profile;
    current = profile.data.extends;
  }
  return chain;
}

/** A number as a person writes it in decimal: `14`, `-2`, `0.5`; no sign `+`, exponent, hex or padding. */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
/** More significant digits than a double holds exactly would be silently rounded. */
const MAX_SIGNIFICANT_DIGITS = 15;

/** A `--param` value as its parameter's type, or undefined when it is not one, exactly as written. */
export function parseCliParam(raw: string, type: 'number' | 'boolean' | 'string'): Scalar | undefined {
  if (type === 'number') {
    if (!DECIMAL.test(raw)) return undefined;
    const significant = raw.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
    if (significant.length > MAX_SIGNIFICANT_DIGITS) return undefined;
    return Number(raw);
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  return raw;
}

export function resolve(library: Library, request: ResolveRequest, origin: string): ResolveOutcome {
  const problems = new Problems();
  // Checklists named without a profile are audited with their own defaults only.
  const standalone = request.profile === undefined && request.checklists !== undefined;
  const profileId = standalone ? CUSTOM_PROFILE.id : (request.profile ?? DEFAULT_PROFILE);
  const chain = standalone ? [] : profileChain(library, profileId, problems, origin);
  if (!problems.empty) return { ok: false, failures: problems.failures() };
  const topProfile: Profile = chain[chain.length - 1]?.data ?? CUSTOM_PROFILE;

  // Checklists: explicit request wins, else the nearest profile in the chain that names them.
  let checklistIds = request.checklists;
  let listedBy: SourceFile<Profile> | undefined;
  if (!checklistIds) {
    for (const p of [...chain].reverse()) {
      if (p.data.checklists) {
        checklistIds = p.data.checklists;
        listedBy = p;
        break;
      }
    }
  }
  if (!checklistIds || checklistIds.length === 0) {
    problems.add({ file: chain[chain.length - 1]?.file ?? origin, line: 1, col: 1, message: { code: 'resolve.noChecklists', params: { id: profileId } } });
    return { ok: false, failures: problems.failures() };
  }
  const checklists: SourceFile<Checklist>[] = [];
  checklistIds.forEach((id, index) => {
    const found = library.checklists.get(id);
    if (found) {
      if (!checklists.includes(found)) checklists.push(found);
      return;
    }
    const suggestion = closest(id, library.checklists.keys()) ?? null;
    const message: Reason = { code: 'resolve.unknownChecklist', params: { id, suggestion, known: [...library.checklists.keys()].sort().join(', ') } };
    if (listedBy) problems.at(listedBy, ['checklists', index], message);
    else problems.add({ file: origin, message });
  });
  if (!problems.empty) return { ok: false, failures: problems.failures() };

  // Parameters: checklist defaults, then each profile in the chain, then the command line.
  const paramDecl = new Map<string, { decl: NonNullable<Checklist['parameters']>[number]; owner: SourceFile<Checklist>; index: number }>();
  for (const cl of checklists) {
    (cl.data.parameters ?? []).forEach((decl, index) => {
      const existing = paramDecl.get(decl.name);
      if (existing && (existing.decl.type !== decl.type || existing.decl.default !== decl.default)) {
        problems.at(cl, ['parameters', index, 'name'], { code: 'resolve.paramConflict', params: { name: decl.name, other: existing.owner.data.id } });
        return;
      }
      if (typeof decl.default !== decl.type) {
        problems.at(cl, ['parameters', index, 'default'], { code: 'resolve.paramType', params: { name: decl.name, want: decl.type } });
        return;
      }
      checkSourceRef(cl, ['parameters', index, 'source'], decl.source, problems);
      if (!existing) paramDecl.set(decl.name, { decl, owner: cl, index });
    });
  }
  const declaredInLibrary = new Set<string>();
  for (const cl of library.checklists.values()) for (const decl of cl.data.parameters ?? []) declaredInLibrary.add(decl.name);
  const params = new Map<string, Scalar>();
  const paramInfo = new Map<string, ParameterInfo>();
  for (const [name, { decl }] of paramDecl) {
    params.set(name, decl.default);
    paramInfo.set(name, { name, value: decl.default, unit: decl.unit, title: decl.title, description: decl.description, origin: 'default', source: decl.source });
  }
  for (const p of chain) {
    for (const [name, raw] of Object.entries(p.data.parameters ?? {})) {
      const found = paramDecl.get(name);
      const value = typeof raw === 'object' ? raw.value : raw;
      if (!found) {
        // A parameter of a library checklist this run leaves out (`--checklist`) is not an error.
        if (declaredInLibrary.has(name)) continue;
        const suggestion = closest(name, paramDecl.keys()) ?? null;
        problems.at(p, ['parameters', name], { code: 'resolve.unknownParam', params: { name, suggestion } }, 'key');
        continue;
      }
      if (typeof value !== found.decl.type) {
        problems.at(p, ['parameters', name], { code: 'resolve.paramType', params: { name, want: found.decl.type } });
        continue;
      }
      const source = typeof raw === 'object' ? raw.source : undefined;
      if (source) checkSourceRef(p, ['parameters', name, 'source'], source, problems);
      params.set(name, value);
      const info = paramInfo.get(name) as ParameterInfo;
      paramInfo.set(name, { ...info, value, origin: 'profile', profile: { id: p.data.id, title: p.data.title }, source: source ?? { ref: p.data.id } });
    }
  }
  for (const [name, raw] of Object.entries(request.params ?? {})) {
    const found = paramDecl.get(name);
    if (!found) {
      const suggestion = closest(name, paramDecl.keys()) ?? null;
      problems.add({ file: '--param', message: { code: 'resolve.unknownParam', params: { name, suggestion } } });
      continue;
    }
    const value = parseCliParam(raw, found.decl.type);
    if (value === undefined) {
      problems.add({ file: '--param', message: { code: 'resolve.cliParamType', params: { name, value: raw, want: found.decl.type } } });
      continue;
    }
    params.set(name, value);
    paramInfo.set(name, { ...(paramInfo.get(name) as ParameterInfo), value, origin: 'cli', profile: undefined, source: undefined });
  }
  for (const [name, { decl, owner, index }] of paramDecl) {
    const value = params.get(name);
    if (typeof value === 'number' && ((decl.min !== undefined && value < decl.min) || (decl.max !== undefined && value > decl.max))) {
      const message: Reason = { code: 'resolve.paramRange', params: { name, value, min: decl.min ?? null, max: decl.max ?? null } };
      // Say it where the value was set: the command line, the profile, or the checklist.
      const origin = paramInfo.get(name)?.origin;
      const setBy = [...chain].reverse().find((p) => p.data.parameters && Object.hasOwn(p.data.parameters, name));
      if (origin === 'cli') problems.add({ file: '--param', message });
      else if (origin === 'profile' && setBy) problems.at(setBy, ['parameters', name], message);
      else problems.at(owner, ['parameters', index, 'name'], message);
    }
  }

  // Symbols: profile fields, parameters, then every answerable item.
  const symbols = new Map<string, SymbolInfo>(PROFILE_SYMBOLS);
  for (const [name, { decl }] of paramDecl) {
    if (symbols.has(name)) continue;
    symbols.set(name, { type: decl.type === 'number' ? 'number' : decl.type === 'boolean' ? 'boolean' : 'string' });
  }
  const itemSources = new Map<string, { cl: SourceFile<Checklist>; path: PathSegment[] }>();
  for (const cl of checklists) {
    cl.data.sections.forEach((section, s) => {
      section.items.forEach((item, i) => {
        const path: PathSegment[] = ['sections', s, 'items', i];
        const previous = itemSources.get(item.id);
        if (previous) {
          problems.at(cl, [...path, 'id'], { code: 'resolve.duplicateItem', params: { id: item.id, other: previous.cl.file } });
          return;
        }
        const head = item.id.split('.')[0] as string;
        if (PROFILE_SYMBOLS.has(head) || paramDecl.has(head)) {
          problems.at(cl, [...path, 'id'], { code: 'resolve.idShadows', params: { id: item.id, name: head } });
          return;
        }
        itemSources.set(item.id, { cl, path });
        if (item.answer) {
          const values = item.answer.type === 'choice' ? (item.answer.options ?? []).map((o) => o.value) : undefined;
          symbols.set(item.id, { type: ANSWER_EXPR_TYPE[item.answer.type] as ExprType, values });
        }
      });
    });
  }
  // One id may not be the prefix of another: `a.b` and `a.b.c` cannot both hold a value.
  const sortedIds = [...itemSources.keys()].sort();
  for (let i = 1; i < sortedIds.length; i++) {
    const prev = sortedIds[i - 1] as string;
    const cur = sortedIds[i] as string;
    if (cur.startsWith(`${prev}.`)) {
      const { cl, path } = itemSources.get(cur) as { cl: SourceFile<Checklist>; path: PathSegment[] };
      problems.at(cl, [...path, 'id'], { code: 'resolve.idPrefix', params: { id: cur, other: prev } });
    }
  }

  const compile = (cl: SourceFile<Checklist>, path: PathSegment[], source: string, want: ExprType, extra?: Map<string, SymbolInfo>): CompiledExpr | undefined => {
    const table = extra ? new Map([...symbols, ...extra]) : symbols;
    const result = compileExpr(source, table, want);
    if (result.ok) return result.expr;
    problems.at(cl, path, { code: 'expr.invalid', params: { expr: quotedExpr(source), ...flattenReason(result.error) } });
    return undefined;
  };

  const items: CompiledItem[] = [];
  const itemInfos: Record<string, ItemInfo> = {};
  const sectionItems = new Map<string, string[]>();
  for (const cl of checklists) {
    const clConditions: Condition[] = [];
    const clCondition = condition(cl, [], cl.data, compile, problems);
    if (clCondition) clConditions.push(clCondition);
    const sourceIds = new Set(cl.data.sources.map((s) => s.id));
    cl.data.sections.forEach((section, s) => {
      const secConditions = [...clConditions];
      const secCondition = condition(cl, ['sections', s], section, compile, problems);
      if (secCondition) secConditions.push(secCondition);
      const ids: string[] = [];
      sectionItems.set(`${cl.data.id}/${section.id}`, ids);
      section.items.forEach((item, i) => {
        const path: PathSegment[] = ['sections', s, 'items', i];
        ids.push(item.id);
        const compiled = compileItem(cl, path, item, secConditions, compile, problems, sourceIds);
        if (compiled) {
          compiled.sectionId = section.id;
          items.push(compiled);
          itemInfos[item.id] = {
            id: item.id,
            checklistId: cl.data.id,
            sectionId: section.id,
            title: item.title,
            method: item.method,
            guidance: item.guidance,
            severity: item.severity,
            weight: compiled.weight,
            required: compiled.required,
            unit: item.answer?.unit,
            options: item.answer?.options,
            remediation: item.remediation,
            source: item.source,
          };
        }
      });
    });
  }
  // Rollups: resolve what they cover now that every section is known.
  for (const compiled of items) {
    const rollup = compiled.item.rollup;
    if (!rollup) continue;
    const cl = checklists.find((c) => c.data.id === compiled.checklistId) as SourceFile<Checklist>;
    const path = itemSources.get(compiled.item.id)?.path ?? [];
    const covers: string[] = [];
    (rollup.sections ?? []).forEach((ref, index) => {
      const key = ref.includes('/') ? ref : `${compiled.checklistId}/${ref}`;
      const ids = sectionItems.get(key);
      const [clId, secId] = key.split('/') as [string, string];
      // A section of a library checklist this profile leaves out: the roll-up covers what is loaded.
      if (!ids && !checklists.some((c) => c.data.id === clId) && library.checklists.get(clId)?.data.sections.some((s) => s.id === secId)) return;
      if (!ids) {
        const suggestion = closest(key, sectionItems.keys()) ?? null;
        problems.at(cl, [...path, 'rollup', 'sections', index], { code: 'resolve.unknownSection', params: { id: ref, suggestion } });
        return;
      }
      covers.push(...ids);
    });
    (rollup.items ?? []).forEach((id, index) => {
      if (!itemSources.has(id)) {
        const suggestion = closest(id, itemSources.keys()) ?? null;
        problems.at(cl, [...path, 'rollup', 'items', index], { code: 'resolve.unknownItem', params: { id, suggestion } });
        return;
      }
      covers.push(id);
    });
    compiled.covers = [...new Set(covers)].filter((id) => id !== compiled.item.id);
  }
  detectCycles(items, itemSources, problems);
  if (!problems.empty) return { ok: false, failures: problems.failures() };

  const itemsById = new Map(items.map((i) => [i.item.id, i]));
  const knownElsewhere = new Set<string>();
  for (const cl of library.checklists.values()) {
    if (checklists.includes(cl)) continue;
    for (const section of cl.data.sections) for (const item of section.items) if (!itemsById.has(item.id)) knownElsewhere.add(item.id);
  }
  // A gate is 一票否决 by definition: no profile can make its failure anything less.
  const notReadyOn = new Set<Severity>([
    'gate',
    ...([...chain].reverse().find((p) => p.data.not_ready_on)?.data.not_ready_on ?? ['critical']),
  ]);
  const catalogue: Catalogue = {
    profile: { id: topProfile.id, title: topProfile.title, version: topProfile.version ?? null },
    checklists: checklists.map((cl) => ({
      id: cl.data.id,
      version: cl.data.version,
      title: cl.data.title,
      passMark: cl.data.pass_mark ?? null,
      sources: cl.data.sources,
      sections: cl.data.sections.map((s) => ({ id: s.id, title: s.title, items: s.items.map((i) => i.id) })),
    })),
    items: itemInfos,
    parameters: [...paramInfo.values()].sort((a, b) => compareParamNames(a.name, b.name)),
  };
  // A readable id for the catalogue in reports: the profile, plus a digest when the run
  // chose checklists or parameters of its own.
  const custom = request.checklists !== undefined || Object.keys(request.params ?? {}).length > 0;
  const digest = createHash('sha1').update(JSON.stringify([checklistIds, request.params ?? {}])).digest('hex').slice(0, 8);
  const key = custom ? `${profileId}~${digest}` : profileId;
  return { ok: true, set: { key, profileId: topProfile.id, catalogue, items, itemsById, params, notReadyOn, knownElsewhere } };
}

function flattenReason(reason: Reason): Record<string, Scalar> {
  return { detailCode: reason.code, ...(reason.params ?? {}) };
}

function checkSourceRef(source: SourceFile<Checklist> | SourceFile<Profile>, path: PathSegment[], ref: { ref: string; note?: unknown }, problems: Problems): void {
  const known = new Set(((source.data as { sources?: { id: string }[] }).sources ?? []).map((s) => s.id));
  if (ref.ref === 'unsourced') {
    if (!ref.note) problems.at(source, path, { code: 'resolve.unsourcedNote' });
    return;
  }
  if (!known.has(ref.ref)) {
    const suggestion = closest(ref.ref, known) ?? null;
    problems.at(source, [...path, 'ref'], { code: 'resolve.unknownSource', params: { id: ref.ref, suggestion } });
  }
}

type Compile = (cl: SourceFile<Checklist>, path: PathSegment[], source: string, want: ExprType, extra?: Map<string, SymbolInfo>) => CompiledExpr | undefined;

const BOUND_TYPES: Record<string, readonly string[]> = {
  boolean: ['equals', 'rule'],
  number: ['equals', 'min', 'max', 'rule'],
  choice: ['equals', 'one_of', 'rule'],
  date: ['within_days', 'not_after_audit', 'rule'],
  text: ['non_empty', 'equals', 'rule'],
};

function compileItem(
  cl: SourceFile<Checklist>,
  path: PathSegment[],
  item: Item,
  conditions: Condition[],
  compile: Compile,
  problems: Problems,
  sourceIds: Set<string>,
): (CompiledItem & { sectionId: string }) | undefined {
  let ok = true;
  const report = (p: PathSegment[], message: Reason, at: 'key' | 'value' = 'value') => {
    problems.at(cl, p, message, at);
    ok = false;
  };
  if (item.answer && item.rollup) report([...path, 'rollup'], { code: 'resolve.answerAndRollup', params: { id: item.id } }, 'key');
  if (!item.answer && !item.rollup) report(path, { code: 'resolve.noAnswer', params: { id: item.id } });
  if (item.rollup && !item.rollup.sections && !item.rollup.items) report([...path, 'rollup'], { code: 'resolve.emptyRollup', params: { id: item.id } });
  if (item.source.ref !== 'unsourced' && !sourceIds.has(item.source.ref)) {
    const suggestion = closest(item.source.ref, sourceIds) ?? null;
    report([...path, 'source', 'ref'], { code: 'resolve.unknownSource', params: { id: item.source.ref, suggestion } });
  }
  const itemConditions = [...conditions];
  const itemCondition = condition(cl, path, item, compile, problems);
  if (itemCondition) itemConditions.push(itemCondition);
  else if (item.applies_if !== undefined) ok = false;
  const answer = item.answer;
  const bounds: CompiledItem['bounds'] = [];
  let rule: CompiledExpr | undefined;
  if (answer) {
    if (answer.type === 'choice' && !answer.options) report([...path, 'answer'], { code: 'resolve.choiceOptions', params: { id: item.id } });
    const options = (answer.options ?? []).map((o) => o.value);
    const expect = item.expect ?? {};
    const allowed = BOUND_TYPES[answer.type] ?? [];
    for (const key of Object.keys(expect)) {
      if (!allowed.includes(key)) {
        report([...path, 'expect', key], { code: 'resolve.expectForType', params: { key, type: answer.type, allowed: allowed.join(', ') } }, 'key');
      }
    }
    for (const name of ['equals', 'min', 'max', 'within_days'] as const) {
      const raw = expect[name];
      if (raw === undefined || !allowed.includes(name)) continue;
      const p = [...path, 'expect', name];
      if (answer.type === 'number' || name === 'within_days') {
        if (typeof raw === 'number') bounds.push({ name, bound: { kind: 'literal', value: raw } });
        else if (typeof raw === 'string') {
          const e = compile(cl, p, raw, 'number');
          if (e) bounds.push({ name, bound: { kind: 'expr', expr: e } });
          else ok = false;
        } else report(p, { code: 'resolve.boundType', params: { key: name, want: 'number' } });
      } else if (answer.type === 'boolean') {
        if (typeof raw !== 'boolean') report(p, { code: 'resolve.boundType', params: { key: name, want: 'boolean' } });
        else bounds.push({ name, bound: { kind: 'literal', value: raw } });
      } else {
        if (typeof raw !== 'string') report(p, { code: 'resolve.boundType', params: { key: name, want: 'string' } });
        else if (answer.type === 'choice' && !options.includes(raw)) {
          report(p, { code: 'resolve.unknownOption', params: { value: raw, known: options.join(', '), suggestion: closest(raw, options) ?? null } });
        } else bounds.push({ name, bound: { kind: 'literal', value: raw } });
      }
    }
    (expect.one_of ?? []).forEach((value, index) => {
      if (!options.includes(value)) {
        report([...path, 'expect', 'one_of', index], { code: 'resolve.unknownOption', params: { value, known: options.join(', '), suggestion: closest(value, options) ?? null } });
      }
    });
    if (expect.rule) {
      const valueSymbol = new Map<string, SymbolInfo>([['value', { type: ANSWER_EXPR_TYPE[answer.type] as ExprType, values: answer.type === 'choice' ? options : undefined }]]);
      rule = compile(cl, [...path, 'expect', 'rule'], expect.rule, 'boolean', valueSymbol);
      if (!rule) ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    item,
    checklistId: cl.data.id,
    sectionId: '',
    conditions: itemConditions,
    bounds,
    rule,
    weight: item.weight ?? (item.rollup ? 0 : 1),
    required: item.required ?? true,
  };
}

/**
 * The `applies_if` of a checklist, section or item, compiled, with its `not_applicable_reason`.
 * Words without a condition to go with are refused: they would never be shown.
 */
function condition(
  cl: SourceFile<Checklist>,
  path: PathSegment[],
  owner: { applies_if?: string; not_applicable_reason?: LocalText },
  compile: Compile,
  problems: Problems,
): Condition | undefined {
  if (owner.applies_if === undefined) {
    if (owner.not_applicable_reason) problems.at(cl, [...path, 'not_applicable_reason'], { code: 'resolve.reasonWithoutCondition' }, 'key');
    return undefined;
  }
  const e = compile(cl, [...path, 'applies_if'], owner.applies_if, 'boolean');
  if (!e) return undefined;
  return owner.not_applicable_reason ? { ...e, notApplicableReason: owner.not_applicable_reason } : e;
}

/** An item whose condition or threshold depends, through others, on itself cannot be decided. */
function detectCycles(items: CompiledItem[], sources: Map<string, { cl: SourceFile<Checklist>; path: PathSegment[] }>, problems: Problems): void {
  const deps = new Map<string, string[]>();
  for (const c of items) {
    const refs = new Set<string>();
    for (const e of [...c.conditions, c.rule, ...c.bounds.map((b) => (b.bound.kind === 'expr' ? b.bound.expr : undefined))]) {
      for (const r of e?.refs ?? []) if (sources.has(r)) refs.add(r);
    }
    for (const r of c.covers ?? []) refs.add(r);
    deps.set(c.item.id, [...refs]);
  }
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]): void => {
    const s = state.get(id);
    if (s === 2) return;
    if (s === 1) {
      const where = sources.get(id);
      if (where) problems.at(where.cl, [...where.path, 'id'], { code: 'resolve.cycle', params: { cycle: [...trail.slice(trail.indexOf(id)), id].join(' → ') } });
      return;
    }
    state.set(id, 1);
    for (const d of deps.get(id) ?? []) visit(d, [...trail, id]);
    state.set(id, 2);
  };
  for (const id of deps.keys()) visit(id, []);
}
