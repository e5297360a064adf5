/**
 * How a buffer that grows as it fills (the walk's paths, a roster's columns, the pairing's)
 * is made bigger, so that no buffer the C allocator mapped on its own is freed at a size
 * that raises glibc's thresholds for the rest of the run.
 *
 * glibc maps an allocation of 128 KiB or more on its own, and when such a mapping between
 * 128 KiB and 32 MiB is freed it raises the size it maps from (to that size) and the free
 * space it leaves at the top of an arena before giving it back (to twice that) — for the
 * whole process, every thread. One 8 MB buffer of the walk's, doubled and dropped before the
 * batch, left every worker's arena keeping up to 16 MB it no longer used: 234 against 215
 * MB at the peak of 100,000 files (docs/performance.md). A buffer here grows by doubling
 * while small (below 64 KiB: never mapped), and past that straight to more than 32 MiB,
 * a mapping whose free changes nothing; its pages take memory only once written.
 */

/** The largest buffer grown by doubling: freed, it is never one glibc had mapped. */
const SMALL_BYTES = 64 << 10;
/** Above glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems (32 MiB), with room for its header. */
const MAPPED_BYTES = 33 << 20;

/** The length (in elements of `bytesEach` bytes) to make a buffer that must hold `needed` and is dropped once read. */
export function roomFor(needed: number, bytesEach = 1): number {
  if (needed * bytesEach <= SMALL_BYTES) return needed;
  return Math.max(needed, Math.ceil(MAPPED_BYTES / bytesEach));
}

/** The new length (in elements of `bytesEach` bytes) of a buffer of `length` that must hold `needed`. */
export function grownLength(length: number, needed: number, bytesEach = 1): number {
  return roomFor(Math.max(length * 2, needed), bytesEach);
}
