/**
 * Wrapping by display width: a CJK character takes two terminal columns. Latin words stay
 * whole where they fit; nothing is ever cut off or replaced by an ellipsis.
 */
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Tokens: runs of non-space ASCII (kept together), single other graphemes, spaces. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const { segment } of graphemes.segment(text)) {
    if (/^[\x21-\x7e]$/.test(segment)) {
      word += segment;
      continue;
    }
    if (word) out.push(word);
    word = '';
    out.push(segment);
  }
  if (word) out.push(word);
  return out;
}

export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
    };
    for (const token of tokens(paragraph)) {
      const w = stringWidth(token);
      if (token === ' ' && used === 0) continue;
      if (used + w <= width) {
        line += token;
        used += w;
        continue;
      }
      if (token === ' ') {
        push();
        continue;
      }
      if (w <= width) {
        push();
        line = token;
        used = w;
        continue;
      }
      // A word longer than the column: break it by grapheme.
      for (const { segment } of graphemes.segment(token)) {
        const sw = stringWidth(segment);
        if (used + sw > width && used > 0) push();
        line += segment;
        used += sw;
      }
    }
    if (line || lines.length === 0) push();
  }
  return lines;
}

export function wrapCell(text: string, width: number): string {
  return wrapText(text, Math.max(4, width)).join('\n');
}

export { stringWidth };
