/**
 * Escaping for every output. Text from school and checklist files is data: it must never
 * move a terminal's cursor, break a Markdown table or open an HTML tag.
 */

/**
 * C0/C1 control characters (ESC, BEL, CSI …) except tab and newline, and the bidirectional
 * controls that make a terminal show the rest of a line reversed.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_NEWLINES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** For terminal output: control characters shown as visible escapes, e.g. `\x1b`, `\u202e`. */
export function terminalSafe(text: string, keepNewlines = false): string {
  const pattern = keepNewlines ? CONTROL : CONTROL_AND_NEWLINES;
  return text.replace(pattern, (c) => {
    if (c === '\n' || c === '\r' || c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** ANSI escape sequences (CSI such as `\x1b[31m`, OSC such as terminal titles, and two-byte ones). */
/* eslint-disable no-control-regex */
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]/g;
/** Control characters other than newline, and bidirectional overrides that reorder what a reader sees. */
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * Text with terminal control sequences removed, not shown: for documents (Markdown) that
 * are printed and filed, where `\x1b[31m` is noise. Newlines are normalised to `\n` and
 * kept; tabs become spaces.
 */
export function stripControls(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(ANSI, '')
    .replace(INVISIBLE, (c) => (c === '\t' ? ' ' : ''));
}

/** Characters that mean something inline in CommonMark/GFM (emphasis, links, code, tables, math, headings). */
const MD_INLINE = /[\\`*_[\]|~#$]/g;

function escapeMarkdownLine(line: string, atLineStart: boolean): string {
  const escaped = line
    .replace(MD_INLINE, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    // `<` can only open a tag or autolink when a non-space follows, and `>` only matters
    // at a line start or closing a tag: `8400 < 16800` and `a > b` stay readable.
    .replace(/<(?! )/g, '&lt;')
    .replace(/(?<! )>|>(?! )/g, '&gt;');
  if (!atLineStart) return escaped;
  // Block syntax only counts at the start of a line: list markers, setext underlines, `1.`.
  return escaped.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function markdownLines(text: string, atLineStart: boolean): string[] {
  return stripControls(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, i) => escapeMarkdownLine(line, atLineStart || i > 0));
}

/**
 * Input text (a school name, a note, a message) for Markdown prose or headings: one line,
 * every character shown as written — no emphasis, link, HTML, code or list can start in it.
 * `atLineStart` when the text begins a block (a paragraph or a list item's content), where
 * `-`, `+`, `=` or `1.` would start a list or a heading.
 */
export function mdText(text: string, atLineStart = false): string {
  return markdownLines(text, atLineStart).join(' ');
}

/** Input text for a Markdown table cell: like `mdText`, but line breaks become `<br>`. */
export function mdCell(text: string): string {
  return markdownLines(text, false).join('<br>');
}

/**
 * A code span for formulas and ids, readable in the raw file. Text that a code span cannot
 * hold safely everywhere (backticks, pipes, backslashes, line breaks) falls back to `mdText`.
 */
export function mdCode(text: string): string {
  const clean = stripControls(text).trim();
  if (clean === '' || /[`|\\\n]/.test(clean)) return mdText(text);
  return `\`${clean}\``;
}

/** Everything outside XML 1.0's `Char` production (NUL, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Input text cleaned of terminal controls and of characters XML or a spreadsheet cannot hold. */
export function documentText(text: string): string {
  return stripControls(text).replace(NOT_XML_CHAR, '');
}

/**
 * Input text for HTML or SVG, in element content or a quoted attribute: every character
 * that could open a tag, an entity or end an attribute is an entity, so no tag, attribute
 * or URL scheme can start in it.
 */
export function htmlText(text: string): string {
  return documentText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Like `htmlText`, with the text's own line breaks kept as `<br>`. */
export function htmlLines(text: string): string {
  return documentText(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map(htmlText)
    .join('<br>');
}
