/**
 * The JSON report's tail is written in pieces (src/report/json-pieces.ts) so a national
 * roster's coverage never sits in memory as one string: joined, the pieces must be exactly
 * what JSON.stringify(value, null, 2) writes, at any depth and whatever the lists hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces, LazyList, type PieceJson } from '../src/report/json-pieces.js';

const joined = (value: PieceJson, depth = 0) => [...jsonPieces(value, depth)].join('');
const text = fc.oneof(fc.string(), fc.constantFrom('青河市第一中学', '"quoted"\n\u2028', '\u001b[31m', ''));

describe('JSON in pieces', () => {
  it('joins to JSON.stringify(value, null, 2) for any JSON value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('list'), tie('object')),
      list: fc.array(tie('value'), { maxLength: 6 }),
      object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(joined(value as PieceJson)).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a long list in several pieces, lazy or not, with the same bytes', () => {
    const schools = Array.from({ length: 1000 }, (_, i) => ({ id: `130102-${String(i).padStart(4, '0')}`, name: `学校 ${i}`, history: i % 7 === 0 ? [{ level: 'self', date: '2026-02-01' }] : [] }));
    const plain = { coverage: { schools, missing: [] as string[] }, summary: { schools: 1000 } };
    const lazy = { coverage: { schools: new LazyList(schools.length, (i) => schools[i] as PieceJson), missing: new LazyList(0, () => null) }, summary: { schools: 1000 } };
    const expected = JSON.stringify(plain, null, 2);
    expect(joined(plain)).toBe(expected);
    expect(joined(lazy)).toBe(expected);
    expect([...jsonPieces(lazy)].length).toBeGreaterThan(4);
    // Nested one level down, as the report's tail is inside the report object.
    expect(joined(plain, 1)).toBe(expected.replaceAll('\n', '\n  '));
  });

  it('leaves out members whose value is undefined, as JSON.stringify does', () => {
    const value = { a: 1, b: undefined, c: [] } as unknown as PieceJson;
    expect(joined(value)).toBe(JSON.stringify(value, null, 2));
  });
});
