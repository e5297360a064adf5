/**
 * The Markdown report: what an inspection team prints, signs and files. One school gets a
 * full report; several get a summary table first, then a report per school, then the files
 * that could not be audited. Every piece of input text goes through the escapers, so a
 * school name can never break a table or open an HTML tag.
 */
import { RECTIFICATION_DAYS } from '../model/result.js';
import type {
  Catalogue,
  ChecklistInfo,
  ItemInfo,
  ItemResult,
  SchoolResult,
  Verdict,
} from '../model/result.js';
import { explain, label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { append, coverageSection, failedFilesSection, finish, heading, table } from './md.js';
import type { CoveredRun, SchoolEntry } from './stream.js';
import { assumedItems, assumptionText, restsOnAssumption } from './assumption.js';
import type { AuditRun } from '../model/result.js';
import { mdCell, mdCode, mdText } from './escape.js';
import {
  applicableChecklists,
  applicableScores,
  auditorText,
  checklistsNotApplying,
  catalogueOf,
  decisionText,
  formulaText,
  itemById,
  itemTitle,
  numericParameter,
  orderedFailures,
  orderedSchools,
  rectificationItems,
  s,
  sf,
  shownNote,
  signOffLines,
  waivedItems,
  type TextKey,
} from './shared.js';

const VERDICTS: readonly Verdict[] = ['READY', 'NOT_READY', 'INCOMPLETE'];

function yesNo(lang: Lang, value: boolean | undefined): string {
  return value === undefined ? s(lang, 'notStated') : label(lang, 'yesNo', String(value));
}

/** The checklists the school was audited against, then once those that do not apply to it. */
function checklistsCell(lang: Lang, school: SchoolResult, catalogue: Catalogue): string {
  const lines = applicableChecklists(school, catalogue).map((cl) => checklistName(lang, cl));
  const none = checklistsNotApplying(school, catalogue);
  if (none.length > 0) lines.push(`${s(lang, 'checklistsNotApplying')}${none.map((cl) => checklistName(lang, cl)).join(lang === 'zh' ? '、' : ', ')}`);
  return lines.join('<br>');
}

function checklistName(lang: Lang, cl: ChecklistInfo): string {
  return lang === 'zh'
    ? `${mdText(local(lang, cl.title))}（${mdCode(cl.id)}，${s(lang, 'version')} ${mdText(cl.version)}）`
    : `${mdText(local(lang, cl.title))} (${mdCode(cl.id)}, ${s(lang, 'version')} ${mdText(cl.version)})`;
}

/**
 * The reason cell for an item: the explained result and, for a computed threshold, the
 * formula with the value of every name put into it.
 */
function reasonCell(lang: Lang, result: ItemResult, info: ItemInfo | undefined, catalogue: Catalogue): string {
  const parts = [mdCell(explain(lang, result, catalogue))];
  if (restsOnAssumption(catalogue, info, result))
    parts.push(`*${assumptionText(lang, 'marker')}*`);
  if (result.computation) parts.push(formulaText(lang, result.computation, mdCode));
  const note = shownNote(result);
  if (note) parts.push(`${s(lang, 'note')}${lang === 'zh' ? '：' : ': '}${mdCell(note)}`);
  return parts.join('<br>');
}

function statusCell(lang: Lang, result: ItemResult): string {
  const text = label(lang, 'status', result.status);
  return result.status === 'fail' || result.status === 'error' ? `**${text}**` : text;
}

function schoolReport(
  lang: Lang,
  school: SchoolResult,
  catalogue: Catalogue,
  level: number,
  titled: boolean,
): string[] {
  const out: string[] = [];
  const col = (key: TextKey) => s(lang, key);
  const items = itemById(school);
  const info = (id: string): ItemInfo | undefined => catalogue.items[id];
  const title = (id: string) => mdCell(itemTitle(lang, catalogue, id));
  const p = school.school;
  const sep = lang === 'zh' ? '：' : ': ';

  if (titled) out.push(...heading(level, `${mdText(p.name)} ${s(lang, 'reportTitle')}`));

  out.push(...heading(level + 1, s(lang, 'schoolProfile')));
  const profileRows: [TextKey, string][] = [
    ['schoolId', mdText(p.id)],
    ['schoolName', mdText(p.name)],
    ['district', mdText(p.district)],
    ['schoolType', label(lang, 'schoolType', p.type)],
    ['boarding', yesNo(lang, p.boarding)],
    ['canteen', yesNo(lang, p.canteen)],
    ['students', String(p.students)],
  ];
  if (p.boarders !== undefined) profileRows.push(['boarders', String(p.boarders)]);
  profileRows.push(['staff', String(p.staff)]);
  out.push(
    ...table(
      [col('field'), col('value')],
      profileRows.map(([k, v]) => [col(k), v]),
    ),
  );

  out.push(...heading(level + 1, s(lang, 'auditInfo')));
  const a = school.audit;
  const auditors = (a.auditors ?? []).map((x) => auditorText(lang, x)).join(lang === 'zh' ? '、' : '; ');
  const profileTitle = local(lang, catalogue.profile.title);
  const profileFacts = [mdCode(school.profileId)];
  if (catalogue.profile.version)
    profileFacts.push(`${s(lang, 'version')} ${mdText(catalogue.profile.version)}`);
  const profileText = profileTitle
    ? lang === 'zh'
      ? `${mdText(profileTitle)}（${profileFacts.join('，')}）`
      : `${mdText(profileTitle)} (${profileFacts.join(', ')})`
    : profileFacts.join(' ');
  const auditRows: [TextKey, string][] = [
    ['file', mdText(school.file)],
    ['auditDate', mdText(a.date)],
    ['level', label(lang, 'level', a.level)],
    ['auditors', auditors ? mdCell(auditors) : s(lang, 'notStated')],
    ['profile', profileText],
    ['checklists', checklistsCell(lang, school, catalogue)],
  ];
  if (a.note) auditRows.push(['note', mdCell(a.note)]);
  out.push(
    ...table(
      [col('field'), col('value')],
      auditRows.map(([k, v]) => [col(k), v]),
    ),
  );

  out.push(...heading(level + 1, s(lang, 'verdict')));
  out.push(`**${label(lang, 'verdict', school.verdict)}**`, '');
  if (school.decidedBy.length === 0) {
    out.push(s(lang, 'noDecidingItems'), '');
  } else {
    out.push(s(lang, 'decidedBy'), '');
    for (const d of school.decidedBy) {
      const text = decisionText(lang, d, school, catalogue);
      const name = itemTitle(lang, catalogue, d.id);
      // Threshold reasons already open with the item's title; do not say it twice.
      const sentence = d.kind === 'score' || text.startsWith(name) ? text : `${name}${sep}${text}`;
      out.push(`- ${mdCode(d.id)} ${mdText(sentence)}`);
    }
    out.push('');
  }

  out.push(...heading(level + 1, s(lang, 'gates')));
  const gates = school.items.filter((r) => info(r.id)?.severity === 'gate');
  if (gates.length === 0) out.push(s(lang, 'noGates'), '');
  else
    out.push(
      ...table(
        [col('colId'), col('colItem'), col('colStatus'), col('colReason')],
        gates.map((r) => [mdCode(r.id), title(r.id), statusCell(lang, r), reasonCell(lang, r, info(r.id), catalogue)]),
      ),
    );

  out.push(...heading(level + 1, s(lang, 'itemsTitle')));
  for (const cl of applicableChecklists(school, catalogue)) {
    out.push(...heading(level + 2, checklistName(lang, cl)));
    for (const section of cl.sections) {
      const rows = section.items.flatMap((id) => {
        const r = items.get(id);
        const i = info(id);
        if (!r) return [];
        return [
          [
            mdCode(id),
            title(id),
            i ? label(lang, 'method', i.method) : '',
            i ? label(lang, 'severity', i.severity) : '',
            statusCell(lang, r),
            reasonCell(lang, r, i, catalogue),
          ],
        ];
      });
      if (rows.length === 0) continue;
      out.push(...heading(level + 3, mdText(local(lang, section.title))));
      out.push(
        ...table(
          [
            col('colId'),
            col('colItem'),
            col('colMethod'),
            col('colSeverity'),
            col('colStatus'),
            col('colReason'),
          ],
          rows,
        ),
      );
    }
  }

  out.push(...heading(level + 1, s(lang, 'scores')));
  const titles = new Map(catalogue.checklists.map((cl) => [cl.id, local(lang, cl.title)]));
  out.push(
    ...table(
      [
        col('colChecklist'),
        col('colVersion'),
        col('colScore'),
        col('colPercent'),
        col('colPassMark'),
        col('colVerdict'),
      ],
      applicableScores(school, catalogue).map((sc) => [
        `${mdCell(titles.get(sc.id) ?? sc.id)} ${mdCode(sc.id)}`,
        mdCell(sc.version),
        `${sc.score} / ${sc.possible}`,
        sc.percent === null ? '—' : `${sc.percent}%`,
        sc.passMark === null ? '—' : `${sc.passMark}%`,
        sc.passMark === null || sc.percent === null
          ? '—'
          : sc.belowPassMark
            ? `**${s(lang, 'belowPassMark')}**`
            : s(lang, 'atOrAbovePassMark'),
      ]),
    ),
  );

  out.push(...heading(level + 1, s(lang, 'rectification')));
  // Gate items first, then critical, …: the order a school should fix them in.
  const failed = rectificationItems(school, catalogue);
  const days = numericParameter(catalogue, RECTIFICATION_DAYS);
  if (failed.length === 0) out.push(s(lang, 'noRectification'), '');
  else {
    if (days !== undefined) out.push(sf(lang, 'deadlineNote', { days }), '');
    out.push(
      ...table(
        // The id and the severity sit under the item's title, as in the HTML report: a
        // column of monospace ids squeezed the deadline and the responsible person into a
        // character a line when printed. The widths are for pandoc (a whole date, a name
        // with its role, 郝建平（总务主任）, and room to write one in by hand).
        [col('colNo'), col('colItem'), col('colProblem'), col('colRemediation'), col('colDeadline'), col('colResponsible')],
        failed.map((r, n) => {
          const i = info(r.id);
          return [
            String(n + 1),
            `${title(r.id)}<br>${mdCode(r.id)}${i ? ` · ${label(lang, 'severity', i.severity)}` : ''}`,
            reasonCell(lang, r, i, catalogue),
            i ? mdCell(local(lang, i.remediation)) : '',
            r.deadline ?? '—',
            r.answer?.responsible ? mdCell(r.answer.responsible) : '—',
          ];
        }),
        [4, 20, 20, 22, 14, 20],
      ),
    );
  }
  const assumed = assumedItems(school, catalogue, info);
  if (assumed.length > 0) {
    out.push(`**${assumptionText(lang, 'title')}**`, '', mdText(assumptionText(lang, 'intro')), '');
    for (const a of assumed) out.push(`- ${mdCode(a.id)}${a.own ? '' : ` ${mdCode(a.name)}`}${sep}${mdText(local(lang, a.text))}`);
    out.push('');
  }
  const pending = school.items.filter((r) => r.status === 'unanswered' || r.status === 'error');
  if (pending.length > 0) {
    out.push(`**${s(lang, 'pendingTitle')}**`, '');
    for (const r of pending) {
      out.push(
        `- ${mdCode(r.id)} ${mdText(itemTitle(lang, catalogue, r.id))}${sep}${mdText(explain(lang, r, catalogue))}`,
      );
    }
    out.push('');
  }

  const waivers = waivedItems(school);
  if (waivers.length > 0) {
    out.push(...heading(level + 1, s(lang, 'waiversTitle')));
    out.push(
      ...table(
        [
          col('colId'),
          col('colItem'),
          col('colWaiverReason'),
          col('colApprovedBy'),
          col('colApprovedOn'),
          col('colExpires'),
          col('colWaiverState'),
        ],
        waivers.map((r) => {
          const w = r.waiver as NonNullable<ItemResult['waiver']>;
          return [
            mdCode(r.id),
            title(r.id),
            mdCell(w.reason),
            mdCell(w.approvedBy),
            mdCell(w.approvedOn),
            mdCell(w.expires),
            w.expired ? `**${s(lang, 'waiverExpired')}**` : s(lang, 'waiverInForce'),
          ];
        }),
      ),
    );
  }

  out.push(...heading(level + 1, s(lang, 'signOff')));
  out.push(mdText(sf(lang, 'signOffIntro', { level: label(lang, 'level', a.level), date: a.date })), '');
  // Lines to sign by hand on the printed report: each auditor named, then the school head.
  for (const line of signOffLines(lang, 'inspector', a.auditors, p.principal, mdText)) out.push(line, '');
  return out;
}

function summary(lang: Lang, schools: AuditRun['schools'], failedFiles: number): string[] {
  const col = (key: TextKey) => s(lang, key);
  const out: string[] = [];
  out.push(...heading(2, s(lang, 'summary')));
  out.push(
    ...table(
      [
        col('school'),
        col('district'),
        col('schoolType'),
        col('colVerdict'),
        col('colFails'),
        col('colUnanswered'),
        col('file'),
      ],
      schools.map(({ result: r }) => [
        mdText(r.school.name),
        mdText(r.school.district),
        label(lang, 'schoolType', r.school.type),
        r.verdict === 'READY'
          ? label(lang, 'verdict', r.verdict)
          : `**${label(lang, 'verdict', r.verdict)}**`,
        String(r.counts.fail),
        String(r.counts.unanswered),
        mdText(r.file),
      ]),
    ),
  );
  out.push(...heading(3, s(lang, 'totals')));
  const rows = VERDICTS.map((v) => [
    label(lang, 'verdict', v),
    String(schools.filter((x) => x.result.verdict === v).length),
  ]);
  rows.push([s(lang, 'total'), String(schools.length)]);
  rows.push([s(lang, 'failedFilesCount'), String(failedFiles)]);
  out.push(...table([col('colVerdict'), col('schoolsCount')], rows));
  return out;
}

export function renderMarkdown(run: AuditRun, ctx: ReportContext): string {
  const lang = ctx.lang;
  const schools = orderedSchools(run);
  const failures = orderedFailures(run);
  const out: string[] = [];
  // --failures-only and --summary-only thin the per-school sections; the summary keeps everyone.
  const detail = ctx.detail ?? 'all';
  const shown = schools
    .filter(({ result }) => detail === 'all' || (detail === 'failures' && result.verdict !== 'READY'))
    .map(({ result, catalogueKey }) => ({
      catalogueKey,
      result:
        detail === 'failures'
          ? {
              ...result,
              items: result.items.filter((i) => i.status !== 'pass' && i.status !== 'not_applicable'),
            }
          : result,
    }));
  const { coverage } = run as CoveredRun;
  const single = !coverage && schools.length === 1 && failures.length === 0 && shown.length === 1;
  const only = shown[0];

  if (single && only) {
    out.push(...schoolReport(lang, only.result, catalogueOf(run, only.catalogueKey), 1, true));
  } else {
    out.push(...heading(1, s(lang, 'summaryTitle')));
    out.push(...summary(lang, schools, failures.length));
    if (coverage) append(out, coverageSection(lang, coverage));
    for (const { result, catalogueKey } of shown) {
      out.push('---', '');
      out.push(...schoolReport(lang, result, catalogueOf(run, catalogueKey), 2, true));
    }
    append(out, failedFilesSection(lang, failures));
  }

  return finish(out, ctx);
}

/** One school's own report, as `--out-dir` writes it beside the others. */
export function renderSchoolMarkdown(entry: SchoolEntry, ctx: ReportContext): string {
  return renderMarkdown(
    {
      catalogues: { [entry.catalogueKey]: entry.catalogue },
      schools: [{ result: entry.result, catalogueKey: entry.catalogueKey }],
      failures: [],
    },
    ctx,
  );
}
