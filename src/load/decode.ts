/**
 * Bytes to text. School files arrive from Notepad, chat apps and USB sticks: UTF-8 with or
 * without BOM, UTF-16 with BOM, and GB18030/GBK from Chinese Windows. Anything else is
 * refused with the reason, never guessed at silently.
 */
import { isUtf8 } from 'node:buffer';
import type { Reason } from '../model/result.js';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; error: Reason };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
  if (bytes.includes(0)) return { ok: false, error: { code: 'decode.binary' } };
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), encoding: 'utf-8' };
  try {
    return { ok: true, text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: GB18030 is a superset of GBK and GB2312, what Chinese Windows writes.
    const text = tryDecode('gb18030', bytes);
    if (text !== undefined) return { ok: true, text, encoding: 'gb18030' };
    return { ok: false, error: { code: 'decode.unknown' } };
  }
}
