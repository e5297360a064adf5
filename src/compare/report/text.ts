/**
 * The rectification follow-up at the terminal: per school an outcome line, the two audits,
 * the counts, then one line per item that newly fails, still fails (with its deadline and
 * how late it is), was not re-checked or was fixed, and the answers that changed. For
 * several schools a totals line closes, with the schools that have no pair.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { AuditedSchool, ItemComparison, SchoolComparison } from '../index.js';
import { itemInfo, leftOpen } from '../index.js';
import { label, type Lang } from '../../i18n/index.js';
import type { ReportContext } from '../../report/context.js';
import { terminalSafe } from '../../report/escape.js';
import { s } from '../../report/shared.js';
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

const safe = (text: string) => terminalSafe(text);

function auditLine(lang: Lang, word: Word, school: AuditedSchool): string {
  const r = school.result;
  const facts = [
    r.audit.date,
    label(lang, 'level', r.audit.level),
    label(lang, 'verdict', r.verdict),
    safe(r.file),
  ].join(' · ');
  return `   ${w(lang, word)}${lang === 'zh' ? '：' : ': '}${facts}`;
}

function schoolBlock(lang: Lang, chalk: ChalkInstance, cmp: SchoolComparison): string {
  const a = cmp.after.result;
  const sep = lang === 'zh' ? '：' : ': ';
  const done = cmp.outcome === 'RECTIFIED';
  const head = `${done ? '✔' : '✘'} ${outcomeLabel(lang, cmp.outcome)}`;
  const lines = [
    `${done ? chalk.green.bold(head) : chalk.red.bold(head)}  ${chalk.bold(`${safe(a.school.name)} (${safe(a.school.id)})`)}`,
    auditLine(lang, 'before', cmp.before),
    auditLine(lang, 'after', cmp.after),
    `   ${countsSentence(lang, cmp.counts)}`,
  ];
  const title = (id: string) => safe(itemInfo(cmp, id)?.title[lang] ?? '');
  const block = (word: Word, items: ItemComparison[], detail: (item: ItemComparison) => string[]) => {
    if (items.length === 0) return;
    lines.push(`   ${w(lang, word)}:`);
    for (const item of items) {
      const facts = detail(item).filter((x) => x !== '');
      const text = safe(facts.join(lang === 'zh' ? '；' : '; '));
      const name = title(item.id);
      // Threshold reasons already open with the item's title; do not say it twice.
      if (facts[0]?.startsWith(name)) lines.push(`   · ${item.id} ${text}`);
      else lines.push(`   · ${item.id} ${name}${text ? ` — ${text}` : ''}`);
    }
  };
  const responsible = (item: ItemComparison) => {
    const who = responsibleOf(item);
    return who ? `${s(lang, 'colResponsible')}${sep}${who}` : '';
  };
  const side = (item: ItemComparison, which: 'before' | 'after') =>
    sideText(lang, item[which], itemInfo(cmp, item.id));

  block('regressedItems', itemsOf(cmp, 'regressed'), (item) => [
    reasonNow(lang, cmp, item),
    `${w(lang, 'colBefore')}${sep}${side(item, 'before')}`,
    responsible(item),
  ]);
  block('stillItems', itemsOf(cmp, 'still_failing'), (item) => [
    reasonNow(lang, cmp, item),
    item.before?.deadline
      ? `${w(lang, 'deadlineSet')} ${item.before.deadline}${sep}${overdueText(lang, item)}`
      : '',
    responsible(item),
  ]);
  block('uncheckedItems', itemsOf(cmp, 'not_rechecked'), (item) => [
    `${side(item, 'before')} → ${side(item, 'after')}`,
  ]);
  block('fixedItems', itemsOf(cmp, 'fixed'), (item) => [`${side(item, 'before')} → ${side(item, 'after')}`]);
  block('waivedItems', itemsOf(cmp, 'waived'), (item) => [reasonNow(lang, cmp, item)]);
  block('newlyItems', itemsOf(cmp, 'newly_applicable'), (item) => [side(item, 'after')]);
  block('goneItems', itemsOf(cmp, 'no_longer_applicable'), (item) => [reasonNow(lang, cmp, item)]);
  block(
    'answersChanged',
    cmp.items.filter((i) => i.answerChanged),
    (item) => [`${side(item, 'before')} → ${side(item, 'after')}`, changeLabel(lang, item.change)],
  );
  return lines.join('\n');
}

function totalsLine(lang: Lang, run: CompareRun): string {
  const { schools, unpaired } = run.comparison;
  const n = (o: SchoolComparison['outcome']) => schools.filter((x) => x.outcome === o).length;
  const parts =
    lang === 'zh'
      ? [`共 ${schools.length} 所学校复核：整改完成 ${n('RECTIFIED')}，整改未完成 ${n('NOT_RECTIFIED')}`]
      : [
          `${schools.length} school(s) re-checked: ${n('RECTIFIED')} rectified, ${n('NOT_RECTIFIED')} not rectified`,
        ];
  if (unpaired.before.length + unpaired.after.length > 0) {
    parts.push(
      lang === 'zh'
        ? `未配对：只有整改前 ${unpaired.before.length} 所，只有整改后 ${unpaired.after.length} 所`
        : `without a pair: ${unpaired.before.length} before only, ${unpaired.after.length} after only`,
    );
  }
  if (run.failures.length > 0) {
    parts.push(
      lang === 'zh'
        ? `${run.failures.length} 个文件无法读取或核验（见上方错误）`
        : `${run.failures.length} file(s) could not be read or audited (see errors above)`,
    );
  }
  return parts.join(lang === 'zh' ? '；' : '; ');
}

export function renderCompareText(run: CompareRun, ctx: ReportContext): string {
  const { lang } = ctx;
  const chalk = new Chalk({ level: ctx.color ? 1 : 0 });
  const blocks = run.comparison.schools.map((cmp) => schoolBlock(lang, chalk, cmp));
  const { unpaired } = run.comparison;
  const unpairedLines: string[] = [];
  for (const [word, list] of [
    ['onlyBefore', unpaired.before],
    ['onlyAfter', unpaired.after],
  ] as const) {
    if (list.length === 0) continue;
    unpairedLines.push(`${w(lang, word)}:`);
    for (const school of list) {
      const r = school.result;
      const open = leftOpen(school) ? ` [${label(lang, 'verdict', r.verdict)}]` : '';
      unpairedLines.push(`   · ${safe(r.school.name)} (${safe(r.school.id)})${open}  ${safe(r.file)}`);
    }
  }
  if (unpairedLines.length > 0) blocks.push(unpairedLines.join('\n'));
  if (run.comparison.schools.length !== 1 || unpairedLines.length > 0 || run.failures.length > 0)
    blocks.push(chalk.bold(totalsLine(lang, run)));
  return `${blocks.join('\n\n')}\n`;
}
