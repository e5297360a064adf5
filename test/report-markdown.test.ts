import { describe, expect, it } from 'vitest';
import type { AuditRun, SchoolResult } from '../src/model/result.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { HOSTILE, MASKS_FORMULA, enContext as en, reportRun, zhContext as zh } from './fixtures/report-run.js';

/** 郑州市金水区第一中学: short of masks and gloves, below the supplies pass mark. */
const YIZHONG = '410105-0001';
const ONE_SCHOOL = { schools: [YIZHONG], noFailures: true };

/** Cells in a Markdown table row: pipes not escaped by a backslash, minus the outer two. */
function cellCount(row: string): number {
  let pipes = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') pipes++;
  }
  return pipes - 1;
}

/** Every table in the document as its rows, header first. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  return out;
}

function expectTablesIntact(md: string): void {
  const all = tables(md);
  expect(all.length).toBeGreaterThan(0);
  for (const rows of all) {
    const width = cellCount(rows[0] ?? '');
    for (const row of rows) expect(cellCount(row), row).toBe(width);
  }
}

/** The text between two headings (the end excluded). */
function between(md: string, start: string, end: string): string {
  const from = md.indexOf(start);
  expect(from, start).toBeGreaterThanOrEqual(0);
  const to = md.indexOf(end, from);
  expect(to, end).toBeGreaterThan(from);
  return md.slice(from, to);
}

function school(run: AuditRun, id: string): SchoolResult {
  const found = run.schools.find((x) => x.result.school.id === id)?.result;
  expect(found, id).toBeDefined();
  return found as SchoolResult;
}

describe('Markdown report for one school', () => {
  const md = renderMarkdown(reportRun(ONE_SCHOOL), zh);

  it('is titled with the school name and gives its profile and audit metadata', () => {
    expect(md.startsWith('# 郑州市金水区第一中学 开学条件核验报告\n')).toBe(true);
    expect(md).toContain('| 学校编号 | 410105-0001 |');
    expect(md).toContain('| 学校类型 | 高级中学 |');
    expect(md).toContain('| 寄宿制 | 是 |');
    expect(md).toContain('| 在校学生数 | 1100 |\n| 住校学生数 | 600 |\n| 教职员工数 | 100 |');
    expect(md).toContain('| 核验层级 | 县级评估 |');
    expect(md).toContain('| 检查人员 | 王建国（金水区教育局，组长）、李娜 |');
    expect(md).toContain('| 配置方案 | 河南省 2020 年春季开学（`henan-2020`，版本 2020.1） |');
    expect(md).toContain(
      '| 核验表 | 三个不开学（`three-no-opening`，版本 1.0.0）<br>防疫物资储备（`supplies`，版本 1.2.0）<br>隔离观察室（`isolation`，版本 1.0.0） |',
    );
  });

  it('states the verdict and the items that decided it, with the numbers', () => {
    // The failed gloves item is major: it does not decide the verdict (critical and gate items do).
    expect(md).toContain(
      '## 核验结论\n\n**不具备开学条件**\n\n判定依据：\n\n- `supplies.protective.masks` 口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14\n- `supplies` 核验表“防疫物资储备”得分率 0%，低于合格线 60%\n\n## 一票否决项',
    );
  });

  it('shows the formula and every number put into a computed threshold', () => {
    const row = md
      .split('\n')
      .find((l) => l.startsWith('| `supplies.protective.masks` | 口罩储备 | 查阅资料 | 关键 |'));
    expect(row).toBeDefined();
    expect(row).toContain('| **不符合** |');
    expect(row).toContain('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(row).toContain(
      `公式：\`${MASKS_FORMULA}\`（\`students = 1100\`，\`staff = 100\`，\`masks_per_person_day = 1\`，\`stock_days = 14\`）`,
    );
    expect(row).toContain('备注：另有 3000 只在途，未入库');
    // A computed threshold that is met shows its formula too.
    expect(md).toContain(
      '| `isolation.staff.health` | 卫生技术人员 | 查阅资料 | 重要 | 符合 | 2 人，要求 ≥ 2 人 = 向上取整(1100 / 600)<br>公式：`ceil(students / 600)`（`students = 1100`） |',
    );
  });

  it('lists gate results and keeps not-applicable apart from pass', () => {
    expect(md).toContain(
      '## 一票否决项\n\n| 编号 | 核验项 | 结果 | 说明 |\n| --- | --- | --- | --- |\n' +
        '| `gates.epidemic.controlled` | 疫情已得到基本控制 | 符合 | 符合要求 |\n' +
        '| `gates.prevention.basic` | 学校基本防控条件具备 | 符合 | 符合要求 |\n\n',
    );
    expect(md).toContain(
      '| `supplies.toys.disinfectant` | 玩具消毒剂 | 实地查看 | 一般 | 不适用 | 不适用：仅适用于幼儿园（学校类型为高级中学，不是幼儿园） |',
    );
    expect(md).toContain('| `isolation.room.ready` | 隔离观察室设置到位 | 实地查看 | 关键 | 符合 | 符合要求 |');
  });

  it('has a table per section with the six columns, and a score table', () => {
    const header = '| 编号 | 核验项 | 方式 | 等级 | 结果 | 说明 |\n| --- | --- | --- | --- | --- | --- |\n';
    for (const section of ['开学底线', '个人防护物资', '幼儿园', '场所', '人员'])
      expect(md).toContain(`#### ${section}\n\n${header}`);
    expect(md).toContain(
      '## 得分\n\n| 核验表 | 版本 | 得分 | 得分率 | 合格线 | 结论 |\n| --- | --- | --- | --- | --- | --- |\n' +
        '| 三个不开学 `three-no-opening` | 1.0.0 | 2 / 2 | 100% | — | — |\n' +
        '| 防疫物资储备 `supplies` | 1.2.0 | 0 / 4 | 0% | 60% | **低于合格线** |\n' +
        '| 隔离观察室 `isolation` | 1.0.0 | 3 / 4 | 75% | — | — |\n',
    );
  });

  it('gives a rectification list with the problem and the remediation, and the unanswered items apart', () => {
    const section = between(md, '## 整改清单', '## 签字确认');
    expect(section).toContain(
      // The id and severity sit under the title, so the deadline and the person have room.
      '| 序号 | 核验项 | 问题 | 整改建议 | 整改期限 | 责任人 |\n| ---- | -------------------- | -------------------- | ---------------------- | -------------- | -------------------- |\n',
    );
    expect(section).toContain(
      '| 1 | 口罩储备<br>`supplies.protective.masks` · 关键 | 口罩储备 8400 只 < 要求 16800 只',
    );
    expect(section).toContain('| 按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记 | — | — |');
    // Critical before major; no deadline, as no checklist here declares rectification_days.
    expect(section).toContain(
      '| 2 | 一次性手套已储备<br>`supplies.protective.gloves` · 重要 | 一次性手套已储备：否，要求为 是<br>备注：采购中，预计 4 月 25 日到货 | 采购一次性手套 | — | — |\n',
    );
    expect(section).toContain(
      '**尚未核验的核验项（须补充核验）**\n\n- `isolation.room.signage` 隔离观察室有醒目标识：未作答（选答项）\n',
    );
    // What passed or does not apply is not to be rectified.
    for (const id of ['gates.', 'isolation.room.ready', 'isolation.staff.health', 'supplies.toys.disinfectant'])
      expect(section).not.toContain(id);
  });

  it('ends with sign-off lines to sign by hand and exactly one newline', () => {
    expect(md).toMatch(
      /\n检查人：王建国（金水区教育局，组长）\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n\n检查人：李娜\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n\n学校负责人（签字）：_{10,}\u3000\u3000日期：_{10,}\n/,
    );
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('keeps every table row at its header column count', () => {
    expectTablesIntact(md);
  });

  it('is in English with --lang en', () => {
    const text = renderMarkdown(reportRun(ONE_SCHOOL), en);
    expect(text.startsWith('# 郑州市金水区第一中学 Reopening readiness audit report\n')).toBe(true);
    expect(text).toContain('**NOT READY**');
    expect(text).toContain('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(text).toContain('checklist "Epidemic supplies" scored 0%, below its pass mark of 60%');
    expect(text).toContain('| ID | Item | Method | Severity | Status | Reason |');
    expect(text).toContain('## Rectification list');
    expect(text).toContain('- `isolation.room.signage` Isolation room signposted: not answered (optional item)');
    expect(text).toContain('Inspector: 王建国 (金水区教育局, 组长)   Signature: ');
    expect(text).not.toMatch(/[\u4e00-\u9fff]{2,}（/);
  });
});

describe('Markdown report for several schools', () => {
  const md = renderMarkdown(reportRun(), zh);

  it('opens with a summary table, one row per school in file order', () => {
    const summary = md.slice(0, md.indexOf('### 按结论统计'));
    expect(md.startsWith('# 开学条件核验汇总报告\n\n## 汇总\n')).toBe(true);
    expect(summary).toContain(
      '| 学校 | 所在区县 | 学校类型 | 结论 | 不符合 | 未核验 | 文件 |\n| --- | --- | --- | --- | --- | --- | --- |\n' +
        '| 二七区实验幼儿园 | 二七区 | 幼儿园 | **核验未完成** | 0 | 2 | schools/erqi/shiyan-youeryuan.yaml |\n' +
        '| 二七区第二十中学 | 二七区 | 初级中学 | **不具备开学条件** | 2 | 0 | schools/erqi/第二十中学.yaml |\n' +
        '| 金水区文化路小学 | 金水区 | 小学 | 具备开学条件 | 0 | 0 | schools/jinshui/wenhua-lu.yaml |\n' +
        '| 郑州市金水区第一中学 | 金水区 | 高级中学 | **不具备开学条件** | 2 | 1 | schools/jinshui/yizhong.yaml |\n\n',
    );
  });

  it('totals the schools by verdict and counts the files that could not be audited', () => {
    expect(md).toContain(
      '| 具备开学条件 | 1 |\n| 不具备开学条件 | 2 |\n| 核验未完成 | 1 |\n| 合计 | 4 |\n| 无法核验的文件 | 2 |',
    );
  });

  it("gives each school's own report in file order, and a READY school says why", () => {
    const titles = [...md.matchAll(/^## (.+) 开学条件核验报告$/gm)].map((m) => m[1]);
    expect(titles).toEqual(['二七区实验幼儿园', '二七区第二十中学', '金水区文化路小学', '郑州市金水区第一中学']);
    const ready = between(md, '## 金水区文化路小学 开学条件核验报告', '## 郑州市金水区第一中学 开学条件核验报告');
    expect(ready).toContain(
      '### 核验结论\n\n**具备开学条件**\n\n所有适用的核验项均已核验，一票否决项和关键项均符合要求。\n',
    );
    expect(ready).toContain('### 整改清单\n\n没有不符合要求的核验项。\n');
    expect(md).toContain('#### 防疫物资储备（`supplies`，版本 1.2.0）');
  });

  it('shows a failed gate in the gate table and first in the rectification list', () => {
    const erzhong = between(md, '## 二七区第二十中学 开学条件核验报告', '## 金水区文化路小学');
    expect(erzhong).toContain(
      '判定依据：\n\n- `gates.epidemic.controlled` 疫情已得到基本控制：否，要求为 是\n\n',
    );
    expect(erzhong).toContain(
      '| 编号 | 核验项 | 结果 | 说明 |\n| --- | --- | --- | --- |\n' +
        '| `gates.epidemic.controlled` | 疫情已得到基本控制 | **不符合** | 疫情已得到基本控制：否，要求为 是<br>备注：属地尚未解除封控 |\n',
    );
    expect(erzhong).toContain(
      '| 1 | 疫情已得到基本控制<br>`gates.epidemic.controlled` · 一票否决 | 疫情已得到基本控制：否，要求为 是<br>备注：属地尚未解除封控 | 暂缓开学，待属地认定后复核 | — | — |\n' +
        '| 2 | 一次性手套已储备<br>`supplies.protective.gloves` · 重要 |',
    );
  });

  it('shows a waiver in force as waived and an expired one as a failure to rectify', () => {
    const ready = between(md, '## 金水区文化路小学 开学条件核验报告', '## 郑州市金水区第一中学');
    expect(ready).toContain(
      '| `supplies.protective.gloves` | 一次性手套已储备 | 实地查看 | 重要 | 已豁免 | 已豁免：区教育局统一配送，4 月 22 日前到校（金水区教育局 批准，有效期至 2020-05-01） |',
    );
    expect(ready).toContain(
      '### 豁免事项\n\n| 编号 | 核验项 | 豁免理由 | 批准人 | 批准日期 | 有效期至 | 状态 |\n| --- | --- | --- | --- | --- | --- | --- |\n' +
        '| `supplies.protective.gloves` | 一次性手套已储备 | 区教育局统一配送，4 月 22 日前到校 | 金水区教育局 | 2020-04-15 | 2020-05-01 | 有效（不计入结论和得分） |\n',
    );
    const erzhong = between(md, '## 二七区第二十中学 开学条件核验报告', '## 金水区文化路小学');
    expect(erzhong).toContain(
      '| `supplies.protective.gloves` | 一次性手套已储备 | 实地查看 | 重要 | **不符合** | 一次性手套已储备：否，要求为 是（豁免已于 2020-04-01 过期，不再适用） |',
    );
    expect(erzhong).toContain(
      '| `supplies.protective.gloves` | 一次性手套已储备 | 物资调拨中 | 二七区教育局 | 2020-03-01 | 2020-04-01 | **已过期，不再适用（按不符合处理）** |',
    );
  });

  it('lists the unanswered, pending and erroneous items of an INCOMPLETE school to check', () => {
    const kindergarten = between(md, '## 二七区实验幼儿园 开学条件核验报告', '## 二七区第二十中学');
    expect(kindergarten).toContain(
      '**核验未完成**\n\n判定依据：\n\n- `isolation.room.ready` 隔离观察室设置到位：未作答\n- `isolation.staff.health` 卫生技术人员：学校信息缺少：students\n\n',
    );
    expect(kindergarten).toContain(
      '### 整改清单\n\n没有不符合要求的核验项。\n\n**尚未核验的核验项（须补充核验）**\n\n' +
        '- `isolation.room.ready` 隔离观察室设置到位：未作答\n' +
        '- `isolation.room.signage` 隔离观察室有醒目标识：待定（依赖的核验项“隔离观察室设置到位”\\[isolation.room.ready\\]未作答）\n' +
        '- `isolation.staff.health` 卫生技术人员：学校信息缺少：students\n\n',
    );
    // In a kindergarten the toy item applies.
    expect(kindergarten).toContain('| `supplies.toys.disinfectant` | 玩具消毒剂 | 实地查看 | 一般 | 符合 | 符合要求 |');
  });

  it('ends with the files that could not be audited, as file:line:col message, by path and position', () => {
    const tail = md.slice(md.lastIndexOf('## 无法核验的文件'));
    expect(tail).toContain(
      '- schools/erqi/broken.yaml\n' +
        '  - schools/erqi/broken.yaml:3:9 缺少必填项“district”\n' +
        '  - schools/erqi/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"\n' +
        '- schools/missing.yaml\n' +
        '  - schools/missing.yaml 找不到文件或目录：schools/missing.yaml\n',
    );
  });

  it('keeps every table row at its header column count', () => {
    expectTablesIntact(md);
  });
});

describe('Markdown escaping of input text', () => {
  const hostile = renderMarkdown(reportRun({ hostile: true }), zh);
  const evil = '金水|一中<script>alert(1)</script>\n\u001b[31m中学 **粗体** [链接](http://x) `代码` & C';
  const evilRun = reportRun({ hostile: true });
  school(evilRun, YIZHONG).school.name = evil;
  const md = renderMarkdown(evilRun, zh);

  it('keeps every table at its column count', () => {
    expectTablesIntact(hostile);
    expectTablesIntact(md);
  });

  it('leaks no HTML, terminal codes or raw line breaks from a school name or district', () => {
    for (const text of [hostile, md]) {
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\u0007');
      expect(text).not.toContain('[31m');
      expect(text).not.toContain('\r');
    }
    expect(hostile).toContain('| 金水区"实验",学校 %25: &lt;script&gt;&amp; \\=1+1 | +cmd\\|calc | 高级中学 |');
    expect(hostile).toContain('## 金水区"实验",学校 %25: &lt;script&gt;&amp; \\=1+1 开学条件核验报告\n');
    expect(md).toContain(
      '| 金水\\|一中&lt;script&gt;alert(1)&lt;/script&gt; 中学 \\*\\*粗体\\*\\* \\[链接\\](http://x) \\`代码\\` &amp; C | +cmd\\|calc |',
    );
    expect(md).toContain('## 金水\\|一中&lt;script&gt;alert(1)&lt;/script&gt; 中学');
  });

  it('breaks a multi-line note inside a cell with <br>, not a new row', () => {
    expect(hostile).toContain(`备注：${HOSTILE.formulaNote} |`);
    expect(hostile).toContain('| 一次性手套已储备：否，要求为 是<br>备注：-2 箱,"在途"<br>第二行 |');
    const r = reportRun(ONE_SCHOOL);
    const masks = school(r, YIZHONG).items.find((i) => i.id === 'supplies.protective.masks');
    if (masks?.answer) masks.answer.note = '第一行 | 有竖线\n# 第二行\n1. 第三行';
    const text = renderMarkdown(r, zh);
    expect(text).toContain('备注：第一行 \\| 有竖线<br>\\# 第二行<br>1\\. 第三行 |');
  });
});

describe('Markdown determinism', () => {
  it('gives the same bytes whatever order the schools, files and problems arrive in', () => {
    const a = reportRun({ hostile: true });
    const b = reportRun({ hostile: true });
    b.schools.reverse();
    b.failures.reverse();
    for (const f of b.failures) f.problems.reverse();
    expect(renderMarkdown(a, zh)).toBe(renderMarkdown(b, zh));
    expect(renderMarkdown(reportRun({ hostile: true }), zh)).toBe(renderMarkdown(a, zh));
  });
});
