/**
 * Full-width punctuation where YAML needs its ASCII form: the likeliest slip on a Chinese
 * keyboard (`district：河东区`). When the parser breaks on a line, the line (or the one
 * before it, where the parser often notices too late) is looked at for such a mark, and the
 * mark itself is named with the fix, instead of the parser's account of what followed.
 */
export type FullWidthMark = 'colon' | 'space' | 'quote' | 'comma';

export interface FullWidthSlip {
  mark: FullWidthMark;
  char: string;
  /** Offset of the mark in the text. */
  offset: number;
}

/** Each slip as it shows in a line: the pattern and the group that holds the mark. */
const SLIPS: { mark: FullWidthMark; pattern: RegExp }[] = [
  // `district：河东区`, `- name：…`: a key ended by a full-width colon, no ASCII colon before it.
  { mark: 'colon', pattern: /^\s*(?:-\s+)?["']?[^\s:：#"'][^:：#]*?["']?\s*(：)/ },
  // A full-width space as indentation, or after a key's colon (`district:\u3000河东区`).
  { mark: 'space', pattern: /^[ ]*(\u3000)|:(\u3000)/ },
  // A value opened with a Chinese quotation mark: YAML reads it as plain text, and a `: `
  // or ` #` inside it then breaks the line.
  { mark: 'quote', pattern: /:\s+([“‘])/ },
  // A full-width comma between the entries of a `[…]` or `{…}` list.
  { mark: 'comma', pattern: /[[{][^\]}]*?(，)/ },
];

/** The slip on the line holding `offset`, or else on the line before it. */
export function fullWidthSlip(text: string, offset: number): FullWidthSlip | undefined {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lines = [start];
  if (start > 0) lines.push(text.lastIndexOf('\n', start - 2) + 1);
  for (const lineStart of lines) {
    const end = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, end === -1 ? text.length : end);
    // A comment is the writer's own text: full-width marks there are fine.
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const { mark, pattern } of SLIPS) {
      const m = pattern.exec(code);
      if (!m) continue;
      const group = m.slice(1).findIndex((g) => g !== undefined);
      const char = m[group + 1] as string;
      const at = m.index + m[0].lastIndexOf(char);
      return { mark, char, offset: lineStart + at };
    }
  }
  return undefined;
}
