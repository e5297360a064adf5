import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cli, permissionsIgnored, ROOT, tempDir } from './helpers.js';
import { pruneCache, ROOT_MARKER, RUN_MARKER, SECRET_FILE } from '../src/batch/cache.js';

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

const FULL_DISK = path.join(ROOT, 'test/fixtures/full-disk.mjs');
/** Run the tool on a disk where writes to paths under `cache` matching `rest` fail as on a full disk (test/fixtures/full-disk.mjs). */
const fullDisk = (cache: string, rest: string) => ({
  env: { NODE_OPTIONS: `--import=${pathToFileURL(FULL_DISK).href}`, REOPEN_AUDIT_TEST_FULL_DISK: `^${cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${rest}` },
});
// A read-only cache folder: root's right to write anything taken away (see helpers.ts).
const CAN_LOCK = permissionsIgnored('write', 'test/cache.test.ts (read-only cache folders)') === undefined;

/** What the tool says when it refused entries of the cache. */
const refusedNote = (cache: string, count: number) =>
  `缓存目录 ${cache} 中有 ${count} 条记录未通过校验（被改动、已损坏或从别处复制而来），未予采用，相应的学校文件已重新核验`;

/** The run folders of a cache, by name. */
const runFolders = (cache: string) => readdirSync(cache).filter((n) => /^[0-9a-f]{24}$/.test(n));

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

  function run(input: string, extra: string[], jobs = 2, options: Parameters<typeof cli>[1] = {}): { code: number; stderr: string; outputs: Map<string, Buffer> } {
    const out = mkdtempSync(path.join(dir, 'out-'));
    const args = ['audit', input, '--jobs', String(jobs), '--out-dir', path.join(out, 'schools'), ...extra];
    for (const f of FORMATS) args.push('--format', `${f}:${path.join(out, `report.${f}`)}`);
    const r = cli(args, options);
    return { code: r.code, stderr: r.stderr, outputs: tree(out) };
  }

  /** The same exit code and outputs; on standard error the same, after the `notes` the cache adds. */
  function expectSame(a: ReturnType<typeof run>, b: ReturnType<typeof run>, notes: string[] = []): void {
    expect(b.code).toBe(a.code);
    expect(b.stderr).toBe(notes.map((n) => `reopen-audit: ${n}\n`).join('') + a.stderr);
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
    // Every entry refused, said once, and written anew: the next run takes them all.
    expectSame(plain, run(schools, ['--cache-location', cache]), [refusedNote(cache, 120)]);
    expectSame(plain, run(schools, ['--cache-location', cache]));
  });

  it('refuses an entry whose verdict was edited: the school is audited again and the exit code is what its reports say', () => {
    const cache = path.join(dir, 'tampered');
    const examples = path.join(ROOT, 'examples/schools');
    const plain = run(examples, [], 1);
    expect(plain.code).toBe(1);
    run(examples, ['--cache-location', cache], 1);
    let edited = 0;
    for (const name of entries(cache)) {
      const file = path.join(cache, name);
      const text = readFileSync(file, 'latin1');
      // The outcome's own fields (compact JSON), not the report text (the JSON report has a space after the colon).
      const forged = text.replace(/"verdict":"(NOT_READY|INCOMPLETE)"/g, '"verdict":"READY"');
      if (forged !== text) edited++;
      writeFileSync(file, forged, 'latin1');
    }
    expect(edited).toBe(7);
    expectSame(plain, run(examples, ['--cache-location', cache], 1), [refusedNote(cache, 7)]);
    expectSame(plain, run(examples, ['--cache-location', cache], 1));
  });

  it("refuses another school's entry stored under this school's key", () => {
    const two = path.join(dir, 'two');
    mkdirSync(two);
    for (const name of ['ready-primary.yaml', 'gate-failed.yaml']) cpSync(path.join(ROOT, 'examples/schools', name), path.join(two, name));
    const cache = path.join(dir, 'swapped');
    const plain = run(two, [], 1);
    expect(plain.code).toBe(1);
    run(two, ['--cache-location', cache], 1);
    const stored = entries(cache);
    const of = (school: string) => path.join(cache, stored.find((n) => readFileSync(path.join(cache, n), 'utf8').includes(school)) as string);
    const [ready, failed] = [of('ready-primary.yaml'), of('gate-failed.yaml')];
    const keyOf = (file: string) => path.basename(path.dirname(file)) + path.basename(file, '.json');
    writeFileSync(failed, readFileSync(ready, 'utf8').replace(keyOf(ready), keyOf(failed)));
    expectSame(plain, run(two, ['--cache-location', cache], 1), [refusedNote(cache, 1)]);
  });

  it('refuses entries copied from the folder of a run with other options', () => {
    const cache = path.join(dir, 'moved');
    const examples = path.join(ROOT, 'examples/schools');
    run(examples, ['--cache-location', cache], 1);
    const [zhRun] = runFolders(cache);
    const english = run(examples, ['--lang', 'en'], 1);
    run(examples, ['--lang', 'en', '--cache-location', cache], 1);
    const enRun = runFolders(cache).find((n) => n !== zhRun) as string;
    // The same files, so the same keys: the Chinese outcomes put in place of the English ones.
    for (const name of entries(path.join(cache, zhRun as string))) cpSync(path.join(cache, zhRun as string, name), path.join(cache, enRun, name));
    const note = `9 entries in the cache folder ${cache} did not pass the integrity check (altered, damaged or copied from elsewhere): not used, and the school files audited again`;
    expectSame(english, run(examples, ['--lang', 'en', '--cache-location', cache], 1), [note]);
  });

  it('signs entries with a secret of its own, made on first use and readable by its owner only', () => {
    const cache = path.join(dir, 'secret');
    const examples = path.join(ROOT, 'examples/schools');
    run(examples, ['--cache-location', cache], 1);
    const secret = path.join(cache, SECRET_FILE);
    const first = readFileSync(secret);
    expect(first).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(secret).mode & 0o777).toBe(0o600);
    run(examples, ['--cache-location', cache, '--lang', 'en'], 1);
    expect(readFileSync(secret).equals(first)).toBe(true);
    // The marks of what the tool made: the cache folder and each run folder.
    expect(existsSync(path.join(cache, ROOT_MARKER))).toBe(true);
    for (const name of runFolders(cache)) expect(existsSync(path.join(cache, name, RUN_MARKER))).toBe(true);
  });

  it('refuses a folder that holds files it did not make, and deletes none of them', () => {
    const mine = path.join(dir, 'mine');
    // A folder named like a run folder of the cache, unused for a month: the old pruning deleted it.
    const thesis = path.join(mine, '0123456789abcdef01234567', '论文.txt');
    mkdirSync(path.dirname(thesis), { recursive: true });
    writeFileSync(thesis, '第一章\n');
    writeFileSync(path.join(mine, 'notes.txt'), '备忘\n');
    const month = new Date(Date.now() - 30 * 86_400_000);
    utimesSync(path.dirname(thesis), month, month);
    const before = tree(mine);
    const examples = path.join(ROOT, 'examples/schools');
    const zh = cli(['audit', examples, '--cache-location', mine]);
    expect(zh.code).toBe(2);
    expect(zh.stdout).toBe('');
    expect(zh.stderr).toBe(
      `reopen-audit: 缓存目录 ${mine} 已存在，其中有不是 reopen-audit 缓存的内容（如 0123456789abcdef01234567），不能用作缓存（缓存会删除其中过期的内容）：请指定一个新的或空的文件夹\n`,
    );
    const en = cli(['audit', examples, '--cache-location', mine, '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stderr).toBe(
      `reopen-audit: the cache folder ${mine} exists and holds things that are not reopen-audit's cache (such as 0123456789abcdef01234567), so it is not used as one (the cache removes what it no longer needs): name a new or empty folder\n`,
    );
    expect(tree(mine)).toEqual(before);
    expect(readdirSync(mine).sort()).toEqual(['0123456789abcdef01234567', 'notes.txt']);
  });

  it('adopts an empty folder', () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const examples = path.join(ROOT, 'examples/schools');
    const plain = run(examples, [], 1);
    expectSame(plain, run(examples, ['--cache-location', empty], 1));
    expect(entries(empty)).toHaveLength(9);
    expectSame(plain, run(examples, ['--cache-location', empty], 1));
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

  it.skipIf(!CAN_LOCK)('runs on without a cache folder it cannot write to (read-only), says so once and exits as the audit says', () => {
    const examples = path.join(ROOT, 'examples/schools');
    const locked = path.join(dir, 'read-only');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    onTestFinished(() => chmodSync(locked, 0o755));
    const unprivileged = { unprivileged: true };
    const plain = run(examples, [], 1, unprivileged);
    expect(plain.code).toBe(1);
    expectSame(plain, run(examples, ['--cache-location', locked], 1, unprivileged), [`无法写入缓存目录 ${locked}（EACCES），本次核验不使用缓存`]);
    const english = run(examples, ['--lang', 'en'], 1, unprivileged);
    expectSame(english, run(examples, ['--lang', 'en', '--cache-location', locked], 1, unprivileged), [
      `cannot write to the cache folder ${locked} (EACCES); this run goes on without the cache`,
    ]);
    expect(readdirSync(locked)).toEqual([]);
  });

  it.skipIf(!CAN_LOCK)('takes what a read-only cache holds, audits the rest and says once that it could not store it', () => {
    const copy = path.join(dir, 'read-only-schools');
    cpSync(path.join(ROOT, 'examples/schools'), copy, { recursive: true });
    const cache = path.join(dir, 'read-only-cache');
    run(copy, ['--cache-location', cache], 1);
    const changed = path.join(copy, 'ready-primary.yaml');
    writeFileSync(changed, readFileSync(changed, 'utf8').replace(/students: \d+/, 'students: 99999'));
    const folders = [cache, ...readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name))];
    for (const folder of folders) chmodSync(folder, 0o555);
    onTestFinished(() => folders.forEach((folder) => chmodSync(folder, 0o755)));
    const unprivileged = { unprivileged: true };
    expectSame(run(copy, [], 1, unprivileged), run(copy, ['--cache-location', cache], 1, unprivileged), [
      `无法写入缓存目录 ${cache}（EACCES），本次核验的结果未能全部存入缓存`,
    ]);
  });

  it('runs on without a cache folder on a full disk, says so once and exits as the audit says', () => {
    const cache = path.join(dir, 'full');
    const plain = run(schools, []);
    expectSame(plain, run(schools, ['--cache-location', cache], 2, fullDisk(cache, '')), [`无法写入缓存目录 ${cache}（ENOSPC，磁盘已满），本次核验不使用缓存`]);
  });

  it('goes on auditing when the disk fills up while entries are written, says so once, and stores them once there is room', () => {
    const cache = path.join(dir, 'filling');
    const english = run(schools, ['--lang', 'en']);
    // The folder and its marks are written; every entry (written to a temporary file first) fails, in both workers.
    const filling = run(schools, ['--lang', 'en', '--cache-location', cache], 2, fullDisk(cache, '.*\\.json\\.\\d+-\\d+-\\d+\\.tmp$'));
    expectSame(english, filling, [`cannot write to the cache folder ${cache} (ENOSPC, the disk is full); not every outcome of this run was stored in it`]);
    expect(entries(cache)).toEqual([]);
    expectSame(english, run(schools, ['--lang', 'en', '--cache-location', cache]));
    expect(entries(cache)).toHaveLength(120);
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
    const entry = (c: string) => c.repeat(62);
    const fresh = place(`${current}/ab/${entry('1')}.json`, 1);
    const stale = place(`${current}/ab/${entry('2')}.json`, 8);
    const otherStale = place(`${other}/cd/${entry('3')}.json`, 8);
    const keep = place('CACHEDIR.TAG', 30);
    for (const marker of [ROOT_MARKER, `${current}/${RUN_MARKER}`, `${other}/${RUN_MARKER}`]) place(marker, 30);
    // Not made by the tool: a folder named like a run folder without its mark, a file among the entries.
    const unmarked = place(`${'c'.repeat(24)}/cd/${entry('4')}.json`, 8);
    const stranger = place(`${current}/ab/notes.txt`, 30);
    const old = new Date(now - 8 * day);
    utimesSync(path.join(location, other), old, old);
    utimesSync(path.join(location, 'c'.repeat(24)), old, old);
    pruneCache(location, current, now);
    expect([existsSync(fresh), existsSync(stale), existsSync(otherStale), existsSync(keep)]).toEqual([true, false, false, true]);
    expect([existsSync(unmarked), existsSync(stranger)]).toEqual([true, true]);
    // Pruned less than a day ago: a new stale entry waits for the next day.
    const later = place(`${current}/ab/${entry('5')}.json`, 9);
    pruneCache(location, current, now + day / 2);
    expect(existsSync(later)).toBe(true);
    pruneCache(location, current, now + day + 1);
    expect(existsSync(later)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('prunes nothing in a folder without its mark', () => {
    const location = mkdtempSync(path.join(dir, 'unmarked-'));
    const run = path.join(location, 'a'.repeat(24));
    const other = path.join(location, 'b'.repeat(24), 'cd', `${'3'.repeat(62)}.json`);
    mkdirSync(path.dirname(other), { recursive: true });
    mkdirSync(run);
    writeFileSync(other, '{}\n');
    writeFileSync(path.join(location, 'b'.repeat(24), RUN_MARKER), '');
    const old = new Date(Date.now() - 30 * 86_400_000);
    utimesSync(path.join(location, 'b'.repeat(24)), old, old);
    pruneCache(location, 'a'.repeat(24));
    expect(existsSync(other)).toBe(true);
  });
});
