/**
 * A sheet's entry in the workbook's zip, fed to the zip's deflate from a few buffers that are
 * used again and again. exceljs's own sheet stream turned every write into a new buffer,
 * copied it into more new buffers and queued those behind a stream of archiver's: at 10k
 * schools about 2 GB of short-lived buffers went through the main thread for 1 GB of sheet
 * XML, and the garbage collector let tens of MB of them wait to be freed. Here the text is
 * encoded straight into a buffer; a full buffer goes to the deflate, and comes back once the
 * deflate has taken it. The bytes are the same: the deflate is given the same XML.
 */
import { Stream, type Writable } from 'node:stream';

/** Bytes of XML in one buffer handed to the deflate. */
const CHUNK = 1 << 16;
/** Buffers in the deflate or waiting for it before the writer is told to wait. */
const BUFFERS = 4;

/** What exceljs writes to a sheet's stream: text, or its string builder (`StringBuf`). */
export type SheetText = string | Uint8Array | { toBuffer(): Buffer | null };

export class SheetEntry extends Stream {
  /** archiver and compress-commons take a stream with a readable state as it is, unwrapped. */
  readonly _readableState = {};
  /** The zip's deflate for this entry, once the zip has reached it (`pipe`). */
  private deflate: Writable | undefined;
  private buffer: Buffer | undefined;
  private used = 0;
  private readonly spare: Buffer[] = [];
  /** Buffers filled and not yet given back by the deflate (or not yet given to it). */
  private busy = 0;
  /** Filled before the zip reached the entry, in order, with the bytes used of each. */
  private readonly early: [Buffer, number][] = [];
  private ended = false;
  private waiting: (() => void)[] = [];

  /** Whether the writer should wait for the deflate (see `ready`) before writing more. */
  get behind(): boolean {
    return this.busy >= BUFFERS;
  }

  /** Resolves once a buffer has come back from the deflate. */
  ready(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  write(data: SheetText): boolean {
    if (typeof data === 'string') this.text(data);
    else {
      const bytes = data instanceof Uint8Array ? data : data.toBuffer();
      if (bytes) this.bytes(bytes);
    }
    return true;
  }

  /** exceljs pauses a sheet's stream so that it emits no data events; this one emits none. */
  pause(): this {
    return this;
  }

  end(): this {
    if (this.ended) return this;
    this.ended = true;
    if (this.used > 0) this.send();
    this.deflate?.end();
    // exceljs waits for 'zipped' on the sheets it closes itself (as its own stream says).
    this.emit('finish');
    this.emit('zipped');
    return this;
  }

  /** The zip's deflate, once the zip has come to this entry. */
  override pipe<T extends NodeJS.WritableStream>(destination: T): T {
    this.deflate = destination as unknown as Writable;
    for (const [buffer, used] of this.early.splice(0)) this.give(buffer, used);
    if (this.ended) this.deflate.end();
    return destination;
  }

  /**
   * Text into the buffer being filled when it fits; else into a new one (the rows are short,
   * so a buffer goes out a row short of full), or as bytes when longer than a buffer.
   */
  private text(text: string): void {
    const length = Buffer.byteLength(text);
    if (length > CHUNK) return this.bytes(Buffer.from(text));
    if (length > CHUNK - this.used) this.send();
    this.used += this.current().write(text, this.used);
  }

  private bytes(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      const target = this.current();
      const n = Math.min(bytes.length - at, CHUNK - this.used);
      target.set(bytes.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === CHUNK) this.send();
    }
  }

  private current(): Buffer {
    this.buffer ??= this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
    return this.buffer;
  }

  /** The buffer being filled, to the deflate (or kept until the zip reaches the entry). */
  private send(): void {
    const { buffer, used } = this;
    if (!buffer) return;
    this.buffer = undefined;
    this.used = 0;
    this.busy++;
    if (this.deflate) this.give(buffer, used);
    else this.early.push([buffer, used]);
  }

  private give(buffer: Buffer, used: number): void {
    (this.deflate as Writable).write(used === CHUNK ? buffer : buffer.subarray(0, used), () => {
      this.busy--;
      // Back to the spares once the deflate is done with it.
      if (this.spare.length < BUFFERS) this.spare.push(buffer);
      const waiting = this.waiting;
      this.waiting = [];
      for (const resolve of waiting) resolve();
    });
  }
}
