/**
 * A file written as a stream but replaced atomically: everything goes to a temporary file
 * beside the target, which is flushed to disk and renamed over it only when complete. A
 * reader — or a crash — sees the old file or the new one, never half of one.
 */
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Bytes gathered before a write: a national JSON report is a few GB. */
const FLUSH_AT = 1 << 18;
/**
 * A big report is flushed to disk in the background every so many bytes while the run goes
 * on, so the final sync before the rename has little left to wait for.
 */
const SYNC_EVERY = 8 << 20;

export class AtomicFile {
  private buffer: Uint8Array[] = [];
  private buffered = 0;
  private unsynced = 0;
  private syncing: Promise<void> | undefined;
  private syncError: unknown;
  private writing: Promise<void> | undefined;
  private constructor(
    readonly target: string,
    /** The temporary file renamed over the target; none when the target is a device or a pipe. */
    private readonly temp: string | undefined,
    private readonly handle: FileHandle,
  ) {}

  /**
   * A file that replaces `target` when committed. An existing target keeps its permissions,
   * and a symbolic link stays a link: the file it points to is the one replaced — unless
   * `replaceLink` is set (a folder the tool owns, `init --force`), when the new file takes
   * the link's place and what it pointed to is left alone.
   */
  static async open(target: string, options: { replaceLink?: boolean } = {}): Promise<AtomicFile> {
    // `--format json:/dev/null`, /dev/stdout, /dev/fd/3 or a named pipe: written to as it
    // is. A file renamed over it would take the device's place (as root, /dev/null itself).
    const followed = await stat(target).catch(() => undefined);
    if (followed?.isBlockDevice()) throw Object.assign(new Error(`${target}: a block device`), { code: 'ENOTSUP', path: target });
    if (followed?.isCharacterDevice() || followed?.isFIFO() || followed?.isSocket() || isSystemPath(target))
      return new AtomicFile(target, undefined, await open(target, 'w'));
    const existing = options.replaceLink ? undefined : await realpath(target).catch(() => undefined);
    const real = existing ?? target;
    const mode = existing === undefined ? undefined : (await stat(existing).catch(() => undefined))?.mode;
    const dir = path.dirname(real);
    const temp = path.join(dir, `.${path.basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o644);
    const file = new AtomicFile(real, temp, handle);
    if (mode !== undefined) await file.cleanUpOnFailure(() => handle.chmod(mode & 0o7777));
    return file;
  }

  /** The whole of `data` to `target`, atomically and durably, in one call. */
  static async write(target: string, data: string | Uint8Array, options: { replaceLink?: boolean } = {}): Promise<void> {
    const file = await AtomicFile.open(target, options);
    await file.cleanUpOnFailure(async () => {
      await file.write(data);
    });
    await file.commit();
  }

  /**
   * Text is written as UTF-8; bytes as they are. A promise when the caller must wait (the
   * buffer went to the disk); nothing when the bytes were only buffered, so a batch's many
   * small writes make no promises.
   */
  write(data: string | Uint8Array): Promise<void> | undefined {
    if (data.length === 0) return undefined;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.buffer.push(bytes);
    this.buffered += bytes.length;
    return this.buffered >= FLUSH_AT ? this.cleanUpOnFailure(() => this.flush()) : undefined;
  }

  /**
   * Hand the buffered bytes to the disk behind the write before them, chained at once, so
   * writes go out in the order they were flushed even when nobody waits in between. The
   * caller waits only for the write before: one buffer is on its way while the next fills.
   * An error comes out of the next write or the commit.
   */
  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const pieces = this.buffer;
    const length = this.buffered;
    this.buffer = [];
    this.buffered = 0;
    const before = this.writing;
    // The pieces as they are, not joined into one buffer first: no copy, and no new memory
    // for the garbage collector to account for.
    this.writing = (async () => {
      await before;
      await this.writeAll(pieces);
      this.written(length);
    })();
    this.writing.catch(() => undefined);
    await before;
    if (this.syncError !== undefined) throw this.syncError;
  }

  /** writev until every byte is written (a write may take only part of them). */
  private async writeAll(pieces: Uint8Array[]): Promise<void> {
    let rest = pieces;
    while (rest.length > 0) {
      let { bytesWritten } = await this.handle.writev(rest);
      const left: Uint8Array[] = [];
      for (const piece of rest) {
        if (bytesWritten >= piece.length) bytesWritten -= piece.length;
        else {
          left.push(bytesWritten > 0 ? piece.subarray(bytesWritten) : piece);
          bytesWritten = 0;
        }
      }
      rest = left;
    }
  }

  /** Wait for the write under way, and fail if a write or a background sync failed. */
  private async settle(): Promise<void> {
    await this.writing;
    if (this.syncError !== undefined) throw this.syncError;
  }

  private written(length: number): void {
    if (this.temp === undefined) return;
    this.unsynced += length;
    if (this.unsynced < SYNC_EVERY || this.syncing !== undefined) return;
    this.unsynced = 0;
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncing = undefined;
      },
      (error: unknown) => {
        this.syncing = undefined;
        this.syncError = error;
      },
    );
  }

  async commit(): Promise<void> {
    await this.cleanUpOnFailure(async () => {
      await this.flush();
      await this.settle();
      await this.syncing;
      if (this.syncError !== undefined) throw this.syncError;
      if (this.temp === undefined) return await this.handle.close();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.target);
    });
    if (this.temp !== undefined) await syncDirectory(path.dirname(this.target));
  }

  /** A write that fails (disk full, target a directory …) leaves no temporary file behind. */
  private async cleanUpOnFailure(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    await this.writing?.catch(() => undefined);
    await this.syncing;
    await this.handle.close().catch(() => undefined);
    if (this.temp !== undefined) await unlink(this.temp).catch(() => undefined);
  }
}

/**
 * The rename is on disk only once the directory is: without this sync a power cut just
 * after a commit can bring back the old file (or none).
 */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** /dev/stdout, /dev/fd/N, /proc/self/fd/N: names of what is open, never a place for a temporary file. */
function isSystemPath(target: string): boolean {
  return process.platform !== 'win32' && /^\/(dev|proc)\//.test(path.resolve(target));
}
