/**
 * Charts as inline SVG, drawn when the report is rendered: no script, no font or file
 * from outside, the same bytes for the same numbers. Bars are horizontal so that long
 * Chinese labels fit, and every series has a pattern as well as a colour, so a chart
 * printed in black and white still tells its series apart. Every text is escaped.
 */
import { htmlText } from './escape.js';

export interface Series {
  name: string;
  values: number[];
  /** A fill colour (`#2e7d32`). */
  color: string;
  /** How the bar reads without colour. */
  pattern: 'solid' | 'hatch' | 'dots';
}

export interface StackedBarSpec {
  /** Unique within the document: the prefix of the chart's pattern ids. */
  id: string;
  /** What the chart shows, for readers that cannot see it (the heading above says it too). */
  title: string;
  /** px for the labels before the bars. */
  labelWidth?: number;
  categories: string[];
  series: Series[];
}

export interface BarSpec {
  id: string;
  title: string;
  labelWidth?: number;
  labels: string[];
  values: number[];
  /** Shown after each bar, e.g. `3 / 9` or `33.3%`; the value itself when absent. */
  notes?: string[];
  color: string;
}

/** The width the charts are drawn for: the A4 content width at 96 px per inch (180 mm). */
export const CHART_WIDTH = 680;
const ROW = 26;
const BAR = 16;
const FONT = 12;
const LABEL_WIDTH = 120;
const TAIL = 60;
const TOP = 4;

/** Two decimals at most, so coordinates never depend on floating-point noise. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Width of text in the chart's font, in px: CJK and full-width characters are one em. */
export function textWidth(text: string, size = FONT): number {
  let em = 0;
  for (const ch of text) em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 1 : 0.56;
  return em * size;
}

/** The text cut with `…` to fit `width` px. */
export function fitText(text: string, width: number, size = FONT): string {
  if (textWidth(text, size) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

function patternDefs(id: string, series: { color: string; pattern: Series['pattern'] }[]): string {
  return series
    .map((s, i) => {
      const pid = `${id}-p${i}`;
      if (s.pattern === 'hatch')
        return `<pattern id="${pid}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${s.color}"/><rect width="2.5" height="6" fill="#fff" fill-opacity="0.85"/></pattern>`;
      if (s.pattern === 'dots')
        return `<pattern id="${pid}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="${s.color}"/><circle cx="2.5" cy="2.5" r="1.2" fill="#000" fill-opacity="0.75"/></pattern>`;
      return '';
    })
    .join('');
}

function fillOf(id: string, i: number, s: { color: string; pattern: Series['pattern'] }): string {
  return s.pattern === 'solid' ? s.color : `url(#${id}-p${i})`;
}

function svgOpen(height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${CHART_WIDTH} ${n(height)}" width="${CHART_WIDTH}" height="${n(height)}" role="img" aria-label="${htmlText(title)}" font-size="${FONT}">`;
}

/** A row's label, right-aligned before the bar. */
function rowLabel(text: string, y: number, labelWidth: number): string {
  return `<text x="${labelWidth - 8}" y="${n(y + BAR / 2 + FONT * 0.35)}" text-anchor="end">${htmlText(fitText(text, labelWidth - 12))}</text>`;
}

/**
 * One horizontal bar per category, its series stacked, with the count inside each part
 * wide enough to hold it and the total after the bar; a legend below.
 */
export function stackedBarChart(spec: StackedBarSpec): string {
  const totals = spec.categories.map((_, c) => spec.series.reduce((sum, s) => sum + (s.values[c] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const LABEL = spec.labelWidth ?? LABEL_WIDTH;
  const span = CHART_WIDTH - LABEL - TAIL;
  const legendY = TOP + spec.categories.length * ROW + 14;
  const height = legendY + 20;
  const out = [svgOpen(height, spec.title), `<defs>${patternDefs(spec.id, spec.series)}</defs>`];
  spec.categories.forEach((category, c) => {
    const y = TOP + c * ROW;
    out.push(rowLabel(category, y, LABEL));
    let x = LABEL;
    spec.series.forEach((s, i) => {
      const value = s.values[c] ?? 0;
      if (value <= 0) return;
      const w = (value / max) * span;
      out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${BAR}" fill="${fillOf(spec.id, i, s)}" stroke="#000" stroke-width="0.6"/>`);
      if (w >= textWidth(String(value)) + 6)
        out.push(`<text x="${n(x + w / 2)}" y="${n(y + BAR / 2 + FONT * 0.35)}" text-anchor="middle" fill="#fff" stroke="#000" stroke-width="2.4" paint-order="stroke" font-weight="bold">${value}</text>`);
      x += w;
    });
    out.push(`<text x="${n(x + 6)}" y="${n(y + BAR / 2 + FONT * 0.35)}">${totals[c] ?? 0}</text>`);
  });
  let lx = LABEL;
  spec.series.forEach((s, i) => {
    out.push(`<rect x="${n(lx)}" y="${n(legendY)}" width="14" height="12" fill="${fillOf(spec.id, i, s)}" stroke="#000" stroke-width="0.6"/>`);
    out.push(`<text x="${n(lx + 19)}" y="${n(legendY + 10)}">${htmlText(s.name)}</text>`);
    lx += 19 + textWidth(s.name) + 22;
  });
  out.push('</svg>');
  return out.join('');
}

/** One horizontal bar per label, longest first as given, with a note after each bar. */
export function barChart(spec: BarSpec): string {
  const max = Math.max(1, ...spec.values);
  const LABEL = spec.labelWidth ?? LABEL_WIDTH;
  const span = CHART_WIDTH - LABEL - TAIL;
  const height = TOP + spec.labels.length * ROW + 4;
  const out = [svgOpen(height, spec.title)];
  spec.labels.forEach((text, r) => {
    const y = TOP + r * ROW;
    const value = spec.values[r] ?? 0;
    const w = (value / max) * span;
    out.push(rowLabel(text, y, LABEL));
    out.push(`<rect x="${LABEL}" y="${n(y)}" width="${n(w)}" height="${BAR}" fill="${spec.color}" stroke="#000" stroke-width="0.6"/>`);
    out.push(`<text x="${n(LABEL + w + 6)}" y="${n(y + BAR / 2 + FONT * 0.35)}">${htmlText(spec.notes?.[r] ?? String(value))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
