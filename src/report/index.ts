/**
 * Reporters: pure functions from an audit run to text, one file per format. Adding a
 * format is one new file and one line here. Formats that can also be written school by
 * school (so a national batch never holds every result) add a line to STREAMERS.
 */
import type { AuditRun } from '../model/result.js';
import type { Lang } from '../i18n/index.js';
import { renderText, streamText } from './text.js';
import { renderMarkdown } from './markdown.js';
import { renderJson, streamJson } from './json.js';
import type { StreamReporter } from './stream.js';
import { renderJunit, streamJunit } from './junit.js';
import { renderCsv, renderCsvItems, streamCsv, streamCsvItems } from './csv.js';
import { renderGithub, streamGithub } from './github.js';
import { renderSarif } from './sarif.js';
import { renderSummary, streamSummary } from './summary.js';

/** How much per-school detail: everything, only what is not ready / not passed, or none. */
export type Detail = 'all' | 'failures' | 'none';

export interface ReportContext {
  lang: Lang;
  /** `--failures-only` / `--summary-only`; summaries and totals always cover every school. */
  detail?: Detail;
  /** Colour codes allowed (terminal text only). */
  color: boolean;
  /** Terminal width for wrapping, when writing to a terminal. */
  width?: number;
  tool: { name: string; version: string };
}

export type Reporter = (run: AuditRun, ctx: ReportContext) => string;

export const REPORTERS = {
  text: renderText,
  markdown: renderMarkdown,
  json: renderJson,
  junit: renderJunit,
  csv: renderCsv,
  'csv-items': renderCsvItems,
  github: renderGithub,
  sarif: renderSarif,
  summary: renderSummary,
} satisfies Record<string, Reporter>;

export const STREAMERS: Partial<Record<string, StreamReporter>> = {
  text: streamText,
  json: streamJson,
  junit: streamJunit,
  csv: streamCsv,
  'csv-items': streamCsvItems,
  github: streamGithub,
  summary: streamSummary,
};

export type FormatName = keyof typeof REPORTERS;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(REPORTERS, name);
}
