/**
 * Reasons a school clerk or an inspector reads without a lookup: other items named by their
 * title, conditions and rules said as what holds with the values (never `||`, `&&`, `!`), the
 * parameter behind a threshold and who set it, functions in the report's language, and a
 * blank text answer taken as unanswered — in the terminal, Markdown and JSON reports alike.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, cli, libraryFrom, resolveFailures, resolveOk, ROOT } from './helpers.js';
import { explain } from '../src/i18n/index.js';
import { FUNCTION_WORDS } from '../src/i18n/words.js';
import { FUNCTION_NAMES } from '../src/expr/index.js';
import { htmlLines, mdCell } from '../src/report/escape.js';
import type { ItemResult } from '../src/model/result.js';

/**
 * The Shandong autumn example, changed so that one run shows every kind of reason: one health
 * technician for 1500 students, the isolation room left unanswered, the declaring authority
 * answered with spaces only.
 */
const SCHOOL = readFileSync(path.join(ROOT, 'examples/schools/shandong-autumn-disinfectant-month.yaml'), 'utf8')
  .replace('staffing.health.technicians: 3', 'staffing.health.technicians: 1')
  .replace('isolation.room.exists: true', 'isolation.room.exists: null')
  .replace(/gates\.epidemic\.declared_by: .*/, 'gates.epidemic.declared_by: "  "');

interface Reports {
  terminal: string;
  markdown: string;
  html: string;
  json: { schools: { verdict: string; items: { id: string; status: string; reason?: { text: string } }[] }[] };
}

let dir: string;
const runs = new Map<string, Reports>();

function run(name: string, args: string[]): Reports {
  const known = runs.get(name);
  if (known) return known;
  const md = path.join(dir, `${name}.md`);
  const json = path.join(dir, `${name}.json`);
  const html = path.join(dir, `${name}.html`);
  const formats = ['-f', 'text', '-f', `markdown:${md}`, '-f', `json:${json}`, '-f', `html:${html}`];
  const result = cli(['audit', path.join(dir, 'school.yaml'), ...formats, ...args]);
  expect(result.stderr).toBe('');
  const reports = {
    terminal: result.stdout,
    markdown: readFileSync(md, 'utf8'),
    html: readFileSync(html, 'utf8'),
    json: JSON.parse(readFileSync(json, 'utf8')) as Reports['json'],
  };
  runs.set(name, reports);
  return reports;
}

const zh = () => run('zh', []);
const en = () => run('en', ['--lang', 'en']);

/** The JSON report's reason text of an item. */
function jsonText(reports: Reports, id: string): string | undefined {
  return reports.json.schools[0]?.items.find((i) => i.id === id)?.reason?.text;
}

/** The Markdown row of an item in the results table ends with its reason cell. */
function markdownHasReason(reports: Reports, id: string, text: string): boolean {
  const cell = mdCell(text);
  return reports.markdown.split('\n').some((line) => line.startsWith(`| \`${id}\` |`) && (line.endsWith(`| ${cell} |`) || line.includes(`| ${cell}<br>`)));
}

/**
 * The reason of an item in the terminal's list of what fails or is open: the lines under its
 * id, up to the next entry, joined (spaces ignored, since the terminal wraps long reasons).
 */
function terminalReason(reports: Reports, id: string): string {
  const lines = reports.terminal.split('\n');
  // The id stands on a line of its own, under the entry's status and title.
  const at = lines.findIndex((l) => l.trim() === id);
  if (at < 0) return '';
  const indent = (lines[at] as string).length - (lines[at] as string).trimStart().length;
  let text = '';
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.length - line.trimStart().length < indent) break;
    text += line;
  }
  return text.replace(/\s+/g, '');
}

const squash = (text: string) => text.replace(/\s+/g, '');

/** The same reason text in every report: the terminal table, the Markdown and HTML tables, the JSON. */
function expectEverywhere(reports: Reports, id: string, text: string): void {
  expect(jsonText(reports, id)).toBe(text);
  const applies = reports.json.schools[0]?.items.find((i) => i.id === id)?.status !== 'not_applicable';
  // The terminal lists only what fails or is open; Markdown and HTML leave out whole checklists that do not apply.
  if (applies || reports.markdown.includes(`| \`${id}\` |`)) {
    expect(markdownHasReason(reports, id, text), `Markdown row of ${id}`).toBe(true);
  }
  // The HTML lets long ids break after a dot or an underscore (<wbr>), the text is otherwise the same.
  const html = reports.html.replace(/<wbr>/g, '');
  if (applies || html.includes(`<span class="id">${id}</span>`)) {
    expect(html, `HTML row of ${id}`).toContain(`<td>${htmlLines(text)}`);
  }
  if (applies) expect(terminalReason(reports, id)).toBe(squash(text));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reopen-audit-reasons-'));
  writeFileSync(path.join(dir, 'school.yaml'), SCHOOL);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('reasons name other items by their title', () => {
  it('a roll-up names the covered item that fails, with its id in brackets', () => {
    expectEverywhere(zh(), 'gates.conditions.in_place', '1 个所涵盖的核验项不符合要求：“含氯消毒剂储备可用天数”[supplies.disinfection.disinfectant_days]');
    expectEverywhere(en(), 'gates.conditions.in_place', '1 covered item(s) fail: "Days of use covered by the chlorine disinfectant stock" [supplies.disinfection.disinfectant_days]');
    expect(squash(zh().terminal)).toContain(squash('· [不符合] gates.conditions.in_place 1 个所涵盖的核验项不符合要求：“含氯消毒剂储备可用天数”[supplies.disinfection.disinfectant_days]'));
  });

  it('an item waiting on another names the one it waits on', () => {
    expectEverywhere(zh(), 'isolation.room.siting', '待定（依赖的核验项“已设立隔离观察室（留观室）”[isolation.room.exists]未作答）');
    expectEverywhere(en(), 'isolation.room.siting', 'pending (depends on "An isolation observation room has been set up" [isolation.room.exists], which is not answered)');
  });
});

describe('not-applicable reasons are said in words, with the values', () => {
  it('gives the checklist’s words and the numbers that decided it', () => {
    expectEverywhere(zh(), 'staffing.health.teacher', '不适用：学生数已达到按比例配备专职卫生技术人员的规模，按专职卫生技术人员核验（在校学生数 1500 ≥ 每名卫生技术人员对应学生数 600）');
    expectEverywhere(en(), 'staffing.health.teacher', 'not applicable: Enough students to call for full-time health technicians; they are checked instead (students 1500 ≥ Students per health technician 600)');
  });

  it('says what the school is rather than the raw comparison', () => {
    expectEverywhere(zh(), 'kg.items.toys_disinfected', '不适用：仅适用于幼儿园（学校类型为中等职业学校，不是幼儿园）');
    expectEverywhere(en(), 'kg.items.toys_disinfected', 'not applicable: For kindergartens only (school type is secondary vocational school, not kindergarten)');
  });

  it('never shows ||, && or ! to a reader', () => {
    // A day school without a canteen or boarders: the canteen-and-dormitory checklist (`canteen || boarding`) does not apply.
    const day = cli(['audit', path.join(ROOT, 'examples/schools/shandong-single-major-fail.yaml'), '-f', 'json']);
    const dayReport = JSON.parse(day.stdout) as Reports['json'];
    const items = [zh(), en(), { json: dayReport }].flatMap((r) => r.json.schools[0]?.items ?? []);
    expect(dayReport.schools[0]?.items.find((i) => i.id === 'living.canteen.staggered_meals')?.reason?.text).toBe(
      '不适用：学校既无学生食堂也不是寄宿制学校（学生食堂：否；寄宿制：否）',
    );
    for (const item of items) expect(item.reason?.text ?? '').not.toMatch(/\|\||&&|!/);
  });
});

describe('a threshold that is one parameter says which, and who set it', () => {
  const disinfectant = 'supplies.disinfection.disinfectant_days';

  it('names the profile that set it', () => {
    expectEverywhere(zh(), disinfectant, '含氯消毒剂储备可用天数 21 天 < 要求 30 天（参数“储备天数”[stock_days]，由配置方案“山东 2020 年秋季开学”[shandong-autumn-2020] 设定）');
    expectEverywhere(en(), disinfectant, 'Days of use covered by the chlorine disinfectant stock 21 days < required 30 days (parameter "Days of stock" [stock_days], set by the profile "Shandong, autumn 2020 reopening" [shandong-autumn-2020])');
  });

  it('names --param when the command line set it', () => {
    const reports = run('param', ['--param', 'stock_days=25']);
    expectEverywhere(reports, disinfectant, '含氯消毒剂储备可用天数 21 天 < 要求 25 天（参数“储备天数”[stock_days]，由命令行 --param stock_days=25 设定）');
  });

  it('says it is the checklist default, also on a pass', () => {
    const reports = run('national', ['--profile', 'national']);
    expect(markdownHasReason(reports, 'supplies.disinfection.disinfectant_days', '21 天，要求 ≥ 14 天（参数“储备天数”[stock_days]，核验表默认值）')).toBe(true);
  });
});

describe('functions are named in the report’s language', () => {
  it('ceil is 向上取整 in Chinese and stays ceil in English', () => {
    expectEverywhere(zh(), 'staffing.health.technicians', '专职卫生技术人员人数 1 人 < 要求 3 人 = 向上取整(1500 ÷ 600)');
    expectEverywhere(en(), 'staffing.health.technicians', 'Full-time health technicians 1 people < required 3 people = ceil(1500 ÷ 600)');
  });

  it('every function the expressions allow has its Chinese name', () => {
    expect(Object.keys(FUNCTION_WORDS).sort()).toEqual([...FUNCTION_NAMES].sort());
    expect(Object.values(FUNCTION_WORDS).every((w) => /^[\u4e00-\u9fff]+$/.test(w.zh))).toBe(true);
  });
});

describe('a blank text answer is unanswered', () => {
  it('"  " is not answered, not a failing answer', () => {
    const item = zh().json.schools[0]?.items.find((i) => i.id === 'gates.epidemic.declared_by');
    expect(item?.status).toBe('unanswered');
    expectEverywhere(zh(), 'gates.epidemic.declared_by', '未作答');
  });
});

/** A checklist of our own, for what the built-in ones do not use: rules, `!`, `in`, `? :`. */
const CHECKLIST = `id: drill
version: "1.0"
title: {zh: 演练, en: Drill}
sources: [{id: moe, title: 教育部通知}]
parameters:
  - name: sittings_required
    type: boolean
    default: true
    title: {zh: 要求分批就餐, en: Staggered meals required}
    description: {zh: 是否要求分批就餐, en: Whether meals are staggered}
    source: {ref: moe}
  - name: tables_per_class
    type: number
    default: 2
    description: {zh: 每班餐桌数, en: Tables per class}
    source: {ref: moe}
sections:
  - id: s
    title: {zh: 节, en: Section}
    items:
      - id: drill.s.sittings
        title: {zh: 就餐批次, en: Meal sittings}
        method: interview
        guidance: {zh: 问, en: Ask}
        answer: {type: number}
        expect: {rule: 'value >= 2 || !sittings_required'}
        severity: minor
        rationale: {zh: 理由, en: Why}
        remediation: {zh: 改, en: Fix}
        source: {ref: moe}
      - id: drill.s.night
        title: {zh: 夜间值守, en: Night watch}
        method: interview
        guidance: {zh: 问, en: Ask}
        answer: {type: boolean}
        applies_if: 'boarding && boarders > 100'
        severity: minor
        rationale: {zh: 理由, en: Why}
        remediation: {zh: 改, en: Fix}
        source: {ref: moe}
      - id: drill.s.day
        title: {zh: 走读生离校, en: Day pupils leave}
        method: interview
        guidance: {zh: 问, en: Ask}
        answer: {type: boolean}
        applies_if: '!canteen && type in ["senior", "complete_secondary"]'
        severity: minor
        rationale: {zh: 理由, en: Why}
        remediation: {zh: 改, en: Fix}
        source: {ref: moe}
      - id: drill.s.tables
        title: {zh: 餐桌数, en: Tables}
        method: site_visit
        guidance: {zh: 数, en: Count}
        answer: {type: number}
        expect: {min: 'max(classes * tables_per_class, floor(students / 40))'}
        severity: minor
        rationale: {zh: 理由, en: Why}
        remediation: {zh: 改, en: Fix}
        source: {ref: moe}
`;

const drillSchool = (profile: string, answers: string) => `school:
  id: "410105-009"
  name: 郑州市金水区第九中学
  district: 金水区
  ${profile}
audit:
  date: 2020-04-20
  level: county
answers:
${answers}`;

describe('conditions and rules in words, for any checklist', () => {
  const set = resolveOk(libraryFrom({ 'drill.yaml': CHECKLIST }), { checklists: ['drill'] });
  const reasonOf = (r: ItemResult | undefined, lang: 'zh' | 'en') => (r ? explain(lang, r, set.catalogue) : '');

  it('a failed rule says what holds, with the values', () => {
    const result = audit(set, drillSchool('type: junior\n  students: 900\n  staff: 80\n  classes: 20', '  drill.s.sittings: 1\n  drill.s.tables: 40\n'));
    const sittings = result.items.find((i) => i.id === 'drill.s.sittings');
    expect(sittings?.status).toBe('fail');
    expect(reasonOf(sittings, 'zh')).toBe('不满足要求（就餐批次 1 < 2；要求分批就餐：是）');
    expect(reasonOf(sittings, 'en')).toBe('the requirement does not hold (Meal sittings 1 < 2; Staggered meals required: yes)');
  });

  it('`a && b` names only the part that decided it; `!` and `in` read as what the school is', () => {
    const result = audit(set, drillSchool('type: junior\n  canteen: true\n  students: 900\n  staff: 80\n  classes: 20', '  drill.s.sittings: 2\n  drill.s.tables: 40\n'));
    expect(reasonOf(result.items.find((i) => i.id === 'drill.s.night'), 'zh')).toBe('不适用（寄宿制：否）');
    expect(reasonOf(result.items.find((i) => i.id === 'drill.s.day'), 'zh')).toBe('不适用（学生食堂：是）');
    const noCanteen = audit(set, drillSchool('type: junior\n  students: 900\n  staff: 80\n  classes: 20', '  drill.s.sittings: 2\n  drill.s.tables: 40\n'));
    expect(reasonOf(noCanteen.items.find((i) => i.id === 'drill.s.day'), 'zh')).toBe('不适用（学校类型为初级中学，不属于高级中学、完全中学）');
    expect(reasonOf(noCanteen.items.find((i) => i.id === 'drill.s.day'), 'en')).toBe('not applicable (school type is junior secondary school, not one of senior secondary school, complete secondary school)');
    const boarding = audit(set, drillSchool('type: junior\n  boarding: true\n  boarders: 80\n  students: 900\n  staff: 80\n  classes: 20', '  drill.s.sittings: 2\n  drill.s.tables: 40\n'));
    expect(reasonOf(boarding.items.find((i) => i.id === 'drill.s.night'), 'zh')).toBe('不适用（住校学生数 80 ≤ 100）');
  });

  it('max and floor are named in Chinese, kept in English', () => {
    const result = audit(set, drillSchool('type: junior\n  students: 900\n  staff: 80\n  classes: 20', '  drill.s.sittings: 2\n  drill.s.tables: 30\n'));
    const tables = result.items.find((i) => i.id === 'drill.s.tables');
    expect(reasonOf(tables, 'zh')).toBe('餐桌数 30 < 要求 40 = 最大值(20 × 2, 向下取整(900 ÷ 40))');
    expect(reasonOf(tables, 'en')).toBe('Tables 30 < required 40 = max(20 × 2, floor(900 ÷ 40))');
  });

  it('a result read back without its facts still says the condition in words', () => {
    const old: ItemResult = {
      id: 'drill.s.day',
      status: 'not_applicable',
      reason: { code: 'reason.conditionFalse', params: { condition: '!canteen && type in ["senior"]', values: '!true && "junior" in ["senior"]' } },
    };
    expect(reasonOf(old, 'zh')).toBe('不适用（条件不成立：非是 且 "junior" 属于 ["senior"]）');
  });

  it('words for a condition need the condition beside them', () => {
    const broken = CHECKLIST.replace("        applies_if: 'boarding && boarders > 100'\n", '        not_applicable_reason: {zh: 非寄宿制, en: Not boarding}\n');
    const failures = resolveFailures(libraryFrom({ 'drill.yaml': broken }), { checklists: ['drill'] });
    expect(failures[0]?.problems.map((p) => p.message.code)).toEqual(['resolve.reasonWithoutCondition']);
  });
});
