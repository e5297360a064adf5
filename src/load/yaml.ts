/**
 * Text to data, with a way back from a data path to a line and column. Everything after
 * this stage sees plain data and `locate()`, never the parser's node objects, so the
 * parser behind it can change (a faster one for big batches) without touching the rest.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { Reason } from '../model/result.js';

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
const MAX_ALIAS_COUNT = 100;

const YAML_ERROR_CODES: Record<string, string> = {
  DUPLICATE_KEY: 'yaml.duplicateKey',
  TAB_AS_INDENT: 'yaml.tab',
  BAD_INDENT: 'yaml.indent',
  MISSING_CHAR: 'yaml.missingChar',
  MULTIPLE_DOCS: 'yaml.multipleDocs',
  ALIAS_PROPS: 'yaml.syntax',
  BAD_ALIAS: 'yaml.syntax',
};

export function parseYaml(text: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    merge: false,
    strict: true,
  });
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  if (!Array.isArray(docs)) {
    // Only comments or whitespace: an empty stream.
    return { ok: false, problems: [{ ...pos(0), message: { code: 'yaml.empty' } }] };
  }
  const problems: YamlProblem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const code = YAML_ERROR_CODES[error.code] ?? 'yaml.syntax';
      problems.push({ ...pos(errorOffset(text, error.code, error.message, error.pos[0])), message: { code, params: { detail: firstLine(error.message) } } });
    }
    for (const warning of doc.warnings) {
      // An unknown tag such as `!!js/function` is never resolved, let alone run: refuse it.
      if (warning.code === 'TAG_RESOLVE_FAILED' || /tag/i.test(warning.message)) {
        problems.push({ ...pos(warning.pos[0]), message: { code: 'yaml.tag', params: { detail: firstLine(warning.message) } } });
      }
    }
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
    const detail = error instanceof Error ? firstLine(error.message) : String(error);
    return { ok: false, problems: [{ ...pos(0), message: { code: 'yaml.aliases', params: { detail } } }] };
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
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      const key = pair.key as Node;
      if (last && at === 'key') return key.range?.[0] ?? offset;
      const value = pair.value as Node | null;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      if (value && isScalar(value) && value.value === null) offset = key.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node)) {
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
