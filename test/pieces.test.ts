/**
 * The footers that grow with a national roster are written in pieces so its coverage never
 * sits in memory as one string: the JSON report's tail (src/report/json-pieces.ts), joined,
 * must be exactly what JSON.stringify(value, null, 2) writes, and the Markdown summary's
 * pieces (finishPieces in src/report/md.ts) exactly the whole document normalised at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces, LazyList, type PieceJson } from '../src/report/json-pieces.js';
import { finishPieces } from '../src/report/md.js';
import type { ReportContext } from '../src/report/context.js';

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

describe('Markdown in pieces', () => {
  const ctx = { lang: 'zh', color: false, tool: { name: 'reopen-audit', version: '1.0.0' }, detail: 'all' } as ReportContext;
  /** The document as it was written in one go: lines and footer joined, blank-line runs collapsed, trimmed at the end. */
  const footer = [...finishPieces([], ctx)].join('').slice('---\n\n'.length, -1);
  const whole = (out: string[]) => `${[...out, '---', '', footer].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;

  it('joins to the whole document normalised at once, wherever the blank lines and trailing spaces fall', () => {
    const line = fc.oneof(fc.constantFrom('', '', '  ', '\n', ' \n\n', '| a | b |', '## 名册覆盖', 'x  '), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 1200 }), (out) => {
        expect([...finishPieces(out, ctx)].join('')).toBe(whole(out));
      }),
      { numRuns: 200 },
    );
  });

  it('ends with the line naming the tool', () => {
    expect(footer).toContain('reopen-audit 1.0.0');
  });

  it('writes a long document in several pieces', () => {
    const out = Array.from({ length: 5000 }, (_, i) => (i % 50 === 0 ? '' : `| 河东区 | 130104-${i} | 学校 ${i} | 已达标 |`));
    const pieces = [...finishPieces(out, ctx)];
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(whole(out));
  });
});
