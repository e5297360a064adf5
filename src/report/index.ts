/**
 * Reporters: pure functions from an audit run to text, one file per format. Adding a
 * format is one new file and one line here.
 */
import type { AuditRun } from '../model/result.js';
import type { Lang } from '../i18n/index.js';
import { renderText } from './text.js';
import { renderMarkdown } from './markdown.js';
import { renderJson } from './json.js';

export interface ReportContext {
  lang: Lang;
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
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(REPORTERS, name);
}
