import { describe, expect, it } from 'vitest';
import type { AuditRun } from '../src/model/result.js';
import { renderJson, streamJson } from '../src/report/json.js';
import { HOSTILE, MASKS_FORMULA, enContext as en, reportRun, zhContext as zh } from './fixtures/report-run.js';

/** 郑州市金水区第一中学: short of masks and gloves, below the supplies pass mark. */
const YIZHONG = '410105-0001';
const CATALOGUE = 'henan-2020';

interface JsonItem {
  id: string;
  status: string;
  required?: number;
  reason?: { code: string; params: Record<string, unknown>; text: string };
  computation?: {
    formula: string;
    substituted: string;
    inputs: { name: string; value: unknown }[];
    required: number;
  };
  answer?: { value: unknown; note?: string; evidence?: string[] };
  waiver?: unknown;
}
interface JsonSchool {
  file: string;
  catalogue: string;
  school: Record<string, unknown>;
  audit: { date: string; level: string; auditors: { name: string; org: string | null; text: string }[] };
  scores: {
    checklist: string;
    version: string;
    score: number;
    percent: number | null;
    passMark: number | null;
  }[];
  verdict: string;
  verdictLabel: string;
  decidedBy: { kind: string; id: string; text: string }[];
  counts: Record<string, number>;
  items: JsonItem[];
}
interface JsonCatalogue {
  profile: { id: string };
  parameters: { name: string; value: unknown; origin: string; title: string | null; profile: unknown }[];
  items: Record<string, { checklist: string; section: string; title: string; severity: string; remediation: string }>;
}
interface JsonReport {
  reportVersion: number;
  tool: { name: string; version: string };
  lang: string;
  schools: JsonSchool[];
  catalogues: Record<string, JsonCatalogue>;
  coverage: unknown;
  summary: Record<string, number>;
  failures: {
    file: string;
    problems: {
      file: string;
      line: number | null;
      col: number | null;
      code: string;
      message: string;
      text: string;
    }[];
  }[];
}

const parse = (text: string) => JSON.parse(text) as JsonReport;
const schoolOf = (report: JsonReport, id: string) => report.schools.find((s) => s.school.id === id);
const itemOf = (school: JsonSchool | undefined, id: string) => school?.items.find((i) => i.id === id);

/** The same run, with the schools, the failed files and their problems in the opposite order. */
function shuffled(run: AuditRun): AuditRun {
  run.schools.reverse();
  run.failures.reverse();
  for (const f of run.failures) f.problems.reverse();
  return run;
}

describe('JSON report', () => {
  const text = renderJson(reportRun(), zh);
  const report = parse(text);
  const yizhong = schoolOf(report, YIZHONG);
  const item = (id: string) => itemOf(yizhong, id);
  const catalogue = report.catalogues[CATALOGUE];

  it('parses, is version 2, and opens with the documented top-level keys in order', () => {
    expect(report.reportVersion).toBe(2);
    expect(Object.keys(report)).toEqual(['reportVersion', 'tool', 'lang', 'schools', 'catalogues', 'failures', 'coverage', 'summary']);
    expect(report.tool).toEqual({ name: 'reopen-audit', version: '0.1.0' });
    expect(report.lang).toBe('zh');
    expect(Object.keys(report.catalogues)).toEqual([CATALOGUE]);
    // No roster was given.
    expect(report.coverage).toBeNull();
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('is byte-identical across calls and whatever order the schools and files arrive in', () => {
    expect(renderJson(reportRun(), zh)).toBe(text);
    const again = reportRun();
    again.schools.reverse();
    again.failures.reverse();
    expect(renderJson(again, zh)).toBe(text);
  });

  it('hands a worker the same bytes as encoding the school text (schoolBytes), twice over', () => {
    const encoder = new TextEncoder();
    for (const ctx of [zh, en]) {
      for (const run of [reportRun(), reportRun()]) {
        for (const { result, catalogueKey } of run.schools) {
          const catalogue = run.catalogues[catalogueKey];
          if (!catalogue) throw new Error(`no catalogue ${catalogueKey}`);
          const entry = { result, catalogue, catalogueKey };
          const bytes = streamJson.schoolBytes?.(entry, ctx);
          expect(bytes && Buffer.from(bytes).equals(Buffer.from(encoder.encode(streamJson.school(entry, ctx))))).toBe(true);
        }
      }
    }
  });

  // docs/report-json.md: a failed file's problems are "located problems, in position order", and
  // the same input gives the same bytes. The JSON reporter keeps the problems in the order they
  // arrive (the Markdown and CI reporters sort them). Remove `.fails` once it sorts them too.
  it('lists the problems of a failed file in position order, whatever order they arrive in', () => {
    const broken = parse(renderJson(reportRun(), zh)).failures.find((f) => f.file === 'schools/erqi/broken.yaml');
    expect(broken?.problems.map((p) => [p.line, p.col])).toEqual([
      [3, 9],
      [7, 13],
    ]);
    expect(renderJson(shuffled(reportRun()), zh)).toBe(text);
  });

  it('sums up the run', () => {
    expect(report.summary).toEqual({ schools: 4, READY: 1, NOT_READY: 2, INCOMPLETE: 1, failedFiles: 2 });
  });

  it('gives each school its verdict and what decided it, in file order', () => {
    expect(report.schools.map((s) => [s.file, s.verdict, s.verdictLabel])).toEqual([
      ['schools/erqi/shiyan-youeryuan.yaml', 'INCOMPLETE', '核验未完成'],
      ['schools/erqi/第二十中学.yaml', 'NOT_READY', '不具备开学条件'],
      ['schools/jinshui/wenhua-lu.yaml', 'READY', '具备开学条件'],
      ['schools/jinshui/yizhong.yaml', 'NOT_READY', '不具备开学条件'],
    ]);
    // The failed gloves item is major: it does not decide the verdict.
    expect(yizhong?.decidedBy).toEqual([
      {
        kind: 'item',
        id: 'supplies.protective.masks',
        status: 'fail',
        severity: 'critical',
        text: '口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14',
      },
      {
        kind: 'score',
        id: 'supplies',
        status: null,
        severity: null,
        text: '核验表“防疫物资储备”得分率 0%，低于合格线 60%',
      },
    ]);
    expect(schoolOf(report, '410103-0020')?.decidedBy).toEqual([
      {
        kind: 'item',
        id: 'gates.epidemic.controlled',
        status: 'fail',
        severity: 'gate',
        text: '疫情已得到基本控制：否，要求为 是',
      },
    ]);
    expect(schoolOf(report, '410103-0021')?.decidedBy).toEqual([
      { kind: 'item', id: 'isolation.room.ready', status: 'unanswered', severity: 'critical', text: '未作答' },
      { kind: 'item', id: 'isolation.staff.health', status: 'error', severity: 'major', text: '学校信息缺少：students' },
    ]);
    expect(schoolOf(report, '410105-0107')?.decidedBy).toEqual([]);
    expect(yizhong?.counts).toEqual({
      fail: 2,
      error: 0,
      unanswered: 1,
      waived: 0,
      pass: 4,
      not_applicable: 1,
    });
    expect(Object.keys(yizhong?.counts ?? {})).toEqual(['fail', 'error', 'unanswered', 'waived', 'pass', 'not_applicable']);
    expect(yizhong?.scores.map((s) => s.checklist)).toEqual(['three-no-opening', 'supplies', 'isolation']);
    // Masks (weight 3) and gloves (1) fail; the toy item does not apply to a senior school.
    expect(yizhong?.scores[1]).toEqual({
      checklist: 'supplies',
      version: '1.2.0',
      score: 0,
      possible: 4,
      percent: 0,
      passMark: 60,
      belowPassMark: true,
    });
    expect(yizhong?.audit.auditors).toEqual([
      { name: '王建国', org: '金水区教育局', role: '组长', text: '王建国（金水区教育局，组长）' },
      { name: '李娜', org: null, role: null, text: '李娜' },
    ]);
    expect(yizhong?.school).toMatchObject({ type: 'senior', typeLabel: '高级中学', boarding: true, boarders: 600, classes: null });
    expect(yizhong?.catalogue).toBe(CATALOGUE);
    expect(catalogue?.profile.id).toBe(CATALOGUE);
  });

  it('keeps the formula, the numbers put in and the answer of a failed computed threshold', () => {
    const masks = item('supplies.protective.masks');
    expect(catalogue?.items['supplies.protective.masks']).toMatchObject({
      checklist: 'supplies',
      section: 'protective',
      title: '口罩储备',
      severity: 'critical',
    });
    expect(masks).toMatchObject({
      status: 'fail',
      reason: { code: 'reason.failMin', params: { actual: 8400, required: 16800 } },
      computation: {
        formula: MASKS_FORMULA,
        substituted: '(1100 + 100) × 1 × 14',
        required: 16800,
      },
      answer: { value: 8400, note: '另有 3000 只在途，未入库', evidence: ['photos/masks.jpg'] },
    });
    expect(Object.keys(masks ?? {})).toEqual(['id', 'status', 'reason', 'computation', 'answer']);
    expect(masks?.waiver).toBeUndefined();
    expect(masks?.reason?.text).toBe('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(masks?.computation?.inputs).toEqual([
      { name: 'students', value: 1100 },
      { name: 'staff', value: 100 },
      { name: 'masks_per_person_day', value: 1 },
      { name: 'stock_days', value: 14 },
    ]);
  });

  it('says why for every item that is not a plain pass, and keeps a plain pass short', () => {
    const kindergarten = schoolOf(report, '410103-0021');
    expect(itemOf(kindergarten, 'isolation.room.ready')).toEqual({
      id: 'isolation.room.ready',
      status: 'unanswered',
      reason: { code: 'reason.unanswered', params: {}, text: '未作答' },
    });
    expect(itemOf(kindergarten, 'isolation.staff.health')).toEqual({
      id: 'isolation.staff.health',
      status: 'error',
      reason: { code: 'reason.missingProfile', params: { names: 'students' }, text: '学校信息缺少：students' },
      answer: { value: 1 },
    });
    expect(item('isolation.room.signage')).toEqual({
      id: 'isolation.room.signage',
      status: 'unanswered',
      reason: { code: 'reason.unansweredOptional', params: {}, text: '未作答（选答项）' },
    });
    expect(item('supplies.toys.disinfectant')).toEqual({
      id: 'supplies.toys.disinfectant',
      status: 'not_applicable',
      reason: {
        code: 'reason.conditionFalse',
        params: { condition: 'type == "kindergarten"', values: '"senior" == "kindergarten"' },
        facts: [{ op: '!=', left: { name: 'type', value: 'senior' }, right: { value: 'kindergarten' } }],
        wording: '仅适用于幼儿园',
        text: '不适用：仅适用于幼儿园（学校类型为高级中学，不是幼儿园）',
      },
    });
    expect(Object.keys(item('supplies.toys.disinfectant')?.reason ?? {})).toEqual(['code', 'params', 'facts', 'wording', 'text']);
    expect(itemOf(kindergarten, 'supplies.toys.disinfectant')).toEqual({
      id: 'supplies.toys.disinfectant',
      status: 'pass',
      answer: { value: true },
    });
    expect(item('gates.prevention.basic')).toEqual({ id: 'gates.prevention.basic', status: 'pass', answer: { value: true } });
    expect(catalogue?.items['gates.prevention.basic']?.severity).toBe('gate');
    // A pass against a computed requirement carries only the required value: (800 + 60) × 1 × 14.
    expect(itemOf(schoolOf(report, '410105-0107'), 'supplies.protective.masks')).toEqual({
      id: 'supplies.protective.masks',
      status: 'pass',
      required: 12040,
      answer: { value: 12040 },
    });
  });

  it('gives the waiver on file: in force (waived) and expired (a failure again)', () => {
    expect(itemOf(schoolOf(report, '410105-0107'), 'supplies.protective.gloves')).toMatchObject({
      status: 'waived',
      reason: { code: 'reason.waived', text: '已豁免：区教育局统一配送，4 月 22 日前到校（金水区教育局 批准，有效期至 2020-05-01）' },
      waiver: { approvedBy: '金水区教育局', approvedOn: '2020-04-15', expires: '2020-05-01', expired: false },
    });
    expect(itemOf(schoolOf(report, '410103-0020'), 'supplies.protective.gloves')).toMatchObject({
      status: 'fail',
      reason: { code: 'reason.failEquals', text: '一次性手套已储备：否，要求为 是（豁免已于 2020-04-01 过期，不再适用）' },
      waiver: { reason: '物资调拨中', expires: '2020-04-01', expired: true },
    });
  });

  it('lists the parameters in force with where their values come from', () => {
    expect(catalogue?.parameters.map((p) => [p.name, p.value, p.origin])).toEqual([
      ['stock_days', 14, 'profile'],
      ['masks_per_person_day', 1, 'default'],
    ]);
    expect(catalogue?.parameters[0]).toMatchObject({
      title: '储备天数',
      profile: { id: CATALOGUE, title: '河南省 2020 年春季开学' },
      source: { ref: CATALOGUE },
    });
    expect(catalogue?.parameters[1]).toMatchObject({ title: '每人每天口罩数', profile: null, source: null });
  });

  it('locates the problems of the files that could not be audited, by path', () => {
    expect(report.failures.map((f) => f.file)).toEqual(['schools/erqi/broken.yaml', 'schools/missing.yaml']);
    const [broken, missing] = report.failures;
    expect(broken?.problems).toHaveLength(2);
    expect(broken?.problems).toContainEqual({
      file: 'schools/erqi/broken.yaml',
      line: 7,
      col: 13,
      code: 'schema.type',
      params: { field: 'students', got: 'string', value: '"一千"', want: 'integer' },
      message: '“students”应为整数，实际为文本 "一千"',
      text: 'schools/erqi/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"',
    });
    expect(broken?.problems).toContainEqual({
      file: 'schools/erqi/broken.yaml',
      line: 3,
      col: 9,
      code: 'schema.required',
      params: { key: 'district' },
      message: '缺少必填项“district”',
      text: 'schools/erqi/broken.yaml:3:9 缺少必填项“district”',
    });
    expect(Object.keys(broken?.problems[0] ?? {})).toEqual(['file', 'line', 'col', 'code', 'params', 'message', 'text']);
    expect(missing?.problems).toEqual([
      {
        file: 'schools/missing.yaml',
        line: null,
        col: null,
        code: 'file.notFound',
        params: { path: 'schools/missing.yaml' },
        message: '找不到文件或目录：schools/missing.yaml',
        text: 'schools/missing.yaml 找不到文件或目录：schools/missing.yaml',
      },
    ]);
  });

  it('is in English with --lang en, codes unchanged', () => {
    const english = parse(renderJson(reportRun(), en));
    const school = schoolOf(english, YIZHONG);
    const masks = itemOf(school, 'supplies.protective.masks');
    expect(english.lang).toBe('en');
    expect(english.catalogues[CATALOGUE]?.items['supplies.protective.masks']?.title).toBe('Mask stock');
    expect(masks?.reason?.code).toBe('reason.failMin');
    expect(masks?.reason?.text).toBe('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(school?.verdict).toBe('NOT_READY');
    expect(school?.verdictLabel).toBe('NOT READY');
    expect(school?.decidedBy[1]?.text).toBe('checklist "Epidemic supplies" scored 0%, below its pass mark of 60%');
    expect(english.summary).toEqual(report.summary);
  });

  it('keeps input text exactly, with control characters written as \\u escapes', () => {
    const hostile = parse(renderJson(reportRun({ hostile: true }), zh));
    const school = schoolOf(hostile, YIZHONG);
    expect(school?.school.name).toBe(HOSTILE.name);
    expect(school?.school.district).toBe(HOSTILE.district);
    expect(itemOf(school, 'supplies.protective.gloves')?.answer?.note).toBe(HOSTILE.note);
    expect(itemOf(school, 'supplies.protective.masks')?.answer?.note).toBe(HOSTILE.formulaNote);

    const name = '金水|一中<script>\n\u001b[31m中学\u009b2J\u2028';
    const run = reportRun({ hostile: true });
    const first = run.schools.find((s) => s.result.school.id === YIZHONG)?.result;
    if (first) first.school.name = name;
    const out = renderJson(run, zh);
    expect(schoolOf(parse(out), YIZHONG)?.school.name).toBe(name);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(out).toContain('\\u001b[31m');
    expect(out).toContain('\\u009b2J');
    expect(out).toContain('\\u2028');
  });
});

describe('JSON report, streamed', () => {
  it('is valid JSON with and without schools, one line per item', () => {
    const full = renderJson(reportRun(), zh);
    expect(parse(full).schools).toHaveLength(4);
    expect(full.match(/\n {8}\{"id":"supplies\.protective\.masks","status":"(fail|pass)",/g)).toHaveLength(4);
    expect(full).toMatch(/\n {8}\{"id":"supplies\.protective\.masks","status":"fail",/);
    const empty = renderJson({ catalogues: {}, schools: [], failures: [] }, zh);
    expect(empty).toBe(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
    expect(JSON.parse(empty).summary.schools).toBe(0);
    expect(JSON.parse(empty).catalogues).toEqual({});
  });
});
