#!/usr/bin/env node
/**
 * Generates docs/checklists.md, the catalogue of the built-in library: every checklist,
 * item, parameter and profile, from the data in checklists/. Each checklist is rendered by
 * the same `checklistMarkdown` that `reopen-audit checklists show --format markdown` uses;
 * this script adds what spans the library (index, parameters, profiles).
 *
 *   node scripts/gen-checklists-doc.mjs            write docs/checklists.md
 *   node scripts/gen-checklists-doc.mjs --stdout   print it instead
 *   node scripts/gen-checklists-doc.mjs --check    exit 1 if docs/checklists.md is stale
 *
 * Reads the checklists through dist/, so run `npm run build` first. Same data, same bytes.
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = path.join(ROOT, 'docs', 'checklists.md');

async function importDist(module) {
  const file = path.join(ROOT, 'dist', module);
  if (!existsSync(file))
    throw new Error(`${path.relative(ROOT, file)} not found: run \`npm run build\` first`);
  return import(pathToFileURL(file).href);
}

const NOT_READY_DEFAULT = ['gate', 'critical'];

/** The catalogue as Markdown (zh first, with English titles). */
export async function generateChecklistsDoc() {
  const { loadLibrary, DEFAULT_PROFILE } = await importDist('load/library.js');
  const { resolve } = await importDist('resolve/index.js');
  const { checklistMarkdown } = await importDist('cli/checklists.js');
  const { label } = await importDist('i18n/index.js');
  const { mdCell, mdCode } = await importDist('report/escape.js');

  const library = await loadLibrary();
  if (library.failures.length > 0) {
    const where = library.failures.map((f) => f.file).join(', ');
    throw new Error(
      `the built-in library does not load (${where}): run \`reopen-audit validate checklists\``,
    );
  }
  const byId = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const profiles = [...library.profiles.values()]
    .map((s) => s.data)
    .sort((a, b) => (a.id === DEFAULT_PROFILE ? -1 : b.id === DEFAULT_PROFILE ? 1 : byId(a.id, b.id)));
  const profileById = new Map(profiles.map((p) => [p.id, p]));
  const chainOf = (p) => {
    const chain = [];
    for (
      let cur = p;
      cur && !chain.includes(cur);
      cur = cur.extends ? profileById.get(cur.extends) : undefined
    ) {
      chain.unshift(cur);
    }
    return chain;
  };
  // Checklists in the default profile's order, then any others by id.
  const defaultList = profileById.get(DEFAULT_PROFILE)?.checklists ?? [];
  const checklists = [...library.checklists.values()]
    .map((s) => s.data)
    .sort((a, b) => {
      const ia = defaultList.indexOf(a.id);
      const ib = defaultList.indexOf(b.id);
      if (ia !== ib) return ia === -1 ? 1 : ib === -1 ? -1 : ia - ib;
      return byId(a.id, b.id);
    });
  for (const p of profiles) {
    const outcome = resolve(library, { profile: p.id }, 'gen-checklists-doc');
    if (!outcome.ok)
      throw new Error(`profile ${p.id} does not resolve: run \`reopen-audit validate checklists\``);
  }

  const items = (c) => c.sections.flatMap((s) => s.items);
  const parameters = checklists.flatMap((c) => (c.parameters ?? []).map((p) => ({ param: p, checklist: c })));
  const seen = new Set();
  const uniqueParameters = parameters.filter(({ param }) => !seen.has(param.name) && seen.add(param.name));
  const withUnit = (value, unit) => `${String(value)}${unit ? ` ${unit.zh}` : ''}`;
  const sourceOf = (docs, ref) => {
    const assumption = ref.assumption ? `；假设：${ref.assumption.zh}` : '';
    if (ref.ref === 'unsourced') return `无文件依据：${ref.note?.zh ?? '依据文件未给出'}${assumption}`;
    const doc = docs.find((d) => d.id === ref.ref);
    const note = ref.note ? `（${ref.note.zh}）` : '';
    return `${doc ? `《${doc.title}》` : ref.ref}${ref.section ? ` ${ref.section}` : ''}${note}${assumption}`;
  };
  const severities = (list) => list.map((s) => label('zh', 'severity', s)).join('、');
  // An expression as code: in a table cell a pipe must be escaped even inside a code span.
  const exprCode = (text, inTable) =>
    /[`\n]/.test(text) ? mdCell(text) : `\`${inTable ? text.replace(/\|/g, '\\|') : text}\``;

  /** Parameter overrides in force for a profile, with the profile that set each. */
  const overridesOf = (p) => {
    const out = new Map();
    for (const link of chainOf(p)) {
      for (const [name, raw] of Object.entries(link.parameters ?? {})) {
        const value = raw !== null && typeof raw === 'object' ? raw.value : raw;
        const source = raw !== null && typeof raw === 'object' ? raw.source : undefined;
        out.set(name, { value, source, by: link });
      }
    }
    return [...out.entries()].sort(([a], [b]) => byId(a, b));
  };

  const out = [];
  const totalItems = checklists.reduce((n, c) => n + items(c).length, 0);
  out.push(
    '# 内置核验表目录 · Built-in checklist catalogue',
    '',
    '<!-- Generated by scripts/gen-checklists-doc.mjs from checklists/. Do not edit by hand: run `npm run docs:checklists`. -->',
    '',
    '本目录列出内置的全部核验表、核验项、参数和配置方案，由 `scripts/gen-checklists-doc.mjs` 根据 `checklists/` 中的数据生成，请勿手工修改。修改核验表或配置方案后运行 `npm run docs:checklists`（脚本通过 `dist/` 读取数据，须先 `npm run build`）；本文件与数据不一致时测试不通过。',
    '',
    'Every built-in checklist, item, parameter and profile, generated from the data in `checklists/` by `scripts/gen-checklists-doc.mjs`; do not edit by hand. After changing a checklist or profile, run `npm run docs:checklists` (it reads the data through `dist/`, so build first); a test fails while this file is stale. Item texts are shown in Chinese; `reopen-audit checklists show <id> --lang en` shows a checklist in English.',
    '',
    `共 ${checklists.length} 张核验表、${totalItems} 个核验项、${uniqueParameters.length} 个参数、${profiles.length} 个配置方案。`,
    '',
  );

  out.push(
    '## 核验表一览 · Checklists',
    '',
    '| 编号 | 版本 | 名称 | Title | 章节 | 核验项 | 适用条件 |',
    '|---|---|---|---|---|---|---|',
  );
  for (const c of checklists) {
    out.push(
      `| ${mdCode(c.id)} | ${c.version} | ${mdCell(c.title.zh)} | ${mdCell(c.title.en)} | ${c.sections.length} | ${items(c).length} | ${c.applies_if ? exprCode(c.applies_if, true) : ''} |`,
    );
  }
  out.push('');

  out.push('## 配置方案 · Profiles', '');
  out.push(
    `配置方案选择核验表、覆盖参数默认值，可继承另一配置方案（\`extends\`）；未指定时使用 \`${DEFAULT_PROFILE}\`。“不具备开学条件的等级”指哪些等级的核验项不符合即不具备开学条件（未设定时为${severities(NOT_READY_DEFAULT)}）。`,
    '',
  );
  for (const p of profiles) {
    const chain = chainOf(p);
    const listedBy = [...chain].reverse().find((x) => x.checklists);
    const notReadyBy = [...chain].reverse().find((x) => x.not_ready_on);
    out.push(`### ${mdCell(p.title.zh)} (${mdCode(p.id)}${p.version ? ` v${p.version}` : ''})`, '');
    out.push(`*${mdCell(p.title.en)}*`, '');
    if (p.description) out.push(mdCell(p.description.zh), '');
    const inherited = (by) => (by && by !== p ? `（继承自 ${mdCode(by.id)}）` : '');
    out.push('| | |', '|---|---|');
    out.push(`| 继承 · Extends | ${p.extends ? mdCode(p.extends) : '—'} |`);
    out.push(
      `| 核验表 · Checklists | ${(listedBy?.checklists ?? []).map((id) => mdCode(id)).join(', ')}${inherited(listedBy)} |`,
    );
    out.push(
      `| 不具备开学条件的等级 · Not ready on | ${notReadyBy ? `${severities(notReadyBy.not_ready_on)}${inherited(notReadyBy)}` : `${severities(NOT_READY_DEFAULT)}（默认）`} |`,
    );
    out.push('');
    const overrides = overridesOf(p);
    if (overrides.length === 0) {
      out.push('参数：无覆盖，使用各核验表的默认值。', '');
    } else {
      out.push('| 参数 | 取值 | 默认值 | 设定于 | 依据 |', '|---|---|---|---|---|');
      for (const [name, o] of overrides) {
        const decl = uniqueParameters.find((x) => x.param.name === name)?.param;
        const docs = chainOf(o.by).flatMap((x) => x.sources ?? []);
        out.push(
          `| ${mdCode(name)} | ${mdCell(withUnit(o.value, decl?.unit))} | ${decl ? mdCell(withUnit(decl.default, decl.unit)) : ''} | ${mdCode(o.by.id)} | ${o.source ? mdCell(sourceOf(docs, o.source)) : '未注明'} |`,
        );
      }
      out.push('');
    }
    if (p.sources && p.sources.length > 0) {
      out.push('依据文件：', '');
      for (const s of p.sources) {
        const facts = [s.issuer, s.number, s.date].filter(Boolean).join('，');
        out.push(
          `- ${mdCode(s.id)} ${mdCell(s.title)}${facts ? `（${mdCell(facts)}）` : ''}${s.note ? `：${mdCell(s.note.zh)}` : ''}`,
        );
      }
      out.push('');
    }
  }

  out.push(
    '## 定级规则 · Severity rules',
    '',
    '每个核验项的等级按下列规则确定，`rationale`（定级理由）写明该项适用哪一条；`test/library.test.ts` 检查依据为假设的核验项不是一票否决或关键项。',
    '',
    'Every item\'s severity follows these rules, and its `rationale` says which one applies; `test/library.test.ts` checks that no item resting on an assumption is a gate or critical.',
    '',
    '| 等级 | Severity | 何时使用 | When it is used |',
    '|---|---|---|---|',
    '| 一票否决 | gate | 只用于“三个不开学”（教育部 2020-02-28）及其汇总项；不能标记不适用，不能豁免。 | Only the three no-opening conditions (MOE, 28 Feb 2020) and their roll-ups; never not applicable, never waived. |',
    '| 关键 | critical | 可指明的依据文件把它列为开学（开园、开餐）前必须具备的条件，或法律规定不具备即不得开展该项工作；缺失会直接让传染进入或在校内传播，且当天无可替代的做法。要求和阈值都须有文件依据，不能是假设。关键项汇总进第二、三个否决项。 | A document that can be named makes it a condition to be in place before opening (or the law forbids the work without it); missing it lets infection in or through the school, with no stand-in on the day. The requirement and any threshold must come from a document, not an assumption. Critical items roll up into gates two and three. |',
    '| 重要 | major | 依据文件规定的要求，但可较快整改或有临时替代（如以手持额温枪代替测温门），或是地方做法而非全国要求；以及要求或阈值依据为假设的任何核验项。 | A requirement a source states that can be fixed quickly or has a stand-in (handheld thermometers for a screening gate), or a regional practice rather than a national rule; and any item whose requirement or threshold rests on an assumption. |',
    '| 一般 | minor | 依据文件提到的做法，影响记录、便利或教学秩序，不直接关系防疫安全，可随时整改。 | A practice the sources mention that concerns records, convenience or teaching order rather than health safety, fixable at any time. |',
    '| 建议 | advisory | 依据文件只是鼓励或以“有条件的”为前提而不作要求的做法。 | What the sources only encourage, or ask for only "where conditions allow", without requiring it. |',
    '',
  );

  // Every requirement and number that rests on an assumption, with why it was chosen.
  const assumed = [];
  for (const c of checklists) {
    for (const { param } of parameters.filter((x) => x.checklist === c)) {
      if (param.source.assumption) assumed.push([mdCode(param.name), `参数（${mdCode(c.id)}）`, mdCell(param.source.assumption.zh)]);
    }
    for (const item of items(c)) {
      if (item.source.assumption) assumed.push([mdCode(item.id), `${label('zh', 'severity', item.severity)}项`, mdCell(item.source.assumption.zh)]);
    }
  }
  for (const p of profiles) {
    for (const [name, raw] of Object.entries(p.parameters ?? {})) {
      const source = raw !== null && typeof raw === 'object' ? raw.source : undefined;
      if (source?.assumption) assumed.push([mdCode(name), `配置方案 ${mdCode(p.id)}`, mdCell(source.assumption.zh)]);
    }
  }
  out.push(
    '## 依据为假设的要求 · Requirements resting on an assumption',
    '',
    '下列核验项和数值没有可指明的文件依据，是假设，并说明为何这样取值。Markdown 报告在这些项旁标注“依据为假设”并列出说明；JSON 报告在 `source.assumption` 中给出说明。',
    '',
    'These items and numbers have no document that can be named behind them; each is an assumption, with why it was chosen. The Markdown report marks them "rests on an assumption" and lists the reasons; the JSON report gives the reason in `source.assumption`.',
    '',
    '| 编号 | 类别 | 为何这样取 |',
    '|---|---|---|',
    ...assumed.map((row) => `| ${row.join(' | ')} |`),
    '',
  );

  out.push('## 参数 · Parameters', '');
  out.push(
    '核验表声明的全部参数、默认值及其依据；没有来源文件给出数值的，注明“无文件依据”。运行时可用 `--param 名称=值` 覆盖。',
    '',
    '| 参数 | 默认值 | 核验表 | 说明 | 默认值依据 | 配置方案覆盖 |',
    '|---|---|---|---|---|---|',
  );
  for (const { param, checklist } of [...uniqueParameters].sort((a, b) => byId(a.param.name, b.param.name))) {
    const users = parameters.filter((x) => x.param.name === param.name).map((x) => mdCode(x.checklist.id));
    const set = profiles
      .filter((p) => Object.hasOwn(p.parameters ?? {}, param.name))
      .map((p) => {
        const raw = p.parameters[param.name];
        const value = raw !== null && typeof raw === 'object' ? raw.value : raw;
        return `${mdCode(p.id)}: ${mdCell(withUnit(value, param.unit))}`;
      });
    out.push(
      `| ${mdCode(param.name)} | ${mdCell(withUnit(param.default, param.unit))} | ${users.join(', ')} | ${mdCell(param.description.zh)} | ${mdCell(sourceOf(checklist.sources, param.source))} | ${set.join('<br>')} |`,
    );
  }
  out.push('');

  for (const c of checklists) {
    // The shared renderer, with the English title and the checklist's own condition under its heading.
    const [heading, ...body] = checklistMarkdown(c, 'zh').trimEnd().split('\n');
    out.push(
      heading,
      '',
      `*${mdCell(c.title.en)}*${c.applies_if ? ` · 本表适用条件：${exprCode(c.applies_if, false)}` : ''}`,
    );
    out.push(...body, '');
    out.push('**作答类型**', '', '| 编号 | 作答 | 单位或选项 |', '|---|---|---|');
    for (const item of items(c)) {
      const a = item.answer;
      const kind = a ? label('zh', 'answerType', a.type) : '汇总（不单独作答）';
      const detail = a?.options
        ? a.options.map((o) => `${mdCode(o.value)} ${mdCell(o.label.zh)}`).join('；')
        : a?.unit
          ? mdCell(a.unit.zh)
          : '';
      out.push(`| ${mdCode(item.id)} | ${kind} | ${detail} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

async function main(argv) {
  const text = await generateChecklistsDoc();
  if (argv.includes('--stdout')) {
    process.stdout.write(text);
    return 0;
  }
  const current = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : null;
  const shown = path.relative(process.cwd(), DOC_PATH);
  if (argv.includes('--check')) {
    if (current === text) return 0;
    process.stderr.write(`${shown} is stale: run \`npm run docs:checklists\`\n`);
    return 1;
  }
  if (current !== text) {
    const tmp = `${DOC_PATH}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, DOC_PATH);
  }
  process.stdout.write(`${shown} ${current === text ? 'is up to date' : 'written'}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`gen-checklists-doc: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
