// The prompt library is replaced by @inquirer/testing's virtual screen: import it first.
import { screen } from '@inquirer/testing/vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { askProfile } from '../src/interview/profile.js';
import { finish, walkItems, type SessionOptions } from '../src/interview/session.js';
import { SchoolStore, StoreError } from '../src/interview/store.js';
import { expectationText, scopeOf } from '../src/interview/describe.js';
import type { ResolvedSet } from '../src/resolve/index.js';
import { libraryFrom, resolveOk, tempDir } from './helpers.js';

/** A checklist of every answer type, held here so the tests do not move with the built-ins. */
const CHECKLIST = `
id: drill
version: "1.0.0"
title: {zh: 开学条件演练核验表, en: Reopening drill checklist}
sources:
  - id: moe-2020
    title: 教育部党组《关于统筹做好教育系统新冠肺炎疫情防控和教育改革发展工作的通知》
parameters:
  - name: stock_days
    type: number
    default: 14
    unit: {zh: 天, en: days}
    description: {zh: 防疫物资须满足使用的天数, en: Days the supplies must last}
    source: {ref: moe-2020}
  - name: masks_per_person_day
    type: number
    default: 1
    unit: {zh: 只/人·天, en: masks per person per day}
    description: {zh: 每人每天口罩用量, en: Masks per person per day}
    source: {ref: unsourced, note: {zh: 无文件规定, en: No document gives a rate}}
sections:
  - id: gates
    title: {zh: 开学前提, en: Preconditions}
    items:
      - id: drill.gates.epidemic
        title: {zh: 属地已宣布疫情得到基本控制, en: The authority declared the epidemic under control}
        method: document_review
        guidance: {zh: 查阅属地联防联控机制的书面结论, en: Read the written conclusion of the local authority}
        answer: {type: boolean}
        severity: gate
        rationale: {zh: 三个不开学之一, en: One of the three conditions}
        remediation: {zh: 暂缓开学, en: Do not open}
        source: {ref: moe-2020}
  - id: supplies
    title: {zh: 物资储备, en: Supplies}
    items:
      - id: drill.supplies.masks
        title: {zh: 口罩储备, en: Mask stock}
        method: site_visit
        guidance: {zh: 清点库存口罩并与台账核对, en: Count the masks in store against the ledger}
        answer: {type: number, unit: {zh: 只, en: masks}, min: 0, integer: true}
        expect: {min: "(students + staff) * masks_per_person_day * stock_days"}
        severity: critical
        rationale: {zh: 物资保障, en: Supplies}
        remediation: {zh: 补足口罩, en: Top up the masks}
        source: {ref: moe-2020}
  - id: isolation
    title: {zh: 隔离观察室, en: Isolation room}
    items:
      - id: drill.isolation.exists
        title: {zh: 设置临时隔离观察室, en: A temporary isolation room is set up}
        method: site_visit
        guidance: {zh: 实地查看, en: Go and look}
        answer: {type: boolean}
        severity: critical
        rationale: {zh: 发现可疑症状时使用, en: For suspected cases}
        remediation: {zh: 设置隔离观察室, en: Set one up}
        source: {ref: moe-2020}
      - id: drill.isolation.signage
        title: {zh: 隔离观察室有明显标识, en: The room is signposted}
        method: site_visit
        guidance: {zh: 查看门口标识, en: Look for a sign at the door}
        answer: {type: boolean}
        applies_if: drill.isolation.exists
        severity: minor
        rationale: {zh: 便于引导, en: Easy to find}
        remediation: {zh: 张贴标识, en: Put up a sign}
        source: {ref: moe-2020}
      - id: drill.isolation.boarding_site
        title: {zh: 寄宿制学校单独设置留观场所, en: Separate observation site for boarders}
        method: site_visit
        guidance: {zh: 实地查看宿舍区留观场所, en: Look at the dormitory observation site}
        answer: {type: boolean}
        applies_if: boarding
        severity: major
        rationale: {zh: 寄宿生夜间发热, en: Boarders at night}
        remediation: {zh: 单独设置留观场所, en: Set up a site}
        source: {ref: moe-2020}
  - id: plans
    title: {zh: 预案与演练, en: Plans and drills}
    items:
      - id: drill.plans.drill_date
        title: {zh: 最近一次应急演练日期, en: Date of the last emergency drill}
        method: document_review
        guidance: {zh: 查阅演练记录和照片, en: Read the drill record}
        answer: {type: date}
        expect: {within_days: 30}
        severity: major
        rationale: {zh: 熟悉流程, en: Practice}
        remediation: {zh: 开学前组织演练, en: Hold a drill}
        source: {ref: moe-2020}
      - id: drill.plans.entrance
        title: {zh: 校门测温方式, en: Temperature screening at the gate}
        method: site_visit
        guidance: {zh: 实地查看校门, en: Look at the gate}
        answer:
          type: choice
          options:
            - {value: gate, label: {zh: 测温门, en: Screening gate}}
            - {value: handheld, label: {zh: 额温枪, en: Handheld thermometer}}
            - {value: none, label: {zh: 无, en: None}}
        expect: {one_of: [gate, handheld]}
        severity: major
        rationale: {zh: 入校测温, en: Screening}
        remediation: {zh: 配备测温设备, en: Get screening equipment}
        source: {ref: moe-2020}
      - id: drill.plans.contact
        title: {zh: 疫情防控联系人及电话, en: Prevention contact and phone}
        method: interview
        guidance: {zh: 记录姓名和电话, en: Record the name and phone}
        answer: {type: text}
        expect: {non_empty: true}
        severity: minor
        rationale: {zh: 联络畅通, en: Reachable}
        remediation: {zh: 指定联系人, en: Name one}
        source: {ref: moe-2020}
`;

const SCHOOL = `# 金水区第一中学 春季开学现场核验
school:
  id: "410105-0001"
  name: 郑州市金水区第一中学
  district: 金水区   # 区教育局督导组负责
  type: junior
  boarding: false
  canteen: true
  students: 1100
  staff: 100
audit:
  date: 2020-04-20
  level: county
  checklists: [drill]
answers:
`;

function setOf(): ResolvedSet {
  return resolveOk(libraryFrom({ 'drill.yaml': CHECKLIST }), { checklists: ['drill'] });
}

function schoolFile(text = SCHOOL): string {
  const dir = tempDir('interview');
  const file = path.join(dir, 'jinshui-1.yaml');
  writeFileSync(file, text);
  return file;
}

function options(extra: Partial<SessionOptions> = {}): SessionOptions {
  return { lang: 'zh', review: false, scope: { checklists: [], sections: [] }, width: 80, color: false, tool: { name: 'reopen-audit', version: 'test' }, ...extra };
}

/** Wait (a bounded number of renders) until the prompt on screen shows `text`. */
async function until(text: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const now = screen.getScreen();
    if (now.includes(text)) return now;
    await screen.next();
  }
  throw new Error(`never saw "${text}"; screen:\n${screen.getScreen()}`);
}

const enter = () => screen.keypress('enter');
const down = (n = 1) => {
  for (let i = 0; i < n; i++) screen.keypress('down');
};
/** Type into a text prompt and press Enter. */
const typeEnter = (text: string) => {
  screen.type(text);
  enter();
};
/** Leave note and evidence empty. */
async function noNotes(): Promise<void> {
  await until('备注');
  enter();
  await until('证据文件');
  enter();
}

function answersOnDisk(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')).answers ?? {};
}

describe('what the inspector is told before answering', () => {
  it('shows the computed requirement with the formula and the numbers for this school', () => {
    const set = setOf();
    const scope = scopeOf(set, { students: 1100, staff: 100, type: 'junior' }, { date: '2020-04-20', level: 'county' });
    const masks = set.itemsById.get('drill.supplies.masks');
    expect(masks && expectationText('zh', set, masks, scope)).toBe('≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天');
    expect(masks && expectationText('en', set, masks, scope)).toBe('≥ 16800 masks, from (students 1100 + staff 100) × 1 masks per person per day × 14 days');
    const drill = set.itemsById.get('drill.plans.drill_date');
    expect(drill && expectationText('zh', set, drill, scope)).toBe('核验日期前 30 天内（2020-03-21 至 2020-04-20）');
    const unknown = scopeOf(set, { type: 'junior' }, { level: 'self' });
    expect(masks && expectationText('zh', set, masks, unknown)).toBe('≥ (学生 + 教职工) × 1 只/人·天 × 14 天（填写学校信息后计算）');
  });
});

describe('walking the items', () => {
  it('asks section by section, validates input, saves each answer at once and skips what does not apply', async () => {
    const set = setOf();
    const file = schoolFile();
    const printed: string[] = [];
    const walk = walkItems(set, new SchoolStore(file, set), options(), (t) => printed.push(t));

    let shown = await until('作答');
    expect(printed.join('\n')).toContain('章节 1/4 · 开学条件演练核验表 › 开学前提　第 1/7 项');
    expect(printed.join('\n')).toContain('【一票否决】属地已宣布疫情得到基本控制');
    expect(shown).not.toContain('不适用'); // never for a gate
    enter(); // 是
    await noNotes();

    shown = await until('填写数值（只）');
    expect(printed.join('\n')).toContain('要求：≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天');
    expect(answersOnDisk(file)).toEqual({ 'drill.gates.epidemic': true });
    typeEnter('一万');
    expect(await until('应填数字')).toContain('应填数字，实际为文本 "一万"');
    for (let i = 0; i < 2; i++) screen.keypress('backspace');
    typeEnter('-5');
    expect(await until('超出允许范围')).toContain('数值 -5 超出允许范围（≥ 0）');
    for (let i = 0; i < 2; i++) screen.keypress('backspace');
    typeEnter('8400');
    await until('备注');
    typeEnter('台账与实物一致');
    await until('证据文件');
    typeEnter('照片/口罩库房.jpg，台账.pdf');

    await until('作答');
    expect(printed.join('\n')).toContain('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(answersOnDisk(file)['drill.supplies.masks']).toEqual({ value: 8400, note: '台账与实物一致', evidence: ['照片/口罩库房.jpg', '台账.pdf'] });
    down(); // 否
    enter();
    await noNotes();

    // No isolation room: its signage does not apply; a day school has no boarding site.
    await until('填写日期');
    expect(printed.join('\n')).toContain('章节 4/4 · 开学条件演练核验表 › 预案与演练　第 4/6 项');
    expect(printed.join('\n')).not.toContain('隔离观察室有明显标识');
    expect(printed.join('\n')).not.toContain('寄宿制学校单独设置留观场所');
    typeEnter('2020/4/10');
    await noNotes();
    await until('作答');
    down(); // 额温枪
    enter();
    await noNotes();
    await until('填写内容');
    enter(); // skip for now

    const outcome = await walk;
    expect(outcome.skipped).toEqual(['drill.plans.contact']);
    expect(outcome.result.verdict).toBe('NOT_READY');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('district: 金水区   # 区教育局督导组负责');
    expect(answersOnDisk(file)).toEqual({
      'drill.gates.epidemic': true,
      'drill.supplies.masks': { value: 8400, note: '台账与实物一致', evidence: ['照片/口罩库房.jpg', '台账.pdf'] },
      'drill.isolation.exists': false,
      'drill.plans.drill_date': '2020-04-10',
      'drill.plans.entrance': 'handheld',
    });
  });

  it('goes back to the previous item, shows its answer, and a changed answer opens the items that depend on it', async () => {
    const set = setOf();
    const file = schoolFile();
    const printed: string[] = [];
    const walk = walkItems(set, new SchoolStore(file, set), options(), (t) => printed.push(t));
    await until('作答');
    enter();
    await noNotes();
    await until('填写数值');
    typeEnter('20000');
    await noNotes();
    await until('作答');
    down(); // 否
    enter();
    await noNotes();
    await until('填写日期');
    typeEnter('<');
    // Back at the isolation room, its answer shown and pre-selected.
    const screenNow = await until('作答');
    expect(printed[printed.length - 1]).toContain('当前答案：否');
    expect(screenNow).toMatch(/❯ 否/);
    screen.keypress('up'); // 是
    enter();
    await noNotes();
    await until('作答');
    expect(printed[printed.length - 1]).toContain('隔离观察室有明显标识');
    expect(printed[printed.length - 1]).toContain('适用条件：drill.isolation.exists');
    enter();
    await noNotes();
    await until('填写日期');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(walk).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(answersOnDisk(file)).toEqual({
      'drill.gates.epidemic': true,
      'drill.supplies.masks': 20000,
      'drill.isolation.exists': true,
      'drill.isolation.signage': true,
    });
  });

  it('resumes at the first unanswered item and, with --review, revisits answered ones keeping what Enter leaves', async () => {
    const set = setOf();
    const answered = `${SCHOOL}  drill.gates.epidemic: true\n  drill.supplies.masks: 16800   # 盘点数\n`;
    const file = schoolFile(answered);
    const printed: string[] = [];
    const resume = walkItems(set, new SchoolStore(file, set), options({ scope: { checklists: [], sections: ['isolation'] } }), (t) => printed.push(t));
    await until('作答');
    expect(printed.join('\n')).toContain('设置临时隔离观察室');
    expect(printed.join('\n')).not.toContain('口罩储备');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(resume).rejects.toMatchObject({ name: 'ExitPromptError' });

    printed.length = 0;
    const review = walkItems(set, new SchoolStore(file, set), options({ review: true, scope: { checklists: [], sections: ['supplies'] } }), (t) => printed.push(t));
    await until('填写数值');
    expect(printed.join('\n')).toContain('当前答案：16800 只');
    expect(printed.join('\n')).toContain('回车 = 保留当前答案');
    enter(); // keep 16800
    await noNotes();
    const outcome = await review;
    expect(outcome.saved).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(answered);
  });

  it('asks again for a text answer of only spaces, which the audit counts as unanswered', async () => {
    const set = setOf();
    const file = schoolFile(`${SCHOOL}  drill.plans.drill_date: 2020-04-20\n  drill.plans.entrance: gate\n  drill.plans.contact: "   "\n`);
    const printed: string[] = [];
    const walk = walkItems(set, new SchoolStore(file, set), options({ scope: { checklists: [], sections: ['plans'] } }), (t) => printed.push(t));
    const ended = walk.then(() => {
      throw new Error(`the walk ended without asking:\n${printed.join('\n')}`);
    });
    await Promise.race([until('填写'), ended]);
    expect(printed.join('\n')).toContain('疫情防控联系人及电话');
    expect(printed.join('\n')).not.toContain('最近一次应急演练日期');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(walk).rejects.toMatchObject({ name: 'ExitPromptError' });
  });

  it('marks an item not applicable and speaks English with --lang en', async () => {
    const set = setOf();
    const file = schoolFile();
    const printed: string[] = [];
    const walk = walkItems(set, new SchoolStore(file, set), options({ lang: 'en', scope: { checklists: [], sections: ['plans'] } }), (t) => printed.push(t));
    await until('Enter a date');
    expect(printed.join('\n')).toContain('Section 1/1 · Reopening drill checklist › Plans and drills   item 1/3');
    expect(printed.join('\n')).toContain('Required: within 30 days before the audit date (2020-03-21 to 2020-04-20)');
    typeEnter('n/a');
    await until('Note');
    typeEnter('No drill held: school reopening postponed');
    await until('Evidence');
    enter();
    await until('Answer');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(walk).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(answersOnDisk(file)).toEqual({ 'drill.plans.drill_date': { value: 'n/a', note: 'No drill held: school reopening postponed' } });
  });

  it('ends with the verdict and offers the Markdown report', async () => {
    const set = setOf();
    const done = `${SCHOOL}  drill.gates.epidemic: true\n  drill.supplies.masks: 16800\n  drill.isolation.exists: true\n  drill.isolation.signage: true\n  drill.plans.drill_date: 2020-04-10\n  drill.plans.entrance: gate\n  drill.plans.contact: 张老师 13800000000\n`;
    const file = schoolFile(done);
    const printed: string[] = [];
    const outcome = await walkItems(set, new SchoolStore(file, set), options(), (t) => printed.push(t));
    expect(printed.join('\n')).toContain('范围内的核验项均已作答');
    const report = finish(set, outcome, options(), 'jinshui-1.report.md', (t) => printed.push(t));
    expect(await until('将核验报告（Markdown）写入 jinshui-1.report.md？')).toContain('[是]');
    enter();
    const markdown = await report;
    expect(printed.join('\n')).toContain('✔ 具备开学条件  郑州市金水区第一中学 (410105-0001)');
    expect(markdown).toContain('# 郑州市金水区第一中学 开学条件核验报告');
  });
});

describe('the school file on disk', () => {
  it('stops rather than overwrite a file that was broken by hand during the interview', async () => {
    const set = setOf();
    const file = schoolFile();
    const walk = walkItems(set, new SchoolStore(file, set), options(), () => undefined);
    await until('作答');
    const broken = readFileSync(file, 'utf8').replace('students: 1100', 'students: 一千一百');
    writeFileSync(file, broken);
    enter(); // the answer is saved at once, before any note is asked for
    const error = await walk.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).problems[0]).toMatchObject({ file, line: 9, col: 13, message: { code: 'schema.type' } });
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('has the answer on disk before the note is asked for, so Ctrl-C at the note loses nothing', async () => {
    const set = setOf();
    const file = schoolFile();
    const walk = walkItems(set, new SchoolStore(file, set), options(), () => undefined);
    await until('作答');
    enter();
    await until('备注');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(walk).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(answersOnDisk(file)).toEqual({ 'drill.gates.epidemic': true });
  });

  it('saves a UTF-16 file back as UTF-8 and says so', async () => {
    const set = setOf();
    const file = schoolFile();
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SCHOOL, 'utf16le')]));
    const saved = await new SchoolStore(file, set).save('drill.gates.epidemic', { value: true });
    expect(saved.reencoded).toBe('utf-16le');
    expect(readFileSync(file, 'utf8')).toBe(`${SCHOOL}  drill.gates.epidemic: true\n`);
  });
});

describe('a new school', () => {
  it('asks for the profile with the limits of the school-file format', async () => {
    const asking = askProfile('zh', { today: '2020-04-20', checklists: ['drill'] });
    await until('学校名称');
    enter();
    expect(await until('必填')).toContain('必填');
    typeEnter('郑州市金水区第一中学');
    await until('学校编号');
    typeEnter('410105-0001');
    await until('所在区县');
    typeEnter('金水区');
    const types = await until('学校类型');
    expect(types).toContain('初级中学（junior）');
    down(); // junior
    enter();
    await until('是否寄宿制学校');
    typeEnter('y');
    await until('是否有学生食堂');
    enter(); // default: no
    await until('在校学生数');
    typeEnter('一千');
    expect(await until('整数')).toContain('请填写 0–1000000 之间的整数');
    for (let i = 0; i < 2; i++) screen.keypress('backspace');
    typeEnter('1100');
    await until('教职员工数');
    typeEnter('100');
    await until('住校学生数');
    typeEnter('2000');
    expect(await until('不能多于')).toContain('住校学生数不能多于在校学生数（1100）');
    for (let i = 0; i < 4; i++) screen.keypress('backspace');
    typeEnter('800');
    await until('班级数');
    enter();
    expect(await until('核验日期')).toContain('2020-04-20');
    enter(); // today
    await until('核验层级');
    enter(); // county
    await until('检查人姓名');
    typeEnter('王敏');
    await until('检查人单位');
    typeEnter('金水区教育局');
    const { file } = await asking;
    expect(file.school).toEqual({ id: '410105-0001', name: '郑州市金水区第一中学', district: '金水区', type: 'junior', boarding: true, canteen: false, students: 1100, staff: 100, boarders: 800, classes: undefined });
    expect(file.audit).toEqual({ date: '2020-04-20', level: 'county', auditors: [{ name: '王敏', org: '金水区教育局' }], profile: undefined, checklists: ['drill'] });
  });
});
