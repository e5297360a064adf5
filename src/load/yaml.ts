/**
 * Text to data, with a way back from a data path to a line and column. Everything after
 * this stage sees plain data and `locate()`, never the parser's node objects, so the
 * parser behind it can change (a faster one for big batches) without touching the rest.
 */
import { fullWidthSlip } from './full-width.js';
import { createRequire } from 'node:module';
import type { CST, Document, Node } from 'yaml';
import type { Reason } from '../model/result.js';

/**
 * `yaml` is loaded on first use: a batch whose files all take the fast path (src/load/fast.ts)
 * and have nothing to locate never needs it, and a worker thread starts sooner without it.
 */
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const Y = (): typeof import('yaml') => (yamlModule ??= require('yaml') as typeof import('yaml'));

export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

export interface ParsedYaml {
  data: unknown;
  /** Where the node at `path` is: its key (for unknown keys) or its value. */
  locate(path: readonly PathSegment[], at?: 'key' | 'value'): Position;
}

export interface YamlProblem extends Position {
  message: Reason;
}

export type ParseOutcome = { ok: true; parsed: ParsedYaml } | { ok: false; problems: YamlProblem[] };

/** Aliases expand into copies; this bounds the work an alias bomb can cause. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Collections nested deeper than this are refused before the (recursive) composer sees
 * them: a school file nests 4 levels, a checklist 8. A fixed limit, not the stack running
 * out, so the message and its position are the same on every machine and in every thread.
 */
export const MAX_DEPTH = 64;

const YAML_ERROR_CODES: Record<string, string> = {
  DUPLICATE_KEY: 'yaml.duplicateKey',
  TAB_AS_INDENT: 'yaml.tab',
  BAD_INDENT: 'yaml.indent',
  MISSING_CHAR: 'yaml.missingChar',
  MULTIPLE_DOCS: 'yaml.multipleDocs',
  ALIAS_PROPS: 'yaml.syntax',
  BAD_ALIAS: 'yaml.syntax',
  // A plain value that runs on into the next line, which holds `key: value`: the next line
  // is indented too far, or this line lacks its colon.
  MULTILINE_IMPLICIT_KEY: 'yaml.multilineKey',
  BLOCK_AS_IMPLICIT_KEY: 'yaml.multilineKey',
};

export function parseYaml(text: string): ParseOutcome {
  const lineCounter = new (Y().LineCounter)();
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  // Brackets first, from the text alone: the parser's tokens for 100,000 nested brackets
  // would fill a worker's heap before the nesting could be looked at.
  const bracketed = bracketsTooDeep(text, MAX_DEPTH);
  if (bracketed !== undefined) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < bracketed; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return { ok: false, problems: [{ ...pos(bracketed), message: { code: 'yaml.tooDeep', params: { limit: MAX_DEPTH } } }] };
  }
  // What parseAllDocuments does, with a look at the nesting between parsing and composing.
  const tokens = Array.from(new (Y().Parser)(lineCounter.addNewLine).parse(text));
  const deep = tooDeep(tokens, MAX_DEPTH);
  if (deep !== undefined) return { ok: false, problems: [{ ...pos(deep), message: { code: 'yaml.tooDeep', params: { limit: MAX_DEPTH } } }] };
  // logLevel 'error': the parser's own warnings go to doc.warnings, never to the console.
  const composer = new (Y().Composer)({ schema: 'core', uniqueKeys: true, merge: false, strict: true, logLevel: 'error' });
  const docs = Array.from(composer.compose(tokens));
  if (docs.length === 0) {
    // Only comments or whitespace: an empty stream.
    return { ok: false, problems: [{ ...pos(0), message: { code: 'yaml.empty' } }] };
  }
  const problems: YamlProblem[] = [];
  for (const doc of docs) {
    // A tab in the indentation throws the rest of the structure off; the errors that
    // follow from it are noise.
    const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
    const seen = new Set<number>();
    // Likewise the errors that follow a full-width mark: the mark is the mistake to fix.
    const slipped = doc.errors.some((e) => fullWidthSlip(text, e.pos[0]) !== undefined);
    for (const error of tabs.length > 0 ? tabs : doc.errors) {
      const detail = firstLine(error.message);
      const bracket = /end with an? ([\]}])/.exec(detail)?.[1];
      const offset = bracket ? openerOffset(text, bracket, error.pos[0]) : errorOffset(text, error.code, error.message, error.pos[0]);
      // A full-width mark the parser broke on is named as such, where it stands.
      const slip = fullWidthSlip(text, offset);
      if (slip !== undefined) {
        if (seen.has(slip.offset)) continue;
        seen.add(slip.offset);
        problems.push({ ...pos(slip.offset), message: { code: 'yaml.fullWidth', params: { mark: slip.mark, char: slip.char } } });
        continue;
      }
      if (slipped) continue;
      // One message per place: the parser often reports one mistake twice, in other words.
      if (seen.has(offset)) continue;
      seen.add(offset);
      const message: Reason = bracket
        ? { code: 'yaml.unclosedBracket', params: { open: bracket === ']' ? '[' : '{', close: bracket, detail } }
        : { code: YAML_ERROR_CODES[error.code] ?? 'yaml.syntax', params: { detail } };
      problems.push({ ...pos(offset), message });
    }
    for (const warning of doc.warnings) {
      // An unknown tag such as `!!js/function` is never resolved, let alone run: refuse it.
      if (warning.code === 'TAG_RESOLVE_FAILED' || /tag/i.test(warning.message)) {
        problems.push({ ...pos(warning.pos[0]), message: { code: 'yaml.tag', params: { detail: firstLine(warning.message) } } });
      }
    }
  }
  // A list or mapping as a key has no faithful form in plain data (it would become the
  // text "a,b" or "[ a, b ]"): no format of ours has one, so it is an error where it stands.
  for (const doc of docs) {
    Y().visit(doc, {
      Pair(_key, pair) {
        if (Y().isCollection(pair.key)) problems.push({ ...pos(pair.key.range?.[0] ?? 0), message: { code: 'yaml.complexKey' } });
      },
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (docs.length > 1) {
    const second = docs[1];
    const offset = second?.range?.[0] ?? 0;
    return { ok: false, problems: [{ ...pos(offset), message: { code: 'yaml.multipleDocs' } }] };
  }
  const doc = docs[0];
  if (!doc || doc.contents === null) {
    return { ok: false, problems: [{ ...pos(0), message: { code: 'yaml.empty' } }] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, problems: [{ ...pos(0), message: { code: 'yaml.tooDeep', params: { limit: MAX_DEPTH } } }] };
    const detail = error instanceof Error ? firstLine(error.message) : String(error);
    return { ok: false, problems: [{ ...pos(firstAliasOffset(doc)), message: { code: 'yaml.aliases', params: { detail } } }] };
  }
  const root = doc.contents as Node;
  return {
    ok: true,
    parsed: {
      data,
      locate(path, at = 'value') {
        return pos(locateOffset(root, path, at));
      },
    },
  };
}

/**
 * Offset of the first flow bracket nested deeper than `limit`, from the text: a `[` or `{`
 * counts where a node can start (line start, after a space, `:`, `,` or a bracket that
 * counted), not inside quotes or comments. Brackets inside plain text (`见附件[1]`) do not.
 */
function bracketsTooDeep(text: string, limit: number): number | undefined {
  let depth = 0;
  let opened = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const before = i === 0 ? '\n' : text[i - 1];
    const nodeStart =
      before === '\n' || before === ' ' || before === '\t' || before === '\r' || before === ':' || before === ',' || opened === i - 1;
    if (c === '[' || c === '{') {
      if (!nodeStart) continue;
      opened = i;
      if (++depth > limit) return i;
    } else if (c === ']' || c === '}') {
      if (depth > 0) depth--;
    } else if (c === '#' && (before === '\n' || before === ' ' || before === '\t')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '"' && nodeStart) {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && nodeStart) {
      for (i++; i < text.length; i++) {
        if (text[i] !== "'") continue;
        if (text[i + 1] === "'") i++;
        else break;
      }
    }
  }
  return undefined;
}

/**
 * Offset of the first collection nested deeper than `limit`, walking the parser's tokens
 * without recursion (the tokens of a hostile file nest as deep as its brackets).
 */
function tooDeep(tokens: CST.Token[], limit: number): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0] as [CST.Token, number]).reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    const children: CST.Token[] = [];
    let level = depth;
    if (token.type === 'document') {
      if (token.value) children.push(token.value);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      level = depth + 1;
      if (level > limit) return token.offset;
      for (const item of token.items) {
        if (item.key) children.push(item.key);
        if (item.value) children.push(item.value);
      }
    }
    // In reverse, so tokens are visited in the order they appear in the file.
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as CST.Token, level]);
  }
  return undefined;
}

/** Whether plain data nests deeper than `limit` (for data another parser built). */
export function nestsDeeperThan(data: unknown, limit: number): boolean {
  return data !== null && typeof data === 'object' && deeper(data, 0, limit);
}

/**
 * Whether an object at `depth` has objects under it deeper than `limit`: recursive, but
 * never more than `limit` calls deep. Its own values only (those Object.values gives), with
 * no list of them made: a school file has a few hundred.
 */
function deeper(value: object, depth: number, limit: number): boolean {
  if (depth + 1 > limit) return true;
  if (Array.isArray(value)) {
    for (const child of value as unknown[]) if (child !== null && typeof child === 'object' && deeper(child, depth + 1, limit)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && deeper(child, depth + 1, limit)) return true;
  }
  return false;
}

/**
 * The parser notices an unclosed quote only where the file ends; a person needs to see
 * where the quote opened, so point there.
 */
function errorOffset(text: string, code: string, message: string, offset: number): number {
  if (code !== 'MISSING_CHAR') return offset;
  const quote = /closing "quote/.test(message) ? '"' : /closing 'quote/.test(message) ? "'" : undefined;
  if (!quote) return offset;
  const opened = text.lastIndexOf(quote, Math.min(offset, text.length - 1));
  return opened >= 0 ? opened : offset;
}

/** Where the bracket that `close` should have closed was opened: the last one before `offset`. */
function openerOffset(text: string, close: string, offset: number): number {
  const open = close === ']' ? '[' : '{';
  const at = text.lastIndexOf(open, Math.min(offset, text.length - 1));
  return at >= 0 ? at : offset;
}

/** The first alias in a document, where an alias bomb starts going off. */
function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  Y().visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return Y().visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
}

/** Walks the document to the deepest node that exists on `path`. */
function locateOffset(root: Node, path: readonly PathSegment[], at: 'key' | 'value'): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (Y().isMap(node)) {
      const pair = node.items.find((p) => Y().isPair(p) && Y().isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      const key = pair.key as Node;
      if (last && at === 'key') return key.range?.[0] ?? offset;
      const value = pair.value as Node | null;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      if (value && Y().isScalar(value) && value.value === null) offset = key.range?.[0] ?? offset;
      node = value;
    } else if (Y().isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
