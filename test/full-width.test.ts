/**
 * The likeliest slips on a Chinese keyboard — a full-width colon, space or quotation mark
 * where YAML needs the ASCII one — are named with their fix, at the mark itself, and no
 * Chinese message about a YAML file carries the parser's English.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';

const SCHOOL = readFileSync(path.join(ROOT, 'examples', 'schools', 'ready-primary.yaml'), 'utf8');

function schoolWith(name: string, from: RegExp, to: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ra-fullwidth-'));
  const text = SCHOOL.replace(from, to);
  expect(text).not.toBe(SCHOOL);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('full-width punctuation in a school file', () => {
  it('names a full-width colon after a key, at the colon, with the fix', () => {
    const file = schoolWith('colon.yaml', /^ {2}district: 河东区$/m, '  district：河东区');
    const line = lineOf(file, 'district：');
    for (const [lang, text] of [
      ['zh', '这里用了全角冒号“：”，YAML 只认半角冒号：请改为半角“:”，并在其后留一个空格（如 district: 河东区）'],
      ['en', 'this is a full-width colon "："; YAML needs the ASCII colon ":" followed by a space (district: 河东区)'],
    ] as const) {
      const r = cli(['validate', file, '--lang', lang]);
      expect(r.code).toBe(2);
      // Only the slip: no account of what the parser made of the lines after it.
      expect(r.stdout.trim().split('\n')[0]).toBe(`${file}:${line}:11: ${text}`);
      expect(r.stdout).not.toContain('Implicit keys');
    }
  });

  it('names a full-width colon after a top-level key, and only that', () => {
    const file = schoolWith('audit.yaml', /^audit:$/m, 'audit：');
    const r = cli(['validate', file]);
    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(file));
    expect(lines).toEqual([`${file}:${lineOf(file, 'audit：')}:6: 这里用了全角冒号“：”，YAML 只认半角冒号：请改为半角“:”，并在其后留一个空格（如 district: 河东区）`]);
  });

  it('names a full-width space as indentation and after a colon', () => {
    for (const [from, to, col] of [
      [/^ {2}district: 河东区$/m, '\u3000district: 河东区', 1],
      [/^ {2}district: 河东区$/m, '  district:\u3000河东区', 12],
    ] as const) {
      const file = schoolWith('space.yaml', from, to);
      const r = cli(['validate', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`${file}:${lineOf(file, 'district')}:${col}: 这里用了全角空格，YAML 只认半角空格：缩进和冒号后请用半角空格`);
    }
  });

  it('names Chinese quotation marks around a value that YAML breaks on', () => {
    const file = schoolWith('quote.yaml', /^ {2}note: 四至六年级(.*)$/m, '  note: “返校安排: 四至六年级$1”');
    const r = cli(['validate', file, '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${file}:${lineOf(file, '“返校安排')}:9: this is a Chinese quotation mark, which YAML does not take as a quote`);
  });

  it('leaves full-width marks alone where YAML reads them as text', () => {
    // In a value (after an ASCII colon) and in a comment, `：` and `“”` are the writer's text.
    const file = schoolWith('fine.yaml', /^ {2}address: .*$/m, '  address: 青河市河东区育才路 36 号（南门：“育才路口”） # 备注：南门');
    expect(cli(['validate', file]).code).toBe(0);
  });
});

describe('YAML errors in Chinese', () => {
  it('carry no English from the parser', () => {
    const dir = path.join(ROOT, 'test', 'fixtures', 'bad', 'syntax');
    const files = readdirSync(dir).map((f) => path.join(dir, f));
    const r = cli(['validate', ...files]);
    expect(r.code).toBe(2);
    const messages = r.stdout.split('\n').filter((l) => /\.ya?ml:\d+:\d+: /.test(l));
    expect(messages.length).toBeGreaterThanOrEqual(files.length - 1);
    // An English phrase (three words or more); ids, keys and `---` are not.
    for (const m of messages) expect(m.replace(/^.*?\.ya?ml:\d+:\d+: /, '')).not.toMatch(/[A-Za-z]+ [a-z]+ [a-z]+/);
  });
});
