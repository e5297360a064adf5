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
 * What the cache trusts: only entries it wrote itself. Each entry carries a MAC
 * (HMAC-SHA256, keyed by a random secret kept in the cache folder, readable by its owner
 * only) over all its bytes, the key it was stored under and the run folder it is in, so an
 * entry edited, cut short, or copied from another school or run is refused and the school
 * audited again. What it deletes: only folders and entries it made, each marked by a file of
 * its own; a folder that holds anything else is never taken for a cache.
 *
 * Entries are written to a temporary file and renamed, so a killed run leaves whole
 * entries or none. Nothing is ever run from an entry. Deleting the cache folder is always safe.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  futimesSync,
  linkSync,
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
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { Verdict } from '../model/result.js';
import type { ResolveRequest } from '../resolve/index.js';
import { toolVersion } from '../version.js';
import { unpackRow } from '../report/packed-rows.js';
import { ROW_CHUNK, type CacheFolder, type FailureDone, type SchoolDone, type WorkerInit } from './protocol.js';

/** Bump when the layout or the content of an entry changes. */
const CACHE_FORMAT = 3;
export const DEFAULT_CACHE_LOCATION = '.reopen-audit-cache';
/** Entries and run folders not used for this long are removed. */
const UNUSED_DAYS = 7;
const DAY_MS = 86_400_000;
/** Pruning walks every entry: at most once a day. */
const PRUNE_EVERY_MS = DAY_MS;
const PRUNED_MARKER = '.pruned';
/** The marks of what the tool made: only a root with the first is a cache, only run folders with the second are pruned. */
export const ROOT_MARKER = '.reopen-audit-cache-root';
export const RUN_MARKER = '.reopen-audit-cache-run';
/** The MAC key of the entries, made on first use, readable by the owner only. */
export const SECRET_FILE = '.reopen-audit-cache-key';
const SECRET_BYTES = 32;
const MAC_HEX = 64;
const RUN_NAME = /^[0-9a-f]{24}$/;
const SHARD_NAME = /^[0-9a-f]{2}$/;
/** An entry, or the temporary file of one left by a killed run. */
const ENTRY_NAME = /^[0-9a-f]{62}\.json(\.[0-9]+-[0-9]+-[0-9]+\.tmp)?$/;
const VERDICTS = new Set<string>(['READY', 'NOT_READY', 'INCOMPLETE']);

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
const MARKER_TEXT = 'Made by reopen-audit --cache: this folder and what it holds are removed when unused for a week.\n';

/** Why a cache location is not used: a usage error (`notFolder`, `foreign`), or a folder that cannot be written. */
export type CacheOpening =
  | { ok: true; folder: CacheFolder }
  | { ok: false; refused: 'notFolder' }
  | { ok: false; refused: 'foreign'; example: string }
  | { ok: false; unwritable: string };

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

/** Write a small file unless it is there already (a concurrent run may be writing the same). */
function ensureFile(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') throw error;
  }
}

/** The secret kept in `file`, or undefined when there is none fit for use (not a plain file of the right size). */
function readSecret(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const info = fstatSync(fd);
    if (!info.isFile() || info.size !== SECRET_BYTES) return undefined;
    // Made 0600; tightened again if loosened since (a file system that keeps no modes is left as it is).
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      try {
        fchmodSync(fd, 0o600);
      } catch {
        // Not the owner's to change: used as it is.
      }
    }
    const secret = Buffer.alloc(SECRET_BYTES);
    return readSync(fd, secret, 0, SECRET_BYTES, 0) === SECRET_BYTES ? secret : undefined;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The cache's secret: read, or made and put in place whole (a hard link, which fails if a
 * concurrent run put its own first; that one is then used). A secret unfit for use is
 * replaced: the entries it signed are then refused, audited again and written anew.
 */
function cacheSecret(location: string): Buffer {
  const file = path.join(location, SECRET_FILE);
  const kept = readSecret(file);
  if (kept) return kept;
  const temp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    const out = openSync(temp, 'wx', 0o600);
    try {
      fchmodSync(out, 0o600);
      writeSync(out, randomBytes(SECRET_BYTES));
    } finally {
      closeSync(out);
    }
    try {
      linkSync(temp, file);
    } catch (error) {
      // A file system without hard links: put it in place by renaming.
      if (codeOf(error) !== 'EEXIST') renameSync(temp, file);
    }
    const placed = readSecret(file);
    if (placed) return placed;
    // The one there is unfit: replace it.
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
  const made = readSecret(file);
  if (!made) throw new Error('the cache secret cannot be kept');
  return made;
}

/**
 * Make the cache folder for this run ready (main thread, before the workers start). A
 * location that exists is used only when it is empty or marked as a cache by the tool.
 */
export function openCacheFolder(location: string, digest: string): CacheOpening {
  let names: string[] | undefined;
  try {
    names = readdirSync(location);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOTDIR') return { ok: false, refused: 'notFolder' };
    if (code !== 'ENOENT') return { ok: false, unwritable: code };
  }
  if (names !== undefined && names.length > 0 && !names.includes(ROOT_MARKER)) {
    return { ok: false, refused: 'foreign', example: names.sort()[0] as string };
  }
  try {
    mkdirSync(location, { recursive: true });
    // The mark first: a concurrent run sees an empty folder or a marked one.
    ensureFile(path.join(location, ROOT_MARKER), MARKER_TEXT);
    // The cache directory tag (bford.info/cachedir): backup tools skip the folder.
    ensureFile(path.join(location, 'CACHEDIR.TAG'), CACHEDIR_TAG);
    const secret = cacheSecret(location);
    const dir = path.join(location, digest);
    mkdirSync(dir, { recursive: true });
    ensureFile(path.join(dir, RUN_MARKER), MARKER_TEXT);
    const now = new Date();
    utimesSync(dir, now, now);
    return { ok: true, folder: { dir, secret: secret.toString('hex') } };
  } catch (error) {
    return { ok: false, unwritable: codeOf(error) };
  }
}

/**
 * After a run that wrote entries: remove run folders and entries not used for a week, at
 * most once a day. Only what carries the tool's marks is removed: run folders with their
 * marker in a marked cache folder, and entry files by their names. Failing to remove
 * something leaves it for next time.
 */
export function pruneCache(location: string, digest: string, now = Date.now()): void {
  if (!existsSync(path.join(location, ROOT_MARKER))) return;
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
      if (name === digest || !RUN_NAME.test(name) || !existsSync(path.join(full, RUN_MARKER))) continue;
      if (statSync(full).mtimeMs < cutoff) rmSync(full, { recursive: true, force: true });
    }
  });
  quietly(() => {
    for (const shard of readdirSync(dir)) {
      if (!SHARD_NAME.test(shard)) continue;
      const shardDir = path.join(dir, shard);
      for (const name of readdirSync(shardDir)) {
        if (!ENTRY_NAME.test(name)) continue;
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

/** A lookup: an entry, nothing stored, or an entry refused (its MAC does not match: altered, damaged or moved). */
export type CacheLookup = { entry: CacheEntry } | { missing: true } | { refused: true };

/** Every verdict an outcome carries agrees: the tally, the rows and the reports count the same. */
function consistent(outcome: CachedOutcome): boolean {
  if (outcome.kind === 'failure') return true;
  const verdict: Verdict = outcome.verdict;
  if (!VERDICTS.has(verdict)) return false;
  const row = outcome.chunks[ROW_CHUNK];
  return [row && unpackRow(row), outcome.result, outcome.pair].every((part) => part === undefined || part.verdict === verdict);
}

/** The worker's side: look up and store entries, synchronously (a worker has nothing else to do). */
export class ResultCache {
  private readonly shards = new Set<string>();
  private readonly secret: Buffer;
  /** What the MAC binds an entry to besides its bytes: this run folder. */
  private readonly place: string;
  private sequence = 0;

  constructor(private readonly folder: CacheFolder) {
    this.secret = Buffer.from(folder.secret, 'hex');
    this.place = `reopen-audit cache entry ${CACHE_FORMAT}\0${path.basename(folder.dir)}\0`;
  }

  keyOf(file: string, bytes: Uint8Array): string {
    return createHash('sha256').update(file).update('\0').update(bytes).digest('hex');
  }

  private pathOf(key: string): string {
    return path.join(this.folder.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  private macOf(key: string, body: Uint8Array): Buffer {
    return createHmac('sha256', this.secret).update(this.place).update(key).update('\0').update(body).digest();
  }

  /**
   * An entry is its MAC (hex) on a line, then one line of JSON — the outcomes, with each
   * chunk replaced by its length in bytes — followed by the chunks themselves, so a hit
   * decodes no report text at all.
   */
  get(key: string): CacheLookup {
    const file = this.pathOf(key);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
    } catch {
      return { missing: true };
    }
    try {
      const info = fstatSync(fd);
      const bytes = Buffer.allocUnsafeSlow(info.size);
      let read = 0;
      while (read < info.size) {
        const n = readSync(fd, bytes, read, info.size - read, read);
        if (n === 0) return { refused: true };
        read += n;
      }
      if (bytes.length <= MAC_HEX || bytes[MAC_HEX] !== 10) return { refused: true };
      const mac = Buffer.from(bytes.toString('latin1', 0, MAC_HEX), 'hex');
      const body = bytes.subarray(MAC_HEX + 1);
      const expected = this.macOf(key, body);
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return { refused: true };
      const entry = decode(key, body);
      if (!entry) return { refused: true };
      // Used: keep it from being pruned (a metadata write, so at most once a day).
      if (Date.now() - info.mtimeMs > PRUNE_EVERY_MS) {
        const now = new Date();
        futimesSync(fd, now, now);
      }
      return { entry };
    } catch {
      return { refused: true };
    } finally {
      closeSync(fd);
    }
  }

  /** Store an entry; the error's code when it cannot be written (the run goes on without it). */
  put(entry: CacheEntry): string | undefined {
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
    const body = Buffer.concat([Buffer.from(`${JSON.stringify({ key: entry.key, outcomes })}\n`, 'utf8'), ...pieces]);
    try {
      if (!this.shards.has(shard)) {
        mkdirSync(shard, { recursive: true });
        this.shards.add(shard);
      }
      const fd = openSync(temp, 'wx', 0o644);
      try {
        writeFileSync(fd, Buffer.concat([Buffer.from(`${this.macOf(entry.key, body).toString('hex')}\n`, 'latin1'), body]));
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
      return undefined;
    } catch (error) {
      rmSync(temp, { force: true });
      return codeOf(error);
    }
  }
}

/** The outcomes of an entry whose MAC matched, or undefined when they do not hold together. */
function decode(key: string, body: Buffer): CacheEntry | undefined {
  const newline = body.indexOf(10);
  if (newline < 0) return undefined;
  const head = JSON.parse(body.toString('utf8', 0, newline)) as StoredEntry;
  if (head.key !== key || !Array.isArray(head.outcomes)) return undefined;
  let offset = newline + 1;
  // Views into the entry's bytes: the worker packs them into one buffer per message.
  const take = (length: unknown): Uint8Array => {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || offset + length > body.length) throw new Error('bad entry');
    const piece = body.subarray(offset, offset + length);
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
  if (offset !== body.length || !outcomes.every(consistent)) return undefined;
  return { key, outcomes };
}

type StoredOutcome =
  | FailureDone
  | (Omit<SchoolDone, 'chunks' | 'perSchool'> & { request: ResolveRequest; chunks: Record<string, number>; perSchool?: number });

interface StoredEntry {
  key: string;
  outcomes: StoredOutcome[];
}
