import { describe, expect, it } from 'vitest';
import { grownLength, roomFor } from '../src/model/growth.js';

const MB = 1 << 20;

describe('buffer growth', () => {
  it('doubles while small, then jumps past 32 MiB, so no buffer freed is one glibc maps at a size that moves its thresholds', () => {
    for (const bytesEach of [1, 4, 16]) {
      let length = 1024 / bytesEach;
      const seen: number[] = [];
      while (length * bytesEach < 200 * MB) {
        length = grownLength(length, length + 1, bytesEach);
        seen.push(length * bytesEach);
      }
      for (const bytes of seen) expect(bytes <= 64 * 1024 || bytes > 32 * MB).toBe(true);
      expect(seen).toContain(64 * 1024);
    }
  });

  it('keeps what is asked for', () => {
    expect(grownLength(10, 1000)).toBe(1000);
    expect(grownLength(1000, 10)).toBe(2000);
    expect(roomFor(100)).toBe(100);
    expect(roomFor(5 * MB)).toBeGreaterThan(32 * MB);
    expect(roomFor(40 * MB)).toBe(40 * MB);
    expect(roomFor(3 * MB, 4) * 4).toBeGreaterThan(32 * MB);
  });
});
