/**
 * `--cache`: the outcome of each school file, kept on disk under a key made of the file's
 * path and bytes, so a re-run over a folder where few files changed (a county's CI on
 * every commit) reads and hashes the unchanged files instead of auditing them again.
 *
 * An entry holds exactly what the worker would send for that file — the school's row, the
 * chunks of every output, its own report — so a hit gives the same bytes as an audit. The
 * entries live in a folder named by a digest of everything else an outcome depends on:
 * the tool's code and version, every checklist and profile file, the options and the
 * outputs asked for. Change any of these and the run uses a fresh folder.
 *
 * Entries are JSON written to a temporary file and renamed, so a killed run leaves whole
 * entries or none; an entry that cannot be read or does not match its key is a miss.
 * Nothing is ever run from an entry. Deleting the cache folder is always safe.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  futimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { ResolveRequest } from '../resolve/index.js';
import { toolVersion } from '../version.js';
import type { FailureDone, SchoolDone, WorkerInit } from './protocol.js';

/** Bump when the layout or the content of an entry changes. */
const CACHE_FORMAT = 1;
export const DEFAULT_CACHE_LOCATION = '.reopen-audit-cache';
/** Entries and run folders not used for this long are removed. */
const UNUSED_DAYS = 7;
const DAY_MS = 86_400_000;
/** Pruning walks every entry: at most once a day. */
const PRUNE_EVERY_MS = DAY_MS;
const PRUNED_MARKER = '.pruned';

export type CachedOutcome = FailureDone | (SchoolDone & { request: ResolveRequest });

export interface CacheEntry {
  key: string;
  outcomes: CachedOutcome[];
}

let build: string | undefined;

/** The tool's own code: every compiled module, so a rebuilt tool never reads old entries. */
function buildDigest(): string {
  if (build !== undefined) return build;
  const hash = createHash('sha256').update(`${toolVersion()}\0${process.versions.node}\0`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js') || name.endsWith('.json')) hash.update(`${path.relative(root, full)}\0`).update(readFileSync(full));
    }
  };
  walk(root);
  build = hash.digest('hex');
  return build;
}

/** What every outcome of a run depends on besides the school file itself. */
export function runDigest(init: Omit<WorkerInit, 'cache'>, libraryDigest: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: CACHE_FORMAT, build: buildDigest(), library: libraryDigest, init }));
  return hash.digest('hex').slice(0, 24);
}

const CACHEDIR_TAG = `Signature: 8a477f597d28d172789f06886806bc55
# This folder holds reopen-audit's --cache of audit outcomes; it can be deleted at any time.
`;

/**
 * Make the cache folder for this run ready (main thread, before the workers start). Throws
 * the file system's error when the location cannot be used.
 */
export function openCacheFolder(location: string, digest: string): string {
  const dir = path.join(location, digest);
  mkdirSync(dir, { recursive: true });
  // The cache directory tag (bford.info/cachedir): backup tools skip the folder.
  const tag = path.join(location, 'CACHEDIR.TAG');
  if (!existsSync(tag)) writeFileSync(tag, CACHEDIR_TAG);
  const now = new Date();
  utimesSync(dir, now, now);
  return dir;
}

/**
 * After a run that wrote entries: remove run folders and entries not used for a week, at
 * most once a day. Failing to remove something leaves it for next time.
 */
export function pruneCache(location: string, digest: string, now = Date.now()): void {
  const dir = path.join(location, digest);
  const marker = path.join(dir, PRUNED_MARKER);
  try {
    if (now - statSync(marker).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    // Never pruned: prune now.
  }
  const cutoff = now - UNUSED_DAYS * DAY_MS;
  const quietly = (fn: () => void) => {
    try {
      fn();
    } catch {
      // Left for the next prune.
    }
  };
  quietly(() => {
    for (const name of readdirSync(location)) {
      const full = path.join(location, name);
      if (name === digest || !/^[0-9a-f]{24}$/.test(name)) continue;
      if (statSync(full).mtimeMs < cutoff) rmSync(full, { recursive: true, force: true });
    }
  });
  quietly(() => {
    for (const shard of readdirSync(dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const shardDir = path.join(dir, shard);
      for (const name of readdirSync(shardDir)) {
        const full = path.join(shardDir, name);
        quietly(() => {
          if (statSync(full).mtimeMs < cutoff) rmSync(full, { force: true });
        });
      }
    }
  });
  quietly(() => {
    writeFileSync(marker, '');
    utimesSync(marker, new Date(now), new Date(now));
  });
}

/** The worker's side: look up and store entries, synchronously (a worker has nothing else to do). */
export class ResultCache {
  private readonly shards = new Set<string>();
  private sequence = 0;

  constructor(private readonly dir: string) {}

  keyOf(file: string, bytes: Uint8Array): string {
    return createHash('sha256').update(file).update('\0').update(bytes).digest('hex');
  }

  private pathOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  /**
   * An entry is one line of JSON — the outcomes, with each chunk replaced by its length in
   * bytes — followed by the chunks themselves, so a hit decodes no report text at all.
   */
  get(key: string): CacheEntry | undefined {
    const file = this.pathOf(key);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const info = fstatSync(fd);
      const bytes = Buffer.allocUnsafeSlow(info.size);
      let read = 0;
      while (read < info.size) {
        const n = readSync(fd, bytes, read, info.size - read, read);
        if (n === 0) return undefined;
        read += n;
      }
      const newline = bytes.indexOf(10);
      if (newline < 0) return undefined;
      const head = JSON.parse(bytes.toString('utf8', 0, newline)) as StoredEntry;
      if (head.key !== key || !Array.isArray(head.outcomes)) return undefined;
      let offset = newline + 1;
      // Views into the entry's bytes: the worker packs them into one buffer per message.
      const take = (length: unknown): Uint8Array => {
        if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || offset + length > bytes.length) throw new Error('bad entry');
        const piece = bytes.subarray(offset, offset + length);
        offset += length;
        return piece;
      };
      const outcomes = head.outcomes.map((stored): CachedOutcome => {
        if (stored.kind === 'failure') return stored;
        const chunks: Record<string, Uint8Array> = {};
        for (const [name, length] of Object.entries(stored.chunks)) chunks[name] = take(length);
        const { perSchool, ...rest } = stored;
        const outcome: CachedOutcome = { ...rest, chunks };
        if (perSchool !== undefined) outcome.perSchool = take(perSchool);
        return outcome;
      });
      if (offset !== bytes.length) return undefined;
      // Used: keep it from being pruned (a metadata write, so at most once a day).
      if (Date.now() - info.mtimeMs > PRUNE_EVERY_MS) {
        const now = new Date();
        futimesSync(fd, now, now);
      }
      return { key, outcomes };
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Store an entry; a cache that cannot be written only costs the next run time. */
  put(entry: CacheEntry): boolean {
    const file = this.pathOf(entry.key);
    const shard = path.dirname(file);
    const temp = `${file}.${process.pid}-${threadId}-${this.sequence++}.tmp`;
    const pieces: Uint8Array[] = [];
    const outcomes = entry.outcomes.map((outcome): StoredOutcome => {
      if (outcome.kind === 'failure') return outcome;
      const { chunks, perSchool, ...rest } = outcome;
      const lengths: Record<string, number> = {};
      for (const [name, bytes] of Object.entries(chunks)) {
        lengths[name] = bytes.length;
        pieces.push(bytes);
      }
      const stored: StoredOutcome = { ...rest, chunks: lengths };
      if (perSchool !== undefined) {
        stored.perSchool = perSchool.length;
        pieces.push(perSchool);
      }
      return stored;
    });
    try {
      if (!this.shards.has(shard)) {
        mkdirSync(shard, { recursive: true });
        this.shards.add(shard);
      }
      const fd = openSync(temp, 'wx', 0o644);
      try {
        writeFileSync(fd, Buffer.concat([Buffer.from(`${JSON.stringify({ key: entry.key, outcomes })}\n`, 'utf8'), ...pieces]));
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
      return true;
    } catch {
      rmSync(temp, { force: true });
      return false;
    }
  }
}

type StoredOutcome =
  | FailureDone
  | (Omit<SchoolDone, 'chunks' | 'perSchool'> & { request: ResolveRequest; chunks: Record<string, number>; perSchool?: number });

interface StoredEntry {
  key: string;
  outcomes: StoredOutcome[];
}
