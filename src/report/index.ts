/**
 * Reporters: pure functions from an audit run to text, one file per format. Adding a
 * format is one new file and one line here. Formats that can also be written school by
 * school (so a national batch never holds every result) give a StreamReporter too.
 * Each format is loaded when asked for: a run writing JSON never loads the terminal
 * table and width libraries.
 */
import type { Reporter } from './context.js';
import type { StreamReporter } from './stream.js';

export type { Detail, ReportContext, Reporter } from './context.js';

export interface Format {
  render: Reporter;
  /** Absent for formats that need the whole run (SARIF, the Markdown report). */
  stream?: StreamReporter;
  /**
   * For files that are not the reporter's text: `pdf` prints the HTML with a browser,
   * `xlsx` packs the reporter's records into a workbook (xlsx.ts). Both need a path.
   */
  output?: 'pdf' | 'xlsx';
}

const LOADERS = {
  text: async () => import('./text.js').then((m): Format => ({ render: m.renderText, stream: m.streamText })),
  markdown: async () => import('./markdown.js').then((m): Format => ({ render: m.renderMarkdown })),
  json: async () => import('./json.js').then((m): Format => ({ render: m.renderJson, stream: m.streamJson })),
  junit: async () => import('./junit.js').then((m): Format => ({ render: m.renderJunit, stream: m.streamJunit })),
  csv: async () => import('./csv.js').then((m): Format => ({ render: m.renderCsv, stream: m.streamCsv })),
  'csv-items': async () => import('./csv.js').then((m): Format => ({ render: m.renderCsvItems, stream: m.streamCsvItems })),
  github: async () => import('./github.js').then((m): Format => ({ render: m.renderGithub, stream: m.streamGithub })),
  sarif: async () => import('./sarif.js').then((m): Format => ({ render: m.renderSarif })),
  summary: async () => import('./summary.js').then((m): Format => ({ render: m.renderSummary, stream: m.streamSummary })),
  html: async () => import('./html.js').then((m): Format => ({ render: m.renderHtml, stream: m.streamHtml })),
  pdf: async () => import('./html.js').then((m): Format => ({ render: m.renderHtml, stream: m.streamHtml, output: 'pdf' })),
  xlsx: async () => import('./xlsx.js').then((m): Format => ({ render: m.renderXlsxRecords, stream: m.streamXlsx, output: 'xlsx' })),
} satisfies Record<string, () => Promise<Format>>;

export type FormatName = keyof typeof LOADERS;

/** Formats that are files, never standard output: a PDF and a workbook. */
export const FILE_ONLY_FORMATS: ReadonlySet<string> = new Set<FormatName>(['pdf', 'xlsx']);

export const FORMAT_NAMES = Object.keys(LOADERS) as FormatName[];

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(LOADERS, name);
}

export function loadFormat(name: FormatName): Promise<Format> {
  return LOADERS[name]();
}

/** Several formats at once, by name. */
export async function loadFormats(names: Iterable<FormatName>): Promise<Map<FormatName, Format>> {
  const unique = [...new Set(names)];
  const formats = await Promise.all(unique.map(loadFormat));
  return new Map(unique.map((name, i) => [name, formats[i] as Format]));
}
