/**
 * Terminal report: a verdict line per school, the items that decided it, a table of what
 * failed or is still open, and for several schools a summary table with totals. Colour
 * only when the context allows it; widths measured for Chinese text.
 */
import Table from 'cli-table3';
import { Chalk, type ChalkInstance } from 'chalk';
import type { AuditRun, Catalogue, SchoolResult, Verdict } from '../model/result.js';
import { renderAll, type StreamReporter, type Tally } from './stream.js';
import { explain, label, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { terminalSafe } from './escape.js';
import { wrapCell } from './wrap.js';
import { auditorNames, formatProblem, waiverLine } from './shared.js';
import type { Coverage } from '../model/coverage.js';
import { coverageIntro, cw, figureHeader, figureRows, missingSchools, schoolCells, schoolHeader } from './coverage.js';

const TEXT = {
  decidedBy: { zh: '决定因素：', en: 'Decided by:' },
  openItems: { zh: '不符合及未核验的核验项', en: 'Failed and open items' },
  id: { zh: '编号', en: 'ID' },
  item: { zh: '核验项', en: 'Item' },
  severity: { zh: '等级', en: 'Severity' },
  status: { zh: '结果', en: 'Status' },
  reason: { zh: '说明', en: 'Reason' },
  school: { zh: '学校', en: 'School' },
  district: { zh: '区县', en: 'District' },
  verdict: { zh: '结论', en: 'Verdict' },
  fails: { zh: '不符合', en: 'Failed' },
  open: { zh: '未核验', en: 'Open' },
  file: { zh: '文件', en: 'File' },
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

function table(head: string[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [], compact: false },
    wordWrap: false,
  });
}

function verdictLine(lang: Lang, chalk: ChalkInstance, r: SchoolResult): string {
  const verdict = paint(chalk, r.verdict, `${MARK[r.verdict]} ${label(lang, 'verdict', r.verdict)}`);
  const school = `${safe(r.school.name)} (${safe(r.school.id)})`;
  const meta = [safe(r.school.district), label(lang, 'schoolType', r.school.type), r.audit.date, label(lang, 'level', r.audit.level)].join(' · ');
  return `${verdict}  ${chalk.bold(school)}  ${meta}\n   ${chalk.dim(safe(r.file))}`;
}

function schoolBlock(lang: Lang, chalk: ChalkInstance, r: SchoolResult, catalogue: Catalogue, width: number): string {
  const lines = [verdictLine(lang, chalk, r)];
  const auditors = auditorNames(lang, r.audit.auditors);
  if (auditors.length > 0) lines.push(`   ${txt(lang, 'auditors')}: ${safe(auditors.join(lang === 'zh' ? '、' : '; '))}`);
  const byId = new Map(r.items.map((i) => [i.id, i]));
  if (r.decidedBy.length > 0) {
    lines.push(`   ${txt(lang, 'decidedBy')}`);
    for (const d of r.decidedBy) {
      if (d.kind === 'score') {
        const score = r.scores.find((s) => s.id === d.id);
        const title = catalogue.checklists.find((c) => c.id === d.id)?.title[lang] ?? d.id;
        lines.push(`   · ${safe(title)} ${txt(lang, 'score')} ${score?.percent ?? '-'}% < ${score?.passMark ?? '-'}% (${txt(lang, 'belowPassMark')})`);
        continue;
      }
      const result = byId.get(d.id);
      if (!result) continue;
      const status = label(lang, 'status', result.status);
      lines.push(`   · [${status}] ${d.id} ${safe(explain(lang, result, catalogue))}`);
    }
  }
  const open = r.items.filter((i) => i.status === 'fail' || i.status === 'error' || i.status === 'unanswered');
  if (open.length > 0) {
    const idW = Math.min(40, Math.max(...open.map((i) => i.id.length), 4));
    const statusW = lang === 'zh' ? 6 : 10;
    const severityW = lang === 'zh' ? 8 : 8;
    const rest = Math.max(30, width - idW - statusW - severityW - 16);
    const itemW = Math.floor(rest * 0.35);
    const reasonW = rest - itemW;
    const t = table([txt(lang, 'id'), txt(lang, 'item'), txt(lang, 'severity'), txt(lang, 'status'), txt(lang, 'reason')]);
    for (const i of open) {
      const info = catalogue.items[i.id];
      const status = label(lang, 'status', i.status);
      t.push([
        wrapCell(i.id, idW),
        wrapCell(safe(info?.title[lang] ?? i.id), itemW),
        wrapCell(info ? label(lang, 'severity', info.severity) : '', severityW),
        i.status === 'fail' ? chalk.red(status) : chalk.yellow(status),
        wrapCell(safe(explain(lang, i, catalogue)), reasonW),
      ]);
    }
    lines.push(`   ${txt(lang, 'openItems')}:`);
    lines.push(indent(t.toString(), 3));
    const deadline = open.find((i) => i.deadline !== undefined)?.deadline;
    if (deadline) lines.push(`   ${txt(lang, 'deadline')}: ${deadline}`);
  }
  const waived = r.items.filter((i) => i.waiver !== undefined);
  if (waived.length > 0) {
    lines.push(`   ${txt(lang, 'waivers')}:`);
    for (const i of waived) {
      const waiver = i.waiver as NonNullable<typeof i.waiver>;
      const status = label(lang, 'status', i.status);
      const title = catalogue.items[i.id]?.title[lang] ?? '';
      const text = `   · [${status}] ${i.id} ${safe(title)} — ${safe(waiverLine(lang, waiver))}`;
      lines.push(waiver.expired ? chalk.red(text) : text);
    }
  }
  const scored = r.scores.filter((s) => s.percent !== null);
  if (scored.length > 0) {
    const parts = scored.map((s) => {
      const title = catalogue.checklists.find((c) => c.id === s.id)?.title[lang] ?? s.id;
      return `${safe(title)} ${s.percent}%`;
    });
    lines.push(`   ${txt(lang, 'score')}: ${parts.join(lang === 'zh' ? '，' : ', ')}`);
  }
  return lines.join('\n');
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
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

/** The roster coverage: figures by district, the missing schools, every school's state, the differences. */
function coverageBlock(lang: Lang, chalk: ChalkInstance, coverage: Coverage, width: number): string {
  const lines = [chalk.bold(cw(lang, 'byDistrict')), ...coverageIntro(lang, coverage).map(safe)];
  const figures = table(figureHeader(lang, coverage));
  for (const row of figureRows(lang, coverage)) figures.push([wrapCell(safe(row.district), 12), ...row.numbers.map(String)]);
  lines.push(figures.toString());
  const missing = missingSchools(coverage);
  lines.push('', chalk.bold(cw(lang, 'missingTitle')));
  if (missing.length === 0) lines.push(cw(lang, 'missingNone'));
  for (const m of missing) lines.push(chalk.red(`✘ ${safe(m.district)} · ${safe(m.name)} (${safe(m.id)})`));
  const schools = table(schoolHeader(lang));
  const rest = Math.max(30, width - 50);
  for (const school of coverage.schools) {
    const [district, id, name, state, counted, history, onRoster] = schoolCells(lang, coverage, school).map(safe) as string[];
    schools.push([wrapCell(district as string, 10), wrapCell(id as string, 14), wrapCell(name as string, 18), state as string, wrapCell(counted as string, Math.floor(rest / 2)), wrapCell(history as string, Math.ceil(rest / 2)), onRoster as string]);
  }
  lines.push('', chalk.bold(cw(lang, 'schoolsTitle')), schools.toString());
  if (coverage.warnings.length > 0) {
    lines.push('', chalk.bold(cw(lang, 'warningsTitle')));
    for (const w of coverage.warnings) lines.push(`· ${safe(formatProblem(lang, w))}`);
  }
  return lines.join('\n');
}

const chalkFor = (ctx: ReportContext) => new Chalk({ level: ctx.color ? 1 : 0 });
const widthFor = (ctx: ReportContext) => Math.max(72, Math.min(ctx.width ?? 110, 160));

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
    if (rows.length > 1) {
      const t = table([txt(lang, 'school'), txt(lang, 'district'), txt(lang, 'verdict'), txt(lang, 'fails'), txt(lang, 'open'), txt(lang, 'file')]);
      const nameW = 24;
      const fileW = Math.max(20, width - nameW - 50);
      for (const r of rows) {
        t.push([
          wrapCell(safe(r.name), nameW),
          wrapCell(safe(r.district), 10),
          paint(chalk, r.verdict, label(lang, 'verdict', r.verdict)),
          String(r.counts.fail),
          String(r.counts.unanswered + r.counts.error),
          wrapCell(safe(r.file), fileW),
        ]);
      }
      blocks.push(`${chalk.bold(txt(lang, 'summary'))}\n${t.toString()}`);
    }
    if (coverage) blocks.push(coverageBlock(lang, chalk, coverage, width));
    blocks.push(chalk.bold(totalsLine(lang, tally, failures.length)));
    // A blank line after the last school block, if any was written.
    const wroteSchools = ctx.detail !== 'none' && rows.some((r) => ctx.detail !== 'failures' || r.verdict !== 'READY');
    return `${wroteSchools ? '\n\n' : ''}${blocks.join('\n\n')}\n`;
  },
};

export function renderText(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamText, run, ctx);
}
