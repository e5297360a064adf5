/** What every reporter is given besides the run: language, detail, colour, width, the tool. */
import type { AuditRun } from '../model/result.js';
import type { Lang } from '../i18n/index.js';

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
  /** The tool, and where to read about it (SARIF's `informationUri`). */
  tool: { name: string; version: string; informationUri?: string };
}

export type Reporter = (run: AuditRun, ctx: ReportContext) => string;
