/**
 * Terminal report: a verdict line per school, the items that decided it, a table of what
 * failed or is still open, and for several schools a summary table with totals. Colour
 * only when the context allows it; widths measured for Chinese text.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { AuditRun, Catalogue, SchoolResult, Verdict } from '../model/result.js';
import { renderAll, type SchoolRow, type StreamReporter, type Tally } from './stream.js';
import { explain, label, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { terminalSafe } from './escape.js';
import { longestWord, shortenLeft, stringWidth, wrapHanging, wrapList, wrapText } from './wrap.js';
import { boxTable, boxWidth } from './box.js';
import { auditorNames, formatProblem, waiverLine } from './shared.js';
import type { Coverage, CoverageAudit } from '../model/coverage.js';
import { auditFacts, coverageIntro, cw, figureHeader, figureRows, missingSchools, stateLabel } from './coverage.js';

const TEXT = {
  decidedBy: { zh: '决定因素：', en: 'Decided by:' },
  openItems: { zh: '不符合及未核验的核验项', en: 'Failed and open items' },
  item: { zh: '核验项', en: 'Item' },
  severity: { zh: '等级', en: 'Severity' },
  status: { zh: '结果', en: 'Status' },
  reason: { zh: '说明', en: 'Reason' },
  school: { zh: '学校', en: 'School' },
  district: { zh: '区县', en: 'District' },
  verdict: { zh: '结论', en: 'Verdict' },
  fails: { zh: '不符合', en: 'Failed' },
  open: { zh: '未核验', en: 'Open' },
  score: { zh: '得分', en: 'Score' },
  belowPassMark: { zh: '低于合格线', en: 'below the pass mark' },
  summary: { zh: '汇总', en: 'Summary' },
  auditors: { zh: '检查人员', en: 'Auditors' },
  waivers: { zh: '豁免事项', en: 'Waivers' },
  deadline: { zh: '整改期限', en: 'fix by' },
} as const;

type Key = keyof typeof TEXT;
const txt = (lang: Lang, key: Key) => TEXT[key][lang];

const MARK: Record<Verdict, string> = { READY: '✔', NOT_READY: '✘', INCOMPLETE: '…' };

function paint(chalk: ChalkInstance, verdict: Verdict, text: string): string {
  if (verdict === 'READY') return chalk.green.bold(text);
  if (verdict === 'NOT_READY') return chalk.red.bold(text);
  return chalk.yellow.bold(text);
}

const safe = (s: string) => terminalSafe(s);

/** Item lists and tables sit three columns in, under the verdict line. */
const INDENT = 3;
const pad = ' '.repeat(INDENT);

function verdictLines(lang: Lang, chalk: ChalkInstance, r: SchoolResult, width: number): string[] {
  const verdict = `${MARK[r.verdict]} ${label(lang, 'verdict', r.verdict)}`;
  const prefix = `${verdict}  `;
  const school = wrapHanging(prefix, `${safe(r.school.name)} (${safe(r.school.id)})`, width, INDENT).map((line, i) =>
    i === 0 ? paint(chalk, r.verdict, verdict) + '  ' + chalk.bold(line.slice(prefix.length)) : pad + chalk.bold(line.slice(INDENT)),
  );
  const meta = [safe(r.school.district), label(lang, 'schoolType', r.school.type), r.audit.date, label(lang, 'level', r.audit.level)].join(' · ');
  return [...school, ...wrapHanging(pad, meta, width), pad + chalk.dim(shortenLeft(safe(r.file), width - INDENT))];
}

/** Text that may run long (a list entry, the scores) as lines under a prefix, wrapped with an indent. */
const hanging = (prefix: string, text: string, width: number, indent = INDENT + 2) => wrapHanging(prefix, text, width, indent);

interface OpenRow {
  title: string;
  id: string;
  severity: string;
  status: string;
  paintStatus: (text: string) => string;
  reason: string;
}

/**
 * Failed and open items as a table when the terminal is wide enough for every id and
 * every word of the reasons to stand whole (the id under the item's title), else as a list
 * that reads at any width.
 */
const longestIds = new WeakMap<Catalogue, number>();

/** The widest item id of a catalogue: what a column of ids needs, whichever school it is. */
function longestId(catalogue: Catalogue): number {
  let n = longestIds.get(catalogue);
  if (n === undefined) {
    n = Math.max(0, ...Object.keys(catalogue.items).map((id) => stringWidth(id)));
    longestIds.set(catalogue, n);
  }
  return n;
}

function openItems(lang: Lang, rows: OpenRow[], width: number, idWidth: number): string[] {
  const head = [txt(lang, 'item'), txt(lang, 'severity'), txt(lang, 'status'), txt(lang, 'reason')];
  const sevW = widest([head[1] as string, ...rows.map((r) => r.severity)]);
  const statusW = widest([head[2] as string, ...rows.map((r) => r.status)]);
  const room = width - INDENT - boxWidth([0, 0, 0, 0]) - sevW - statusW;
  // Decided by the catalogue's ids, not this school's, so every school of a run is laid out alike.
  const itemMin = Math.max(16, idWidth, ...rows.map((r) => Math.max(stringWidth(r.id), longestWord(r.title))));
  const reasonMin = Math.max(20, idWidth, ...rows.map((r) => longestWord(r.reason)));
  if (itemMin + reasonMin <= room) {
    const itemNatural = Math.max(itemMin, ...rows.map((r) => stringWidth(r.title)));
    const reasonNatural = Math.max(reasonMin, ...rows.map((r) => stringWidth(r.reason)));
    let itemW = Math.min(itemNatural, Math.max(itemMin, Math.floor(room * 0.4)));
    const reasonW = Math.min(reasonNatural, Math.max(reasonMin, room - itemW));
    itemW = Math.min(itemNatural, room - reasonW);
    const table = boxTable(
      head,
      rows.map((r) => [
        { lines: [...wrapText(r.title, itemW), r.id] },
        r.severity,
        { lines: [r.status], paint: r.paintStatus },
        { lines: wrapText(r.reason, reasonW) },
      ]),
      [itemW, sevW, statusW, reasonW],
    );
    return table.split('\n').map((line) => pad + line);
  }
  const sub = ' '.repeat(INDENT + 2);
  return rows.flatMap((r) => {
    const tag = `[${r.status} · ${r.severity}]`;
    const first = hanging(`${pad}· ${tag} `, r.title, width);
    first[0] = first[0]?.replace(tag, `[${r.paintStatus(r.status)} · ${r.severity}]`) ?? '';
    return [...first, ...hanging(sub, r.id, width), ...hanging(sub, r.reason, width)];
  });
}

function schoolBlock(lang: Lang, chalk: ChalkInstance, r: SchoolResult, catalogue: Catalogue, width: number): string {
  const lines = verdictLines(lang, chalk, r, width);
  const auditors = auditorNames(lang, r.audit.auditors);
  // A person's name and organisation stay on one line, as the scores do.
  if (auditors.length > 0) lines.push(...wrapList(`${pad}${txt(lang, 'auditors')}: `, auditors.map(safe), lang === 'zh' ? '、' : '; ', width, INDENT + 2));
  const byId = new Map(r.items.map((i) => [i.id, i]));
  if (r.decidedBy.length > 0) {
    lines.push(`${pad}${txt(lang, 'decidedBy')}`);
    for (const d of r.decidedBy) {
      if (d.kind === 'score') {
        const score = r.scores.find((s) => s.id === d.id);
        const title = catalogue.checklists.find((c) => c.id === d.id)?.title[lang] ?? d.id;
        lines.push(...hanging(`${pad}· `, `${safe(title)} ${txt(lang, 'score')} ${score?.percent ?? '-'}% < ${score?.passMark ?? '-'}% (${txt(lang, 'belowPassMark')})`, width));
        continue;
      }
      const result = byId.get(d.id);
      if (!result) continue;
      const status = label(lang, 'status', result.status);
      lines.push(...hanging(`${pad}· `, `[${status}] ${d.id} ${safe(explain(lang, result, catalogue))}`, width));
    }
  }
  const open = r.items.filter((i) => i.status === 'fail' || i.status === 'error' || i.status === 'unanswered');
  if (open.length > 0) {
    const rows = open.map((i): OpenRow => {
      const info = catalogue.items[i.id];
      return {
        title: safe(info?.title[lang] ?? i.id),
        id: i.id,
        severity: info ? label(lang, 'severity', info.severity) : '',
        status: label(lang, 'status', i.status),
        paintStatus: i.status === 'fail' ? chalk.red : chalk.yellow,
        reason: safe(explain(lang, i, catalogue)),
      };
    });
    lines.push(`${pad}${txt(lang, 'openItems')}:`);
    lines.push(...openItems(lang, rows, width, longestId(catalogue)));
    const deadline = open.find((i) => i.deadline !== undefined)?.deadline;
    if (deadline) lines.push(`${pad}${txt(lang, 'deadline')}: ${deadline}`);
  }
  const waived = r.items.filter((i) => i.waiver !== undefined);
  if (waived.length > 0) {
    lines.push(`${pad}${txt(lang, 'waivers')}:`);
    for (const i of waived) {
      const waiver = i.waiver as NonNullable<typeof i.waiver>;
      const status = label(lang, 'status', i.status);
      const title = catalogue.items[i.id]?.title[lang] ?? '';
      const text = hanging(`${pad}· `, `[${status}] ${i.id} ${safe(title)} — ${safe(waiverLine(lang, waiver))}`, width);
      lines.push(...(waiver.expired ? text.map((line) => chalk.red(line)) : text));
    }
  }
  const scored = r.scores.filter((s) => s.percent !== null);
  if (scored.length > 0) {
    const parts = scored.map((s) => {
      const title = catalogue.checklists.find((c) => c.id === s.id)?.title[lang] ?? s.id;
      return `${safe(title)} ${s.percent}%`;
    });
    lines.push(...wrapList(`${pad}${txt(lang, 'score')}: `, parts, lang === 'zh' ? '，' : ', ', width, INDENT + 2));
  }
  return lines.join('\n');
}

function totalsLine(lang: Lang, tally: Tally, failed: number): string {
  const count = (v: Verdict) => tally[v];
  const n = tally.schools;
  if (lang === 'zh') {
    const base = `共 ${n} 所学校：具备开学条件 ${count('READY')}，不具备开学条件 ${count('NOT_READY')}，核验未完成 ${count('INCOMPLETE')}`;
    return failed > 0 ? `${base}；${failed} 个文件无法核验（见上方错误）` : base;
  }
  const base = `${n} school(s): ${count('READY')} ready, ${count('NOT_READY')} not ready, ${count('INCOMPLETE')} incomplete`;
  return failed > 0 ? `${base}; ${failed} file(s) could not be audited (see errors above)` : base;
}

/**
 * The widest of the texts on screen (0 for none), in a loop: a national batch's table has
 * 530,000 rows, more than Math.max(...) takes as arguments before the stack overflows.
 */
function widest(texts: readonly string[]): number {
  let most = 0;
  for (const text of texts) most = Math.max(most, stringWidth(text));
  return most;
}

/**
 * One row per school: the name with its file under it (shortened from the left, so the
 * file's own name stays in view), the district, the verdict and the counts.
 */
function summaryTable(lang: Lang, chalk: ChalkInstance, rows: SchoolRow[], width: number): string {
  const head = [txt(lang, 'school'), txt(lang, 'district'), txt(lang, 'verdict'), txt(lang, 'fails'), txt(lang, 'open')];
  const verdictW = widest([head[2] as string, ...rows.map((r) => label(lang, 'verdict', r.verdict))]);
  const failsW = widest([head[3] as string, ...rows.map((r) => String(r.counts.fail))]);
  const openW = widest([head[4] as string, ...rows.map((r) => String(r.counts.unanswered + r.counts.error))]);
  const districtW = Math.min(12, widest([head[1] as string, ...rows.map((r) => safe(r.district))]));
  const room = Math.max(16, width - boxWidth([0, 0, 0, 0, 0]) - verdictW - failsW - openW - districtW);
  const files = rows.map((r) => safe(r.file));
  const nameW = Math.min(room, widest([head[0] as string, ...rows.map((r) => safe(r.name)), ...files]));
  // A file goes under the school's name, shortened from the left to whole folders; when even
  // a file's own name does not fit the column, every file takes a line across the table.
  const across = files.some((f) => stringWidth(f) > nameW && stringWidth(`…/${fileName(f)}`) > nameW);
  const inner = boxWidth([nameW, districtW, verdictW, failsW, openW]) - 4;
  return boxTable(
    head,
    rows.map((r, i) => {
      const file = files[i] as string;
      const name = wrapText(safe(r.name), nameW);
      return {
        cells: [
          { lines: across ? name : [...name, shortenLeft(file, nameW)] },
          { lines: wrapText(safe(r.district), districtW) },
          { lines: [label(lang, 'verdict', r.verdict)], paint: (t: string) => paint(chalk, r.verdict, t) },
          String(r.counts.fail),
          String(r.counts.unanswered + r.counts.error),
        ],
        ...(across ? { span: [shortenLeft(file, inner)] } : {}),
      };
    }),
    [nameW, districtW, verdictW, failsW, openW],
  );
}

/** The last part of a path: the file's own name. */
const fileName = (file: string) => file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);

/**
 * Columns as wide as their text, narrowed (widest first) to fit the width when they must;
 * never below the longest id or word in them, so nothing is split inside.
 */
function fitColumns(head: string[], rows: string[][], width: number, keepFirst = 0): number[] {
  // In loops, not Math.max(...rows): a national batch has more rows than a call takes arguments.
  const natural = head.map((h) => stringWidth(h));
  const least = head.map((h) => Math.max(longestWord(h), 4));
  for (const row of rows) {
    head.forEach((_, i) => {
      natural[i] = Math.max(natural[i] as number, stringWidth(row[i] ?? ''));
      least[i] = Math.max(least[i] as number, longestWord(row[i] ?? ''));
    });
  }
  // The first column (a district's name) kept whole up to `keepFirst`: headings wrap first.
  least[0] = Math.max(least[0] ?? 4, Math.min(natural[0] ?? 0, keepFirst));
  const widths = [...natural];
  const room = width - boxWidth(widths.map(() => 0));
  let excess = widths.reduce((a, b) => a + b, 0) - room;
  while (excess > 0) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > (least[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    const second = Math.max(least[widest] ?? 0, ...widths.filter((_, i) => i !== widest).filter((w) => w < (widths[widest] ?? 0)));
    const cut = Math.min(excess, Math.max(1, (widths[widest] ?? 0) - second));
    widths[widest] = (widths[widest] ?? 0) - cut;
    excess -= cut;
  }
  return widths;
}

/** A district's name up to this width stays on one line in the figures table. */
const DISTRICT_WHOLE = 12;

/** A table of plain cells laid out to the width, each cell wrapped in its column (headings too). */
function fittedTable(head: string[], rows: string[][], width: number, keepFirst = 0): string {
  const widths = fitColumns(head, rows, width, keepFirst);
  return boxTable(
    head.map((h, i) => wrapText(h, widths[i] ?? 4).join('\n')),
    rows.map((r) => r.map((c, i) => ({ lines: wrapText(c, widths[i] ?? 4) }))),
    widths,
  );
}

/**
 * A coverage audit under its school's row, across the table: `计入的核验：县级评估 2020-05-08
 * 具备开学条件` and its file on the same line when both fit, else the file on a line of its
 * own, shortened from the left as in the summary table.
 */
function auditSpan(lang: Lang, word: 'counted' | 'history', a: CoverageAudit, inner: number): string[] {
  const facts = wrapHanging(`${cw(lang, word)}${lang === 'zh' ? '：' : ': '}`, safe(auditFacts(lang, a)), inner, 2);
  const file = safe(a.file);
  const last = facts[facts.length - 1] as string;
  if (stringWidth(last) + 1 + stringWidth(file) <= inner) return [...facts.slice(0, -1), `${last} ${file}`];
  return [...facts, `  ${shortenLeft(file, inner - 2)}`];
}

/**
 * Every school of the coverage: district, id, name and state in columns (never split inside
 * an id), the audit that counts and the history under each row across the table, so the
 * table fits an 80-column terminal whatever the paths.
 */
function coverageSchools(lang: Lang, coverage: Coverage, width: number): string {
  const head = [cw(lang, 'district'), cw(lang, 'id'), cw(lang, 'name'), cw(lang, 'state')];
  const cells = coverage.schools.map((s) => [safe(s.district), safe(s.id), safe(s.name), stateLabel(lang, s.state, coverage)]);
  const marker = cw(lang, 'notOnRoster');
  const widths = fitColumns(head, [...cells, ['', '', '', marker]], width);
  // Room for the files across the table, up to the width: the name column takes what is left.
  const spans = (inner: number) => coverage.schools.map((s) => [...(s.counted ? auditSpan(lang, 'counted', s.counted, inner) : []), ...s.history.flatMap((a) => auditSpan(lang, 'history', a, inner))]);
  const wanted = widest(spans(Number.MAX_SAFE_INTEGER).flat());
  widths[2] = (widths[2] ?? 4) + Math.max(0, Math.min(width - boxWidth(widths), wanted - (boxWidth(widths) - 4)));
  const inner = boxWidth(widths) - 4;
  const across = spans(inner);
  return boxTable(
    head.map((h, i) => wrapText(h, widths[i] ?? 4).join('\n')),
    coverage.schools.map((s, n) => {
      const row = cells[n] as string[];
      const lines = row.map((c, i) => wrapText(c, widths[i] ?? 4));
      if (!s.onRoster) lines[3] = [...(lines[3] ?? []), ...wrapText(marker, widths[3] ?? 4)];
      return { cells: lines.map((l) => ({ lines: l })), span: across[n] ?? [] };
    }),
    widths,
  );
}

/**
 * The figures by district: a district a row when the columns fit the width; else turned
 * round (a figure a row, a district a column) when that fits, as the long English headings
 * need at 80 columns; else each district as a line of its figures.
 */
function figuresTable(lang: Lang, coverage: Coverage, width: number): string {
  const head = figureHeader(lang, coverage);
  const rows = figureRows(lang, coverage).map((row) => [safe(row.district), ...row.numbers.map(String)]);
  if (boxWidth(fitColumns(head, rows, width, DISTRICT_WHOLE)) <= width) return fittedTable(head, rows, width, DISTRICT_WHOLE);
  const turned = [rows.map((r) => r[0] as string), ...head.slice(1).map((h, i) => [h, ...rows.map((r) => r[i + 1] as string)])];
  const turnedHead = ['', ...(turned[0] as string[])];
  const turnedRows = turned.slice(1);
  if (boxWidth(fitColumns(turnedHead, turnedRows, width)) <= width) return fittedTable(turnedHead, turnedRows, width);
  return rows.flatMap((r) => hanging(`${r[0]}: `, head.slice(1).map((h, i) => `${h} ${r[i + 1]}`).join(' · '), width, 2)).join('\n');
}

/** The roster coverage: figures by district, the missing schools, every school's state, the differences. */
function coverageBlock(lang: Lang, chalk: ChalkInstance, coverage: Coverage, width: number): string {
  const lines = [chalk.bold(cw(lang, 'byDistrict')), ...coverageIntro(lang, coverage).flatMap((l) => wrapText(safe(l), width))];
  lines.push(figuresTable(lang, coverage, width));
  const missing = missingSchools(coverage);
  lines.push('', chalk.bold(cw(lang, 'missingTitle')));
  if (missing.length === 0) lines.push(cw(lang, 'missingNone'));
  for (const m of missing) lines.push(...hanging('✘ ', `${safe(m.district)} · ${safe(m.name)} (${safe(m.id)})`, width, 2).map((l) => chalk.red(l)));
  lines.push('', chalk.bold(cw(lang, 'schoolsTitle')), coverageSchools(lang, coverage, width));
  if (coverage.warnings.length > 0) {
    lines.push('', chalk.bold(cw(lang, 'warningsTitle')));
    for (const w of coverage.warnings) lines.push(...hanging('· ', safe(formatProblem(lang, w)), width, 2));
  }
  return lines.join('\n');
}

const chalkFor = (ctx: ReportContext) => new Chalk({ level: ctx.color ? 1 : 0 });
const widthFor = (ctx: ReportContext) => Math.max(60, Math.min(ctx.width ?? 110, 160));

/** Streamed: a block per school as it is audited, then the summary table and totals. */
export const streamText: StreamReporter = {
  begin: () => '',
  school: ({ result, catalogue }, ctx) => schoolBlock(ctx.lang, chalkFor(ctx), result, catalogue, widthFor(ctx)),
  separator: '\n\n',
  needsRows: true,
  end({ rows, tally, failures, coverage }, ctx) {
    const { lang } = ctx;
    const chalk = chalkFor(ctx);
    const width = widthFor(ctx);
    const blocks: string[] = [];
    if (rows.length > 1) blocks.push(`${chalk.bold(txt(lang, 'summary'))}\n${summaryTable(lang, chalk, rows, width)}`);
    if (coverage) blocks.push(coverageBlock(lang, chalk, coverage, width));
    blocks.push(
      wrapText(totalsLine(lang, tally, failures.length), width)
        .map((line) => chalk.bold(line))
        .join('\n'),
    );
    // A blank line after the last school block, if any was written.
    const wroteSchools = ctx.detail !== 'none' && rows.some((r) => ctx.detail !== 'failures' || r.verdict !== 'READY');
    return `${wroteSchools ? '\n\n' : ''}${blocks.join('\n\n')}\n`;
  },
};

export function renderText(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamText, run, ctx);
}
