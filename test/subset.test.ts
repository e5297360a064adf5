/**
 * The fast path's own YAML reader (src/load/subset.ts) against js-yaml: whenever it gives
 * data, js-yaml gives the same (values, key order, prototypes, -0) and does not throw — on
 * generated school files, on every YAML file in the examples and the bad-input catalogue,
 * on random data written out by two YAML writers, and on all of these mutated character
 * by character. Whatever it declines js-yaml reads, as before.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { stringify } from 'yaml';
import { glob } from 'tinyglobby';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSubset, SUBSET_MAX_DEPTH } from '../src/load/subset.js';
import { nestsDeeperThan } from '../src/load/yaml.js';

/** Equal as data and in every object's key order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b))
    return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

type Verdict = 'read' | 'declined';

/** Read a text both ways; fails the test when the reader gives data js-yaml does not. */
function agree(text: string): Verdict {
  const mine = parseSubset(text);
  if (mine === undefined) return 'declined';
  let theirs: unknown;
  try {
    theirs = load(text, { schema: CORE_SCHEMA, json: false });
  } catch (error) {
    throw new Error(`read what js-yaml refuses (${(error as Error).message.split('\n')[0]}):\n${text}`);
  }
  if (!same(mine, theirs))
    throw new Error(
      `read otherwise than js-yaml:\n${text}\n${JSON.stringify(mine)}\n${JSON.stringify(theirs)}`,
    );
  // The fast path skips the depth check on what the reader gives.
  if (nestsDeeperThan(mine, SUBSET_MAX_DEPTH))
    throw new Error(`read deeper than ${SUBSET_MAX_DEPTH}:\n${text}`);
  return 'read';
}

const root = path.resolve(import.meta.dirname, '..');
let dir: string;
let generated: string[] = [];
let corpus: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'reopen-audit-subset-'));
  execFileSync(process.execPath, [path.join(root, 'bench/generate.mjs'), '150', dir], { stdio: 'ignore' });
  const read = async (cwd: string) =>
    (await glob('**/*.{yaml,yml}', { cwd, absolute: true })).sort().map((f) => readFileSync(f, 'utf8'));
  generated = await read(dir);
  corpus = [
    ...generated.slice(0, 20),
    ...(await read(path.join(root, 'examples'))),
    ...(await read(path.join(root, 'test/fixtures'))),
  ];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Characters that change what YAML means, and some that do not. */
const EDIT_CHARS = [
  ' ',
  '  ',
  '\n',
  '\n  ',
  ':',
  ': ',
  '-',
  '- ',
  '#',
  ' #',
  '"',
  "'",
  '\\',
  '[',
  ']',
  '{',
  '}',
  ',',
  '?',
  '~',
  '.',
  '0',
  '1',
  '-0',
  '0x1',
  '1e3',
  '.5',
  'true',
  'null',
  'Yes',
  '~:',
  'a',
  '键',
  '\t',
  '\r',
  '&a',
  '*a',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ud83d',
  '\ude00',
  '---',
  '...',
  '__proto__',
  'constructor',
];

const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'replace', 'delete'),
  text: fc.constantFrom(...EDIT_CHARS),
  length: fc.integer({ min: 1, max: 6 }),
});

function mutate(text: string, edits: { at: number; kind: string; text: string; length: number }[]): string {
  let out = text;
  for (const e of edits) {
    const i = e.at % (out.length + 1);
    if (e.kind === 'insert') out = out.slice(0, i) + e.text + out.slice(i);
    else if (e.kind === 'replace') out = out.slice(0, i) + e.text + out.slice(i + e.length);
    else out = out.slice(0, i) + out.slice(i + e.length);
  }
  return out;
}

describe('the fast path YAML reader', () => {
  it('reads the generated school files, and as js-yaml does', () => {
    const verdicts = generated.map(agree);
    // The 1 % the generator writes broken are declined; the rest is read by the reader itself.
    expect(verdicts.filter((v) => v === 'read').length).toBeGreaterThan(generated.length * 0.95);
  });

  it('agrees with js-yaml on the examples and the bad-input catalogue', () => {
    for (const text of corpus) agree(text);
  });

  it('leaves deep nesting to js-yaml and the depth check, in block and flow style', () => {
    const block = (n: number) =>
      Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' 1\n';
    const flow = (n: number) => `k: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
    const mixed = (n: number) => `${block(n).slice(0, -3)} ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
    for (const text of [block(10), flow(10), mixed(8)]) expect(agree(text)).toBe('read');
    for (const n of [SUBSET_MAX_DEPTH + 1, 70, 1000]) {
      for (const text of [block(n), flow(n), mixed(n)]) expect(agree(text)).toBe('declined');
    }
    // Just under the limit is still read.
    expect(agree(flow(SUBSET_MAX_DEPTH - 2))).toBe('read');
  });

  it('agrees with js-yaml on mutated files', () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (pick, edits) => {
        runs++;
        // Half of them school files as the generator writes them, half anything in the corpus.
        const base =
          pick % 2 === 0 ? generated[(pick >> 1) % generated.length] : corpus[(pick >> 1) % corpus.length];
        if (agree(mutate(base as string, edits)) === 'read') read++;
      }),
      { numRuns: 3000, seed: 15 },
    );
    // Not vacuous: many mutated files are still read by the reader.
    expect(read).toBeGreaterThan(runs / 10);
  });

  it('agrees with js-yaml on random data written by yaml and by js-yaml', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'true',
        'no',
        '0',
        '-0',
        '007',
        '0x1F',
        '1_000',
        '1e5',
        '.inf',
        '2020-04-15',
        '~',
        'null',
        ' a ',
        'a #b',
        'a: b',
        '- a',
        "it's",
        'say "hi"',
        '键: 值',
      ),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const data = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a.b', 'gates.x', '1', 'true', '键')),
          tie('node'),
          { maxKeys: 5 },
        ),
      ),
    })).node;
    let read = 0;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), data, { minKeys: 1, maxKeys: 6 }),
        fc.nat(3),
        (value, style) => {
          const text =
            style === 0
              ? stringify(value)
              : style === 1
                ? dump(value)
                : style === 2
                  ? dump(value, { flowLevel: 1 })
                  : stringify(value, { collectionStyle: 'flow' });
          if (agree(text) === 'read') read++;
        },
      ),
      { numRuns: 1500, seed: 15 },
    );
    expect(read).toBeGreaterThan(300);
  });
});
