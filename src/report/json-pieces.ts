/**
 * Pretty-printed JSON in pieces, byte for byte what `JSON.stringify(value, null, 2)` writes,
 * for the tail of a report whose lists grow with the batch (the coverage of a national
 * roster: 530,000 schools). One string of the whole tail would be hundreds of MB in UTF-16
 * and copied several times on its way to the disk; pieces of a few hundred schools are
 * written one after the other instead. A list may also be lazy (LazyList): each element is
 * made when its piece is, so the whole list never exists as objects.
 */
import type { Scalar } from '../model/result.js';

/** A list whose elements are made one by one, when written. */
export class LazyList<T> {
  constructor(
    readonly length: number,
    readonly at: (index: number) => T,
  ) {}
}

export type PieceJson = Scalar | PieceJson[] | LazyList<PieceJson> | { [key: string]: PieceJson };

/** Elements of a list written in one piece. */
const PER_PIECE = 32;

const pad = (depth: number) => '  '.repeat(depth);

/** JSON.stringify(value, null, 2) of a value nested `depth` levels deep (no lazy list inside). */
function flat(value: PieceJson, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return depth === 0 ? text : text.replaceAll('\n', `\n${pad(depth)}`);
}

/**
 * The pieces of `value` at `depth`: objects are opened key by key, lists are written a few
 * hundred elements at a time, and everything inside a list element in one go.
 */
export function* jsonPieces(value: PieceJson, depth = 0): Generator<string> {
  if (value instanceof LazyList || Array.isArray(value)) {
    const list = value;
    const length = list.length;
    if (length === 0) {
      yield '[]';
      return;
    }
    const get = list instanceof LazyList ? list.at : (i: number) => list[i] as PieceJson;
    const between = `,\n${pad(depth + 1)}`;
    for (let start = 0; start < length; start += PER_PIECE) {
      const parts: string[] = [];
      for (let i = start; i < Math.min(length, start + PER_PIECE); i++) {
        const element = get(i);
        parts.push(element instanceof LazyList ? [...jsonPieces(element, depth + 1)].join('') : flat(element, depth + 1));
      }
      yield `${start === 0 ? `[\n${pad(depth + 1)}` : between}${parts.join(between)}`;
    }
    yield `\n${pad(depth)}]`;
    return;
  }
  if (value !== null && typeof value === 'object') {
    // JSON.stringify leaves out members whose value is undefined.
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    let first = true;
    for (const key of keys) {
      yield `${first ? '{' : ','}\n${pad(depth + 1)}${JSON.stringify(key)}: `;
      first = false;
      yield* jsonPieces(value[key] as PieceJson, depth + 1);
    }
    yield `\n${pad(depth)}}`;
    return;
  }
  yield flat(value, depth);
}
