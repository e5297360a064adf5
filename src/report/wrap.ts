/**
 * Wrapping by display width: a CJK character takes two terminal columns. Runs of ASCII
 * (words, item ids, paths) stay whole wherever they fit in the column; closing punctuation
 * never starts a line and opening punctuation never ends one, as Chinese typesetting has it.
 * One pass over the text, so a name of 200,000 characters costs no more than 200,000 short
 * ones.
 */
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Characters a grapheme never continues into: a cluster always ends before one of them. */
const FRESH_START = /[\u4e00-\u9fff\u3400-\u4dbf\x20-\x7e]/;

/**
 * The graphemes of a text. Fed in pieces of about a thousand characters, cut only before a
 * character that always starts a cluster: the segmenter costs time in the square of the
 * length of what it is given once its pieces are kept (a 40,000-character name took 20 s).
 */
function graphemes(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + 1024);
    // (A text with no such character for pages, as a wall of emoji, is cut anyway: a cluster
    // split there is measured in two parts, nothing of it is lost.)
    while (end < text.length && end < start + 8192 && !FRESH_START.test(text[end] as string)) end++;
    for (const { segment } of segmenter.segment(text.slice(start, end))) out.push(segment);
    start = end;
  }
  return out;
}

const widths = new Map<string, number>();

/** The columns one grapheme takes: printable ASCII is one, the rest is measured (once). */
function graphemeWidth(segment: string): number {
  if (segment.length === 1 && segment >= ' ' && segment <= '~') return 1;
  let w = widths.get(segment);
  if (w === undefined) {
    w = stringWidth(segment);
    if (widths.size < 65536) widths.set(segment, w);
  }
  return w;
}

/** Marks a line never starts with (they stay with the character before them). */
const CLOSING = new Set([...'，。、；：？！）》」』”’〉】…']);
/** Marks a line never ends with (they go down with the character after them). */
const OPENING = new Set([...'（《「『“‘〈【']);

interface Token {
  text: string;
  width: number;
  space: boolean;
}

/** Tokens: runs of non-space ASCII (kept together, punctuation and all), single other graphemes, spaces. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  // Runs first, by one regular expression; only text outside ASCII is split into graphemes.
  for (const [run] of text.matchAll(/[\x21-\x7e]+|[^\x21-\x7e]+/g)) {
    const code = run.charCodeAt(0);
    if (code > 0x20 && code < 0x7f) {
      out.push({ text: run, width: run.length, space: false });
      continue;
    }
    // Spaces between words (the usual case) need no grapheme segmenter, which is slow to start.
    const segments = /^[ -~\t\n]+$/.test(run) ? run : graphemes(run);
    for (const segment of segments) {
      const space = segment === ' ' || segment === '\u3000' || segment === '\t';
      out.push({ text: segment, width: segment === '\t' ? 1 : graphemeWidth(segment), space });
    }
  }
  return out;
}

/**
 * Lines of at most `width` columns (the first of at most `firstWidth`). A token wider than the whole column (a path longer than
 * the line) is the only thing ever broken inside, grapheme by grapheme.
 */
export function wrapText(text: string, width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  let max = Math.max(1, firstWidth);
  for (const paragraph of text.split('\n')) {
    let line: Token[] = [];
    let used = 0;
    const push = () => {
      while (line.length > 0 && (line[line.length - 1] as Token).space) line.pop();
      lines.push(line.map((t) => t.text).join(''));
      line = [];
      used = 0;
      max = Math.max(1, width);
    };
    const add = (t: Token) => {
      line.push(t);
      used += t.width;
    };
    for (const token of tokens(paragraph)) {
      if (token.space && used === 0) continue;
      if (used + token.width <= max) {
        add(token);
        continue;
      }
      if (token.space) {
        push();
        continue;
      }
      // Keep punctuation with its neighbour: a closing mark takes the last character of the
      // line down with it, and an opening mark at the end of the line goes down too.
      const carried: Token[] = [];
      if (CLOSING.has(token.text)) {
        // Down with the character before the mark, and with any marks between them (`查）；`).
        // A run of marks (a text of nothing but `）`) is not carried: at most a few go down.
        while (carried.length < 3 && line.length > 1 && CLOSING.has((line[line.length - 1] as Token).text)) carried.unshift(line.pop() as Token);
        if (line.length > 1 && !(line[line.length - 1] as Token).space) carried.unshift(line.pop() as Token);
      }
      while (carried.length < 3 && line.length > 1 && OPENING.has((line[line.length - 1] as Token).text)) carried.unshift(line.pop() as Token);
      if (line.length > 0) push();
      for (const t of carried) add(t);
      if (used + token.width <= max) {
        add(token);
        continue;
      }
      if (used > 0) push();
      if (token.width <= max) {
        add(token);
        continue;
      }
      // Longer than the column: break it by grapheme.
      for (const segment of graphemes(token.text)) {
        const w = graphemeWidth(segment);
        if (used + w > max && used > 0) push();
        add({ text: segment, width: w, space: false });
      }
    }
    if (line.length > 0 || lines.length === 0) push();
  }
  return lines;
}

export function wrapCell(text: string, width: number): string {
  return wrapText(text, Math.max(4, width)).join('\n');
}

/**
 * `prefix` then the text wrapped to `width`, every further line indented to `indent`
 * columns: the shape of a list entry or a `得分:` line in a terminal.
 */
export function wrapHanging(prefix: string, text: string, width: number, indent = stringWidth(prefix)): string[] {
  const pad = ' '.repeat(indent);
  return wrapText(text, Math.max(8, width - indent), Math.max(8, width - stringWidth(prefix))).map((line, i) => (i === 0 ? prefix : pad) + line);
}

/**
 * Entries joined by `separator` under a prefix, as `wrapHanging` lays out text, except that
 * an entry (`食堂与宿舍 66.7%`) is never broken while it fits on a line of its own.
 */
export function wrapList(prefix: string, entries: string[], separator: string, width: number, indent: number): string[] {
  const pad = ' '.repeat(indent);
  // `，` stays with the entry before it; the space of `, ` goes where two entries meet on a line.
  const mark = separator.trimEnd();
  const gap = separator.slice(mark.length);
  const gapWidth = stringWidth(gap);
  const lines: string[] = [];
  let room = Math.max(8, width - stringWidth(prefix));
  let line = '';
  let used = 0;
  const push = () => {
    lines.push(line);
    line = '';
    used = 0;
    room = Math.max(8, width - indent);
  };
  entries.forEach((entry, i) => {
    const text = i < entries.length - 1 ? entry + mark : entry;
    const w = stringWidth(text);
    if (used > 0 && used + gapWidth + w > room) push();
    if (used > 0) {
      line += gap;
      used += gapWidth;
    }
    if (used + w <= room) {
      line += text;
      used += w;
      return;
    }
    const parts = wrapText(text, Math.max(8, width - indent), room - used);
    line += parts[0] ?? '';
    for (const part of parts.slice(1)) {
      push();
      line = part;
    }
    used = stringWidth(line);
  });
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? prefix : pad) + l);
}

/** The widest run that wrapping keeps whole (the column a table needs not to split it). */
export function longestWord(text: string): number {
  let longest = 0;
  for (const t of tokens(text)) if (!t.space && t.width > longest) longest = t.width;
  return longest;
}

/**
 * A path in at most `width` columns, shortened from the left with `…`: the end of a path
 * (the file's name) is what tells files apart. Whole folders go first; only a name that is
 * itself too long is cut.
 */
export function shortenLeft(path: string, width: number): string {
  if (stringWidth(path) <= width) return path;
  const parts = graphemes(path);
  let used = 1;
  let start = parts.length;
  let cut = -1;
  while (start > 0) {
    const w = graphemeWidth(parts[start - 1] as string);
    if (used + w > width) break;
    used += w;
    start--;
    if (parts[start] === '/') cut = start;
  }
  return `…${parts.slice(cut >= 0 ? cut : start).join('')}`;
}

export { stringWidth };
