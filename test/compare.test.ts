/**
 * `reopen-audit compare`: the rectification follow-up (整改复核). The example pair in
 * examples/rectification/ — a school's self-check and the county re-check after it fixed
 * most of what failed — is compared as a reader would, from school files and from JSON
 * reports; folders are paired by school id; the way each item moved between the audits
 * is held one transition at a time; and input errors exit 2 with a located message.
 */
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareAll, compareSchools, needsFollowUp, type AuditedSchool } from '../src/compare/index.js';
import { schoolsFromReport } from '../src/compare/report-input.js';
import type { Catalogue, ItemResult, ItemStatus, SchoolResult } from '../src/model/result.js';
import { renderCompareMarkdown } from '../src/compare/report/markdown.js';
import { cli, ROOT, tempDir } from './helpers.js';

const SELF = 'examples/rectification/self-check.yaml';
const COUNTY = 'examples/rectification/county-recheck.yaml';
const tmp = tempDir('compare');

interface CompareItem {
  id: string;
  change: string;
  answerChanged: boolean;
  newlyApplicable: boolean;
  overdueDays: number | null;
  before: { status: string; value: unknown; deadline: string | null; responsible: string | null } | null;
  after: {
    status: string;
    value: unknown;
    text: string;
    deadline: string | null;
    responsible: string | null;
  } | null;
  waiver: { expired: boolean; expires: string } | null;
}
interface CompareSchool {
  school: { id: string; name: string };
  outcome: string;
  before: { file: string; date: string; level: string; verdict: string };
  after: {
    file: string;
    date: string;
    level: string;
    verdict: string;
    auditors: { name: string; org: string | null }[];
  };
  counts: Record<string, number>;
  items: CompareItem[];
}
interface CompareDoc {
  compareVersion: number;
  schools: CompareSchool[];
  unpaired: {
    before: { id: string; file: string; leftOpen: boolean }[];
    after: { id: string; file: string }[];
  };
  failures: { file: string; problems: { code: string; text: string }[] }[];
  summary: Record<string, number>;
}

function compareJson(...args: string[]): { code: number; doc: CompareDoc; stderr: string } {
  const r = cli(['compare', ...args, '--format', 'json']);
  return { code: r.code, doc: JSON.parse(r.stdout) as CompareDoc, stderr: r.stderr };
}

function item(school: CompareSchool | undefined, id: string): CompareItem {
  const found = school?.items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

/** The county re-check with the given answers replaced (YAML lines, key to the whole entry). */
function countyWith(name: string, replace: [string, string][]): string {
  let text = readFileSync(path.join(ROOT, COUNTY), 'utf8');
  for (const [from, to] of replace) {
    if (!text.includes(from)) throw new Error(`not in the county file: ${from}`);
    text = text.replace(from, to);
  }
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

describe('compare on the example pair (self-check → county re-check)', () => {
  const text = cli(['compare', SELF, COUNTY]);
  const { code, doc } = compareJson(SELF, COUNTY);
  const school = doc.schools[0];

  it('exits 1: an item still fails and another newly fails', () => {
    expect(text.code).toBe(1);
    expect(code).toBe(1);
    expect(text.stderr).toBe('');
    expect(school?.outcome).toBe('NOT_RECTIFIED');
  });

  it('shows the two audits, their levels and verdicts, and counts the changes', () => {
    expect(text.stdout).toContain('✘ 整改未完成  青河市河西区第九中学 (130102-2109)');
    expect(text.stdout).toContain(`整改前：2020-04-20 · 学校自查 · 不具备开学条件 · ${SELF}`);
    expect(text.stdout).toContain(`整改后：2020-04-28 · 县级评估 · 不具备开学条件 · ${COUNTY}`);
    expect(text.stdout).toContain(
      '已整改 5 项，仍不符合 2 项（其中逾期 2 项），新增不符合 1 项，未复核 0 项',
    );
    expect(school?.counts).toMatchObject({
      fixed: 5,
      still_failing: 2,
      regressed: 1,
      not_rechecked: 0,
      overdue: 2,
      answersChanged: 8,
    });
  });

  it('lists what was fixed, with the answer before and after', () => {
    const fixed = school?.items.filter((i) => i.change === 'fixed').map((i) => i.id);
    expect(fixed).toEqual([
      'org.training.staff',
      'isolation.room.ventilation',
      'isolation.equipment.masks',
      'clean.ventilation.minutes',
      'living.canteen.spacing',
    ]);
    expect(text.stdout).toContain(
      '· clean.ventilation.minutes 通风制度规定的每次通风时长 — 不符合（20 分钟） → 符合（30 分钟）',
    );
  });

  it('gives what still fails its deadline from the self-check, how late it is, and who is responsible', () => {
    const masks = item(school, 'supplies.protective.masks');
    expect(masks).toMatchObject({ change: 'still_failing', overdueDays: 3, answerChanged: true });
    expect(masks.before).toMatchObject({ value: 6000, deadline: '2020-04-25' });
    expect(masks.after).toMatchObject({
      value: 9000,
      deadline: '2020-05-03',
      responsible: '郭志刚（总务主任）',
    });
    expect(text.stdout).toContain(
      '· supplies.protective.masks 口罩储备量满足全体师生员工储备天数用量 9000 只 < 要求 10808 只 = (720 + 52) × 1 × 14；原整改期限 2020-04-25：逾期 3 天；责任人：郭志刚（总务主任）',
    );
  });

  it('makes the item whose waiver ran out a new failure, and says the waiver expired', () => {
    const sprayers = item(school, 'supplies.disinfection.sprayers');
    expect(sprayers).toMatchObject({
      change: 'regressed',
      newlyApplicable: false,
      waiver: { expired: true, expires: '2020-04-25' },
    });
    expect(sprayers.before?.status).toBe('waived');
    expect(sprayers.after?.text).toBe(
      '消毒喷雾器已配备：否，要求为 是（豁免已于 2020-04-25 过期，不再适用）',
    );
  });

  it('writes a Markdown 整改复核 report ready to sign: the re-checkers by name and the school head', () => {
    const md = cli(['compare', SELF, COUNTY, '--format', 'markdown']).stdout;
    expect(md.startsWith('# 青河市河西区第九中学 整改复核报告\n')).toBe(true);
    expect(md).toContain('| 核验层级 | 学校自查 | 县级评估 |');
    expect(md).toContain('## 复核结论\n\n**整改未完成**\n');
    const still = md.slice(md.indexOf('## 仍不符合的核验项（未整改）'), md.indexOf('## 已整改的核验项'));
    expect(still).toContain(
      '| 序号 | 编号 | 核验项 | 等级 | 问题（整改后） | 原整改期限 | 是否逾期 | 新整改期限 | 责任人 | 整改建议 |',
    );
    expect(still).toContain(
      '| 2 | `supplies.protective.masks` | 口罩储备量满足全体师生员工储备天数用量 | 关键 |',
    );
    expect(still).toContain('| 2020-04-25 | **逾期 3 天** | 2020-05-03 | 郭志刚（总务主任） |');
    expect(md).toContain(
      '| `living.canteen.spacing` | 就餐间隔就座、同向就餐 | 重要 | 不符合（否） | 符合（是） |',
    );
    expect(md).toMatch(
      /## 签字确认\n\n本次复核为县级评估，复核日期 2020-04-28，对照 2020-04-20 学校自查的整改清单逐项复核。.*\n\n复核人：邢建军（河西区教育局，组长）\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n\n复核人：潘晓云（河西区卫生健康局）.*\n\n复核人：吕晨（河西区市场监督管理局）.*\n\n学校负责人：杜文斌\u3000\u3000签字：_{10,}\u3000\u3000日期：_{10,}\n/,
    );
    expect(md.endsWith('本报告由 reopen-audit 0.1.0 生成。\n')).toBe(true);
    for (const line of md.split('\n').filter((l) => l.startsWith('|')))
      expect(line.endsWith(' |'), line).toBe(true);
  });

  it('is in English with --lang en', () => {
    const en = cli(['compare', SELF, COUNTY, '--lang', 'en']).stdout;
    expect(en).toContain('✘ NOT RECTIFIED  青河市河西区第九中学 (130102-2109)');
    expect(en).toContain('5 fixed, 2 still failing (2 overdue), 1 newly failing, 0 not re-checked');
    const md = cli(['compare', SELF, COUNTY, '--format', 'markdown', '--lang', 'en']).stdout;
    expect(md).toContain('## Items still failing');
    expect(md).toContain('Re-checker: 邢建军 (河西区教育局, 组长)   Signature: ');
  });

  it('gives the same bytes on every run, and writes format:path files', () => {
    const out = path.join(tmp, 'pair.md');
    const json = path.join(tmp, 'pair.json');
    const r = cli(['compare', SELF, COUNTY, '--format', `markdown:${out}`, '--format', `json:${json}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(cli(['compare', SELF, COUNTY, '--format', 'markdown']).stdout);
    expect(readFileSync(json, 'utf8')).toBe(cli(['compare', SELF, COUNTY, '--format', 'json']).stdout);
    expect(cli(['compare', SELF, COUNTY, '--format', `json:${SELF}`]).code).toBe(2);
  });
});

describe('compare when everything is fixed', () => {
  const fixed = countyWith('county-fixed.yaml', [
    ['    value: 9000\n', '    value: 12000\n'],
    [
      '  supplies.disinfection.sprayers:\n    value: false',
      '  supplies.disinfection.sprayers:\n    value: true',
    ],
  ]);

  it('exits 0 and says the rectification is complete', () => {
    const r = cli(['compare', SELF, fixed]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ 整改完成  青河市河西区第九中学 (130102-2109)');
    expect(r.stdout).toContain('整改后：2020-04-28 · 县级评估 · 具备开学条件');
    const { doc } = compareJson(SELF, fixed);
    // Six answers and the gate they rolled up to, and the waived failure that now passes.
    expect(doc.schools[0]?.counts).toMatchObject({ fixed: 8, still_failing: 0, regressed: 0 });
    expect(item(doc.schools[0], 'supplies.disinfection.sprayers').change).toBe('fixed');
  });
});

describe('compare from JSON reports', () => {
  const before = path.join(tmp, 'before.json');
  const after = path.join(tmp, 'after.json');
  cli(['audit', SELF, '--format', `json:${before}`]);
  cli(['audit', COUNTY, '--format', `json:${after}`]);

  it('finds the same changes as from the school files', () => {
    const fromFiles = compareJson(SELF, COUNTY);
    const fromReports = compareJson(before, after);
    expect(fromReports.code).toBe(1);
    const shape = (d: CompareDoc) =>
      d.schools.map((s) => ({
        outcome: s.outcome,
        counts: s.counts,
        items: s.items.map((i) => [i.id, i.change, i.overdueDays]),
      }));
    expect(shape(fromReports.doc)).toEqual(shape(fromFiles.doc));
  });

  it('mixes a report with a school file', () => {
    expect(compareJson(before, COUNTY).doc.schools[0]?.counts).toMatchObject({ fixed: 5, still_failing: 2 });
  });

  it('reads a report into schools and catalogues, and refuses what is not one', () => {
    const read = schoolsFromReport(before, readFileSync(before, 'utf8'));
    expect(read.ok && read.schools[0]?.result.school.id).toBe('130102-2109');
    expect(read.ok && read.schools[0]?.catalogue.items['supplies.protective.masks']?.severity).toBe(
      'critical',
    );
    const broken = schoolsFromReport('x.json', '{\n  "reportVersion": 1,\n  "schools": [\n');
    expect(broken.ok ? [] : broken.problems.map((p) => [p.line, p.message.code])).toEqual([
      [4, 'compare.badJson'],
    ]);
    const other = schoolsFromReport('x.json', '{"reportVersion": 3, "schools": []}');
    expect(other.ok ? null : other.problems[0]?.message).toEqual({
      code: 'compare.reportVersion',
      params: { version: 3, supported: '1, 2' },
    });
    const shape = schoolsFromReport(
      'x.json',
      '{"reportVersion": 1, "catalogues": {}, "schools": [{"catalogue": "national", "file": "a.yaml"}]}',
    );
    expect(shape.ok ? null : shape.problems[0]?.message.code).toBe('compare.notReport');
  });
});

describe('compare two folders', () => {
  const before = path.join(tmp, 'before');
  const after = path.join(tmp, 'after');
  mkdirSync(before);
  mkdirSync(after);
  copyFileSync(path.join(ROOT, SELF), path.join(before, 'jiuzhong.yaml'));
  copyFileSync(path.join(ROOT, COUNTY), path.join(after, 'jiuzhong.yaml'));
  copyFileSync(path.join(ROOT, 'examples/schools/ready-primary.yaml'), path.join(before, 'yucai.yaml'));
  copyFileSync(path.join(ROOT, 'examples/schools/ready-primary.yaml'), path.join(after, 'yucai-again.yaml'));
  copyFileSync(path.join(ROOT, 'examples/schools/gate-failed.yaml'), path.join(before, 'beihu.yaml'));
  copyFileSync(
    path.join(ROOT, 'examples/schools/kindergarten-no-isolation-room.yaml'),
    path.join(after, 'yangguang.yaml'),
  );

  it('pairs the schools by id, whatever the files are called, and lists those without a pair', () => {
    const { code, doc } = compareJson(before, after);
    expect(code).toBe(1);
    expect(doc.schools.map((s) => [s.school.id, s.outcome])).toEqual([
      ['130102-2109', 'NOT_RECTIFIED'],
      ['130104-0217', 'RECTIFIED'],
    ]);
    expect(doc.unpaired.before).toMatchObject([{ id: '130108-0901', leftOpen: true }]);
    expect(doc.unpaired.after).toMatchObject([{ id: '130104-1052' }]);
    expect(doc.summary).toEqual({
      schools: 2,
      RECTIFIED: 1,
      NOT_RECTIFIED: 1,
      unpairedBefore: 1,
      unpairedAfter: 1,
      failedFiles: 0,
    });
  });

  it('summarises in Markdown, then reports each school', () => {
    const md = cli(['compare', before, after, '--format', 'markdown']).stdout;
    expect(md.startsWith('# 整改复核汇总报告\n\n## 汇总\n')).toBe(true);
    expect(md).toContain(
      '| 青河市河西区第九中学 | 河西区 | 不具备开学条件<br>2020-04-20 学校自查 | 不具备开学条件<br>2020-04-28 县级评估 | 5 | 2 | 1 | 0 | 2 | **整改未完成** |',
    );
    expect(md).toContain(
      '**只有整改前的文件（未复核）**\n\n- 青河市北湖区实验学校 `130108-0901`（不具备开学条件）',
    );
    expect(md).toContain('## 青河市河西区第九中学 整改复核报告');
    const text = cli(['compare', before, after]).stdout;
    expect(text).toContain(
      '共 2 所学校复核：整改完成 1，整改未完成 1；未配对：只有整改前 1 所，只有整改后 1 所',
    );
  });

  it('exits 0 when every pair is rectified and no school with failures went unchecked', () => {
    const only = path.join(tmp, 'only-ready');
    mkdirSync(only);
    copyFileSync(path.join(ROOT, 'examples/schools/ready-primary.yaml'), path.join(only, 'yucai.yaml'));
    copyFileSync(
      path.join(ROOT, 'examples/schools/kindergarten-no-isolation-room.yaml'),
      path.join(only, 'yangguang.yaml'),
    );
    // The kindergarten is in the after set only: a new school, nothing of its own to rectify.
    const first = path.join(tmp, 'only-ready-before');
    mkdirSync(first);
    copyFileSync(path.join(ROOT, 'examples/schools/ready-primary.yaml'), path.join(first, 'yucai.yaml'));
    expect(cli(['compare', first, only]).code).toBe(0);
  });

  it('pairs the audit that counts when a school has several files on one side, as the roster coverage does', () => {
    // The after folder holds the county assessment; adding the school's earlier self-check
    // (a lower level) and a copy of the assessment (a later path: the first path counts on a
    // tie) changes nothing in the report.
    const several = path.join(tmp, 'several');
    mkdirSync(several);
    copyFileSync(path.join(ROOT, COUNTY), path.join(several, 'county.yaml'));
    const alone = cli(['compare', before, several, '--format', 'json']);
    copyFileSync(path.join(ROOT, SELF), path.join(several, 'self.yaml'));
    copyFileSync(path.join(ROOT, COUNTY), path.join(several, 'county2.yaml'));
    const withOthers = cli(['compare', before, several, '--format', 'json']);
    expect(withOthers.stderr).toBe('');
    expect(withOthers.code).toBe(alone.code);
    expect(withOthers.stdout).toBe(alone.stdout);
    const paired = JSON.parse(withOthers.stdout).schools.find((s: { school: { id: string } }) => s.school.id === '130102-2109');
    expect(paired.after.file).toBe(path.join(several, 'county.yaml'));
  });

  it('refuses to pair a school with two different files at the same level and date on one side', () => {
    const twice = path.join(tmp, 'twice');
    mkdirSync(twice);
    copyFileSync(path.join(ROOT, COUNTY), path.join(twice, 'a.yaml'));
    writeFileSync(path.join(twice, 'b.yaml'), readFileSync(path.join(ROOT, COUNTY), 'utf8').replace('principal: 杜文斌', 'principal: 杜文彬'));
    const r = cli(['compare', before, twice]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${path.join(twice, 'b.yaml')}: 学校编号 130102-2109 在整改后的文件中有两份层级、日期相同而内容不同的核验（另见 ${path.join(twice, 'a.yaml')}），无法确定以哪一份配对；请删去其中一份或改正其日期、层级`,
    );
  });
});

describe('compare input errors (exit 2)', () => {
  it('refuses two different schools', () => {
    const r = cli(['compare', SELF, 'examples/schools/ready-primary.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('整改前后不是同一所学校：整改前为 青河市河西区第九中学 130102-2109');
  });

  it('refuses an after-audit dated before the before-audit', () => {
    const r = cli(['compare', COUNTY, SELF, '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'the after-audit date 2020-04-20 is earlier than the before-audit date 2020-04-28',
    );
  });

  it('names a file that does not exist, a broken school file, and a file that is no report', () => {
    expect(cli(['compare', SELF, 'nope.yaml']).stderr).toBe('nope.yaml: 找不到文件或目录：nope.yaml\n');
    const broken = path.join(tmp, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(path.join(ROOT, COUNTY), 'utf8').replace('level: county', 'level: district'),
    );
    const r = cli(['compare', SELF, broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: “level”的值 "district" 无效/);
    const notReport = path.join(tmp, 'other.json');
    writeFileSync(notReport, '{"schools": []}');
    expect(cli(['compare', notReport, SELF]).stderr).toContain('不是 reopen-audit 的 JSON 报告');
  });

  it('rejects an unknown format', () => {
    const r = cli(['compare', SELF, COUNTY, '--format', 'junit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('无法识别的输出格式“junit”');
  });
});

// ------------------------------------------------- one transition at a time, no files

const EMPTY: Catalogue = {
  profile: { id: 'p', title: { zh: 'p', en: 'p' }, version: null },
  checklists: [],
  items: {},
  parameters: [],
};

function school(date: string, items: [string, ItemStatus, number?, string?][], id = 'S-1'): AuditedSchool {
  const results: ItemResult[] = items.map(([itemId, status, value, deadline]) => {
    const r: ItemResult = { id: itemId, status, reason: { code: 'reason.pass' } };
    if (value !== undefined) r.answer = { value };
    if (deadline !== undefined) r.deadline = deadline;
    return r;
  });
  const counts = { fail: 0, error: 0, unanswered: 0, waived: 0, pass: 0, not_applicable: 0 };
  for (const r of results) counts[r.status]++;
  const result: SchoolResult = {
    file: `${id}-${date}.yaml`,
    school: { id, name: '测试学校', district: '测试区', type: 'primary', students: 100, staff: 10 },
    audit: { date, level: 'self' },
    profileId: 'p',
    verdict: counts.fail > 0 ? 'NOT_READY' : 'READY',
    decidedBy: [],
    scores: [],
    counts,
    items: results,
  };
  return { result, catalogue: EMPTY };
}

describe('how each item moved between the audits', () => {
  const before = school('2020-04-20', [
    ['a.fixed', 'fail', 1, '2020-04-25'],
    ['a.still_late', 'fail', 1, '2020-04-25'],
    ['a.still_on_time', 'fail', 1, '2020-05-01'],
    ['a.unchecked', 'fail', 1, '2020-04-25'],
    ['a.dropped', 'fail', 1, '2020-04-25'],
    ['a.waived', 'fail', 1, '2020-04-25'],
    ['a.gone', 'pass', 1],
    ['a.regressed', 'pass', 1],
    ['a.new_fail', 'not_applicable'],
    ['a.new_pass', 'not_applicable'],
    ['a.same', 'pass', 1],
    ['a.answer', 'pass', 1],
  ]);
  const after = school('2020-04-28', [
    ['a.fixed', 'pass', 2],
    ['a.still_late', 'fail', 1],
    ['a.still_on_time', 'fail', 1],
    ['a.unchecked', 'unanswered'],
    ['a.waived', 'waived', 1],
    ['a.gone', 'not_applicable'],
    ['a.regressed', 'fail', 0],
    ['a.new_fail', 'fail', 0],
    ['a.new_pass', 'pass', 1],
    ['a.same', 'pass', 1],
    ['a.answer', 'pass', 2],
    ['a.added', 'pass', 1],
  ]);
  const cmp = compareSchools(before, after);
  const change = (id: string) => cmp.items.find((i) => i.id === id);

  it.each([
    ['a.fixed', 'fixed'],
    ['a.still_late', 'still_failing'],
    ['a.still_on_time', 'still_failing'],
    ['a.unchecked', 'not_rechecked'],
    ['a.dropped', 'not_rechecked'],
    ['a.waived', 'waived'],
    ['a.gone', 'no_longer_applicable'],
    ['a.regressed', 'regressed'],
    ['a.new_fail', 'regressed'],
    ['a.new_pass', 'newly_applicable'],
    ['a.added', 'newly_applicable'],
    ['a.same', 'unchanged'],
    ['a.answer', 'unchanged'],
  ])('%s is %s', (id, expected) => {
    expect(change(id)?.change).toBe(expected);
  });

  it('counts a still-failing item overdue only when its deadline had passed on the after-audit date', () => {
    expect(change('a.still_late')?.overdueDays).toBe(3);
    expect(change('a.still_on_time')?.overdueDays).toBeUndefined();
    expect(cmp.counts.overdue).toBe(1);
  });

  it('marks answers that changed and failures of items that did not apply before', () => {
    expect(cmp.items.filter((i) => i.answerChanged).map((i) => i.id)).toEqual([
      'a.fixed',
      'a.unchecked',
      'a.gone',
      'a.regressed',
      'a.new_fail',
      'a.new_pass',
      'a.answer',
      'a.added',
      'a.dropped',
    ]);
    expect(change('a.new_fail')?.newlyApplicable).toBe(true);
    expect(change('a.regressed')?.newlyApplicable).toBe(false);
  });

  it('keeps the after-audit order, then the items only the before-audit had', () => {
    expect(cmp.items.at(-1)?.id).toBe('a.dropped');
    expect(cmp.items[0]?.id).toBe('a.fixed');
  });

  it('leaves the rectification open while anything still fails, newly fails or went unchecked', () => {
    expect(cmp.outcome).toBe('NOT_RECTIFIED');
    const done = compareSchools(
      school('2020-04-20', [['b', 'fail', 0]]),
      school('2020-04-26', [['b', 'pass', 1]]),
    );
    expect(done.outcome).toBe('RECTIFIED');
    expect(needsFollowUp({ schools: [done], unpaired: { before: [], after: [] } })).toBe(false);
    // A school with failures that was never re-checked leaves the follow-up open.
    const unchecked = school('2020-04-20', [['b', 'fail', 0]], 'S-2');
    expect(needsFollowUp({ schools: [done], unpaired: { before: [unchecked], after: [] } })).toBe(true);
  });

  it('pairs by id, in file order, and renders the same Markdown whatever order the schools came in', () => {
    const b = [
      school('2020-04-20', [['x', 'fail', 0]], 'S-2'),
      school('2020-04-20', [['x', 'fail', 0]], 'S-1'),
    ];
    const a = [
      school('2020-04-27', [['x', 'pass', 1]], 'S-1'),
      school('2020-04-27', [['x', 'fail', 0]], 'S-2'),
    ];
    const one = compareAll(b, a, { single: false });
    const two = compareAll([...b].reverse(), [...a].reverse(), { single: false });
    expect(one.comparison.schools.map((s) => s.after.result.school.id)).toEqual(['S-1', 'S-2']);
    const ctx = { lang: 'zh' as const, color: false, tool: { name: 'reopen-audit', version: '0.1.0' } };
    expect(renderCompareMarkdown({ comparison: one.comparison, failures: [] }, ctx)).toBe(
      renderCompareMarkdown({ comparison: two.comparison, failures: [] }, ctx),
    );
  });
});
