/** `reopen-audit checklists list|show`: the built-in library as a reader sees a 核验表. */
import Table from 'cli-table3';
import type { Checklist, Item } from '../model/schema.js';
import { label, local, type Lang } from '../i18n/index.js';
import { closest } from '../util/suggest.js';
import { terminalSafe } from '../report/escape.js';
import { wrapCell } from '../report/wrap.js';
import { selectLibrary } from '../load/selection.js';
import type { GlobalOptions } from './options.js';
import { commandMessage, formatProblem } from './shared.js';

const W = {
  id: { zh: '编号', en: 'ID' },
  version: { zh: '版本', en: 'Version' },
  title: { zh: '名称', en: 'Title' },
  sections: { zh: '章节', en: 'Sections' },
  items: { zh: '核验项', en: 'Items' },
  checklists: { zh: '核验表', en: 'Checklists' },
  profiles: { zh: '配置方案', en: 'Profiles' },
  extends: { zh: '继承', en: 'Extends' },
  sources: { zh: '依据文件', en: 'Sources' },
  parameters: { zh: '参数', en: 'Parameters' },
  method: { zh: '方式', en: 'Method' },
  severity: { zh: '等级', en: 'Severity' },
  answer: { zh: '作答', en: 'Answer' },
  expect: { zh: '要求', en: 'Requirement' },
  appliesIf: { zh: '适用条件', en: 'Applies if' },
  guidance: { zh: '检查要点', en: 'Guidance' },
  remediation: { zh: '整改建议', en: 'Remediation' },
  source: { zh: '依据', en: 'Source' },
  rationale: { zh: '定级理由', en: 'Why this severity' },
  rollup: { zh: '汇总', en: 'Rolls up' },
  passMark: { zh: '合格线', en: 'Pass mark' },
  unsourced: { zh: '无文件依据', en: 'no source document' },
} as const;
const w = (lang: Lang, k: keyof typeof W) => W[k][lang];
const safe = (s: string) => terminalSafe(s);

export async function runChecklistsList(opts: { format: string }, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const { library } = await selectLibrary(undefined, []);
  const checklists = [...library.checklists.values()].map((s) => s.data).sort((a, b) => a.id.localeCompare(b.id));
  const profiles = [...library.profiles.values()].map((s) => s.data).sort((a, b) => a.id.localeCompare(b.id));
  if (opts.format === 'json') {
    const data = {
      checklists: checklists.map((c) => ({ id: c.id, version: c.version, title: c.title, sections: c.sections.length, items: countItems(c) })),
      profiles: profiles.map((p) => ({ id: p.id, title: p.title, extends: p.extends ?? null, checklists: p.checklists ?? null })),
    };
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return library.failures.length > 0 ? 2 : 0;
  }
  const ct = new Table({ head: [w(lang, 'id'), w(lang, 'version'), w(lang, 'title'), w(lang, 'sections'), w(lang, 'items')], style: { head: [], border: [] } });
  for (const c of checklists) ct.push([c.id, c.version, safe(c.title[lang]), String(c.sections.length), String(countItems(c))]);
  const pt = new Table({ head: [w(lang, 'id'), w(lang, 'title'), w(lang, 'extends')], style: { head: [], border: [] } });
  for (const p of profiles) pt.push([p.id, safe(p.title[lang]), p.extends ?? '']);
  const total = checklists.reduce((n, c) => n + countItems(c), 0);
  const totalLine = lang === 'zh' ? `共 ${checklists.length} 张核验表、${total} 个核验项` : `${checklists.length} checklists, ${total} items`;
  process.stdout.write(`${w(lang, 'checklists')}\n${ct.toString()}\n${totalLine}\n\n${w(lang, 'profiles')}\n${pt.toString()}\n`);
  for (const f of library.failures) for (const p of f.problems) process.stderr.write(`${formatProblem(lang, p)}\n`);
  return library.failures.length > 0 ? 2 : 0;
}

function countItems(c: Checklist): number {
  return c.sections.reduce((n, s) => n + s.items.length, 0);
}

export async function runChecklistsShow(id: string, opts: { format: string }, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const { library } = await selectLibrary(undefined, []);
  const source = library.checklists.get(id);
  if (!source) {
    const known = [...library.checklists.keys()].sort();
    process.stderr.write(commandMessage(lang, 'cli.unknownChecklistId', { id, known: known.join(', '), suggestion: closest(id, known) ?? null }));
    return 2;
  }
  const checklist = source.data;
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify(checklist, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(opts.format === 'markdown' ? checklistMarkdown(checklist, lang) : checklistText(checklist, lang));
  return 0;
}

export function expectationText(item: Item, lang: Lang): string {
  const e = item.expect ?? {};
  const parts: string[] = [];
  const unit = item.answer?.unit ? ` ${local(lang, item.answer.unit)}` : '';
  if (item.answer?.type === 'boolean' && e.equals === undefined && !e.rule) parts.push(label(lang, 'yesNo', 'true'));
  if (e.equals !== undefined) parts.push(`= ${typeof e.equals === 'boolean' ? label(lang, 'yesNo', String(e.equals)) : e.equals}${typeof e.equals === 'number' ? unit : ''}`);
  if (e.min !== undefined) parts.push(`≥ ${e.min}${unit}`);
  if (e.max !== undefined) parts.push(`≤ ${e.max}${unit}`);
  if (e.one_of) {
    const labels = e.one_of.map((v) => item.answer?.options?.find((o) => o.value === v)?.label[lang] ?? v);
    parts.push(labels.join(lang === 'zh' ? ' 或 ' : ' or '));
  }
  if (e.within_days !== undefined) parts.push(lang === 'zh' ? `核验日前 ${e.within_days} 天内` : `within ${e.within_days} days before the audit`);
  if (e.not_after_audit) parts.push(lang === 'zh' ? '不晚于核验日期' : 'not after the audit date');
  if (e.non_empty) parts.push(lang === 'zh' ? '已填写' : 'filled in');
  if (e.rule) parts.push(e.rule);
  if (item.rollup) {
    const covered = [...(item.rollup.sections ?? []), ...(item.rollup.items ?? [])].join(', ');
    const sev = item.rollup.severities.map((s) => label(lang, 'severity', s)).join('/');
    parts.push(lang === 'zh' ? `所涵盖的${sev}项全部符合：${covered}` : `every ${sev} item covered passes: ${covered}`);
  }
  return parts.join(lang === 'zh' ? '；' : '; ');
}

function answerText(item: Item, lang: Lang): string {
  if (!item.answer) return w(lang, 'rollup');
  const base = label(lang, 'answerType', item.answer.type);
  if (item.answer.options) return `${base}（${item.answer.options.map((o) => o.label[lang]).join(' / ')}）`;
  if (item.answer.unit) return `${base}（${item.answer.unit[lang]}）`;
  return base;
}

function sourceText(checklist: Checklist, ref: Item['source'], lang: Lang): string {
  if (ref.ref === 'unsourced') return `${w(lang, 'unsourced')}${ref.note ? `：${ref.note[lang]}` : ''}`;
  const doc = checklist.sources.find((s) => s.id === ref.ref);
  return `${doc?.title ?? ref.ref}${ref.section ? ` ${ref.section}` : ''}`;
}

function checklistText(c: Checklist, lang: Lang): string {
  const out: string[] = [];
  out.push(`${safe(c.title[lang])}（${c.id} v${c.version}）`);
  if (c.description) out.push(safe(c.description[lang]));
  if (c.pass_mark !== undefined) out.push(`${w(lang, 'passMark')}: ${c.pass_mark}%`);
  out.push('', `${w(lang, 'sources')}:`);
  for (const s of c.sources) out.push(`  [${s.id}] ${safe(s.title)}${s.issuer ? `，${safe(s.issuer)}` : ''}${s.date ? `，${s.date}` : ''}`);
  if (c.parameters && c.parameters.length > 0) {
    out.push('', `${w(lang, 'parameters')}:`);
    for (const p of c.parameters) {
      out.push(`  ${p.name} = ${String(p.default)}${p.unit ? ` ${p.unit[lang]}` : ''} — ${safe(p.description[lang])}（${w(lang, 'source')}: ${safe(sourceText(c, p.source, lang))}）`);
    }
  }
  c.sections.forEach((section, s) => {
    out.push('', `${s + 1}. ${safe(section.title[lang])}（${section.id}）${section.applies_if ? ` — ${w(lang, 'appliesIf')}: ${section.applies_if}` : ''}`);
    const table = new Table({ head: [w(lang, 'id'), w(lang, 'title'), w(lang, 'method'), w(lang, 'severity'), w(lang, 'expect')], style: { head: [], border: [] } });
    // Ids stay on one line: a person copies them into a school file.
    const idWidth = Math.max(...section.items.map((i) => i.id.length));
    for (const item of section.items) {
      table.push([
        wrapCell(item.id, idWidth),
        wrapCell(safe(item.title[lang]), 24),
        label(lang, 'method', item.method),
        label(lang, 'severity', item.severity),
        wrapCell(safe(`${expectationText(item, lang)}${item.applies_if ? `\n${w(lang, 'appliesIf')}: ${item.applies_if}` : ''}`), 36),
      ]);
    }
    out.push(table.toString());
    for (const item of section.items) {
      out.push(`  ${item.id} ${safe(item.title[lang])}`);
      out.push(`    ${w(lang, 'answer')}: ${answerText(item, lang)}`);
      out.push(`    ${w(lang, 'guidance')}: ${safe(item.guidance[lang])}`);
      if (item.rationale) out.push(`    ${w(lang, 'rationale')}: ${safe(item.rationale[lang])}`);
      out.push(`    ${w(lang, 'remediation')}: ${safe(item.remediation[lang])}`);
      out.push(`    ${w(lang, 'source')}: ${safe(sourceText(c, item.source, lang))}`);
    }
  });
  return `${out.join('\n')}\n`;
}

function md(text: string): string {
  return terminalSafe(text).replace(/([\\|*_[\]<>`])/g, '\\$1');
}

export function checklistMarkdown(c: Checklist, lang: Lang): string {
  const out: string[] = [];
  out.push(`## ${md(c.title[lang])} (\`${c.id}\` v${c.version})`, '');
  if (c.description) out.push(md(c.description[lang]), '');
  out.push(`**${w(lang, 'sources')}**`, '');
  for (const s of c.sources) out.push(`- \`${s.id}\` ${md(s.title)}${s.issuer ? `, ${md(s.issuer)}` : ''}${s.date ? `, ${md(s.date)}` : ''}`);
  out.push('');
  if (c.parameters && c.parameters.length > 0) {
    out.push(`**${w(lang, 'parameters')}**`, '', `| ${w(lang, 'id')} | ${lang === 'zh' ? '默认值' : 'Default'} | ${lang === 'zh' ? '说明' : 'Description'} | ${w(lang, 'source')} |`, '|---|---|---|---|');
    for (const p of c.parameters) {
      out.push(`| \`${p.name}\` | ${md(String(p.default))}${p.unit ? ` ${md(p.unit[lang])}` : ''} | ${md(p.description[lang])} | ${md(sourceText(c, p.source, lang))} |`);
    }
    out.push('');
  }
  for (const section of c.sections) {
    out.push(`### ${md(section.title[lang])} (\`${section.id}\`)`, '');
    if (section.applies_if) out.push(`${w(lang, 'appliesIf')}: \`${section.applies_if}\``, '');
    out.push(`| ${w(lang, 'id')} | ${w(lang, 'title')} | ${w(lang, 'method')} | ${w(lang, 'severity')} | ${w(lang, 'expect')} | ${w(lang, 'appliesIf')} | ${w(lang, 'source')} |`, '|---|---|---|---|---|---|---|');
    for (const item of section.items) {
      out.push(
        `| \`${item.id}\` | ${md(item.title[lang])} | ${label(lang, 'method', item.method)} | ${label(lang, 'severity', item.severity)} | ${md(expectationText(item, lang))} | ${item.applies_if ? `\`${item.applies_if.replace(/\|/g, '\\|')}\`` : ''} | ${md(sourceText(c, item.source, lang))} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
