/**
 * Command-line paths → the YAML files they name: files as given, directories walked
 * recursively for *.yaml / *.yml, globs expanded when the shell did not. Sorted, so
 * output order never depends on the file system.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Problem } from '../model/result.js';

const YAML = /\.ya?ml$/i;

export interface Expanded {
  files: string[];
  problems: Problem[];
}

/** Directories walked, the YAML files found, and YAML-named entries that cannot be read. */
async function walk(dir: string, out: string[], seen: Set<string>, problems: Problem[]): Promise<void> {
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
    if (isDir) await walk(full, out, seen, problems);
    // A named pipe, socket or device called *.yaml is listed too, and refused when read.
    else if (YAML.test(entry.name)) out.push(full);
  }
}

export async function expandInputs(inputs: string[]): Promise<Expanded> {
  const files = new Set<string>();
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
      const found: string[] = [];
      const before = problems.length;
      await walk(input, found, new Set(), problems);
      if (found.length === 0 && problems.length === before) problems.push({ file: input, message: { code: 'file.noYaml', params: { path: input } } });
      // path.join already gave normal paths.
      for (const f of found) files.add(f);
    } else if (info) {
      files.add(path.normalize(input));
    } else if (linkError !== undefined) {
      problems.push({ file: input, message: { code: 'file.brokenLink', params: { reason: linkError } } });
    } else if (isDynamicPattern(input)) {
      const matched = await glob(input, { onlyFiles: true, dot: false, expandDirectories: false });
      const yaml = matched.filter((f) => YAML.test(f));
      if (yaml.length === 0) problems.push({ file: input, message: { code: 'file.notFound', params: { path: input } } });
      for (const f of yaml) files.add(path.normalize(f));
    } else {
      problems.push({ file: input, message: { code: 'file.notFound', params: { path: input } } });
    }
  }
  return { files: [...files].sort(compareCodeUnits), problems };
}

/** Locale-independent ordering, so the same folder sorts the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Paths as one UTF-8 buffer and the offset where each ends: a national list of files costs
 * its bytes outside the JS heap (as strings, 100,000 Chinese paths take about 14 MB of the
 * main thread's heap for the whole run, and 530,000 five times that).
 */
export class PathList implements Iterable<string> {
  private constructor(
    private readonly bytes: Buffer,
    private readonly ends: Uint32Array,
  ) {}

  static pack(paths: readonly string[]): { bytes: Uint8Array; ends: Uint32Array } {
    const ends = new Uint32Array(paths.length);
    let end = 0;
    paths.forEach((p, i) => {
      end += Buffer.byteLength(p, 'utf8');
      ends[i] = end;
    });
    return { bytes: new TextEncoder().encode(paths.join('')), ends };
  }

  static from(packed: { bytes: Uint8Array; ends: Uint32Array }): PathList {
    return new PathList(Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.length), packed.ends);
  }

  get length(): number {
    return this.ends.length;
  }

  at(index: number): string {
    return this.bytes.toString('utf8', index === 0 ? 0 : (this.ends[index - 1] as number), this.ends[index]);
  }

  slice(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i < Math.min(end, this.length); i++) out.push(this.at(i));
    return out;
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
  if (inputs.every((input) => YAML.test(input) && !isDynamicPattern(input))) {
    const expanded = await expandInputs(inputs);
    return { files: PathList.from(PathList.pack(expanded.files)), problems: expanded.problems };
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./files-worker.js', import.meta.url), { workerData: inputs });
    worker.once('message', (message: { bytes: Uint8Array; ends: Uint32Array; problems: Problem[] }) => {
      resolve({ files: PathList.from(message), problems: message.problems });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
