/**
 * Command-line paths → the YAML files they name: files as given, directories walked
 * recursively for *.yaml / *.yml, globs expanded when the shell did not. Sorted, so
 * output order never depends on the file system.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../model/result.js';
import { grownLength } from '../model/growth.js';

/**
 * tinyglobby (with picomatch and fdir) only for an input that may be a pattern: a path with
 * none of a pattern's characters is none, and most runs name files and folders.
 */
const MAY_BE_PATTERN = /[*?[\]{}()!+@\\]/;
let globbing: typeof import('tinyglobby') | undefined;
async function isDynamicPattern(input: string): Promise<boolean> {
  if (!MAY_BE_PATTERN.test(input)) return false;
  globbing ??= await import('tinyglobby');
  return globbing.isDynamicPattern(input);
}

const YAML = /\.ya?ml$/i;

/**
 * Directories walked, the YAML files found, and YAML-named entries that cannot be read.
 * Each folder's entries are visited in the order their full paths sort (a folder's name
 * counts with the separator after it: `a-b/…` comes before `a/…`), so the files come out
 * already sorted and are packed as they come: no list of every path is ever held as strings.
 */
async function walk(dir: string, emit: (file: string) => void, seen: Set<string>, problems: Problem[]): Promise<void> {
  let entries;
  try {
    const real = await realpath(dir);
    // A symlink loop would otherwise walk forever.
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A folder nobody may read would be a district's schools missing from the batch, silently.
    problems.push({ file: dir, message: { code: 'file.unreadable', params: { reason: (error as NodeJS.ErrnoException).code ?? 'EIO' } } });
    return;
  }
  const listed: { key: string; full: string; isDir: boolean }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = (await stat(full)).isDirectory();
      } catch (error) {
        // A school file that is a dangling link or a link loop is a file nobody can read:
        // say so, rather than audit one school fewer without a word.
        const reason = (error as NodeJS.ErrnoException).code ?? 'EIO';
        if (YAML.test(entry.name)) problems.push({ file: full, message: { code: 'file.brokenLink', params: { reason } } });
        continue;
      }
    }
    if (isDir) listed.push({ key: entry.name + path.sep, full, isDir });
    // A named pipe, socket or device called *.yaml is listed too, and refused when read.
    else if (YAML.test(entry.name)) listed.push({ key: entry.name, full, isDir });
  }
  listed.sort((a, b) => compareCodeUnits(a.key, b.key));
  for (const { full, isDir } of listed) {
    if (isDir) await walk(full, emit, seen, problems);
    else emit(full);
  }
}

export interface Expanded {
  files: string[];
  problems: Problem[];
}

/** The YAML files named by the inputs, sorted, each once, as a list of strings. */
export async function expandInputs(inputs: string[]): Promise<Expanded> {
  const { packed, problems } = await expandInputsPacked(inputs);
  return { files: [...PathList.from(packed)], problems };
}

/** The YAML files named by the inputs, sorted, each once, packed (see PathList). */
export async function expandInputsPacked(inputs: string[]): Promise<{ packed: PackedPaths; problems: Problem[] }> {
  const walked: PackedPaths[] = [];
  const named = new Set<string>();
  const problems: Problem[] = [];
  for (const input of inputs) {
    let info;
    let linkError: string | undefined;
    try {
      info = await stat(input);
    } catch (error) {
      info = undefined;
      // The name is there but leads nowhere: a dangling link or a link loop.
      const there = await lstat(input).catch(() => undefined);
      if (there?.isSymbolicLink()) linkError = (error as NodeJS.ErrnoException).code ?? 'EIO';
    }
    if (info?.isDirectory()) {
      const found = new PathPacker();
      const before = problems.length;
      // path.join already gives normal paths.
      await walk(input, (file) => found.add(file), new Set(), problems);
      if (found.length === 0 && problems.length === before) problems.push({ file: input, message: { code: 'file.noYaml', params: { path: input } } });
      walked.push(found.finish());
    } else if (info) {
      named.add(path.normalize(input));
    } else if (linkError !== undefined) {
      problems.push({ file: input, message: { code: 'file.brokenLink', params: { reason: linkError } } });
    } else if (await isDynamicPattern(input)) {
      const matched = await (globbing as typeof import('tinyglobby')).glob(input, { onlyFiles: true, dot: false, expandDirectories: false });
      const yaml = matched.filter((f) => YAML.test(f));
      if (yaml.length === 0) problems.push({ file: input, message: { code: 'file.notFound', params: { path: input } } });
      for (const f of yaml) named.add(path.normalize(f));
    } else {
      problems.push({ file: input, message: { code: 'file.notFound', params: { path: input } } });
    }
  }
  const lists = [...walked];
  if (named.size > 0) lists.push(PathList.pack([...named].sort(compareCodeUnits)));
  // One folder: its walk is already sorted and has no path twice.
  if (lists.length === 1) return { packed: lists[0] as PackedPaths, problems };
  return { packed: mergeSorted(lists.map((list) => PathList.from(list))), problems };
}

/** Sorted lists merged into one, each path once (folders given twice, or inside each other). */
function mergeSorted(lists: PathList[]): PackedPaths {
  const out = new PathPacker();
  // A binary heap of the lists' next paths: a province's folder may be given as hundreds of
  // district folders.
  type Head = { path: string; list: PathList; at: number };
  const heads: Head[] = [];
  const less = (i: number, j: number) => compareCodeUnits((heads[i] as Head).path, (heads[j] as Head).path) < 0;
  const swap = (i: number, j: number) => {
    [heads[i], heads[j]] = [heads[j] as Head, heads[i] as Head];
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heads.length && less(l, m)) m = l;
      if (r < heads.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (const list of lists) if (list.length > 0) heads.push({ path: list.at(0), list, at: 0 });
  for (let i = Math.floor(heads.length / 2) - 1; i >= 0; i--) down(i);
  let last: string | undefined;
  while (heads.length > 0) {
    const head = heads[0] as Head;
    if (head.path !== last) out.add(head.path);
    last = head.path;
    head.at++;
    if (head.at < head.list.length) {
      head.path = head.list.at(head.at);
    } else {
      // This list is done: the last head takes its place.
      const moved = heads.pop() as Head;
      if (heads.length === 0) break;
      heads[0] = moved;
    }
    down(0);
  }
  return out.finish();
}

/** Locale-independent ordering, so the same folder sorts the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface PackedPaths {
  /** Each path's bytes after those it shares with the path before (all of them at a restart). */
  bytes: Uint8Array;
  /** Where each path's bytes end in `bytes`. */
  ends: Uint32Array;
  /** How many bytes each path shares with the path before: 0 at every RESTART-th. */
  shared: Uint16Array;
}

/**
 * Every so many paths one is kept whole, so a path is rebuilt from at most this many: the
 * others keep only what follows the bytes they share with the path before (a sorted list's
 * neighbours share their folder and most of their name: 100,000 generated paths of ~65
 * bytes take 1.9 MB instead of 6.5).
 */
const RESTART = 16;
const MAX_SHARED = 0xffff;

/** The number of leading bytes `a` and `b` have in common, at most `limit`. */
function commonPrefix(a: Uint8Array, aLength: number, b: Uint8Array, bLength: number, limit: number): number {
  const n = Math.min(aLength, bLength, limit);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Packs paths one at a time into growing buffers (see growth.ts), for a PathList. */
class PathPacker {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private ends = new Uint32Array(1 << 10);
  private shared = new Uint16Array(1 << 10);
  /** The path before, and the one being added, as UTF-8. */
  private last = Buffer.alloc(256);
  private lastLength = 0;
  private current = Buffer.alloc(256);
  length = 0;

  add(file: string): void {
    const size = Buffer.byteLength(file, 'utf8');
    if (size > this.current.length) this.current = Buffer.alloc(Math.max(size, this.current.length * 2));
    this.current.write(file, 0, 'utf8');
    const shared = this.length % RESTART === 0 ? 0 : commonPrefix(this.last, this.lastLength, this.current, size, MAX_SHARED);
    const rest = size - shared;
    if (this.used + rest > this.bytes.length) {
      const grown = new Uint8Array(grownLength(this.bytes.length, this.used + rest));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    if (this.length === this.ends.length) {
      const ends = new Uint32Array(grownLength(this.ends.length, this.length + 1, 4));
      ends.set(this.ends);
      this.ends = ends;
      const sharedGrown = new Uint16Array(ends.length);
      sharedGrown.set(this.shared);
      this.shared = sharedGrown;
    }
    this.bytes.set(this.current.subarray(shared, size), this.used);
    this.used += rest;
    this.shared[this.length] = shared;
    this.ends[this.length++] = this.used;
    [this.last, this.current] = [this.current, this.last];
    this.lastLength = size;
  }

  /** The packed paths, in buffers of their exact size. */
  finish(): PackedPaths {
    return { bytes: this.bytes.slice(0, this.used), ends: this.ends.slice(0, this.length), shared: this.shared.slice(0, this.length) };
  }
}

/**
 * Paths as one UTF-8 buffer and the offset where each ends, each after the bytes it shares
 * with the path before (PathPacker): a national list of files costs its bytes outside the
 * JS heap (as strings, 100,000 Chinese paths take about 14 MB of the main thread's heap for
 * the whole run, and 530,000 five times that).
 */
export class PathList implements Iterable<string> {
  /** The last path rebuilt (its index and bytes): the batch asks for them in order. */
  private at_ = -1;
  private path = Buffer.alloc(256);
  private pathLength = 0;

  private constructor(
    private readonly bytes: Buffer,
    private readonly ends: Uint32Array,
    private readonly shared: Uint16Array,
  ) {}

  static pack(paths: Iterable<string>): PackedPaths {
    const packer = new PathPacker();
    for (const p of paths) packer.add(p);
    return packer.finish();
  }

  static from(packed: PackedPaths): PathList {
    return new PathList(Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.length), packed.ends, packed.shared);
  }

  get length(): number {
    return this.ends.length;
  }

  /** Rebuild path `index` in `this.path`, from the one before when that is the last rebuilt, else from its restart. */
  private rebuild(index: number): void {
    let i = index === this.at_ + 1 && index % RESTART !== 0 ? index : index - (index % RESTART);
    for (; i <= index; i++) {
      const start = i === 0 ? 0 : (this.ends[i - 1] as number);
      const end = this.ends[i] as number;
      const shared = this.shared[i] as number;
      const size = shared + end - start;
      if (size > this.path.length) {
        const grown = Buffer.alloc(Math.max(size, this.path.length * 2));
        this.path.copy(grown, 0, 0, shared);
        this.path = grown;
      }
      this.bytes.copy(this.path, shared, start, end);
      this.pathLength = size;
    }
    this.at_ = index;
  }

  at(index: number): string {
    if (index !== this.at_) this.rebuild(index);
    return this.path.toString('utf8', 0, this.pathLength);
  }

  slice(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i < Math.min(end, this.length); i++) out.push(this.at(i));
    return out;
  }

  /** The paths that end with one of these texts, decoded; the others are only compared as bytes. */
  *endingWith(suffixes: readonly string[]): Iterable<string> {
    const wanted = suffixes.map((s) => Buffer.from(s, 'utf8'));
    for (let i = 0; i < this.length; i++) {
      if (i !== this.at_) this.rebuild(i);
      const size = this.pathLength;
      for (const w of wanted) {
        if (w.length <= size && this.path.compare(w, 0, w.length, size - w.length, size) === 0) {
          yield this.at(i);
          break;
        }
      }
    }
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/**
 * expandInputs in a short-lived worker thread when a folder or pattern may hold many files:
 * walking 100,000 files leaves tens of MB of garbage (directory entries, joined paths) that
 * the main thread's heap would keep for the rest of a long batch, since nothing there
 * triggers a full collection. The worker's heap goes with it; only the sorted list comes
 * back, packed. Paths that are all plain YAML file names are expanded in place.
 */
export async function expandInputsApart(inputs: string[]): Promise<{ files: PathList; problems: Problem[] }> {
  let plainFiles = true;
  for (const input of inputs) {
    if (YAML.test(input) && !(await isDynamicPattern(input))) continue;
    plainFiles = false;
    break;
  }
  if (plainFiles) {
    const expanded = await expandInputsPacked(inputs);
    return { files: PathList.from(expanded.packed), problems: expanded.problems };
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./walk-worker.js', import.meta.url), { workerData: inputs, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.once('message', (message: PackedPaths & { problems: Problem[] }) => {
      resolve({ files: PathList.from(message), problems: message.problems });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
