/**
 * The HTML report: one self-contained page to read on screen, print on A4, sign and hand
 * over — the same document the `pdf` format prints. Inline CSS only: no script, no font,
 * image or style sheet from anywhere else. One school gets its report; a batch gets the
 * district summary (with its charts) first, then a report per school, each starting on a
 * new page, then the files that could not be audited.
 *
 * Written school by school: the summary that opens a batch is the stream's `head`, so a
 * national batch never holds more than one school's result. Every piece of input text goes
 * through `htmlText`, so no tag, attribute or link can start in a name or a note.
 */
import { RECTIFICATION_DAYS } from '../model/result.js';
import type { AuditRun, Catalogue, ChecklistInfo, ItemInfo, ItemResult, ItemStatus, SchoolResult, Verdict } from '../model/result.js';
import { explain, label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { htmlLines, htmlText as h } from './escape.js';
import { assumedItems, assumptionText, restsOnAssumption } from './assumption.js';
import {
  applicableChecklists,
  auditorText,
  decisionText,
  formatProblem,
  formulaText,
  itemById,
  itemTitle,
  numericParameter,
  orderedFailures,
  rectificationItems,
  s,
  sf,
  shownNote,
  signOffEntries,
  valueText,
  waivedItems,
  type TextKey,
} from './shared.js';
import { allGroup, byDistrict, byType, dw, mostFailed, percent, TOP_ITEMS, VERDICTS, type Group } from './district.js';
import { renderAll, type RunSummary, type SchoolEntry, type SchoolRow, type StreamReporter } from './stream.js';
import { barChart, stackedBarChart, type Series } from './svg.js';

const WORDS = {
  answer: { zh: '答案', en: 'Answer' },
  requirement: { zh: '要求与判定', en: 'Requirement and finding' },
  noteEvidence: { zh: '备注与佐证材料', en: 'Note and evidence' },
  parameters: { zh: '调整的参数', en: 'Parameters overridden' },
  origin_profile: { zh: '配置方案', en: 'profile' },
  origin_cli: { zh: '命令行', en: 'command line' },
  page: { zh: '第 {page} 页 / 共 {pages} 页', en: 'Page {page} of {pages}' },
  chartDistricts: { zh: '各区县核验结论', en: 'Verdicts by district' },
  chartTop: { zh: '不符合学校数最多的核验项', en: 'Items failed by the most schools' },
  report: { zh: '报告', en: 'Report' },
  signName: { zh: '姓名', en: 'Name' },
  role: { zh: '身份', en: 'Role' },
} satisfies Record<string, { zh: string; en: string }>;

type Word = keyof typeof WORDS;

function w(lang: Lang, word: Word): string {
  return WORDS[word][lang];
}

/** The colours and patterns of the verdicts, in the banner, the tables and the charts. */
const VERDICT_LOOK: Record<Verdict, { color: string; pattern: Series['pattern']; mark: string }> = {
  READY: { color: '#2e7d32', pattern: 'solid', mark: '✓' },
  NOT_READY: { color: '#c62828', pattern: 'hatch', mark: '✗' },
  INCOMPLETE: { color: '#e0a100', pattern: 'dots', mark: '?' },
};

/** A mark beside each status, so a black-and-white print still reads at a glance. */
const STATUS_MARK: Record<ItemStatus, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  unanswered: '?',
  waived: '≈',
  not_applicable: '—',
};

const FONTS = `"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "SimSun", "Noto Sans", "DejaVu Sans", sans-serif`;

function css(lang: Lang): string {
  const page = WORDS.page[lang].replace('{page}', '" counter(page) "').replace('{pages}', '" counter(pages) "');
  return `
@page { size: A4; margin: 16mm 15mm 18mm 15mm; @bottom-center { content: "${page}"; font-family: ${FONTS}; font-size: 8pt; color: #333; } }
* { box-sizing: border-box; }
html { font-family: ${FONTS}; font-size: 10pt; line-height: 1.45; color: #000; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 17pt; margin: 0 0 3mm; text-align: center; letter-spacing: 0.05em; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #000; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
h4 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.subtitle { text-align: center; margin: 0 0 4mm; color: #222; }
section.school, section.summary, section.failures { break-before: page; page: school; }
section.summary { page: summary; }
body > section:first-of-type { break-before: auto; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 3mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #555; padding: 1mm 1.4mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: normal; }
th { background: #e8e8e8; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.id { display: block; font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace; font-size: 7pt; color: #333; overflow-wrap: anywhere; }
.meta { display: block; font-size: 7.5pt; color: #333; }
code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace; font-size: 8pt; overflow-wrap: anywhere; }
.formula { display: block; margin-top: 0.8mm; font-size: 8pt; color: #222; }
.assumption { display: block; margin-top: 0.8mm; font-size: 8pt; font-style: italic; }
table.facts th { width: 17%; }
table.facts td { width: 33%; }
.banner { border: 2.5pt solid #000; padding: 3mm 4mm; margin: 2mm 0 4mm; break-inside: avoid; }
.banner .verdict { font-size: 16pt; font-weight: bold; }
.banner .mark { display: inline-block; width: 9mm; height: 9mm; line-height: 8.4mm; text-align: center; border: 1.5pt solid #000; border-radius: 50%; margin-right: 3mm; font-size: 14pt; background: #fff; }
.banner.READY { background: #e8f5e9; border-style: solid; }
.banner.NOT_READY { background: #fdecea; border-style: double; border-width: 5pt; }
.banner.INCOMPLETE { background: #fff8e1; border-style: dashed; }
.banner ul { margin: 1.5mm 0 0; padding-left: 6mm; }
.banner li { margin: 0.6mm 0; }
.status { white-space: nowrap; }
.status.s-fail, .status.s-error { font-weight: bold; }
.evidence { display: block; font-size: 7.5pt; color: #333; margin-top: 0.6mm; overflow-wrap: anywhere; }
.evidence::before { content: "▸ "; }
h3 .meta { display: inline; font-weight: normal; }
h3 + h4.first { margin-top: 1mm; break-before: avoid; }
.s-fail .st, .s-error .st { border: 1.2pt solid #000; padding: 0 0.8mm; background: #fdecea; }
.s-unanswered .st { border: 1pt dashed #000; padding: 0 0.8mm; background: #fff8e1; }
.s-not_applicable { color: #555; }
tr.s-fail td, tr.s-error td { background: #fff5f4; }
.v-READY, .v-NOT_READY, .v-INCOMPLETE { font-weight: bold; white-space: nowrap; }
.v-NOT_READY { text-decoration: underline; }
.v-INCOMPLETE { font-style: italic; }
tr.total td { font-weight: bold; border-top: 1.4pt solid #000; }
.chart { display: block; width: 100%; height: auto; margin: 2mm 0 4mm; break-inside: avoid; }
.totals { display: flex; gap: 3mm; margin: 2mm 0 4mm; break-inside: avoid; }
.totals div { flex: 1; border: 1.2pt solid #000; padding: 2mm; text-align: center; }
.totals b { display: block; font-size: 18pt; }
.totals .READY { border-style: solid; background: #e8f5e9; }
.totals .NOT_READY { border-style: double; border-width: 3.5pt; background: #fdecea; }
.totals .INCOMPLETE { border-style: dashed; background: #fff8e1; }
.signoff { break-inside: avoid; page-break-inside: avoid; margin-top: 4mm; }
.signoff table td { height: 13mm; vertical-align: bottom; }
.signoff table th { background: #fff; }
.blank { display: block; border-bottom: 0.8pt solid #000; height: 6mm; }
.note { font-size: 8.5pt; color: #222; }
footer { margin-top: 6mm; font-size: 8pt; color: #444; text-align: center; }
ul.problems { font-size: 9pt; }
`;
}

function colgroup(widths: number[]): string {
  return `<colgroup>${widths.map((x) => `<col style="width:${x}%">`).join('')}</colgroup>`;
}

/** A table: header cells (already escaped) with their widths in %, rows of escaped cells. */
function table(head: string[], widths: number[], rows: string[][], opts: { cls?: string; numeric?: number[]; rowClass?: (i: number) => string | undefined } = {}): string {
  const num = new Set(opts.numeric ?? []);
  const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${num.has(i) ? ' class="num"' : ''}>${text}</${tag}>`;
  const body = rows
    .map((row, r) => {
      const cls = opts.rowClass?.(r);
      return `<tr${cls ? ` class="${cls}"` : ''}>${row.map((c, i) => cell('td', c, i)).join('')}</tr>`;
    })
    .join('');
  return `<table${opts.cls ? ` class="${opts.cls}"` : ''}>${colgroup(widths)}<thead><tr>${head.map((c, i) => cell('th', c, i)).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function statusCell(lang: Lang, status: ItemStatus): string {
  return `<span class="status s-${status}"><span class="st">${STATUS_MARK[status]} ${label(lang, 'status', status)}</span></span>`;
}

function verdictText(lang: Lang, verdict: Verdict): string {
  return `<span class="v-${verdict}">${VERDICT_LOOK[verdict].mark} ${label(lang, 'verdict', verdict)}</span>`;
}

/** The item's title with its id under it (and, where given, method and severity). */
function itemCell(lang: Lang, catalogue: Catalogue, id: string, extra?: string): string {
  return `${h(itemTitle(lang, catalogue, id))}<span class="id">${idText(id)}</span>${extra ? `<span class="meta">${extra}</span>` : ''}`;
}

/** An id or a path, which may break after its dots, slashes and hyphens (and only where one part is too long, anywhere). */
function idText(text: string): string {
  return h(text).replace(/([./\\-])/g, '$1<wbr>');
}

function code(text: string): string {
  return `<code>${h(text)}</code>`;
}

/** The requirement and what was found: the explained result and, for a computed threshold, its formula and numbers. */
function findingCell(lang: Lang, r: ItemResult, info: ItemInfo | undefined, catalogue: Catalogue): string {
  const parts = [htmlLines(explain(lang, r, info))];
  if (restsOnAssumption(catalogue, info, r)) parts.push(`<span class="assumption">${h(assumptionText(lang, 'marker'))}</span>`);
  if (r.computation) parts.push(`<span class="formula">${formulaText(lang, r.computation, code)}</span>`);
  return parts.join('');
}

function answerCell(lang: Lang, r: ItemResult, info: ItemInfo | undefined): string {
  const value = r.answer?.value;
  if (value === undefined || value === null) return '';
  const option = typeof value === 'string' ? info?.options?.find((o) => o.value === value) : undefined;
  const text = option ? local(lang, option.label) : valueText(lang, value);
  const unit = typeof value === 'number' && info?.unit ? ` ${local(lang, info.unit)}` : '';
  return htmlLines(`${text}${unit}`);
}

/** The note, then each piece of evidence on a line of its own. */
function noteCell(r: ItemResult): string {
  const note = htmlLines(shownNote(r) ?? '');
  const evidence = (r.answer?.evidence ?? []).map((e) => `<span class="evidence">${idText(e)}</span>`).join('');
  return `${note}${evidence}`;
}

function checklistName(lang: Lang, cl: ChecklistInfo): string {
  return `${h(local(lang, cl.title))} <span class="meta">${idText(cl.id)} · ${s(lang, 'version')} ${h(cl.version)}</span>`;
}

function yesNo(lang: Lang, value: boolean | undefined): string {
  return value === undefined ? s(lang, 'notStated') : label(lang, 'yesNo', String(value));
}

/** Field/value pairs, two to a row; `wide` rows span the table for values too long to share one. */
function facts(lang: Lang, pairs: [TextKey, string][], wide: [string, string][] = []): string {
  const rows: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const [a, b] = [pairs[i], pairs[i + 1]];
    rows.push(`<tr><th>${a ? s(lang, a[0]) : ''}</th><td>${a?.[1] ?? ''}</td><th>${b ? s(lang, b[0]) : ''}</th><td>${b?.[1] ?? ''}</td></tr>`);
  }
  for (const [k, v] of wide) rows.push(`<tr><th>${k}</th><td colspan="3">${v}</td></tr>`);
  return `<table class="facts">${colgroup([17, 33, 17, 33])}<tbody>${rows.join('')}</tbody></table>`;
}

function schoolSection(lang: Lang, school: SchoolResult, catalogue: Catalogue): string {
  const out: string[] = [];
  const p = school.school;
  const a = school.audit;
  const items = itemById(school);
  const info = (id: string): ItemInfo | undefined => catalogue.items[id];
  const sep = lang === 'zh' ? '：' : ': ';
  const checklists = applicableChecklists(school, catalogue);

  out.push(`<section class="school">`);
  out.push(`<h1>${h(p.name)}<br>${s(lang, 'reportTitle')}</h1>`);
  out.push(`<p class="subtitle">${label(lang, 'level', a.level)} · ${s(lang, 'auditDate')} ${h(a.date)} · ${s(lang, 'schoolId')} ${h(p.id)}</p>`);

  // The verdict first: what the reader came for, and the items that decided it.
  out.push(`<div class="banner ${school.verdict}"><div class="verdict"><span class="mark">${VERDICT_LOOK[school.verdict].mark}</span>${s(lang, 'verdict')}${sep}${label(lang, 'verdict', school.verdict)}</div>`);
  if (school.decidedBy.length === 0) out.push(`<p>${s(lang, 'noDecidingItems')}</p>`);
  else {
    out.push(`<p>${s(lang, 'decidedBy')}</p><ul>`);
    for (const d of school.decidedBy) {
      const text = decisionText(lang, d, school, catalogue);
      const name = itemTitle(lang, catalogue, d.id);
      const sentence = d.kind === 'score' || text.startsWith(name) ? text : `${name}${sep}${text}`;
      out.push(`<li>${h(sentence)} <span class="id">${idText(d.id)}</span></li>`);
    }
    out.push('</ul>');
  }
  out.push('</div>');

  out.push(`<h2>${s(lang, 'schoolProfile')}</h2>`);
  const profile: [TextKey, string][] = [
    ['schoolName', h(p.name)],
    ['schoolId', h(p.id)],
    ['district', h(p.district)],
    ['schoolType', label(lang, 'schoolType', p.type)],
    ['boarding', yesNo(lang, p.boarding)],
    ['canteen', yesNo(lang, p.canteen)],
    ['students', String(p.students)],
    ['staff', String(p.staff)],
  ];
  if (p.boarders !== undefined) profile.push(['boarders', String(p.boarders)]);
  out.push(facts(lang, profile));

  out.push(`<h2>${s(lang, 'auditInfo')}</h2>`);
  const auditors = (a.auditors ?? []).map((x) => h(auditorText(lang, x))).join('<br>');
  const profileFacts = [h(school.profileId), catalogue.profile.version ? `${s(lang, 'version')} ${h(catalogue.profile.version)}` : ''].filter(Boolean).join(' · ');
  const overridden = catalogue.parameters.filter((x) => x.origin !== 'default');
  const wide: [string, string][] = [
    [s(lang, 'auditors'), auditors || s(lang, 'notStated')],
    [s(lang, 'profile'), `${h(local(lang, catalogue.profile.title))} <span class="meta">${profileFacts}</span>`],
    [s(lang, 'checklists'), checklists.map((cl) => checklistName(lang, cl)).join('<br>')],
  ];
  if (overridden.length > 0)
    wide.push([
      w(lang, 'parameters'),
      overridden
        .map((x) => `${code(`${x.name} = ${valueText(lang, x.value)}`)}${x.unit ? ` ${h(local(lang, x.unit))}` : ''}（${w(lang, x.origin === 'cli' ? 'origin_cli' : 'origin_profile')}）`)
        .join('<br>'),
    ]);
  wide.push([s(lang, 'file'), `<span class="id">${idText(school.file)}</span>`]);
  if (a.note) wide.push([s(lang, 'note'), htmlLines(a.note)]);
  out.push(facts(lang, [['auditDate', h(a.date)], ['level', label(lang, 'level', a.level)]], wide));

  out.push(`<h2>${s(lang, 'gates')}</h2>`);
  const gates = school.items.filter((r) => info(r.id)?.severity === 'gate');
  if (gates.length === 0) out.push(`<p>${s(lang, 'noGates')}</p>`);
  else
    out.push(
      table(
        [s(lang, 'colStatus'), s(lang, 'colItem'), w(lang, 'requirement'), w(lang, 'noteEvidence')],
        [13, 32, 33, 22],
        gates.map((r) => [statusCell(lang, r.status), itemCell(lang, catalogue, r.id), findingCell(lang, r, info(r.id), catalogue), noteCell(r)]),
        { rowClass: (i) => `s-${gates[i]?.status ?? ''}` },
      ),
    );

  out.push(`<h2>${s(lang, 'itemsTitle')}</h2>`);
  for (const cl of checklists) {
    out.push(`<h3>${checklistName(lang, cl)}</h3>`);
    for (const [n, section] of cl.sections.entries()) {
      const rows = section.items.flatMap((id) => {
        const r = items.get(id);
        return r ? [r] : [];
      });
      if (rows.length === 0) continue;
      out.push(`<h4${n === 0 ? ' class="first"' : ''}>${h(local(lang, section.title))}</h4>`);
      out.push(
        table(
          [s(lang, 'colStatus'), s(lang, 'colItem'), w(lang, 'answer'), w(lang, 'requirement'), w(lang, 'noteEvidence')],
          [12, 27, 12, 28, 21],
          rows.map((r) => {
            const i = info(r.id);
            const meta = i ? `${label(lang, 'method', i.method)} · ${label(lang, 'severity', i.severity)}` : undefined;
            return [statusCell(lang, r.status), itemCell(lang, catalogue, r.id, meta), answerCell(lang, r, i), findingCell(lang, r, i, catalogue), noteCell(r)];
          }),
          { rowClass: (n) => `s-${rows[n]?.status ?? ''}` },
        ),
      );
    }
  }

  out.push(`<h2>${s(lang, 'scores')}</h2>`);
  const shown = new Set(checklists.map((cl) => cl.id));
  const titles = new Map(catalogue.checklists.map((cl) => [cl.id, local(lang, cl.title)]));
  out.push(
    table(
      [s(lang, 'colChecklist'), s(lang, 'colScore'), s(lang, 'colPercent'), s(lang, 'colPassMark'), s(lang, 'colVerdict')],
      [40, 15, 13, 13, 19],
      school.scores
        .filter((sc) => shown.has(sc.id))
        .map((sc) => [
          `${h(titles.get(sc.id) ?? sc.id)}<span class="id">${h(sc.id)} · ${h(sc.version)}</span>`,
          `${sc.score} / ${sc.possible}`,
          sc.percent === null ? '—' : `${sc.percent}%`,
          sc.passMark === null ? '—' : `${sc.passMark}%`,
          sc.passMark === null || sc.percent === null ? '—' : sc.belowPassMark ? `<b>✗ ${s(lang, 'belowPassMark')}</b>` : `✓ ${s(lang, 'atOrAbovePassMark')}`,
        ]),
      { numeric: [1, 2, 3] },
    ),
  );

  out.push(`<h2>${s(lang, 'rectification')}</h2>`);
  const failed = rectificationItems(school, catalogue);
  const days = numericParameter(catalogue, RECTIFICATION_DAYS);
  if (failed.length === 0) out.push(`<p>${s(lang, 'noRectification')}</p>`);
  else {
    if (days !== undefined) out.push(`<p class="note">${h(sf(lang, 'deadlineNote', { days }).replace(/`/g, ''))}</p>`);
    out.push(
      table(
        [s(lang, 'colNo'), s(lang, 'colItem'), s(lang, 'colProblem'), s(lang, 'colRemediation'), s(lang, 'colDeadline'), s(lang, 'colResponsible')],
        [6, 22, 24, 22, 12, 14],
        failed.map((r, n) => {
          const i = info(r.id);
          const note = shownNote(r);
          return [
            String(n + 1),
            itemCell(lang, catalogue, r.id, i ? label(lang, 'severity', i.severity) : undefined),
            `${findingCell(lang, r, i, catalogue)}${note ? `<span class="formula">${s(lang, 'note')}${sep}${htmlLines(note)}</span>` : ''}`,
            i ? htmlLines(local(lang, i.remediation)) : '',
            h(r.deadline ?? ''),
            r.answer?.responsible ? htmlLines(r.answer.responsible) : '',
          ];
        }),
        { numeric: [0] },
      ),
    );
  }
  const assumed = assumedItems(school, catalogue, info);
  if (assumed.length > 0) {
    out.push(`<h3>${h(assumptionText(lang, 'title'))}</h3>`, `<p class="note">${h(assumptionText(lang, 'intro'))}</p>`);
    out.push(
      table(
        [s(lang, 'colItem'), s(lang, 'colReason')],
        [40, 60],
        assumed.map((a) => [itemCell(lang, catalogue, a.id, a.own ? undefined : h(a.name)), htmlLines(local(lang, a.text))]),
      ),
    );
  }
  const pending = school.items.filter((r) => r.status === 'unanswered' || r.status === 'error');
  if (pending.length > 0) {
    out.push(`<h3>${s(lang, 'pendingTitle')}</h3>`);
    out.push(
      table(
        [s(lang, 'colStatus'), s(lang, 'colItem'), s(lang, 'colReason')],
        [13, 40, 47],
        pending.map((r) => [statusCell(lang, r.status), itemCell(lang, catalogue, r.id), htmlLines(explain(lang, r, info(r.id)))]),
      ),
    );
  }

  const waivers = waivedItems(school);
  if (waivers.length > 0) {
    out.push(`<h2>${s(lang, 'waiversTitle')}</h2>`);
    out.push(
      table(
        [s(lang, 'colItem'), s(lang, 'colWaiverReason'), s(lang, 'colApprovedBy'), s(lang, 'colApprovedOn'), s(lang, 'colExpires'), s(lang, 'colWaiverState')],
        [24, 26, 14, 11, 11, 14],
        waivers.map((r) => {
          const wv = r.waiver as NonNullable<ItemResult['waiver']>;
          return [itemCell(lang, catalogue, r.id), htmlLines(wv.reason), htmlLines(wv.approvedBy), h(wv.approvedOn), h(wv.expires), wv.expired ? `<b>✗ ${s(lang, 'waiverExpired')}</b>` : s(lang, 'waiverInForce')];
        }),
      ),
    );
  }

  out.push(`<div class="signoff"><h2>${s(lang, 'signOff')}</h2>`);
  out.push(`<p>${h(sf(lang, 'signOffIntro', { level: label(lang, 'level', a.level), date: a.date }))}</p>`);
  const entries = signOffEntries(lang, 'inspector', a.auditors, p.principal);
  out.push(
    table(
      [w(lang, 'role'), w(lang, 'signName'), s(lang, 'signature'), s(lang, 'date')],
      [18, 34, 28, 20],
      entries.map((e) => [h(e.role), e.name === undefined ? '<span class="blank"></span>' : h(e.name), '<span class="blank"></span>', '<span class="blank"></span>']),
    ),
  );
  out.push('</div></section>');
  return out.join('\n');
}

function groupTable(lang: Lang, first: string, groups: Group[], total: Group): string {
  return table(
    [first, s(lang, 'schoolsCount'), ...VERDICTS.map((v) => label(lang, 'verdict', v)), dw(lang, 'readyPercent')],
    [28, 12, 15, 15, 15, 15],
    [...groups, total].map((g) => [h(g.name), String(g.schools), ...VERDICTS.map((v) => String(g.verdicts[v])), percent(g.verdicts.READY, g.schools)]),
    { numeric: [1, 2, 3, 4, 5], rowClass: (i) => (i === groups.length ? 'total' : undefined) },
  );
}

/**
 * The district summary: totals, the two charts, the tables by district and by school
 * type, the items failed most often, and every school. `link` turns a school file into
 * the address of its own report (the index of `--out-dir`).
 */
function summarySection(lang: Lang, summary: RunSummary, link?: (file: string) => string): string {
  const rows = summary.rows;
  const failures = summary.failures.length;
  const out: string[] = ['<section class="summary">'];
  out.push(`<h1>${s(lang, 'summaryTitle')}</h1>`);
  out.push(`<p class="subtitle">${h(dw(lang, 'intro', { schools: rows.length, failed: failures }))}</p>`);
  const total = allGroup(lang, rows);
  out.push(
    `<div class="totals">${VERDICTS.map((v) => `<div class="${v}">${VERDICT_LOOK[v].mark} ${label(lang, 'verdict', v)}<b>${total.verdicts[v]}</b>${percent(total.verdicts[v], total.schools)}</div>`).join('')}<div>${s(lang, 'total')}<b>${total.schools}</b>${s(lang, 'failedFilesCount')} ${failures}</div></div>`,
  );

  const districts = byDistrict(rows);
  out.push(`<h2>${dw(lang, 'byDistrict')}</h2>`);
  if (districts.length > 0)
    out.push(
      stackedBarChart({
        id: 'districts',
        title: w(lang, 'chartDistricts'),
        categories: districts.map((g) => g.name),
        series: VERDICTS.map((v) => ({ name: label(lang, 'verdict', v), values: districts.map((g) => g.verdicts[v]), ...VERDICT_LOOK[v] })),
      }),
    );
  out.push(groupTable(lang, s(lang, 'district'), districts, total));
  out.push(`<h2>${dw(lang, 'byType')}</h2>`, groupTable(lang, s(lang, 'schoolType'), byType(lang, rows), total));

  out.push(`<h2>${dw(lang, 'topFailed')}</h2>`);
  const top = mostFailed(rows, summary.catalogues);
  if (top.length === 0) out.push(`<p>${s(lang, 'noRectification')}</p>`);
  else {
    const titleOf = (t: (typeof top)[number]) => (t.info ? local(lang, t.info.title) : t.id);
    out.push(
      barChart({
        id: 'top',
        title: w(lang, 'chartTop'),
        labelWidth: 300,
        labels: top.map(titleOf),
        values: top.map((t) => t.failing),
        notes: top.map((t) => `${t.failing} / ${t.audited}`),
        color: VERDICT_LOOK.NOT_READY.color,
      }),
    );
    out.push(`<p class="note">${h(dw(lang, 'topFailedNote', { n: TOP_ITEMS }))}</p>`);
    out.push(
      table(
        [s(lang, 'colNo'), s(lang, 'colItem'), s(lang, 'colSeverity'), dw(lang, 'failingSchools'), dw(lang, 'auditedSchools'), dw(lang, 'percent')],
        [6, 46, 12, 12, 12, 12],
        top.map((t, i) => [String(i + 1), `${h(titleOf(t))}<span class="id">${h(t.id)}</span>`, t.info ? label(lang, 'severity', t.info.severity) : '', String(t.failing), String(t.audited), percent(t.failing, t.audited)]),
        { numeric: [0, 3, 4, 5] },
      ),
    );
  }

  const waived = rows.filter((r) => r.counts.waived > 0);
  if (waived.length > 0) {
    out.push(`<h2>${dw(lang, 'waivers')}</h2><p class="note">${h(dw(lang, 'waiversNote'))}</p>`);
    out.push(table([s(lang, 'school'), dw(lang, 'waivedItems'), s(lang, 'file')], [45, 15, 40], waived.map((r) => [h(r.name), String(r.counts.waived), `<span class="id">${h(r.file)}</span>`]), { numeric: [1] }));
  }

  out.push(`<h2>${dw(lang, 'allSchools')}</h2>`);
  if (rows.length === 0) out.push(`<p>${dw(lang, 'noSchools')}</p>`);
  else {
    const nameCell = (r: SchoolRow) => {
      const name = `${h(r.name)}<span class="id">${h(r.file)}</span>`;
      return link ? `<a href="${h(link(r.file))}">${name}</a>` : name;
    };
    out.push(
      table(
        [s(lang, 'school'), s(lang, 'district'), s(lang, 'schoolType'), s(lang, 'colVerdict'), s(lang, 'colFails'), s(lang, 'colUnanswered')],
        [38, 14, 14, 16, 9, 9],
        rows.map((r) => [nameCell(r), h(r.district), label(lang, 'schoolType', r.type), verdictText(lang, r.verdict), String(r.counts.fail), String(r.counts.unanswered)]),
        { numeric: [4, 5] },
      ),
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function failuresSection(lang: Lang, summary: RunSummary): string {
  const failures = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures });
  if (failures.length === 0) return '';
  const items = failures.map((f) => `<li><span class="id">${h(f.file)}</span><ul>${f.problems.map((p) => `<li>${h(formatProblem(lang, p))}</li>`).join('')}</ul></li>`);
  return `<section class="failures"><h2>${s(lang, 'failedFilesCount')}</h2><ul class="problems">${items.join('')}</ul></section>\n`;
}

/** A batch opens with the summary; one school alone (and nothing broken) is just its report. */
function isBatch(summary: RunSummary): boolean {
  return summary.rows.length !== 1 || summary.failures.length > 0;
}

function documentHead(lang: Lang, title: string): string {
  return `<!DOCTYPE html>\n<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n<title>${title}</title>\n<style>${css(lang)}</style>\n</head>\n<body>\n`;
}

function documentEnd(lang: Lang, summary: RunSummary, ctx: ReportContext): string {
  const tool = `${ctx.tool.name} ${ctx.tool.version}`;
  return `${isBatch(summary) ? failuresSection(lang, summary) : ''}<footer>${h(s(lang, 'generatedBy').replace('{tool}', tool))}</footer>\n</body>\n</html>\n`;
}

export const streamHtml: StreamReporter = {
  head(summary, ctx) {
    const lang = ctx.lang;
    const only = summary.rows[0];
    if (!isBatch(summary) && only) return documentHead(lang, `${h(only.name)} ${s(lang, 'reportTitle')}`);
    return `${documentHead(lang, s(lang, 'summaryTitle'))}${summarySection(lang, summary)}\n`;
  },
  begin() {
    return '';
  },
  school({ result, catalogue }, ctx) {
    return `${schoolSection(ctx.lang, result, catalogue)}\n`;
  },
  separator: '',
  needsRows: true,
  end(summary, ctx) {
    return documentEnd(ctx.lang, summary, ctx);
  },
};

export function renderHtml(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamHtml, run, ctx);
}

/** One school's own report, as `--out-dir` writes it beside the others. */
export function renderSchoolHtml(entry: SchoolEntry, ctx: ReportContext): string {
  return renderHtml({ catalogues: { [entry.catalogueKey]: entry.catalogue }, schools: [{ result: entry.result, catalogueKey: entry.catalogueKey }], failures: [] }, ctx);
}

/** `index.html` of `--out-dir`: the district summary, each school linked to its report. */
export function renderHtmlIndex(summary: RunSummary, ctx: ReportContext, pathOf: (file: string) => string): string {
  const link = (file: string) => pathOf(file).split(/[\\/]/).map(encodeURIComponent).join('/');
  return `${documentHead(ctx.lang, s(ctx.lang, 'summaryTitle'))}${summarySection(ctx.lang, summary, link)}\n${failuresSection(ctx.lang, summary)}<footer>${h(s(ctx.lang, 'generatedBy').replace('{tool}', `${ctx.tool.name} ${ctx.tool.version}`))}</footer>\n</body>\n</html>\n`;
}
