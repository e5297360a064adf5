/**
 * The district summary (区县汇总), in Markdown, for a bureau that audits every school of a
 * district or city in one batch: how many schools are ready, where and of which type the
 * others are, which items fail most often, every school in one table, and the files that
 * could not be audited. The per-school detail is in the Markdown report.
 */
import type { AuditRun, Catalogue, ItemInfo, Verdict } from '../model/result.js';
import type { LocalText, Severity } from '../model/schema.js';
import { SCHOOL_TYPES, SEVERITIES } from '../model/constants.js';
import { label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { failedFilesSection, finish, heading, table } from './md.js';
import { mdCode, mdText } from './escape.js';
import { compareText, orderedFailures, s } from './shared.js';
import { renderAll, type RunSummary, type SchoolRow, type StreamReporter } from './stream.js';

const WORDS = {
  title: { zh: '开学条件核验区县汇总', en: 'Reopening readiness: district summary' },
  intro: {
    zh: '本次核验学校 {schools} 所，无法核验的文件 {failed} 个。',
    en: '{schools} schools audited; {failed} files could not be audited.',
  },
  percent: { zh: '占比', en: 'Percent' },
  readyPercent: { zh: '具备开学条件占比', en: 'Ready %' },
  byDistrict: { zh: '按区县统计', en: 'By district' },
  byType: { zh: '按学校类型统计', en: 'By school type' },
  topFailed: { zh: '不符合次数最多的核验项', en: 'Most frequently failed items' },
  topFailedNote: {
    zh: '按不符合的学校数排序，最多列 {n} 项；占比为不符合的学校数占核验表含该项的学校数的比例。',
    en: 'Ordered by the number of schools failing, at most {n} items; the percentage is of the schools whose checklists include the item.',
  },
  failingSchools: { zh: '不符合学校数', en: 'Schools failing' },
  auditedSchools: { zh: '核验学校数', en: 'Schools audited' },
  allSchools: { zh: '全部学校', en: 'All schools' },
  noSchools: { zh: '没有核验任何学校。', en: 'No school was audited.' },
  waivers: { zh: '豁免事项', en: 'Waivers' },
  waiversNote: {
    zh: '以下学校有经批准、仍在有效期内的豁免项：不计入结论和得分，豁免理由、批准人和有效期见各校报告。已过期的豁免不再适用，按不符合统计。',
    en: 'These schools have approved waivers still in force: left out of the verdict and score; the justification, approver and expiry are in each school report. An expired waiver no longer applies and is counted as failed.',
  },
  waivedItems: { zh: '已豁免项数', en: 'Waived items' },
} satisfies Record<string, LocalText>;

type Word = keyof typeof WORDS;

const VERDICTS: readonly Verdict[] = ['READY', 'NOT_READY', 'INCOMPLETE'];
const TOP_ITEMS = 10;
const SEVERITY_RANK = new Map<Severity, number>(SEVERITIES.map((sev, i) => [sev, i]));

function w(lang: Lang, word: Word, params: Record<string, string | number> = {}): string {
  return WORDS[word][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}


/** One decimal place, or a dash when there is nothing to divide by. */
function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

type Group = { name: string; schools: SchoolRow[] };

function verdictRows(groups: Group[]): string[][] {
  return groups.map((g) => {
    const n = (v: Verdict) => g.schools.filter((x) => x.verdict === v).length;
    return [
      g.name,
      String(g.schools.length),
      ...VERDICTS.map((v) => String(n(v))),
      percent(n('READY'), g.schools.length),
    ];
  });
}

function groupBy(schools: SchoolRow[], key: (s: SchoolRow) => string): Map<string, SchoolRow[]> {
  const groups = new Map<string, SchoolRow[]>();
  for (const school of schools) {
    const k = key(school);
    const list = groups.get(k) ?? [];
    list.push(school);
    groups.set(k, list);
  }
  return groups;
}

interface ItemTally {
  id: string;
  info: ItemInfo | undefined;
  failing: number;
  audited: number;
}

/**
 * The items failed by the most schools. The share is of the schools whose checklists hold
 * the item; whether it applied to each of them is in the per-school reports.
 */
function mostFailed(rows: SchoolRow[], catalogues: Record<string, Catalogue>): ItemTally[] {
  const tallies = new Map<string, ItemTally>();
  const perCatalogue = new Map<string, number>();
  for (const row of rows) {
    perCatalogue.set(row.catalogueKey, (perCatalogue.get(row.catalogueKey) ?? 0) + 1);
    for (const id of row.failed) {
      let tally = tallies.get(id);
      if (!tally) {
        tally = { id, info: catalogues[row.catalogueKey]?.items[id], failing: 0, audited: 0 };
        tallies.set(id, tally);
      }
      tally.failing++;
    }
  }
  for (const [key, n] of perCatalogue) {
    for (const id of Object.keys(catalogues[key]?.items ?? {})) {
      const tally = tallies.get(id);
      if (tally) tally.audited += n;
    }
  }
  const rank = (t: ItemTally) => SEVERITY_RANK.get(t.info?.severity ?? 'advisory') ?? SEVERITIES.length;
  return [...tallies.values()]
    .sort((a, b) => b.failing - a.failing || rank(a) - rank(b) || compareText(a.id, b.id))
    .slice(0, TOP_ITEMS);
}

function summaryMarkdown(summary: RunSummary, ctx: ReportContext): string {
  const lang = ctx.lang;
  const schools = [...summary.rows].sort((a, b) => compareText(a.file, b.file));
  const failures = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures });
  const verdictHeader = VERDICTS.map((v) => label(lang, 'verdict', v));
  const out: string[] = [];

  out.push(...heading(1, w(lang, 'title')));
  out.push(w(lang, 'intro', { schools: schools.length, failed: failures.length }), '');

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
  const totalRow = verdictRows([{ name: s(lang, 'total'), schools }]);

  out.push(...heading(2, w(lang, 'byDistrict')));
  const districts = [...groupBy(schools, (x) => x.district).entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, list]) => ({ name: mdText(name), schools: list }));
  out.push(...table(groupHeader(s(lang, 'district')), [...verdictRows(districts), ...totalRow]));

  out.push(...heading(2, w(lang, 'byType')));
  const byType = groupBy(schools, (x) => x.type);
  const types = SCHOOL_TYPES.filter((type) => byType.has(type)).map((type) => ({
    name: label(lang, 'schoolType', type),
    schools: byType.get(type) ?? [],
  }));
  out.push(...table(groupHeader(s(lang, 'schoolType')), [...verdictRows(types), ...totalRow]));

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

  out.push(...failedFilesSection(lang, failures));

  return finish(out, ctx);
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
  end: summaryMarkdown,
};

export function renderSummary(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamSummary, run, ctx);
}
