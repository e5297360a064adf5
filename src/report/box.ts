/**
 * A boxed table for the terminal, drawn in one pass: cells come already wrapped into lines,
 * each line is measured once and padded to its column. (A general table library measured
 * every line again for each line of the cell, which made a long school name take minutes.)
 */
import { stringWidth } from './wrap.js';

export interface BoxCell {
  /** The cell's lines, plain text, each at most the column's width. */
  lines: string[];
  /** Colour or weight for the cell's text, applied after padding is measured. */
  paint?: (text: string) => string;
}

export type CellInput = BoxCell | string;

const cell = (c: CellInput): BoxCell => (typeof c === 'string' ? { lines: c.split('\n') } : c);

/** Each column as wide as its widest line (what a table of short values needs). */
export function naturalWidths(head: string[], rows: CellInput[][]): number[] {
  const widths = head.map((h) => Math.max(...h.split('\n').map((l) => stringWidth(l))));
  for (const row of rows)
    row.forEach((c, i) => {
      for (const line of cell(c).lines) widths[i] = Math.max(widths[i] ?? 0, stringWidth(line));
    });
  return widths;
}

/** The width a table of these columns takes on screen, borders and padding included. */
export function boxWidth(widths: number[]): number {
  return widths.reduce((n, w) => n + w + 3, 1);
}

/**
 * A table row: its cells, and optionally lines that span the whole table under them (a
 * file path too long for any one column).
 */
export interface BoxRow {
  cells: CellInput[];
  span?: string[];
}

export function boxTable(head: string[], rows: (CellInput[] | BoxRow)[], widths: number[] = naturalWidths(head, rows.map((r) => (Array.isArray(r) ? r : r.cells)))): string {
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const inner = boxWidth(widths) - 4;
  const padTo = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - stringWidth(text)));
  const body = (cells: BoxCell[]): string[] => {
    const height = Math.max(1, ...cells.map((c) => c.lines.length));
    const out: string[] = [];
    for (let n = 0; n < height; n++) {
      const parts = widths.map((w, i) => {
        const c = cells[i] ?? { lines: [] };
        const text = c.lines[n] ?? '';
        const padded = padTo(text, w);
        return ` ${c.paint && text ? c.paint(padded) : padded} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
    return out;
  };
  // A heading may take several lines (`\n`), like a cell.
  const lines = [rule('┌', '┬', '┐'), ...body(head.map(cell))];
  // The rule above a row joins the columns of the row before it (or a spanning line's edge).
  let spanned = false;
  for (const row of rows) {
    const { cells, span } = Array.isArray(row) ? { cells: row, span: undefined } : row;
    lines.push(spanned ? rule('├', '┬', '┤') : rule('├', '┼', '┤'));
    lines.push(...body(cells.map(cell)));
    spanned = span !== undefined && span.length > 0;
    if (spanned) {
      lines.push(rule('├', '┴', '┤'));
      for (const text of span ?? []) lines.push(`│ ${padTo(text, inner)} │`);
    }
  }
  lines.push(spanned ? `└${'─'.repeat(inner + 2)}┘` : rule('└', '┴', '┘'));
  return lines.join('\n');
}
