/**
 * The schools' rows as a batch keeps them on the main thread until the footers: each row
 * as one line of JSON in UTF-8, all in one growing buffer. As objects (a dozen strings,
 * arrays and the counts each, some 800 bytes of heap a school) the rows were most of what
 * the main thread's old space held at the end of a run; with the heap that small, every MB
 * the rows added started another full collection (23 against 3 for the JSON report alone
 * at 10k schools, docs/performance.md). As bytes they are no objects to mark, and made into
 * rows only once, for the footers.
 */
import { grownLength } from '../model/growth.js';
import type { SchoolRow } from './stream.js';

const NEWLINE = 0x0a;
/** Rows turned back into objects a block of about this many bytes at a time. */
const BLOCK = 1 << 20;

/**
 * A school's row as the bytes a worker sends. JSON writes no line break (a string's is
 * `\n`, a lone surrogate `\udxxx`), and no byte of a UTF-8 sequence is below 0x80, so a
 * line break ends a row. Encoded into Node's shared pool: the bytes are a view, which the
 * worker copies into its message's one buffer with the others of the message.
 */
export function packRow(row: SchoolRow): Uint8Array {
  return Buffer.from(JSON.stringify(row), 'utf8');
}

export function unpackRow(bytes: Uint8Array): SchoolRow {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as SchoolRow;
}

export class PackedRows {
  private bytes = new Uint8Array(0);
  private used = 0;

  /** One row, as `packRow` made it (the bytes are copied). */
  add(row: Uint8Array): void {
    if (this.used + row.length + 1 > this.bytes.length) {
      const bigger = new Uint8Array(grownLength(this.bytes.length, this.used + row.length + 1));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    this.bytes.set(row, this.used);
    this.used += row.length;
    this.bytes[this.used++] = NEWLINE;
  }

  /** The rows added, in order, as objects. */
  rows(): SchoolRow[] {
    const rows: SchoolRow[] = [];
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.used);
    for (let start = 0; start < this.used;) {
      // A block ends at the end of a row: the last line break within BLOCK bytes of `start`, or the next one after.
      let end = start + BLOCK >= this.used ? this.used : text.lastIndexOf(NEWLINE, start + BLOCK);
      if (end < start) end = text.indexOf(NEWLINE, start + BLOCK) + 1;
      else if (end < this.used) end++;
      const lines = text.toString('utf8', start, end - 1);
      for (const row of JSON.parse(`[${lines.replaceAll('\n', ',')}]`) as SchoolRow[]) rows.push(row);
      start = end;
    }
    return rows;
  }
}
