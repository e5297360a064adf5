/**
 * Lines of text kept on disk until they are read back once, in order: the workbook's
 * Summary rows, which come with each school during the batch but go into the zip only
 * after the Items sheet. Kept in memory they grew with the batch (about 20 MB of the main
 * thread's heap at 10k schools, ten times that for a national batch); here they cost a
 * buffer. Synchronous, in a private temporary folder: the rows are written and read in
 * steps the workbook writer takes between its rows, a few MB in all at 10k schools.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Bytes gathered before a write to the file, and read from it at a time. */
const BLOCK = 1 << 18;

export class RowSpool {
  private readonly buffer = Buffer.allocUnsafeSlow(BLOCK);
  private used = 0;
  private size = 0;
  private closed = false;

  private constructor(
    /** The private folder of the file, removed by `close`. */
    readonly dir: string,
    private readonly fd: number,
  ) {}

  static open(): RowSpool {
    const dir = mkdtempSync(path.join(tmpdir(), 'reopen-audit-'));
    try {
      return new RowSpool(dir, openSync(path.join(dir, 'rows'), 'w+', 0o600));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** One line (without a line break in it). */
  add(line: string): void {
    const length = Buffer.byteLength(line) + 1;
    if (length > BLOCK - this.used) this.flush();
    if (length > BLOCK) {
      this.put(Buffer.from(`${line}\n`));
      return;
    }
    this.used += this.buffer.write(line, this.used);
    this.buffer[this.used++] = 0x0a;
  }

  /** The lines added, in order; then the spool is empty again for new lines. */
  *lines(): Generator<string> {
    this.flush();
    const decoder = new TextDecoder();
    const block = Buffer.allocUnsafeSlow(BLOCK);
    let rest = '';
    for (let at = 0; at < this.size;) {
      const n = readSync(this.fd, block, 0, Math.min(BLOCK, this.size - at), at);
      if (n === 0) break;
      at += n;
      const text = rest + decoder.decode(block.subarray(0, n), { stream: at < this.size });
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    this.size = 0;
  }

  /** The file and its folder removed; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    this.put(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private put(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length;)
      done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
    this.size += bytes.length;
  }
}
