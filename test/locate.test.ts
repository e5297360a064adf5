/**
 * Locating a finding's answer on the fast path: the keys under `answers:` found in one pass
 * over the text (AnswerKeys) give exactly what scanning the lines for each path gives
 * (scanLocate), including undefined where the scan cannot be sure and the file is parsed.
 */
import { describe, expect, it } from 'vitest';
import { AnswerKeys, lazyParsed, scanLocate } from '../src/load/fast.js';
import { parseYaml } from '../src/load/yaml.js';

const FRAGMENTS = [
  'answers:', 'answers: {a: 1}', '"answers":', "'answers' :", 'answers :', ' answers:', '\ufeffanswers:', '# answers:', 'answers:\r',
  '  a: 1', '  a:', '  "a": 2', "  'a''b': 3", '  a b: 1', '  a: #c', '  #x: 1', '    a: 2', '  a:1', '  a :  1', ' a: 1', '   a: 1',
  '  - a: 1', '  {a: 1}', '  [a]', '  -a: 1', '  -', '  -\r', '  b', '  b:c', '  b: c', '  c: "x: y"', '  "a\\"q": 1', '  "bad\\x": 1',
  '---', '  ---', '...', '', '   ', '\t', '\r', '\ta: 1', '  \ta: 1', '\u3000 a: 1', '\u00a0 a: 1', '  a:\r', '  a: 1\r',
  'school:', '  id: 1', 'b: 2', '- x', '{',
];
const KEYS = ['a', 'b', "a'b", 'a"q', 'a b', '-a', 'c', 'answers', 'x', 'id', 'bad\\x', '"bad\\x"', ''];

/** The texts and keys where the two differ. */
function differences(texts: Iterable<string>): string[] {
  const differ: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const text of texts) {
    const lines = text.split(/\r?\n/);
    const keys = new AnswerKeys(text);
    if (!same(keys.root, scanLocate(lines, ['answers'], 'key'))) differ.push(`${JSON.stringify(text)} (answers)`);
    for (const key of KEYS) if (!same(keys.find(key), scanLocate(lines, ['answers', key], 'key'))) differ.push(`${JSON.stringify(text)} ${key}`);
  }
  return differ;
}

describe('the answers of a school file, located in one pass', () => {
  it('counts as leading space exactly what trimStart removes', () => {
    const texts = function* () {
      for (let c = 0; c < 0x10000; c++) if (c !== 10) yield `answers:\n${String.fromCharCode(c)}  a: 1\n  a: 2`;
    };
    expect(differences(texts())).toEqual([]);
  });

  it('gives what scanning the lines gives, for texts made of awkward lines', () => {
    let seed = 20200228;
    const next = (k: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    const texts = function* () {
      for (let i = 0; i < 20_000; i++) {
        const lines = Array.from({ length: 1 + next(10) }, () => FRAGMENTS[next(FRAGMENTS.length)] as string);
        const sep = next(3) === 0 ? '\r\n' : '\n';
        yield lines.join(sep) + (next(4) === 0 ? sep : '');
      }
    };
    expect(differences(texts())).toEqual([]);
  });

  it('locates an answer where the full parse does, and falls back to it where the scan cannot be sure', () => {
    const text = 'school:\n  id: x\nanswers:\n  # gates\n  a: true\n  b:\n    value: 1\n  "c": 2\n  ? e\n  : 3\n';
    const full = parseYaml(text);
    if (!full.ok) throw new Error('not YAML');
    const fast = lazyParsed(text, {});
    expect(fast.locate(['answers', 'a'], 'key')).toEqual({ line: 5, col: 3 });
    expect(fast.locate(['answers', 'b'], 'key')).toEqual({ line: 6, col: 3 });
    expect(fast.locate(['answers', 'c'], 'key')).toEqual({ line: 8, col: 3 });
    expect(fast.locate(['answers'], 'key')).toEqual({ line: 3, col: 1 });
    // An explicit key is not one the scan reads: the full parse answers.
    expect(new AnswerKeys(text).find('e')).toBeUndefined();
    expect(fast.locate(['answers', 'e'], 'key')).toEqual(full.parsed.locate(['answers', 'e'], 'key'));
    expect(fast.locate(['answers', 'e'], 'key')).toEqual({ line: 9, col: 5 });
  });
});
