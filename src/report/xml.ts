/**
 * XML text and attribute escaping for the JUnit report. Input text is data: it is cleaned of
 * terminal control sequences (as for Markdown: tabs become spaces, line breaks `\n`), of
 * every character XML 1.0 cannot hold at all (lone surrogates, U+FFFE/U+FFFF), and then
 * escaped.
 */
import { documentText as clean } from './escape.js';

/**
 * Text that `clean` and the escapes would change: controls (a line break only for an
 * attribute), the separators `clean` makes line breaks of, bidirectional controls, any
 * surrogate (a lone one is dropped), U+FFFE/U+FFFF and the characters escaped. Most text
 * (ids, titles, paths, names) has none, and is then written as it is.
 */
// eslint-disable-next-line no-control-regex
const TEXT_TOUCHED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff&<>]/;
// eslint-disable-next-line no-control-regex
const ATTR_TOUCHED = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff&<>"]/;

/** Element content: `<`, `&` and `>` (the last for `]]>`) as entities; line breaks kept. */
export function xmlText(text: string): string {
  if (!TEXT_TOUCHED.test(text)) return text;
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A double-quoted attribute value. Line breaks are written as `&#10;`, because a parser
 * turns a raw one into a space.
 */
export function xmlAttr(text: string): string {
  if (!ATTR_TOUCHED.test(text)) return text;
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

/** `<name a="1" b="2">`, attributes in the order given; `undefined` values are left out. */
export function openTag(
  name: string,
  attrs: [string, string | number | undefined][],
  selfClosing = false,
): string {
  const parts = attrs
    .filter((a): a is [string, string | number] => a[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`);
  return `<${name}${parts.join('')}${selfClosing ? '/>' : '>'}`;
}
