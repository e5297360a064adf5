/**
 * The fast path for big batches: js-yaml builds the data (several times faster than
 * yaml's Document API), and positions are recovered only when something must be located
 * — first by scanning the lines for block-style keys, and only if that fails by parsing
 * the file again with `yaml`. Anything js-yaml does not accept, or that could expand
 * (anchors, aliases, tags), goes through the full `yaml` path with its guards.
 */
import { load, CORE_SCHEMA } from 'js-yaml';
import type { Problem } from '../model/result.js';
import { checkSchema, type SchemaKind } from './schema-check.js';
import { parseSubset, SUBSET_MAX_DEPTH } from './subset.js';
import { inFileOrder, parseSource, problemAt, type Loaded } from './source.js';
import { MAX_DEPTH, nestsDeeperThan, parseYaml, type ParsedYaml, type PathSegment, type Position } from './yaml.js';

/**
 * An anchor, alias or tag where a node may start (after `: `, `- `, `[`, `{`, `,` or at the
 * start of a line), or a merge key: leave those files to `yaml` and its guards. Operators
 * inside expressions (`a && !b`, `x * 2`) do not start a node and do not match.
 */
const NEEDS_FULL_PARSER = /(?:^[ \t]*|[:\-[{,][ \t]+|[[{,])[&*!]|^[ \t]*<<[ \t]*:/m;

/**
 * Where js-yaml reads a text otherwise than yaml, each behind a cheap look for a character
 * it needs (a school file has none of them, so the fast path stays fast): a key that may
 * be a list or mapping (an explicit `? ` key, a bracket closed just before a `:`), a null
 * key (`~:`), a binary number (`0b101`), a document marker glued to text (`---school:`).
 */
const READ_OTHERWISE: [needs: (text: string) => boolean, pattern: RegExp][] = [
  [(t) => t.includes('?'), /^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|$)|[{,][ \t]*\?[ \t]/m],
  [(t) => (t.includes(']') || t.includes('}')) && /[\]}][ \t]*:(?:[ \t]|$)/m.test(t), /^[ \t]*(?:-[ \t]+)*[[{].*[\]}][ \t]*:(?:[ \t]|$)/m],
  [(t) => t.includes('~') || /null/i.test(t), /(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)(?:~|null|Null|NULL)[ \t]*:(?:[ \t]|$)/m],
  [(t) => t.includes('0b'), /\b0b[01]/],
  [(t) => t.includes('---') || t.includes('...'), /^(?:---|\.\.\.)[^ \t\r\n]/m],
];

/** A character NEEDS_FULL_PARSER needs: most files have none, and looking for one is cheaper than the pattern. */
const mayNeedFullParser = (t: string) => t.includes('&') || t.includes('*') || t.includes('!') || t.includes('<<');

function needsFullParser(text: string): boolean {
  return (mayNeedFullParser(text) && NEEDS_FULL_PARSER.test(text)) || READ_OTHERWISE.some(([needs, pattern]) => needs(text) && pattern.test(text));
}

export function parseSourceFast<T>(file: string, text: string, kind: SchemaKind): Loaded<T> {
  if (needsFullParser(text)) return parseSource<T>(file, text, kind);
  // The plain YAML of most school files is read directly (the same data js-yaml gives);
  // anything else by js-yaml.
  let data = parseSubset(text);
  // The reader nests no deeper than SUBSET_MAX_DEPTH: what it gives needs no depth check.
  const shallow = data !== undefined && SUBSET_MAX_DEPTH < MAX_DEPTH;
  if (data === undefined) {
    try {
      data = load(text, { schema: CORE_SCHEMA, json: false });
    } catch {
      // The full parser says what is wrong, and where, in the user's language.
      return parseSource<T>(file, text, kind);
    }
  }
  // Not a mapping, or nested too deep: the full parser refuses it, in the same words.
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data) || (!shallow && nestsDeeperThan(data, MAX_DEPTH))) {
    return parseSource<T>(file, text, kind);
  }
  const parsed = lazyParsed(text, data);
  const schemaProblems = checkSchema(kind, data);
  if (schemaProblems.length > 0) {
    const problems: Problem[] = inFileOrder(schemaProblems.map((p) => problemAt(file, parsed, p.path, p.message, p.at)));
    return { ok: false, problems };
  }
  return { ok: true, source: { file, data: data as T, parsed } };
}

export function lazyParsed(text: string, data: unknown): ParsedYaml {
  let full: ParsedYaml | null | undefined;
  let lines: string[] | undefined;
  let answers: AnswerKeys | undefined;
  return {
    data,
    locate(path, at = 'value') {
      let scanned: Position | undefined;
      if (at === 'key' && path[0] === 'answers' && (path.length === 1 || (path.length === 2 && typeof path[1] === 'string'))) {
        // A finding's answer (locateFindings, for the failing items of every school): the
        // lines of the keys under `answers:` found once, in one pass over the text.
        answers ??= new AnswerKeys(text);
        scanned = path.length === 1 ? answers.root : answers.find(path[1] as string);
      } else {
        lines ??= text.split(/\r?\n/);
        scanned = scanLocate(lines, path, at);
      }
      if (scanned) return scanned;
      if (full === undefined) {
        const outcome = parseYaml(text);
        full = outcome.ok ? outcome.parsed : null;
      }
      return full ? full.locate(path, at) : { line: 1, col: 1 };
    },
  };
}

const KEY_LINE = /^( *)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^:#]*?)\s*:(?:\s|$)/;

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key;
    }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/**
 * Find a path of mapping keys in block-style YAML by indentation alone. Returns undefined
 * for anything it cannot be sure of (sequences, flow style, multi-line keys), and the
 * caller falls back to a real parse.
 */
export function scanLocate(lines: readonly string[], path: readonly PathSegment[], at: 'key' | 'value'): Position | undefined {
  // The root is where its first key is, after any comments: the full parse knows.
  if (path.length === 0 || path.some((p) => typeof p !== 'string')) return undefined;
  let start = 0;
  let end = lines.length;
  let parentIndent = -1;
  let found: Position | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    const want = path[depth] as string;
    let childIndent = -1;
    found = undefined;
    for (let i = start; i < end; i++) {
      const line = lines[i] as string;
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---') continue;
      const indent = line.length - trimmed.length;
      if (indent <= parentIndent) {
        end = i;
        break;
      }
      if (childIndent === -1) childIndent = indent;
      if (indent !== childIndent) continue;
      if (trimmed.startsWith('- ') || trimmed.startsWith('{') || trimmed.startsWith('[')) return undefined;
      const m = KEY_LINE.exec(line);
      if (!m) continue;
      if (unquote((m[2] as string).trimEnd()) !== want) continue;
      const keyCol = (m[1] as string).length + 1;
      const rest = line.slice((m[0] as string).length);
      const valueOffset = line.length - rest.trimStart().length;
      const hasInlineValue = rest.trim() !== '' && !rest.trimStart().startsWith('#');
      found = at === 'value' && hasInlineValue && depth === path.length - 1 ? { line: i + 1, col: valueOffset + 1 } : { line: i + 1, col: keyCol };
      start = i + 1;
      parentIndent = indent;
      // The block of this key runs until a line indented no deeper than the key.
      let blockEnd = lines.length;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j] as string;
        const t = l.trimStart();
        if (t === '' || t.startsWith('#')) continue;
        if (l.length - t.length <= indent) {
          blockEnd = j;
          break;
        }
      }
      end = blockEnd;
      break;
    }
    if (!found) return undefined;
  }
  return found;
}

/** JavaScript's white space and line terminators: what `trimStart` removes. */
function isSpace(c: number): boolean {
  if (c === 32) return true;
  if (c < 128) return c >= 9 && c <= 13;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const HASH = 35;
const QUOTE = 34;
const APOSTROPHE = 39;
const BRACE = 123;
const BRACKET = 91;

/**
 * scanLocate(lines, ['answers'], 'key') and scanLocate(lines, ['answers', key], 'key') for
 * the lines of `text`, with the lines read once: one pass over the text finds the
 * `answers:` key and the lines of the keys of its block, and a key is then looked for only
 * in those, by the same pattern. No line array is made, and a line is cut out of the text
 * only to be matched. The same positions as scanLocate, and the same undefined where it
 * cannot be sure (the caller then parses the file).
 */
export class AnswerKeys {
  /** Where `answers:` is, at the key. */
  root: Position | undefined;
  /** The block's key lines (at the indentation of its first line, before any line scanLocate stops at): start, end, line number. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly numbers: number[] = [];
  private indent = -1;

  constructor(private readonly text: string) {
    let start = 0;
    let number = 0;
    let parentIndent = -1;
    let childIndent = -1;
    // In the root: find `answers`; then (parentIndent set) the lines of its block.
    while (start <= text.length) {
      const next = text.indexOf('\n', start);
      const lineEnd = next === -1 ? text.length : next;
      // `split(/\r?\n/)`: a CR before the line feed belongs to the line break.
      const end = next !== -1 && lineEnd > start && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      number++;
      const lineStart = start;
      start = lineEnd + 1;
      let first = lineStart;
      while (first < end && isSpace(text.charCodeAt(first))) first++;
      if (first === end || text.charCodeAt(first) === HASH) continue;
      const indent = first - lineStart;
      // A line no deeper than `answers:` ends its block (even `---`).
      if (parentIndent !== -1 && indent <= parentIndent) break;
      if (end - first === 3 && text.startsWith('---', first)) continue;
      if (childIndent === -1) childIndent = indent;
      if (indent !== childIndent) continue;
      const c = text.charCodeAt(first);
      if ((c === 45 && text.charCodeAt(first + 1) === 32 && first + 1 < end) || c === BRACE || c === BRACKET) break;
      if (parentIndent !== -1) {
        this.starts.push(lineStart);
        this.ends.push(end);
        this.numbers.push(number);
        continue;
      }
      const key = this.keyAt(lineStart, end, first, 'answers');
      if (key === undefined) continue;
      this.root = { line: number, col: key };
      parentIndent = indent;
      childIndent = -1;
    }
    this.indent = childIndent;
  }

  /**
   * The column of the key of the line [start, end) if it is `want` (KEY_LINE and unquote,
   * as scanLocate reads it). A plain key is `want` only if the line has `want` where its
   * key starts: the pattern runs only on such lines and on quoted keys.
   */
  private keyAt(start: number, end: number, first: number, want: string): number | undefined {
    const c = this.text.charCodeAt(first);
    if (c !== QUOTE && c !== APOSTROPHE && !this.text.startsWith(want, first)) return undefined;
    const m = KEY_LINE.exec(this.text.slice(start, end));
    if (!m || unquote((m[2] as string).trimEnd()) !== want) return undefined;
    return (m[1] as string).length + 1;
  }

  /** Where `answers:`'s key `want` is, at the key; undefined where scanLocate gives undefined. */
  find(want: string): Position | undefined {
    if (this.root === undefined) return undefined;
    for (let i = 0; i < this.starts.length; i++) {
      const start = this.starts[i] as number;
      const col = this.keyAt(start, this.ends[i] as number, start + this.indent, want);
      if (col !== undefined) return { line: this.numbers[i] as number, col };
    }
    return undefined;
  }
}
