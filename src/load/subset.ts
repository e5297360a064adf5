/**
 * A reader for the plain YAML a school file is written in — block mappings and sequences
 * indented with spaces, one-line flow lists and mappings, plain, single- and double-quoted
 * scalars, comments — that gives exactly the data js-yaml gives (CORE schema), several
 * times faster. It is a shortcut, never a judge: on anything else (tabs, carriage returns,
 * block or multi-line scalars, anchors, tags, directives, duplicate keys, an unusual escape
 * or indentation, a character js-yaml refuses) it returns undefined and the caller parses
 * with js-yaml as before. Scalars are resolved by js-yaml's own CORE types, in its order.
 */
import * as jsYaml from 'js-yaml';
import type { Type } from 'js-yaml';
import { MAX_DEPTH } from './yaml.js';

/** js-yaml exports its types (its typings do not say so). */
const { types } = jsYaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', Type> };

/** The implicit types of js-yaml's CORE schema, in the order it tries them on a plain scalar. */
const IMPLICIT: readonly Type[] = [types.null, types.bool, types.int, types.float];

/**
 * What this reader leaves to js-yaml wherever it occurs: tabs, carriage returns, a byte
 * order mark, characters js-yaml refuses or reads otherwise (C0/C1 controls, NEL, line
 * and paragraph separators, non-characters, a lone surrogate).
 */
const UNSUPPORTED =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;
/** The same characters and any surrogate: one cheap look first, most files have none. */
// eslint-disable-next-line no-control-regex
const MAYBE_UNSUPPORTED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

/** Left to js-yaml: the reader bails out with this. */
class Unsupported extends Error {}
const BAIL = new Unsupported();

const MAX_KEY = 1000;

/**
 * How deep the reader nests collections before it leaves the file to js-yaml: half the
 * depth the loader refuses, so that data it gives never needs that check.
 */
export const SUBSET_MAX_DEPTH = MAX_DEPTH / 2;

/** The data of a text, or undefined when js-yaml must read it. */
export function parseSubset(text: string): unknown {
  if (MAYBE_UNSUPPORTED.test(text) && UNSUPPORTED.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;

function plainScalar(text: string): unknown {
  const c = text.charCodeAt(0);
  // Only these can start a null, bool, int or float of the CORE schema.
  if (
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === DASH ||
    c === 0x2e ||
    c === 0x7e ||
    c === 0x6e ||
    c === 0x4e ||
    c === 0x74 ||
    c === 0x54 ||
    c === 0x66 ||
    c === 0x46
  ) {
    for (const type of IMPLICIT) if (type.resolve(text)) return type.construct(text) as unknown;
  }
  return text;
}

/**
 * A character that may not start a plain scalar here (in block or flow context): flow and
 * quote indicators, a comment, and what starts an anchor, alias, tag, block scalar,
 * directive or a reserved character.
 */
function badPlainStart(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === DASH || c === 0x3f || c === COLON) {
    // `-5`, `-x`, `?x`, `:x` are plain; `- `, `? `, `: ` (or alone) are indicators.
    const next = s.charCodeAt(1);
    return Number.isNaN(next) || next === SPACE;
  }
  return ',[]{}#\'"&*!|>%@`'.includes(s.charAt(0));
}

class Reader {
  private readonly lines: string[];
  /** The line being read, its indentation, and where its content starts (after `- ` of a sequence item). */
  private i = 0;
  private indent = 0;
  private pos = 0;
  private depth = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.seek(0);
  }

  /** Move to the next line with content at or after line n (comments and blank lines skipped). */
  private seek(n: number): void {
    const { lines } = this;
    for (let i = n; i < lines.length; i++) {
      const line = lines[i] as string;
      let k = 0;
      while (line.charCodeAt(k) === SPACE) k++;
      if (k === line.length || line.charCodeAt(k) === HASH) continue;
      // Document markers and directives: js-yaml's business.
      if (k === 0 && (line.startsWith('---') || line.startsWith('...'))) throw BAIL;
      this.i = i;
      this.indent = k;
      this.pos = k;
      return;
    }
    this.i = lines.length;
    this.indent = -1;
    this.pos = 0;
  }

  private get done(): boolean {
    return this.i >= this.lines.length;
  }

  document(): unknown {
    if (this.done || this.indent !== 0) throw BAIL;
    const value = this.block(0);
    if (!this.done) throw BAIL;
    return value;
  }

  /** The block node whose first line is the current one, at its indentation. */
  private block(indent: number): unknown {
    if (++this.depth > SUBSET_MAX_DEPTH) throw BAIL;
    const line = this.lines[this.i] as string;
    const value = isItem(line, this.pos) ? this.sequence(indent) : this.mapping(indent);
    this.depth--;
    return value;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (!this.done && this.indent === indent) {
      const line = this.lines[this.i] as string;
      // Another key of the mapping this sequence is the value of (at the key's indentation).
      if (!isItem(line, this.pos)) break;
      let k = this.pos + 1;
      while (line.charCodeAt(k) === SPACE) k++;
      if (k === line.length || line.charCodeAt(k) === HASH) {
        // `-` alone: the item is the block below it, or null.
        this.seek(this.i + 1);
        if (!this.done && this.indent > indent) out.push(this.block(this.indent));
        else out.push(null);
        continue;
      }
      if (isItem(line, k) || keyEnd(line, k) !== -1) {
        // `- - x` or `- key: value`: a node at the column after the dash.
        this.indent = k;
        this.pos = k;
        out.push(this.block(k));
        continue;
      }
      out.push(this.inline(line, k));
      this.seek(this.i + 1);
      if (!this.done && this.indent > indent) throw BAIL;
    }
    if (!this.done && this.indent > indent) throw BAIL;
    return out;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (!this.done && this.indent === indent) {
      const line = this.lines[this.i] as string;
      const start = this.pos;
      const end = keyEnd(line, start);
      if (end === -1) throw BAIL;
      const key = this.key(line, start, end);
      if (Object.hasOwn(out, key) || key === '__proto__') throw BAIL;
      let k = end + 1;
      while (line.charCodeAt(k) === SPACE) k++;
      if (k === line.length || line.charCodeAt(k) === HASH) {
        this.seek(this.i + 1);
        // A block below it, a sequence at the key's own indentation, or null.
        if (
          !this.done &&
          (this.indent > indent || (this.indent === indent && isItem(this.lines[this.i] as string, this.pos)))
        ) {
          out[key] = this.indent > indent ? this.block(this.indent) : this.sequence(indent);
        } else {
          out[key] = null;
        }
        continue;
      }
      out[key] = this.inline(line, k);
      this.seek(this.i + 1);
      // More indented after an inline value: a multi-line scalar or an error.
      if (!this.done && this.indent > indent) throw BAIL;
    }
    if (!this.done && this.indent > indent) throw BAIL;
    return out;
  }

  /** The key between start and end (the colon), as js-yaml turns it into a string. */
  private key(line: string, start: number, end: number): string {
    let e = end;
    while (e > start && line.charCodeAt(e - 1) === SPACE) e--;
    if (e - start > MAX_KEY || e === start) throw BAIL;
    const c = line.charCodeAt(start);
    if (c === 0x22 || c === 0x27) {
      const [text, after] = c === 0x22 ? doubleQuoted(line, start) : singleQuoted(line, start);
      if (after !== e) throw BAIL;
      return text;
    }
    const raw = line.slice(start, e);
    if (badPlainStart(raw) || raw.includes(':') || raw.includes(' #') || raw.charCodeAt(0) === 0x3f)
      throw BAIL;
    return String(plainScalar(raw));
  }

  /** A value on the rest of a line from k: a scalar or a one-line flow collection, then only a comment. */
  private inline(line: string, k: number): unknown {
    const c = line.charCodeAt(k);
    let value: unknown;
    let after: number;
    if (c === 0x22 || c === 0x27) {
      const [text, end] = c === 0x22 ? doubleQuoted(line, k) : singleQuoted(line, k);
      value = text;
      after = end;
    } else if (c === 0x5b || c === 0x7b) {
      const flow = new Flow(line, k);
      // A child of the collection being read (the depth counts the collections around a node).
      value = flow.node(this.depth + 1);
      after = flow.at;
    } else {
      let end = line.indexOf(' #', k);
      if (end === -1) end = line.length;
      while (end > k && line.charCodeAt(end - 1) === SPACE) end--;
      const raw = line.slice(k, end);
      if (badPlainStart(raw) || raw.includes(': ') || raw.endsWith(':')) throw BAIL;
      return plainScalar(raw);
    }
    while (line.charCodeAt(after) === SPACE) after++;
    if (after < line.length && !(line.charCodeAt(after) === HASH && line.charCodeAt(after - 1) === SPACE))
      throw BAIL;
    return value;
  }
}

/** `-` followed by a space or the end of the line at k. */
function isItem(line: string, k: number): boolean {
  if (line.charCodeAt(k) !== DASH) return false;
  const next = line.charCodeAt(k + 1);
  return Number.isNaN(next) || next === SPACE;
}

/**
 * Where the colon of a `key: value` line starting at k is (followed by a space or the
 * end of the line), or -1. A quoted key ends at its closing quote; a flow key is left to js-yaml.
 */
function keyEnd(line: string, k: number): number {
  const c = line.charCodeAt(k);
  let from = k;
  if (c === 0x22 || c === 0x27) {
    try {
      from = (c === 0x22 ? doubleQuoted(line, k) : singleQuoted(line, k))[1];
    } catch {
      return -1;
    }
    while (line.charCodeAt(from) === SPACE) from++;
    if (line.charCodeAt(from) !== COLON) return -1;
  } else if (c === 0x5b || c === 0x7b) {
    return -1;
  }
  for (let j = line.indexOf(':', from); j !== -1; j = line.indexOf(':', j + 1)) {
    const next = line.charCodeAt(j + 1);
    if (Number.isNaN(next) || next === SPACE) {
      // A comment before the colon: not a key line.
      const hash = line.indexOf(' #', k);
      return hash !== -1 && hash < j ? -1 : j;
    }
  }
  return -1;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  ' ': ' ',
};

/** A double-quoted scalar closed on this line: its text and the index after the closing quote. */
function doubleQuoted(line: string, k: number): [string, number] {
  let out = '';
  let from = k + 1;
  for (let j = from; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 0x22) return [out + line.slice(from, j), j + 1];
    if (c !== 0x5c) continue;
    out += line.slice(from, j);
    const e = line[j + 1];
    if (e === 'u') {
      const hex = line.slice(j + 2, j + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
      const code = Number.parseInt(hex, 16);
      if (code >= 0xd800 && code <= 0xdfff) throw BAIL;
      out += String.fromCharCode(code);
      j += 5;
    } else {
      const text = e === undefined ? undefined : ESCAPES[e];
      if (text === undefined) throw BAIL;
      out += text;
      j += 1;
    }
    from = j + 1;
  }
  throw BAIL;
}

/** A single-quoted scalar closed on this line (`''` is a quote). */
function singleQuoted(line: string, k: number): [string, number] {
  let out = '';
  let from = k + 1;
  for (let j = line.indexOf("'", from); j !== -1; j = line.indexOf("'", j + 2)) {
    out += line.slice(from, j);
    if (line.charCodeAt(j + 1) !== 0x27) return [out, j + 1];
    out += "'";
    from = j + 2;
  }
  throw BAIL;
}

/** A one-line flow collection: `[a, "b"]`, `{name: x, org: y}`, nested. No empty entries, no keys without values. */
class Flow {
  at: number;
  constructor(
    private readonly line: string,
    start: number,
  ) {
    this.at = start;
  }

  private skip(): void {
    while (this.line.charCodeAt(this.at) === SPACE) this.at++;
  }

  node(depth: number): unknown {
    if (depth > SUBSET_MAX_DEPTH) throw BAIL;
    const { line } = this;
    const c = line.charCodeAt(this.at);
    if (c === 0x5b) return this.list(depth);
    if (c === 0x7b) return this.map(depth);
    if (c === 0x22 || c === 0x27) {
      const [text, end] = c === 0x22 ? doubleQuoted(line, this.at) : singleQuoted(line, this.at);
      this.at = end;
      return text;
    }
    return plainScalar(this.plain());
  }

  /** A plain scalar in flow context: up to `,`, `]`, `}`; nothing that could be a key or a comment. */
  private plain(): string {
    const { line } = this;
    const start = this.at;
    let j = start;
    for (; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === 0x2c || c === 0x5d || c === 0x7d) break;
      if (
        c === COLON ||
        c === 0x5b ||
        c === 0x7b ||
        c === 0x22 ||
        c === 0x27 ||
        (c === HASH && line.charCodeAt(j - 1) === SPACE)
      )
        throw BAIL;
    }
    let e = j;
    while (e > start && line.charCodeAt(e - 1) === SPACE) e--;
    const raw = line.slice(start, e);
    if (raw === '' || badPlainStart(raw)) throw BAIL;
    this.at = j;
    return raw;
  }

  private list(depth: number): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.skip();
    if (this.line.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.node(depth + 1));
      this.skip();
      const c = this.line.charCodeAt(this.at++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw BAIL;
      this.skip();
    }
  }

  private map(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const { line } = this;
    this.at++;
    this.skip();
    if (line.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return out;
    }
    for (;;) {
      const c = line.charCodeAt(this.at);
      let key: string;
      if (c === 0x22 || c === 0x27) {
        const [text, end] = c === 0x22 ? doubleQuoted(line, this.at) : singleQuoted(line, this.at);
        key = text;
        this.at = end;
        this.skip();
        if (line.charCodeAt(this.at) !== COLON) throw BAIL;
      } else {
        const colon = line.indexOf(': ', this.at);
        if (colon === -1) throw BAIL;
        let e = colon;
        while (e > this.at && line.charCodeAt(e - 1) === SPACE) e--;
        const raw = line.slice(this.at, e);
        if (raw === '' || badPlainStart(raw) || /[,[\]{}:"']| #/.test(raw) || raw.length > MAX_KEY)
          throw BAIL;
        key = String(plainScalar(raw));
        this.at = colon;
      }
      // The colon, then a space: `{a:b}` and `{a: }` are left to js-yaml.
      if (line.charCodeAt(this.at + 1) !== SPACE) throw BAIL;
      this.at += 2;
      this.skip();
      const next = line.charCodeAt(this.at);
      if (next === 0x2c || next === 0x7d || Number.isNaN(next)) throw BAIL;
      if (Object.hasOwn(out, key) || key === '__proto__') throw BAIL;
      out[key] = this.node(depth + 1);
      this.skip();
      const end = line.charCodeAt(this.at++);
      if (end === 0x7d) return out;
      if (end !== 0x2c) throw BAIL;
      this.skip();
    }
  }
}
