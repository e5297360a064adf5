/**
 * A file written as a stream but replaced atomically: everything goes to a temporary file
 * beside the target, which is flushed to disk and renamed over it only when complete. A
 * reader — or a crash — sees the old file or the new one, never half of one.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const FLUSH_AT = 1 << 16;

export class AtomicFile {
  private buffer: string[] = [];
  private buffered = 0;
  private constructor(
    readonly target: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(target: string): Promise<AtomicFile> {
    const dir = path.dirname(target);
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o644);
    return new AtomicFile(target, temp, handle);
  }

  async write(text: string): Promise<void> {
    if (text === '') return;
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_AT) await this.cleanUpOnFailure(() => this.flush());
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    await this.handle.write(text, null, 'utf8');
  }

  async commit(): Promise<void> {
    await this.cleanUpOnFailure(async () => {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.target);
    });
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
    await this.handle.close().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }
}
