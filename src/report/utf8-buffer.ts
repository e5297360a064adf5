/**
 * A chunk written as UTF-8 straight into one buffer, for reporters whose chunks are mostly
 * pieces made once (bytes copied as they are) and a little text of the school's own: no
 * chunk-long string is built and then encoded. One buffer serves every chunk a reporter
 * makes in a thread (the JSON chunk and the JUnit suite each have their own); it grows as a
 * chunk needs, and `bytesFrom` copies the chunk out at its length.
 */
export class Utf8Buffer {
  private buffer: Buffer;
  /** Where the next byte goes. */
  at = 0;

  constructor(private readonly initial = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initial);
  }

  private reserve(more: number): void {
    if (this.at + more <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + more));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }

  text(text: string): void {
    this.reserve(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  /**
   * Text known to be ASCII (markup, numbers), written code unit by code unit: for a short
   * piece this is several times cheaper than a call of `Buffer.write`.
   */
  ascii(text: string): void {
    this.reserve(text.length);
    const { buffer, at } = this;
    for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
    this.at = at + text.length;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** What was written since `from`, as text. */
  textFrom(from: number): string {
    return this.buffer.toString('utf8', from, this.at);
  }

  /** What was written since `from`, copied into a buffer of its own (which a worker can move). */
  bytesFrom(from: number): Uint8Array {
    return new Uint8Array(this.buffer.subarray(from, this.at));
  }

  /** Start again at 0; a buffer grown past 1 MB (a school with megabytes of notes) is let go. */
  reset(): void {
    this.at = 0;
    if (this.buffer.length > 1 << 20) this.buffer = Buffer.allocUnsafe(this.initial);
  }
}
