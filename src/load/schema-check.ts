/**
 * JSON Schema validation with ajv, turned into located problems a person can act on:
 * a wrong type at the value, an unknown key at the key (with "did you mean"), a missing
 * key at its parent. Messages for the keywords our schemas use are our own; anything else
 * falls back to ajv-i18n's translations.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { schemas } from '../model/schema.js';
import type { Reason } from '../model/result.js';
import { closest } from '../util/suggest.js';
import type { PathSegment } from './yaml.js';

export type SchemaKind = keyof typeof schemas;

export interface SchemaProblem {
  path: PathSegment[];
  at: 'key' | 'value';
  message: Reason;
}

export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

/**
 * Validators compiled at build time (scripts/build-validators.mjs), one CommonJS file per
 * format, each required the first time a file of its format is checked; without them
 * (running from the sources), compiled here — the only case that loads ajv and the schema
 * library.
 */
const GENERATED_DIR = new URL('./validators/', import.meta.url);
const generated = (kind: SchemaKind) => fileURLToPath(new URL(`${kind}.cjs`, GENERATED_DIR));
const compiled = existsSync(generated('school')) ? undefined : await compileHere();
const required: Partial<Record<SchemaKind, ValidateFunction>> = {};
const require = createRequire(import.meta.url);

async function compileHere(): Promise<Record<SchemaKind, ValidateFunction>> {
  const [{ Ajv }, formats, { schemas: all }] = await Promise.all([import('ajv'), import('ajv-formats'), import('../model/schema.js')]);
  const ajv = new Ajv(AJV_OPTIONS);
  (formats.default as unknown as (a: InstanceType<typeof Ajv>, f: string[]) => void)(ajv, ['date']);
  return { checklist: ajv.compile(all.checklist), profile: ajv.compile(all.profile), school: ajv.compile(all.school) };
}

function validator(kind: SchemaKind): ValidateFunction {
  if (compiled) return compiled[kind];
  return (required[kind] ??= (require(generated(kind)) as Record<SchemaKind, ValidateFunction>)[kind]);
}

/** Validate `data` against a format's schema; an empty list means it fits. */
export function checkSchema(kind: SchemaKind, data: unknown): SchemaProblem[] {
  const validate = validator(kind);
  if (validate(data)) return [];
  return explain(validate.errors ?? [], data);
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return String(value);
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function explain(errors: ErrorObject[], _root: unknown): SchemaProblem[] {
  // A union (anyOf) reports one error per branch; keep the most specific ones.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const deeperThanUnion = (e: ErrorObject) =>
    [...anyOfPaths].some((p) => e.instancePath.startsWith(`${p}/`) && e.instancePath !== p);
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath) && e.schemaPath.includes('anyOf')) continue;
    if (e.keyword === 'anyOf' && errors.some((other) => other !== e && deeperThanUnion(other) && other.instancePath.startsWith(e.instancePath))) continue;
    const problem = explainOne(e, errors);
    const key = `${problem.path.join('/')}|${problem.message.code}|${JSON.stringify(problem.message.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

function explainOne(e: ErrorObject, all: ErrorObject[]): SchemaProblem {
  const path = pointerToPath(e.instancePath);
  const field = String(path[path.length - 1] ?? '');
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, at: 'key', message: { code: 'schema.required', params: { key: String(params.missingProperty) } } };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(key, known);
      return {
        path: [...path, key],
        at: 'key',
        message: {
          code: suggestion ? 'schema.unknownKeySuggest' : 'schema.unknownKey',
          params: { key, suggestion: suggestion ?? null, known: known.join(', ') },
        },
      };
    }
    case 'type':
      return {
        path,
        at: 'value',
        message: { code: 'schema.type', params: { field, want: String(params.type), got: typeName(e.data), value: describeValue(e.data) } },
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return {
        path,
        at: 'value',
        message: {
          code: suggestion ? 'schema.enumSuggest' : 'schema.enum',
          params: { field, value: describeValue(e.data), allowed: allowed.join(', '), suggestion: suggestion ?? null },
        },
      };
    }
    case 'format':
      return { path, at: 'value', message: { code: 'schema.date', params: { field, value: describeValue(e.data) } } };
    case 'pattern':
      return { path, at: 'value', message: { code: 'schema.pattern', params: { field, value: describeValue(e.data), pattern: String(params.pattern) } } };
    case 'minimum':
    case 'maximum':
      return {
        path,
        at: 'value',
        message: { code: `schema.${e.keyword}`, params: { field, value: describeValue(e.data), limit: Number(params.limit) } },
      };
    case 'minLength':
      return { path, at: 'value', message: { code: 'schema.empty', params: { field } } };
    case 'minItems':
      return { path, at: 'value', message: { code: 'schema.minItems', params: { field, limit: Number(params.limit) } } };
    case 'maxLength':
      return { path, at: 'value', message: { code: 'schema.maxLength', params: { field, limit: Number(params.limit) } } };
    case 'anyOf': {
      const wanted = all
        .filter((o) => o.instancePath === e.instancePath && o.keyword === 'type')
        .map((o) => String((o.params as { type: string }).type));
      return {
        path,
        at: 'value',
        message: { code: 'schema.anyOf', params: { field, want: [...new Set(wanted)].join(' / ') || '?', got: typeName(e.data), value: describeValue(e.data) } },
      };
    }
    default:
      return { path, at: 'value', message: { code: 'schema.other', params: { field, keyword: e.keyword, detail: e.message ?? '' } } };
  }
}
