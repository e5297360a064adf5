/**
 * Report files are written as streams and replaced whole: the bytes that reach the disk
 * are exactly those written, in order, even when the operating system takes only part of
 * a write; until the commit the old file stays as it was; an aborted file leaves nothing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile } from '../src/util/atomic-file.js';
import { tempDir } from './helpers.js';

/** Text and bytes of many sizes, a few MB in all: several buffers' worth of writes. */
function pieces(): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = [];
  for (let i = 0; i < 3000; i++) {
    out.push(i % 3 === 0 ? `第${i}所学校，` : new TextEncoder().encode(`school ${i} `.repeat(1 + (i % 97))));
    if (i % 500 === 0) out.push(new Uint8Array(70_000).fill(65 + (i % 26)));
  }
  return out;
}

function joined(parts: (string | Uint8Array)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

type Writev = (buffers: NodeJS.ArrayBufferView[]) => Promise<{ bytesWritten: number }>;

/** Put `through` between the file and the system's writev, as the system might behave. */
function interceptWrites(file: AtomicFile, through: (buffers: NodeJS.ArrayBufferView[], writev: Writev) => Promise<{ bytesWritten: number }>): void {
  const handle = (file as unknown as { handle: FileHandle }).handle;
  const writev: Writev = handle.writev.bind(handle);
  handle.writev = (async (buffers: NodeJS.ArrayBufferView[]) => ({ ...(await through(buffers, writev)), buffers })) as FileHandle['writev'];
}

async function writeAll(file: AtomicFile, parts: (string | Uint8Array)[]): Promise<void> {
  for (const p of parts) await file.write(p);
}

describe('AtomicFile', () => {
  it('writes exactly the bytes given, and replaces the old file only on commit', async () => {
    const dir = tempDir('atomic');
    const target = path.join(dir, 'report.json');
    writeFileSync(target, 'old report');
    const parts = pieces();
    const file = await AtomicFile.open(target);
    await writeAll(file, parts);
    expect(readFileSync(target, 'utf8')).toBe('old report');
    await file.commit();
    expect(readFileSync(target).equals(joined(parts))).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes the rest when the system takes only part of a write', async () => {
    const dir = tempDir('atomic');
    const target = path.join(dir, 'report.csv');
    const file = await AtomicFile.open(target);
    // Each write takes at most 777 bytes, cutting pieces anywhere, even inside a character.
    let calls = 0;
    interceptWrites(file, async (buffers, writev) => {
      calls++;
      const all = Buffer.concat(buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
      return { bytesWritten: (await writev([all.subarray(0, 777)])).bytesWritten };
    });
    const parts = pieces();
    await writeAll(file, parts);
    await file.commit();
    expect(calls).toBeGreaterThan(1000);
    expect(readFileSync(target).equals(joined(parts))).toBe(true);
  });

  it('keeps the bytes in order when the caller writes on without waiting', async () => {
    const dir = tempDir('atomic');
    const target = path.join(dir, 'report.json');
    const file = await AtomicFile.open(target);
    // Writes that finish out of order: each waits a different time before it goes out.
    let calls = 0;
    interceptWrites(file, async (buffers, writev) => {
      await new Promise((resolve) => setTimeout(resolve, [9, 1, 5, 0, 3][calls++ % 5]));
      return writev(buffers);
    });
    // Pieces bigger than a buffer, written one after another with nobody waiting for them.
    const parts = Array.from({ length: 12 }, (_, i) => new Uint8Array(300_000).fill(97 + i));
    const pending = parts.map((p) => file.write(p));
    await Promise.all(pending);
    await file.commit();
    expect(calls).toBeGreaterThan(1);
    expect(readFileSync(target).equals(joined(parts))).toBe(true);
  });

  it('leaves the old file and no temporary file behind when aborted', async () => {
    const dir = tempDir('atomic');
    const target = path.join(dir, 'report.md');
    writeFileSync(target, '# 旧报告\n');
    const file = await AtomicFile.open(target);
    await writeAll(file, pieces());
    await file.abort();
    expect(readFileSync(target, 'utf8')).toBe('# 旧报告\n');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});
