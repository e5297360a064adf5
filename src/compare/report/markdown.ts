/**
 * The rectification follow-up report in Markdown (整改复核报告): for one school, the two
 * audits side by side, the outcome, what newly fails, what still fails (with the deadline
 * it had and how late it is), what was not re-checked, what was fixed, then waivers,
 * applicability and answer changes, and lines for the re-checkers and the school head to
 * sign. For several schools a summary table comes first, then the schools without a pair,
 * a report per school, and the files that could not be read.
 */
import type { AuditedSchool, ItemComparison, Outcome, SchoolComparison } from '../index.js';
import { itemInfo, leftOpen } from '../index.js';
import { label, local, type Lang } from '../../i18n/index.js';
import type { ReportContext } from '../../report/context.js';
import { mdCell, mdCode, mdText } from '../../report/escape.js';
import { append, failedFilesSection, finish, heading, table } from '../../report/md.js';
import { auditorText, compareText, s, signOffLines, type TextKey } from '../../report/shared.js';
import {
  changeLabel,
  countsSentence,
  itemsOf,
  outcomeLabel,
  overdueText,
  reasonNow,
  responsibleOf,
  sideText,
  w,
  type CompareRun,
  type Word,
} from './common.js';

/** `（text）` in Chinese, ` (text)` in English. */
function paren(lang: Lang, text: string): string {
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}

function outcomeCell(lang: Lang, outcome: Outcome): string {
  const text = outcomeLabel(lang, outcome);
  return outcome === 'RECTIFIED' ? text : `**${text}**`;
}

function schoolReport(lang: Lang, cmp: SchoolComparison, level: number): string[] {
  const out: string[] = [];
  const col = (key: TextKey) => s(lang, key);
  const cw = (word: Word) => w(lang, word);
  const before = cmp.before.result;
  const after = cmp.after.result;
  const p = after.school;
  const info = (id: string) => itemInfo(cmp, id);
  const title = (id: string) => mdCell(info(id) ? local(lang, info(id)?.title) : id);
  const severity = (id: string) => {
    const i = info(id);
    return i ? label(lang, 'severity', i.severity) : '';
  };
  const remediation = (id: string) => {
    const i = info(id);
    return i ? mdCell(local(lang, i.remediation)) : '';
  };
  const side = (item: ItemComparison, which: 'before' | 'after') =>
    mdCell(sideText(lang, item[which], info(item.id)));
  const reason = (item: ItemComparison) => mdCell(reasonNow(lang, cmp, item));
  const responsible = (item: ItemComparison) => {
    const who = responsibleOf(item);
    return who ? mdCell(who) : '—';
  };
  const section = (
    word: Word,
    items: ItemComparison[],
    header: string[],
    row: (item: ItemComparison, n: number) => string[],
    always: boolean,
  ) => {
    if (items.length === 0 && !always) return;
    out.push(...heading(level + 1, cw(word)));
    if (items.length === 0) out.push(cw('none'), '');
    else out.push(...table(header, items.map(row)));
  };

  out.push(...heading(level, `${mdText(p.name)} ${cw('reportTitle')}`));

  out.push(...heading(level + 1, s(lang, 'schoolProfile')));
  out.push(
    ...table(
      [col('field'), col('value')],
      [
        [col('schoolId'), mdText(p.id)],
        [col('schoolName'), mdText(p.name)],
        [col('district'), mdText(p.district)],
        [col('schoolType'), label(lang, 'schoolType', p.type)],
      ],
    ),
  );

  out.push(...heading(level + 1, cw('audits')));
  const auditors = (school: AuditedSchool) => {
    const names = (school.result.audit.auditors ?? [])
      .map((a) => auditorText(lang, a))
      .join(lang === 'zh' ? '、' : '; ');
    return names ? mdCell(names) : s(lang, 'notStated');
  };
  const verdict = (school: AuditedSchool) => {
    const text = label(lang, 'verdict', school.result.verdict);
    return school.result.verdict === 'READY' ? text : `**${text}**`;
  };
  const both = (f: (school: AuditedSchool) => string) => [f(cmp.before), f(cmp.after)];
  out.push(
    ...table(
      [col('field'), cw('colBefore'), cw('colAfter')],
      [
        [col('file'), ...both((x) => mdText(x.result.file))],
        [col('auditDate'), ...both((x) => mdText(x.result.audit.date))],
        [col('level'), ...both((x) => label(lang, 'level', x.result.audit.level))],
        [col('auditors'), ...both(auditors)],
        [col('profile'), ...both((x) => mdCode(x.result.profileId))],
        [col('verdict'), ...both(verdict)],
        [cw('failedCount'), ...both((x) => String(x.result.counts.fail))],
      ],
    ),
  );

  out.push(...heading(level + 1, cw('outcomeTitle')));
  out.push(`**${outcomeLabel(lang, cmp.outcome)}**`, '', countsSentence(lang, cmp.counts), '');

  section(
    'regressedItems',
    itemsOf(cmp, 'regressed'),
    [
      col('colNo'),
      col('colId'),
      col('colItem'),
      col('colSeverity'),
      cw('colBefore'),
      cw('colProblemNow'),
      col('colRemediation'),
      cw('newDeadline'),
      col('colResponsible'),
    ],
    (item, n) => [
      String(n + 1),
      mdCode(item.id),
      title(item.id),
      severity(item.id),
      item.newlyApplicable
        ? `${side(item, 'before')}${paren(lang, cw('newlyApplicableNote'))}`
        : side(item, 'before'),
      reason(item),
      remediation(item.id),
      item.after?.deadline ?? '—',
      responsible(item),
    ],
    true,
  );
  section(
    'stillItems',
    itemsOf(cmp, 'still_failing'),
    [
      col('colNo'),
      col('colId'),
      col('colItem'),
      col('colSeverity'),
      cw('colProblemNow'),
      cw('deadlineSet'),
      cw('colOverdue'),
      cw('newDeadline'),
      col('colResponsible'),
      col('colRemediation'),
    ],
    (item, n) => [
      String(n + 1),
      mdCode(item.id),
      title(item.id),
      severity(item.id),
      reason(item),
      item.before?.deadline ?? '—',
      item.overdueDays !== undefined ? `**${overdueText(lang, item)}**` : overdueText(lang, item),
      item.after?.deadline ?? '—',
      responsible(item),
      remediation(item.id),
    ],
    true,
  );
  section(
    'uncheckedItems',
    itemsOf(cmp, 'not_rechecked'),
    [col('colId'), col('colItem'), col('colSeverity'), cw('colBefore'), cw('colAfter'), cw('deadlineSet')],
    (item) => [
      mdCode(item.id),
      title(item.id),
      severity(item.id),
      side(item, 'before'),
      side(item, 'after'),
      item.before?.deadline ?? '—',
    ],
    false,
  );
  section(
    'fixedItems',
    itemsOf(cmp, 'fixed'),
    [col('colId'), col('colItem'), col('colSeverity'), cw('colBefore'), cw('colAfter')],
    (item) => [mdCode(item.id), title(item.id), severity(item.id), side(item, 'before'), side(item, 'after')],
    true,
  );
  section(
    'waivedItems',
    itemsOf(cmp, 'waived'),
    [
      col('colId'),
      col('colItem'),
      col('colWaiverReason'),
      col('colApprovedBy'),
      col('colApprovedOn'),
      col('colExpires'),
    ],
    (item) => {
      const waiver = item.after?.waiver;
      return [
        mdCode(item.id),
        title(item.id),
        mdCell(waiver?.reason ?? ''),
        mdCell(waiver?.approvedBy ?? ''),
        mdCell(waiver?.approvedOn ?? ''),
        mdCell(waiver?.expires ?? ''),
      ];
    },
    false,
  );
  section(
    'newlyItems',
    itemsOf(cmp, 'newly_applicable'),
    [col('colId'), col('colItem'), col('colSeverity'), cw('colBefore'), cw('colAfter')],
    (item) => [mdCode(item.id), title(item.id), severity(item.id), side(item, 'before'), side(item, 'after')],
    false,
  );
  section(
    'goneItems',
    itemsOf(cmp, 'no_longer_applicable'),
    [col('colId'), col('colItem'), cw('colBefore'), col('colReason')],
    (item) => [mdCode(item.id), title(item.id), side(item, 'before'), reason(item)],
    false,
  );
  section(
    'answersChanged',
    cmp.items.filter((i) => i.answerChanged),
    [col('colId'), col('colItem'), cw('colBefore'), cw('colAfter'), cw('colChange')],
    (item) => [
      mdCode(item.id),
      title(item.id),
      side(item, 'before'),
      side(item, 'after'),
      changeLabel(lang, item.change),
    ],
    false,
  );

  out.push(...heading(level + 1, s(lang, 'signOff')));
  const intro = w(lang, 'reviewIntro', {
    level: label(lang, 'level', after.audit.level),
    date: after.audit.date,
    beforeLevel: label(lang, 'level', before.audit.level),
    beforeDate: before.audit.date,
  });
  out.push(mdText(intro), '');
  for (const line of signOffLines(
    lang,
    'reviewer',
    after.audit.auditors,
    p.principal ?? before.school.principal,
    mdText,
  ))
    out.push(line, '');
  return out;
}

function summary(lang: Lang, run: CompareRun): string[] {
  const out: string[] = [];
  const col = (key: TextKey) => s(lang, key);
  const cw = (word: Word) => w(lang, word);
  const { schools, unpaired } = run.comparison;
  out.push(...heading(2, s(lang, 'summary')));
  append(
    out,
    table(
      [
        col('school'),
        col('district'),
        cw('colBefore'),
        cw('colAfter'),
        cw('colFixed'),
        cw('colStill'),
        cw('colRegressed'),
        cw('colUnchecked'),
        cw('colOverdueCount'),
        cw('colOutcome'),
      ],
      schools.map((cmp) => {
        const b = cmp.before.result;
        const a = cmp.after.result;
        const side = (x: typeof a) =>
          `${label(lang, 'verdict', x.verdict)}<br>${mdText(x.audit.date)} ${label(lang, 'level', x.audit.level)}`;
        return [
          mdText(a.school.name),
          mdText(a.school.district),
          side(b),
          side(a),
          String(cmp.counts.fixed),
          String(cmp.counts.still_failing),
          String(cmp.counts.regressed),
          String(cmp.counts.not_rechecked),
          String(cmp.counts.overdue),
          outcomeCell(lang, cmp.outcome),
        ];
      }),
    ),
  );
  out.push(...heading(3, s(lang, 'totals')));
  const rows = (['RECTIFIED', 'NOT_RECTIFIED'] as const).map((o) => [
    outcomeLabel(lang, o),
    String(schools.filter((x) => x.outcome === o).length),
  ]);
  rows.push([s(lang, 'total'), String(schools.length)]);
  rows.push([cw('onlyBefore'), String(unpaired.before.length)]);
  rows.push([cw('onlyAfter'), String(unpaired.after.length)]);
  rows.push([cw('failuresTitle'), String(run.failures.length)]);
  out.push(...table([cw('colOutcome'), s(lang, 'schoolsCount')], rows));

  if (unpaired.before.length + unpaired.after.length > 0) {
    out.push(...heading(2, cw('unpaired')));
    const entry = (x: AuditedSchool) => {
      const r = x.result;
      const open = leftOpen(x) ? paren(lang, label(lang, 'verdict', r.verdict)) : '';
      return `- ${mdText(r.school.name)} ${mdCode(r.school.id)}${open}${lang === 'zh' ? '：' : ': '}${mdText(r.file)}`;
    };
    for (const [word, list] of [
      ['onlyBefore', unpaired.before],
      ['onlyAfter', unpaired.after],
    ] as const) {
      if (list.length === 0) continue;
      out.push(`**${cw(word)}**`, '');
      for (const item of list) out.push(entry(item));
      out.push('');
    }
  }
  return out;
}

export function renderCompareMarkdown(run: CompareRun, ctx: ReportContext): string {
  const lang = ctx.lang;
  const { schools, unpaired } = run.comparison;
  const failures = [...run.failures].sort((a, b) => compareText(a.file, b.file));
  const out: string[] = [];
  const single =
    schools.length === 1 &&
    unpaired.before.length === 0 &&
    unpaired.after.length === 0 &&
    failures.length === 0;
  const only = schools[0];
  if (single && only) {
    out.push(...schoolReport(lang, only, 1));
  } else {
    out.push(...heading(1, w(lang, 'summaryTitle')));
    append(out, summary(lang, run));
    for (const cmp of schools) out.push('---', '', ...schoolReport(lang, cmp, 2));
    append(out, failedFilesSection(lang, failures, w(lang, 'failuresTitle')));
  }
  return finish(out, ctx);
}
