import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown.js';
import { en, masksFormula, run, zh } from './fixtures/report-sample.js';

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

describe('Markdown report for one school', () => {
  const md = renderMarkdown(run(), zh);

  it('is titled with the school name and gives its profile and audit metadata', () => {
    expect(md.startsWith('# 东城区实验中学 开学条件核验报告\n')).toBe(true);
    expect(md).toContain('| 学校编号 | DC-001 |');
    expect(md).toContain('| 学校类型 | 高级中学 |');
    expect(md).toContain('| 寄宿制 | 是 |');
    expect(md).toContain('| 在校学生数 | 1100 |');
    expect(md).toContain('| 核验层级 | 县级评估 |');
    expect(md).toContain('王建国（东城区教育局，组长）、李娜');
    expect(md).toContain('防疫物资储备（`supplies`，版本 1.2.0）');
  });

  it('states the verdict and the item that decided it, with the numbers', () => {
    expect(md).toContain(
      '## 核验结论\n\n**不具备开学条件**\n\n判定依据：\n\n- `supplies.protective.masks` 口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14\n- `supplies` 核验表“防疫物资储备”得分率 16.7%，低于合格线 80%\n\n',
    );
  });

  it('shows the formula and every number put into a computed threshold', () => {
    const row = md
      .split('\n')
      .find((l) => l.startsWith('| `supplies.protective.masks` | 口罩储备 | 实地查看 |'));
    expect(row).toBeDefined();
    expect(row).toContain('**不符合**');
    expect(row).toContain('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(row).toContain(
      `公式：\`${masksFormula}\`（\`students = 1100\`，\`staff = 100\`，\`masks_per_person_day = 1\`，\`stock_days = 14\`）`,
    );
    expect(row).toContain('备注：另有 3000 只在途，未入库');
  });

  it('lists gate results and keeps not-applicable apart from pass', () => {
    expect(md).toContain('## 一票否决项\n\n| 编号 | 核验项 | 结果 | 说明 |');
    expect(md).toContain('| `gates.prevention.basic` | 学校基本防控条件具备 | 符合 | 符合要求 |');
    expect(md).toContain(
      '| `supplies.toys.disinfectant` | 玩具消毒剂 | 实地查看 | 一般 | 不适用 | 不适用：仅适用于幼儿园（学校类型为高级中学，不是幼儿园） |',
    );
  });

  it('has a table per section with the six columns', () => {
    expect(md).toContain('#### 个人防护物资\n\n| 编号 | 核验项 | 方式 | 等级 | 结果 | 说明 |');
    expect(md).toContain('| 防疫物资储备 `supplies` | 1.2.0 | 1 / 6 | 16.7% | 80% | **低于合格线** |');
  });

  it('gives a rectification list with the problem and the remediation, and the unanswered items apart', () => {
    const section = md.slice(md.indexOf('## 整改清单'), md.indexOf('## 签字确认'));
    expect(section).toContain('| 序号 | 编号 | 核验项 | 等级 | 问题 | 整改建议 |');
    expect(section).toContain(
      '| 1 | `supplies.protective.masks` | 口罩储备 | 关键 | 口罩储备 8400 只 < 要求 16800 只',
    );
    expect(section).toContain('按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记 |');
    expect(section).toContain(
      '**尚未核验的核验项（须补充核验）**\n\n- `isolation.room.ready` 隔离观察室设置到位：未作答',
    );
    expect(section).not.toContain('gloves');
  });

  it('ends with sign-off lines to sign by hand and exactly one newline', () => {
    expect(md).toMatch(
      /\n检查人：王建国（东城区教育局，组长）\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n\n检查人：李娜\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n\n学校负责人（签字）：_{10,}\u3000\u3000日期：_{10,}\n/,
    );
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('keeps every table row at its header column count', () => {
    for (const rows of tables(md)) {
      const width = cellCount(rows[0] ?? '');
      for (const row of rows) expect(cellCount(row), row).toBe(width);
    }
  });

  it('is in English with --lang en', () => {
    const text = renderMarkdown(run(), en);
    expect(text.startsWith('# 东城区实验中学 Reopening readiness audit report\n')).toBe(true);
    expect(text).toContain('**NOT READY**');
    expect(text).toContain('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(text).toContain('| ID | Item | Method | Severity | Status | Reason |');
    expect(text).toContain('## Rectification list');
    expect(text).toContain('Inspector: 王建国 (东城区教育局, 组长)   Signature: ');
    expect(text).not.toMatch(/[\u4e00-\u9fff]{2,}（/);
  });
});

describe('Markdown report for several schools', () => {
  const md = renderMarkdown(run({ ready: true, failure: true }), zh);

  it('opens with a summary table, one row per school in file order', () => {
    const summary = md.slice(0, md.indexOf('### 按结论统计'));
    expect(md.startsWith('# 开学条件核验汇总报告\n\n## 汇总\n')).toBe(true);
    expect(summary).toContain('| 学校 | 所在区县 | 学校类型 | 结论 | 不符合 | 未核验 | 文件 |');
    expect(summary).toContain(
      '| 东城区实验中学 | 东城区 | 高级中学 | **不具备开学条件** | 1 | 1 | schools/dongcheng-shiyan.yaml |',
    );
    expect(summary).toContain(
      '| 西城区第二小学 | 西城区 | 小学 | 具备开学条件 | 0 | 0 | schools/xicheng-dier.yaml |',
    );
    expect(summary.indexOf('东城区实验中学')).toBeLessThan(summary.indexOf('西城区第二小学'));
  });

  it('totals the schools by verdict and counts the files that could not be audited', () => {
    expect(md).toContain(
      '| 具备开学条件 | 1 |\n| 不具备开学条件 | 1 |\n| 核验未完成 | 0 |\n| 合计 | 2 |\n| 无法核验的文件 | 1 |',
    );
  });

  it("gives each school's own report, and a READY school says why", () => {
    expect(md).toContain('## 东城区实验中学 开学条件核验报告');
    expect(md).toContain('## 西城区第二小学 开学条件核验报告');
    expect(md).toContain('**具备开学条件**\n\n所有适用的核验项均已核验，一票否决项和关键项均符合要求。');
    expect(md).toContain('#### 防疫物资储备（`supplies`，版本 1.2.0）');
  });

  it('ends with the files that could not be audited, as file:line:col message', () => {
    const tail = md.slice(md.lastIndexOf('## 无法核验的文件'));
    expect(tail).toContain(
      '- schools/broken.yaml\n  - schools/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"',
    );
  });
});

describe('Markdown escaping of input text', () => {
  const evil = '东城|实验<script>alert(1)</script>\n\u001b[31m中学 **粗体** [链接](http://x) `代码` & C';
  const md = renderMarkdown(run({ name: evil, ready: true }), zh);

  it('keeps every table at its column count', () => {
    for (const rows of tables(md)) {
      const width = cellCount(rows[0] ?? '');
      for (const row of rows) expect(cellCount(row), row).toBe(width);
    }
  });

  it('leaks no HTML, terminal codes or raw line breaks from a school name', () => {
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('\u001b');
    expect(md).not.toContain('[31m');
    expect(md).toContain(
      '| 东城\\|实验&lt;script&gt;alert(1)&lt;/script&gt; 中学 \\*\\*粗体\\*\\* \\[链接\\](http://x) \\`代码\\` &amp; C | 东城区 |',
    );
    expect(md).toContain('## 东城\\|实验&lt;script&gt;alert(1)&lt;/script&gt; 中学');
  });

  it('breaks a multi-line note inside a cell with <br>, not a new row', () => {
    const r = run();
    const masks = r.schools[0]?.result.items[1];
    if (masks?.answer) masks.answer.note = '第一行 | 有竖线\n# 第二行\n1. 第三行';
    const text = renderMarkdown(r, zh);
    expect(text).toContain('备注：第一行 \\| 有竖线<br>\\# 第二行<br>1\\. 第三行 |');
  });
});

describe('Markdown determinism', () => {
  it('gives the same bytes whatever order the schools arrive in', () => {
    const a = run({ ready: true, failure: true });
    const b = run({ ready: true, failure: true });
    b.schools.reverse();
    expect(renderMarkdown(a, zh)).toBe(renderMarkdown(b, zh));
  });
});
