/**
 * One file from disk to schema-checked data: read → decode → parse → schema. Every
 * problem comes back located (file:line:col) and nothing throws for bad input.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { Problem, Reason } from '../model/result.js';
import { decode } from './decode.js';
import { checkSchema, type SchemaKind } from './schema-check.js';
import { parseYaml, type ParsedYaml, type PathSegment } from './yaml.js';

/** Larger files are refused: a school file is a few KB, a checklist a few hundred. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface SourceFile<T> {
  file: string;
  data: T;
  parsed: ParsedYaml;
}

export type Loaded<T> = { ok: true; source: SourceFile<T> } | { ok: false; problems: Problem[] };

export function problemAt(file: string, parsed: ParsedYaml, path: readonly PathSegment[], message: Reason, at: 'key' | 'value' = 'value'): Problem {
  const { line, col } = parsed.locate(path, at);
  return { file, line, col, message };
}

export async function readSource(file: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; problems: Problem[] }> {
  // Synchronous on purpose: in a worker thread nothing else waits, and it is several times
  // faster than the promise API for thousands of small files.
  let fd: number | undefined;
  try {
    // Non-blocking, so that opening a named pipe returns at once instead of waiting for a
    // writer; no effect on regular files.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (info.isDirectory()) return { ok: false, problems: [{ file, message: { code: 'file.isDirectory' } }] };
    // A pipe, socket or device has no end to read to (or blocks forever): never read one.
    if (!info.isFile()) return { ok: false, problems: [{ file, message: { code: 'file.notRegular', params: { kind: specialKind(info) } } }] };
    if (info.size > MAX_FILE_BYTES) {
      return { ok: false, problems: [{ file, message: { code: 'file.tooLarge', params: { size: info.size, limit: MAX_FILE_BYTES } } }] };
    }
    const bytes = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, bytes, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, bytes: bytes.subarray(0, read) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'EISDIR') return { ok: false, problems: [{ file, message: { code: 'file.isDirectory' } }] };
    return { ok: false, problems: [{ file, message: { code: 'file.unreadable', params: { reason: code } } }] };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What kind of special file a path is, for the message that refuses it. */
export function specialKind(info: Stats): string {
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  return 'other';
}

/** Problems of one file from top to bottom, as a person reads it (stable for equal places). */
export function inFileOrder(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.col ?? 0) - (b.p.col ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** Parse text already in memory (used by tests and by the file loader). */
export function parseSource<T>(file: string, text: string, kind: SchemaKind): Loaded<T> {
  const outcome = parseYaml(text);
  if (!outcome.ok) {
    return { ok: false, problems: outcome.problems.map((p) => ({ file, line: p.line, col: p.col, message: p.message })) };
  }
  const { parsed } = outcome;
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    return { ok: false, problems: [problemAt(file, parsed, [], { code: 'yaml.notMapping' })] };
  }
  const schemaProblems = checkSchema(kind, parsed.data);
  if (schemaProblems.length > 0) {
    return { ok: false, problems: inFileOrder(schemaProblems.map((p) => problemAt(file, parsed, p.path, p.message, p.at))) };
  }
  return { ok: true, source: { file, data: parsed.data as T, parsed } };
}

export async function loadSource<T>(file: string, kind: SchemaKind): Promise<Loaded<T>> {
  const read = await readSource(file);
  if (!read.ok) return read;
  const decoded = decode(read.bytes);
  if (!decoded.ok) return { ok: false, problems: [{ file, message: decoded.error }] };
  return parseSource<T>(file, decoded.text, kind);
}

/** Which format a parsed file is, by its top-level keys (for `validate`). */
export function guessKind(data: unknown): SchemaKind | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const keys = Object.keys(data);
  if (keys.includes('sections')) return 'checklist';
  if (keys.includes('school') || keys.includes('answers') || keys.includes('audit')) return 'school';
  if (keys.includes('extends') || keys.includes('checklists') || keys.includes('parameters')) return 'profile';
  return undefined;
}
