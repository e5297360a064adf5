/**
 * Bytes to text. School files arrive from Notepad, chat apps and USB sticks: UTF-8 with or
 * without BOM, UTF-16 with BOM, and GB18030/GBK from Chinese Windows. Anything else is
 * refused with the reason, never guessed at silently.
 */
import { isUtf8 } from 'node:buffer';
import type { Reason } from '../model/result.js';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; error: Reason };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function tryDecode(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function decode(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = tryDecode('utf-8', bytes.subarray(3));
    return text === undefined ? { ok: false, error: { code: 'decode.badUtf8' } } : { ok: true, text, encoding: 'utf-8-bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    const text = tryDecode('utf-16le', bytes.subarray(2));
    if (text !== undefined) return { ok: true, text, encoding: 'utf-16le' };
    return { ok: false, error: { code: 'decode.badUtf16' } };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const text = tryDecode('utf-16be', bytes.subarray(2));
    if (text !== undefined) return { ok: true, text, encoding: 'utf-16be' };
    return { ok: false, error: { code: 'decode.badUtf16' } };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const utf16 = utf16WithoutBom(bytes);
    if (utf16) return { ok: false, error: { code: 'decode.utf16NoBom', params: { encoding: utf16 } } };
    return { ok: false, error: { code: 'decode.binary', params: positionOf(bytes, nul) } };
  }
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), encoding: 'utf-8' };
  try {
    return { ok: true, text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    const fault = utf8Fault(bytes);
    // Valid UTF-8 up to a character cut in half at the very end: a copy or download that
    // stopped early. Decoding it as GB18030 would only turn the text into nonsense.
    if (fault?.truncated) return { ok: false, error: { code: 'decode.truncated', params: positionOf(bytes, fault.offset) } };
    // Not UTF-8: GB18030 is a superset of GBK and GB2312, what Chinese Windows writes.
    const text = tryDecode('gb18030', bytes);
    if (text !== undefined) return { ok: true, text, encoding: 'gb18030' };
    const offset = fault?.offset ?? 0;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, error: { code: 'decode.unknown', params: { ...positionOf(bytes, offset), byte } } };
  }
}

/** Line and column (in characters) of a byte offset, for messages about bytes. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = lenient.decode(bytes.subarray(lineStart, offset));
  return { line, col: [...prefix].length + 1 };
}

/**
 * UTF-16 saved without a byte-order mark: YAML is mostly ASCII, so every other byte is NUL,
 * nearly all on the same side. Named, so the person knows what to re-save, not told it is binary.
 */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const half = bytes.length / 2;
  // Chinese text puts a NUL on the other side now and then (U+4E00 is 00 4E in UTF-16LE).
  const label = odd >= half / 4 && even * 20 <= odd ? 'utf-16le' : even >= half / 4 && odd * 20 <= even ? 'utf-16be' : undefined;
  if (!label || tryDecode(label, bytes) === undefined) return undefined;
  return label.toUpperCase();
}

/**
 * Where UTF-8 decoding first fails: the offset of the sequence at fault, and whether the
 * fault is only a sequence the end of the file cut short.
 */
function utf8Fault(bytes: Uint8Array): { offset: number; truncated: boolean } | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Length of the sequence and the range its second byte must fall in (RFC 3629).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, lo] = [2, 0xa0];
    else if (b === 0xed) [need, hi] = [2, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b === 0xf0) [need, lo] = [3, 0x90];
    else if (b === 0xf4) [need, hi] = [3, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else return { offset: i, truncated: false };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { offset: i, truncated: true };
      const c = bytes[i + k] as number;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return { offset: i, truncated: false };
    }
    i += need + 1;
  }
  return undefined;
}
