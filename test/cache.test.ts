import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';
import { pruneCache } from '../src/batch/cache.js';

const FORMATS = ['text', 'markdown', 'json', 'junit', 'csv', 'csv-items', 'github', 'sarif', 'summary'];

/** Every file under a folder, by relative path, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files: [string, Buffer][] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.push([path.relative(dir, full), readFileSync(full)]);
  }
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function entries(cache: string): string[] {
  return readdirSync(cache, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'));
}

describe('--cache', () => {
  let dir: string;
  let schools: string;
  beforeAll(() => {
    dir = tempDir('cache');
    schools = path.join(dir, 'schools');
    // Enough files for worker threads (64+), about 1 % of them broken.
    execFileSync(process.execPath, ['bench/generate.mjs', '120', schools, '11'], { cwd: ROOT });
  });

  function run(input: string, extra: string[], jobs = 2): { code: number; stderr: string; outputs: Map<string, Buffer> } {
    const out = mkdtempSync(path.join(dir, 'out-'));
    const args = ['audit', input, '--jobs', String(jobs), '--out-dir', path.join(out, 'schools'), ...extra];
    for (const f of FORMATS) args.push('--format', `${f}:${path.join(out, `report.${f}`)}`);
    const r = cli(args);
    return { code: r.code, stderr: r.stderr, outputs: tree(out) };
  }

  function expectSame(a: ReturnType<typeof run>, b: ReturnType<typeof run>): void {
    expect(b.code).toBe(a.code);
    expect(b.stderr).toBe(a.stderr);
    expect([...b.outputs.keys()]).toEqual([...a.outputs.keys()]);
    for (const [name, bytes] of a.outputs) expect((b.outputs.get(name) as Buffer).equals(bytes), name).toBe(true);
  }

  it('gives byte-identical outputs, exit code and messages from a cold and a warm cache', () => {
    const cache = path.join(dir, 'c1');
    const plain = run(schools, []);
    const cold = run(schools, ['--cache-location', cache]);
    const stored = entries(cache);
    const warm = run(schools, ['--cache', '--cache-location', cache]);
    expect(plain.code).toBe(2);
    expect(plain.outputs.size).toBeGreaterThan(FORMATS.length + 100);
    expectSame(plain, cold);
    expectSame(plain, warm);
    // One entry per readable file (broken ones too: their messages are kept), nothing new when warm.
    expect(stored).toHaveLength(120);
    expect(entries(cache)).toEqual(stored);
    expect(readFileSync(path.join(cache, 'CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/);
  });

  it('audits a changed file again and takes the others from the cache', () => {
    const copy = path.join(dir, 'changed');
    cpSync(schools, copy, { recursive: true });
    const cache = path.join(dir, 'c2');
    run(copy, ['--cache-location', cache]);
    const before = entries(cache).length;
    const files = readdirSync(copy, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort();
    const target = path.join(copy, files.find((f) => /students: \d+/.test(readFileSync(path.join(copy, f), 'utf8'))) as string);
    writeFileSync(target, readFileSync(target, 'utf8').replace(/students: \d+/, 'students: 99999'));
    const warm = run(copy, ['--cache-location', cache]);
    expectSame(run(copy, []), warm);
    expect(entries(cache)).toHaveLength(before + 1);
    const report = JSON.parse(warm.outputs.get('report.json')?.toString('utf8') ?? '{}') as { schools: { file: string; school: { students: number } }[] };
    expect(report.schools.find((s) => path.resolve(s.file) === path.resolve(target))?.school.students).toBe(99999);
  });

  it('starts afresh when an option changes what the outcome would be', () => {
    const cache = path.join(dir, 'c3');
    run(schools, ['--cache-location', cache]);
    const withParam = ['--param', 'stock_days=30'];
    expectSame(run(schools, withParam), run(schools, [...withParam, '--cache-location', cache]));
    const english = ['--lang', 'en'];
    expectSame(run(schools, english), run(schools, [...english, '--cache-location', cache]));
    // Three runs with different outcomes: three folders of entries.
    expect(readdirSync(cache).filter((n) => /^[0-9a-f]{24}$/.test(n))).toHaveLength(3);
  });

  it('treats a damaged entry as missing and writes it again', () => {
    const cache = path.join(dir, 'c4');
    const plain = run(schools, []);
    run(schools, ['--cache-location', cache]);
    const stored = entries(cache);
    stored.forEach((name, i) => {
      const file = path.join(cache, name);
      const bytes = readFileSync(file);
      // Cut short, bytes flipped, or another file's entry under this name.
      if (i % 3 === 0) writeFileSync(file, bytes.subarray(0, bytes.length - 7));
      else if (i % 3 === 1) writeFileSync(file, Buffer.from(bytes.toString('latin1').replace(/"/g, "'"), 'latin1'));
      else writeFileSync(file, readFileSync(path.join(cache, stored[(i + 1) % stored.length] as string)));
    });
    expectSame(plain, run(schools, ['--cache-location', cache]));
    expectSame(plain, run(schools, ['--cache-location', cache]));
  });

  it('works for a small batch audited without worker threads', () => {
    const cache = path.join(dir, 'c5');
    const examples = path.join(ROOT, 'examples/schools');
    const plain = run(examples, [], 1);
    expectSame(plain, run(examples, ['--cache-location', cache], 1));
    expectSame(plain, run(examples, ['--cache-location', cache], 1));
    expect(entries(cache)).toHaveLength(9);
  });

  it('refuses a cache location that is a file, or one of the inputs', () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'mine\n');
    const r = cli(['audit', path.join(ROOT, 'examples/schools'), '--cache-location', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`reopen-audit: 无法使用缓存目录 ${file}（ENOTDIR）\n`);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const input = path.join(ROOT, 'examples/schools/ready-primary.yaml');
    const en = cli(['audit', input, '--cache-location', input, '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stderr).toBe(`reopen-audit: output path ${input} is one of the input files; refusing to overwrite it\n`);
  });

  it('removes entries and run folders unused for a week, at most once a day', () => {
    const location = mkdtempSync(path.join(dir, 'prune-'));
    const day = 86_400_000;
    const now = Date.parse('2026-11-22T12:00:00Z');
    const current = 'a'.repeat(24);
    const other = 'b'.repeat(24);
    const place = (rel: string, daysAgo: number) => {
      const file = path.join(location, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, '{}\n');
      const when = new Date(now - daysAgo * day);
      utimesSync(file, when, when);
      return file;
    };
    const fresh = place(`${current}/ab/fresh.json`, 1);
    const stale = place(`${current}/ab/stale.json`, 8);
    const otherStale = place(`${other}/cd/old.json`, 8);
    const keep = place('CACHEDIR.TAG', 30);
    const old = new Date(now - 8 * day);
    utimesSync(path.join(location, other), old, old);
    pruneCache(location, current, now);
    expect([existsSync(fresh), existsSync(stale), existsSync(otherStale), existsSync(keep)]).toEqual([true, false, false, true]);
    // Pruned less than a day ago: a new stale entry waits for the next day.
    const later = place(`${current}/ab/later.json`, 9);
    pruneCache(location, current, now + day / 2);
    expect(existsSync(later)).toBe(true);
    pruneCache(location, current, now + day + 1);
    expect(existsSync(later)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
