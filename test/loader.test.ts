import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bindProblems, libraryFrom, resolveFailures, resolveOk } from './helpers.js';
import { parseSource } from '../src/load/source.js';
import { decode } from '../src/load/decode.js';
import { t, tr } from '../src/i18n/index.js';
import type { Problem } from '../src/model/result.js';

const checklist = readFileSync(new URL('./fixtures/mini-checklist.yaml', import.meta.url), 'utf8');
const library = libraryFrom({ 'mini.yaml': checklist });
const set = resolveOk(library, { checklists: ['mini'] });

const header = `school:
  id: "370102-001"
  name: 济南市历下区实验小学
  district: 历下区
  type: primary
  students: 1100
  staff: 100
audit:
  date: 2020-04-20
  level: county
`;

function located(problems: Problem[], lang: 'zh' | 'en' = 'zh'): string[] {
  return problems.map((p) => `${p.file}:${p.line}:${p.col} ${tr(lang, p.message)}`);
}

describe('loading a school file', () => {
  it('locates a wrong type at the value', () => {
    const loaded = parseSource('s.yaml', header.replace('students: 1100', 'students: 一千一百'), 'school');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(located(loaded.problems)).toEqual(['s.yaml:6:13 “students”应为整数，实际为文本 "一千一百"']);
    expect(located(loaded.problems, 'en')).toEqual(['s.yaml:6:13 "students" must be integer, got string "一千一百"']);
  });

  it('locates an unknown key at the key, with a suggestion', () => {
    const loaded = parseSource('s.yaml', header.replace('staff: 100', 'staf: 100'), 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(located(loaded.problems)).toEqual(['s.yaml:1:1 缺少必填项“staff”', 's.yaml:7:3 未知的键“staf”，您是不是想写“staff”？']);
  });

  it('locates a missing key at its parent', () => {
    const loaded = parseSource('s.yaml', header.replace('  level: county\n', ''), 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(located(loaded.problems)).toEqual(['s.yaml:8:1 缺少必填项“level”']);
  });

  it('reports YAML syntax errors with line and column', () => {
    const loaded = parseSource('s.yaml', `${header}answers:\n  mini.gates.epidemic: "true\n`, 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(loaded.problems[0]).toMatchObject({ file: 's.yaml', line: 12, col: 24, message: { code: 'yaml.missingChar' } });
  });

  it('rejects duplicate keys', () => {
    const loaded = parseSource('s.yaml', `${header}answers:\n  mini.gates.epidemic: true\n  mini.gates.epidemic: false\n`, 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(loaded.problems[0]).toMatchObject({ line: 13, col: 3, message: { code: 'yaml.duplicateKey' } });
  });

  it('rejects a date that does not exist', () => {
    const loaded = parseSource('s.yaml', header.replace('2020-04-20', '2020-02-30'), 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(located(loaded.problems)).toEqual(['s.yaml:9:9 “date”应为有效日期（YYYY-MM-DD），实际为 "2020-02-30"']);
  });

  it('refuses custom tags without running them', () => {
    const loaded = parseSource('s.yaml', `${header}answers:\n  mini.gates.epidemic: !!js/function "function () { return true }"\n`, 'school');
    if (loaded.ok) throw new Error('expected errors');
    expect(loaded.problems[0]?.message.code).toBe('yaml.tag');
  });

  it('rejects an empty file and a non-mapping root', () => {
    const empty = parseSource('s.yaml', '# 只有注释\n', 'school');
    expect(empty.ok ? [] : empty.problems.map((p) => p.message.code)).toEqual(['yaml.empty']);
    const list = parseSource('s.yaml', '- a\n- b\n', 'school');
    expect(list.ok ? [] : list.problems.map((p) => p.message.code)).toEqual(['yaml.notMapping']);
  });

  it('decodes UTF-8 with BOM and GB18030, and refuses binary', () => {
    const bom = decode(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('a: 中文\r\n')]));
    expect(bom).toMatchObject({ ok: true, text: 'a: 中文\r\n' });
    const gbk = decode(new Uint8Array([0x61, 0x3a, 0x20, 0xd6, 0xd0, 0xce, 0xc4, 0x0a]));
    expect(gbk).toMatchObject({ ok: true, text: 'a: 中文\n', encoding: 'gb18030' });
    expect(decode(new Uint8Array([0x61, 0x00, 0x62]))).toMatchObject({ ok: false, error: { code: 'decode.binary' } });
  });
});

describe('binding answers to checklists', () => {
  it('rejects an unknown item id with a suggestion, at the key', () => {
    const problems = bindProblems(set, `${header}answers:\n  mini.supplies.mask: 100\n`);
    expect(located(problems)).toEqual(['school.yaml:12:3 没有编号为“mini.supplies.mask”的核验项，您是不是想写“mini.supplies.masks”？']);
    expect(located(problems, 'en')).toEqual(['school.yaml:12:3 there is no checklist item "mini.supplies.mask"; did you mean "mini.supplies.masks"?']);
  });

  it('rejects an answer of the wrong type at the value', () => {
    const problems = bindProblems(set, `${header}answers:\n  mini.supplies.masks: 很多\n  mini.isolation.exists: {value: 3}\n`);
    expect(located(problems)).toEqual([
      'school.yaml:12:24 应填数字，实际为文本 "很多"',
      'school.yaml:13:34 应填 true（是）或 false（否），实际为整数 3',
    ]);
  });

  it('rejects values out of range, unknown options and impossible dates', () => {
    const problems = bindProblems(set, `${header}answers:\n  mini.supplies.masks: -5\n  mini.plans.entrance: gates\n  mini.plans.drill_date: 2020-13-01\n`);
    expect(problems.map((p) => p.message.code)).toEqual(['answer.range', 'answer.choiceSuggest', 'answer.date']);
    expect(t('zh', problems[1]!.message.code, problems[1]!.message.params)).toBe('选项 "gates" 无效，您是不是想写“gate”？（可选：gate, handheld, none）');
  });

  it('accepts 是/否 for yes/no answers', () => {
    expect(bindProblems(set, `${header}answers:\n  mini.isolation.exists: 是\n`)).toEqual([]);
  });

  it('refuses to mark a gate not applicable, or to waive it', () => {
    const na = bindProblems(set, `${header}answers:\n  mini.gates.epidemic: N/A\n`);
    expect(na.map((p) => p.message.code)).toEqual(['answer.gateNotApplicable']);
    const waived = bindProblems(set, `${header}waivers:\n  - {item: mini.gates.epidemic, reason: x, approved_by: y, approved_on: 2020-04-01, expires: 2020-05-01}\n`);
    expect(waived.map((p) => p.message.code)).toEqual(['waiver.gate']);
  });
});

describe('loading checklists', () => {
  it('rejects a typo in an expression name when the checklist loads, at the expression', () => {
    const broken = checklist.replace('(students + staff) * masks_per_person_day', '(studnets + staff) * masks_per_person_day');
    const failures = resolveFailures(libraryFrom({ 'mini.yaml': broken }), { checklists: ['mini'] });
    const problems = failures.flatMap((f) => f.problems);
    expect(located(problems)).toEqual([
      'mini.yaml:52:23 表达式“(studnets + staff) * masks_per_person_day * stock_days”有误：未知的名称“studnets”，您是不是想写“students”？',
    ]);
  });

  it('rejects a comparison with a school type that does not exist', () => {
    const broken = checklist.replace('type == "senior"', 'type == "senoir"');
    const problems = resolveFailures(libraryFrom({ 'mini.yaml': broken }), { checklists: ['mini'] }).flatMap((f) => f.problems);
    expect(problems[0]?.message.params).toMatchObject({ detailCode: 'expr.unknownValue', value: 'senoir', suggestion: 'senior' });
  });

  it('rejects expressions that reach outside the names a checklist may use', () => {
    for (const expr of ['students.constructor', 'students[0]', 'students | upper', 'process.exit(1)']) {
      const broken = checklist.replace('"ceil(students / 600)"', JSON.stringify(expr));
      const problems = resolveFailures(libraryFrom({ 'mini.yaml': broken }), { checklists: ['mini'] }).flatMap((f) => f.problems);
      expect(problems.length, expr).toBe(1);
      expect(problems[0]?.message.code).toBe('expr.invalid');
    }
  });

  it('rejects an unknown source reference and a roll-up of a section that does not exist', () => {
    const broken = checklist.replace('sections: [supplies, isolation]', 'sections: [supplies, isolaton]').replace('source: {ref: moe-2020}\n  - name: masks', 'source: {ref: moe-2021}\n  - name: masks');
    const problems = resolveFailures(libraryFrom({ 'mini.yaml': broken }), { checklists: ['mini'] }).flatMap((f) => f.problems);
    expect(problems.map((p) => [p.message.code, p.message.params?.suggestion])).toEqual([
      ['resolve.unknownSource', 'moe-2020'],
      ['resolve.unknownSection', 'mini/isolation'],
    ]);
  });

  it('rejects an unknown parameter override', () => {
    const problems = resolveFailures(library, { checklists: ['mini'], params: { stock_day: '7' } }).flatMap((f) => f.problems);
    expect(located(problems).map((s) => s.replace(/^--param:undefined:undefined /, ''))).toEqual(['没有名为“stock_day”的参数，您是不是想写“stock_days”？']);
  });
});
