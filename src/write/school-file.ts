/**
 * Writing school files: an answer goes into the text a person wrote, not into a fresh dump
 * of the data. Each edit is decided on yaml's Document (which knows every key, comment and
 * position), then spliced into the text at that node's range, so everything else — comments,
 * key order, quoting, indentation, blank lines — stays byte for byte. If a file's shape is
 * beyond what a splice can handle safely (flow mappings, aliases, …) the edit falls back to
 * the Document's own `setIn` + `toString`, which still keeps comments and order. Either way
 * the result is parsed again and compared with the intended data before it is returned.
 *
 * Files are replaced atomically: written to a temporary file beside the target, flushed to
 * disk, then renamed over it. A crash or `kill -9` leaves the old file or the new one.
 */
import { lstat, readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { decode } from '../load/decode.js';
import { AtomicFile } from '../util/atomic-file.js';
import type { Scalar as Value } from '../model/result.js';

/** What the interview records for an item. `note`/`evidence` undefined = keep what is there. */
export interface AnswerEdit {
  value: Value;
  /** A new note; an empty string removes the note. */
  note?: string;
  /** New evidence paths; an empty list removes them. */
  evidence?: string[];
}

/** The text of a school file and how it was stored, so it is written back the same way. */
export interface SchoolText {
  /** With `\n` line ends, without a byte-order mark. */
  text: string;
  bom: boolean;
  crlf: boolean;
  /** The encoding it was read in; anything but UTF-8 is written back as UTF-8. */
  encoding: string;
}

export class SchoolFileError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number | null> = {},
  ) {
    super(code);
  }
}

const PARSE_OPTIONS = { schema: 'core', uniqueKeys: true, merge: false, strict: true } as const;
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

export function fromDisk(bytes: Uint8Array): SchoolText {
  const decoded = decode(bytes);
  if (!decoded.ok) throw new SchoolFileError(decoded.error.code);
  const crlf = /\r\n/.test(decoded.text);
  return {
    text: crlf ? decoded.text.replace(/\r\n/g, '\n') : decoded.text,
    bom: decoded.encoding === 'utf-8-bom',
    crlf,
    encoding: decoded.encoding,
  };
}

export function toDisk(file: SchoolText): string {
  const text = file.crlf ? file.text.replace(/\n/g, '\r\n') : file.text;
  return file.bom ? `\uFEFF${text}` : text;
}

export async function readSchoolText(file: string): Promise<SchoolText> {
  return fromDisk(await readFile(file));
}

/**
 * Replace `file` with `text` atomically and durably: written to a temporary file beside it,
 * synced, renamed over it, and the directory synced so the rename survives a power cut.
 */
export async function writeSchoolText(file: string, content: SchoolText | string): Promise<void> {
  await AtomicFile.write(file, typeof content === 'string' ? content : toDisk(content));
}

/**
 * Replace whatever is at `file` with `text`, atomically and durably, never writing through
 * a symbolic link: the rename puts the new file where a link was, and the file it pointed
 * to is left alone. True when a link was replaced.
 */
export async function replaceSchoolFile(file: string, text: string): Promise<boolean> {
  const link = await lstat(file).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  await AtomicFile.write(file, text, { replaceLink: true });
  return link;
}

/** A value as YAML text on one line: quoted where a plain scalar would read as something else. */
export function scalarText(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (/[\n\r]/.test(value)) {
    const node = new Scalar(value);
    node.type = Scalar.QUOTE_DOUBLE;
    return stringify(node, { lineWidth: 0 }).trimEnd();
  }
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    throw new SchoolFileError('write.notYaml', { detail: (error?.message ?? '').split('\n')[0] ?? '' });
  }
  return doc;
}

/** The answer as the data it should become: a bare value, or value + note + evidence. */
function answerData(existing: unknown, edit: AnswerEdit): unknown {
  const old = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : undefined;
  const note = edit.note !== undefined ? edit.note : typeof old?.note === 'string' ? old.note : undefined;
  const evidence = edit.evidence !== undefined ? edit.evidence : old?.evidence;
  const hasEvidence = Array.isArray(evidence) ? evidence.length > 0 : typeof evidence === 'string' && evidence !== '';
  // A bare value stays bare until it gets a note or evidence; a mapping stays a mapping.
  if (!old && !note && !hasEvidence) return edit.value;
  const out: Record<string, unknown> = {};
  // Keep the keys in the order the file has them; new ones go after.
  const order = old ? Object.keys(old) : [];
  for (const key of ['value', 'note', 'evidence']) if (!order.includes(key)) order.push(key);
  for (const key of order) {
    if (key === 'value') out.value = edit.value;
    else if (key === 'note') {
      if (note) out.note = note;
    } else if (key === 'evidence') {
      if (hasEvidence) out.evidence = evidence;
    } else out[key] = old?.[key];
  }
  return out;
}

/**
 * Set one answer in a school file's text. `order` (item ids in checklist order) decides
 * where a new entry goes: after the nearest earlier item that is already in the file.
 */
export function setAnswer(text: string, id: string, edit: AnswerEdit, order: readonly string[] = []): string {
  const doc = parse(text);
  const root = doc.contents;
  if (!isMap(root)) throw new SchoolFileError('write.notMapping');
  const before = doc.toJS() as Record<string, unknown>;
  const answersBefore = before.answers;
  const existing = answersBefore && typeof answersBefore === 'object' ? (answersBefore as Record<string, unknown>)[id] : undefined;
  const data = answerData(existing, edit);
  const expected = { ...before, answers: { ...((answersBefore as Record<string, unknown> | null) ?? {}), [id]: data } };

  const spliced = trySplice(text, doc, id, data, order);
  if (spliced !== undefined && matches(spliced, expected)) return spliced;

  // The Document API keeps comments and key order, if not every space.
  const fallback = parse(text);
  const answers = fallback.get('answers', true);
  if (!isMap(answers)) fallback.set('answers', fallback.createNode({}));
  fallback.setIn(['answers', id], fallback.createNode(data));
  const out = fallback.toString(TO_STRING);
  if (!matches(out, expected)) throw new SchoolFileError('write.unexpected', { id });
  return out;
}

function matches(text: string, expected: unknown): boolean {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return false;
  return isDeepStrictEqual(doc.toJS(), expected);
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** A block mapping's entries as YAML lines at `indent`. */
function blockLines(data: Record<string, unknown>, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) {
      lines.push(`${pad}${key}:`);
      for (const v of value) lines.push(`${pad}  - ${scalarText(v as Value)}`);
    } else {
      lines.push(`${pad}${key}: ${scalarText(value as Value)}`);
    }
  }
  return lines;
}

/** `key: value` or `key:` + block lines, as the text of a new entry at `indent`. */
function entryText(key: string, data: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    return [`${pad}${scalarText(key)}:`, ...blockLines(data as Record<string, unknown>, indent + 2)].join('\n');
  }
  return `${pad}${scalarText(key)}: ${scalarText(data as Value)}`;
}

function isPlainBlockMap(node: unknown): node is YAMLMap<Node, Node | null> {
  return isMap(node) && !node.flow && node.items.every((p) => isPair(p) && isScalar(p.key) && p.key.range);
}

function pairKey(pair: Pair<unknown, unknown>): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** Where the text of a pair ends: the end of the line its value (or key) finishes on. */
function pairEnd(text: string, pair: Pair<unknown, unknown>): number {
  const value = pair.value as Node | null;
  const key = pair.key as Node;
  // For a collection, range[1] is already past its last line (at the next line's start).
  if (value && (isMap(value) || isSeq(value)) && !value.flow) {
    const end = value.range?.[1] ?? 0;
    return text[end - 1] === '\n' ? end - 1 : lineEnd(text, end);
  }
  const at = value?.range?.[1] ?? key.range?.[1] ?? 0;
  return lineEnd(text, at);
}

function trySplice(text: string, doc: Document.Parsed, id: string, data: unknown, order: readonly string[]): string | undefined {
  const root = doc.contents;
  if (!isPlainBlockMap(root)) return undefined;
  const answersPair = root.items.find((p) => pairKey(p) === 'answers');

  // No answers block: append one at the end of the file.
  if (!answersPair) {
    const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return `${base}answers:\n${entryText(id, data, 2)}\n`;
  }
  const answers = answersPair.value as Node | null;
  const keyNode = answersPair.key as Node;
  const keyIndent = columnOf(text, keyNode.range?.[0] ?? 0);

  // `answers:` with nothing (or null / ~) after it.
  if (answers === null || (isScalar(answers) && answers.value === null)) {
    let out = text;
    let anchor = keyNode.range?.[1] ?? 0;
    if (answers && isScalar(answers) && answers.range && answers.range[1] > answers.range[0]) {
      out = splice(out, answers.range[0], answers.range[1], '');
      anchor = answers.range[0];
    }
    // After comment lines indented under `answers:`: they were written for its entries.
    let at = lineEnd(out, anchor);
    const under = new RegExp(`^ {${keyIndent + 1},}#`);
    while (at < out.length && under.test(out.slice(at + 1, lineEnd(out, at + 1)))) at = lineEnd(out, at + 1);
    return splice(out, at, at, `\n${entryText(id, data, keyIndent + 2)}`);
  }
  if (!isPlainBlockMap(answers) || answers.items.length === 0) return undefined;

  const pair = answers.items.find((p) => pairKey(p) === id);
  const indent = columnOf(text, (answers.items[0]?.key as Node).range?.[0] ?? 0);
  if (!pair) {
    // After the nearest earlier item in checklist order that the file already has.
    const position = order.indexOf(id);
    const present = new Map(answers.items.map((p) => [pairKey(p), p]));
    let after: Pair<unknown, unknown> | undefined;
    for (let i = position - 1; i >= 0 && position !== -1; i--) {
      after = present.get(order[i]);
      if (after) break;
    }
    if (!after && position === -1) after = answers.items[answers.items.length - 1];
    if (!after) {
      // Earlier than everything present: first entry, right under `answers:`.
      const at = lineEnd(text, keyNode.range?.[1] ?? 0);
      return splice(text, at, at, `\n${entryText(id, data, indent)}`);
    }
    const at = pairEnd(text, after);
    return splice(text, at, at, `\n${entryText(id, data, indent)}`);
  }

  const value = pair.value as Node | null;
  const pairKeyNode = pair.key as Node;
  const isObject = data !== null && typeof data === 'object';
  if (!isObject) {
    if (value === null || isScalar(value)) return replaceScalar(text, pairKeyNode, value as Scalar | null, scalarText(data as Value));
    // A mapping answer becoming a bare value: keep the mapping, set its `value`.
    return undefined;
  }
  // A value with note/evidence.
  const obj = data as Record<string, unknown>;
  if (value !== null && isPlainBlockMap(value) && value.items.length > 0) {
    let out = text;
    // Edit inside the existing mapping from the bottom up, so earlier offsets stay valid.
    const innerIndent = columnOf(text, (value.items[0]?.key as Node).range?.[0] ?? 0);
    const edits: { at: number; end: number; insert: string }[] = [];
    for (const p of value.items) {
      const k = pairKey(p);
      if (k === undefined) return undefined;
      if (!(k in obj)) {
        // A removed key (e.g. a cleared note): drop its lines.
        const start = lineStart(text, (p.key as Node).range?.[0] ?? 0);
        edits.push({ at: start, end: Math.min(text.length, pairEnd(text, p) + 1), insert: '' });
        continue;
      }
      const v = p.value as Node | null;
      const want = obj[k];
      if (Array.isArray(want)) {
        if (isDeepStrictEqual(v ? toJS(v) : null, want)) continue;
        const start = (p.key as Node).range?.[0] ?? 0;
        edits.push({ at: lineStart(text, start), end: pairEnd(text, p), insert: blockLines({ [k]: want }, innerIndent).join('\n') });
        continue;
      }
      if (v !== null && !isScalar(v)) return undefined;
      if (isDeepStrictEqual(v ? toJS(v) : null, want)) continue;
      const replaced = replaceRange(text, p.key as Node, v as Scalar | null, scalarText(want as Value));
      if (!replaced) return undefined;
      edits.push(replaced);
    }
    const missing = Object.keys(obj).filter((k) => !value.items.some((p) => pairKey(p) === k));
    if (missing.length > 0) {
      const last = value.items[value.items.length - 1] as Pair<unknown, unknown>;
      const at = pairEnd(text, last);
      const lines = blockLines(Object.fromEntries(missing.map((k) => [k, obj[k]])), innerIndent);
      edits.push({ at, end: at, insert: `\n${lines.join('\n')}` });
    }
    edits.sort((a, b) => b.at - a.at);
    for (const e of edits) out = splice(out, e.at, e.end, e.insert);
    return out;
  }
  if (value === null || isScalar(value)) {
    // A bare value becoming a mapping: the old value goes, the mapping follows the key's line
    // (after any comment on it, which stays with the key).
    let out = text;
    const keyEnd = pairKeyNode.range?.[1] ?? 0;
    if (value && value.range && value.range[1] > value.range[0]) {
      // Drop the value and the space before it: `key: 8400   # c` → `key:   # c`.
      const colon = text.indexOf(':', keyEnd);
      if (colon === -1 || colon >= value.range[0]) return undefined;
      out = splice(out, colon + 1, value.range[1], '');
    }
    const at = lineEnd(out, keyEnd);
    const lineBegin = lineStart(out, keyEnd);
    const trimmed = out.slice(lineBegin, at).replace(/[ \t]+$/, '');
    out = splice(out, lineBegin, at, trimmed);
    const newAt = lineBegin + trimmed.length;
    return splice(out, newAt, newAt, `\n${blockLines(obj, indent + 2).join('\n')}`);
  }
  return undefined;
}

function toJS(node: Node): unknown {
  return (node as unknown as { toJSON(): unknown }).toJSON();
}

/** The edit that puts `replacement` where a scalar value is (or where an empty one would be). */
function replaceRange(text: string, key: Node, value: Scalar | null, replacement: string): { at: number; end: number; insert: string } | undefined {
  if (value && value.range && value.range[1] > value.range[0]) {
    return { at: value.range[0], end: value.range[1], insert: replacement };
  }
  // An empty value: `key:` or `key:   # comment`.
  const at = value?.range?.[0] ?? key.range?.[1];
  if (at === undefined) return undefined;
  const colon = text.indexOf(':', key.range?.[1] ?? at);
  if (colon === -1 || colon > at) return undefined;
  if (text[at] === '#') return { at, end: at, insert: `${replacement} ` };
  const needsSpace = text[at - 1] !== ' ' && text[at - 1] !== '\t';
  return { at, end: at, insert: `${needsSpace ? ' ' : ''}${replacement}` };
}

function replaceScalar(text: string, key: Node, value: Scalar | null, replacement: string): string | undefined {
  const edit = replaceRange(text, key, value, replacement);
  return edit ? splice(text, edit.at, edit.end, edit.insert) : undefined;
}

/** A new school file: a header comment, the profile and audit blocks, an empty `answers:`. */
export interface NewSchoolFile {
  header: string[];
  school: Record<string, Value | undefined>;
  audit: Record<string, Value | string[] | Record<string, string>[] | undefined>;
  /** A comment after a field's value, e.g. the Chinese name of `type: primary`. */
  notes?: Record<string, string>;
}

export function newSchoolFileText(file: NewSchoolFile): string {
  const lines = file.header.map((h) => (h === '' ? '#' : `# ${h}`));
  const note = (key: string) => (file.notes?.[key] ? `  # ${file.notes[key]}` : '');
  const block = (name: string, data: NewSchoolFile['school'] | NewSchoolFile['audit']) => {
    lines.push(`${name}:`);
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        lines.push(`  ${key}:`);
        for (const entry of value) {
          if (typeof entry === 'string') lines.push(`    - ${scalarText(entry)}`);
          else Object.entries(entry).forEach(([k, v], i) => lines.push(`    ${i === 0 ? '- ' : '  '}${k}: ${scalarText(v)}`));
        }
      } else {
        lines.push(`  ${key}: ${scalarText(value)}${note(`${name}.${key}`)}`);
      }
    }
  };
  block('school', file.school);
  block('audit', file.audit);
  lines.push('answers:');
  return `${lines.join('\n')}\n`;
}
