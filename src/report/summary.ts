/**
 * The district summary (区县汇总), in Markdown, for a bureau that audits every school of a
 * district or city in one batch: how many schools are ready, where and of which type the
 * others are, which items fail most often, every school in one table, and the files that
 * could not be audited. The per-school detail is in the Markdown report.
 */
import type { AuditRun } from '../model/result.js';
import { label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { append, coverageSection, failedFilesSection, finishPieces, heading, table } from './md.js';
import { mdCode, mdText } from './escape.js';
import { compareText, orderedFailures, s } from './shared.js';
import { inPieces, renderAll, type RunSummary, type StreamReporter } from './stream.js';
import {
  allGroup,
  byDistrict,
  byType,
  dw as w,
  mostFailed,
  percent,
  TOP_ITEMS,
  VERDICTS,
  type Group,
} from './district.js';

function verdictRows(lang: Lang, groups: Group[], total: Group): string[][] {
  return [...groups, total].map((g) => [
    g.name,
    String(g.schools),
    ...VERDICTS.map((v) => String(g.verdicts[v])),
    percent(g.verdicts.READY, g.schools),
  ]);
}

function summaryLines(summary: RunSummary, ctx: ReportContext): string[] {
  const lang = ctx.lang;
  const schools = [...summary.rows].sort((a, b) => compareText(a.file, b.file));
  const failures = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures });
  const verdictHeader = VERDICTS.map((v) => label(lang, 'verdict', v));
  const out: string[] = [];

  out.push(...heading(1, w(lang, 'title')));
  out.push(w(lang, 'intro', { schools: schools.length, failed: failures.length }), '');
  if (summary.coverage) append(out, coverageSection(lang, summary.coverage));

  out.push(...heading(2, s(lang, 'totals')));
  out.push(
    ...table(
      [s(lang, 'colVerdict'), s(lang, 'schoolsCount'), w(lang, 'percent')],
      [
        ...VERDICTS.map((v) => {
          const n = schools.filter((x) => x.verdict === v).length;
          return [label(lang, 'verdict', v), String(n), percent(n, schools.length)];
        }),
        [s(lang, 'total'), String(schools.length), percent(schools.length, schools.length)],
      ],
    ),
  );

  const groupHeader = (first: string) => [
    first,
    s(lang, 'schoolsCount'),
    ...verdictHeader,
    w(lang, 'readyPercent'),
  ];
  const total = allGroup(lang, schools);

  out.push(...heading(2, w(lang, 'byDistrict')));
  const districts = byDistrict(schools).map((g) => ({ ...g, name: mdText(g.name) }));
  out.push(...table(groupHeader(s(lang, 'district')), verdictRows(lang, districts, total)));

  out.push(...heading(2, w(lang, 'byType')));
  out.push(...table(groupHeader(s(lang, 'schoolType')), verdictRows(lang, byType(lang, schools), total)));

  out.push(...heading(2, w(lang, 'topFailed')));
  const top = mostFailed(schools, summary.catalogues);
  if (top.length === 0) {
    out.push(s(lang, 'noRectification'), '');
  } else {
    out.push(w(lang, 'topFailedNote', { n: TOP_ITEMS }), '');
    out.push(
      ...table(
        [
          s(lang, 'colNo'),
          s(lang, 'colId'),
          s(lang, 'colItem'),
          s(lang, 'colSeverity'),
          w(lang, 'failingSchools'),
          w(lang, 'auditedSchools'),
          w(lang, 'percent'),
        ],
        top.map((t, i) => [
          String(i + 1),
          mdCode(t.id),
          t.info ? mdText(local(lang, t.info.title)) : '',
          t.info ? label(lang, 'severity', t.info.severity) : '',
          String(t.failing),
          String(t.audited),
          percent(t.failing, t.audited),
        ]),
      ),
    );
  }

  const waived = schools.filter((r) => r.counts.waived > 0);
  if (waived.length > 0) {
    out.push(...heading(2, w(lang, 'waivers')));
    out.push(w(lang, 'waiversNote'), '');
    out.push(
      ...table(
        [s(lang, 'school'), w(lang, 'waivedItems'), s(lang, 'file')],
        waived.map((r) => [mdText(r.name), String(r.counts.waived), mdText(r.file)]),
      ),
    );
  }

  out.push(...heading(2, w(lang, 'allSchools')));
  if (schools.length === 0) {
    out.push(w(lang, 'noSchools'), '');
  } else {
    out.push(
      ...table(
        [
          s(lang, 'school'),
          s(lang, 'district'),
          s(lang, 'schoolType'),
          s(lang, 'colVerdict'),
          s(lang, 'colFails'),
          s(lang, 'colUnanswered'),
          s(lang, 'file'),
        ],
        schools.map((r) => [
          mdText(r.name),
          mdText(r.district),
          label(lang, 'schoolType', r.type),
          r.verdict === 'READY'
            ? label(lang, 'verdict', r.verdict)
            : `**${label(lang, 'verdict', r.verdict)}**`,
          String(r.counts.fail),
          String(r.counts.unanswered),
          mdText(r.file),
        ]),
      ),
    );
  }

  append(out, failedFilesSection(lang, failures));

  return out;
}

/** Everything comes from the per-school rows, so the summary never holds a full result. */
export const streamSummary: StreamReporter = {
  begin() {
    return '';
  },
  school() {
    return '';
  },
  separator: '',
  needsRows: true,
  ...inPieces((summary, ctx) => finishPieces(summaryLines(summary, ctx), ctx)),
};

export function renderSummary(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamSummary, run, ctx);
}
