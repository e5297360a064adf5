import { describe, expect, it } from 'vitest';
import type { AuditRun, Catalogue, ItemResult, SchoolResult, StatusCounts } from '../src/model/result.js';
import { renderJson } from '../src/report/json.js';
import type { ReportContext } from '../src/report/index.js';

// The same run as test/report-markdown.test.ts; keep the two in step.
const catalogue: Catalogue = {
  profile: { id: 'default', title: { zh: '默认方案', en: 'Default profile' }, version: '2023.1' },
  checklists: [
    {
      id: 'three-no-opening',
      version: '1.0.0',
      title: { zh: '三个不开学', en: 'Three conditions for not opening' },
      passMark: null,
      sources: [{ id: 'moe-2020', title: '教育部党组通知（2020-02-28）' }],
      sections: [
        { id: 'gates', title: { zh: '开学底线', en: 'Bottom lines' }, items: ['gates.prevention.basic'] },
      ],
    },
    {
      id: 'supplies',
      version: '1.2.0',
      title: { zh: '防疫物资储备', en: 'Epidemic supplies' },
      passMark: 80,
      sources: [{ id: 'tech-plan-2020', title: '学校防控技术方案' }],
      sections: [
        {
          id: 'protective',
          title: { zh: '个人防护物资', en: 'Protective supplies' },
          items: ['supplies.protective.masks', 'supplies.protective.gloves'],
        },
        {
          id: 'kindergarten',
          title: { zh: '幼儿园', en: 'Kindergarten' },
          items: ['supplies.toys.disinfectant'],
        },
        {
          id: 'isolation',
          title: { zh: '隔离观察室', en: 'Isolation room' },
          items: ['isolation.room.ready'],
        },
      ],
    },
  ],
  items: {
    'gates.prevention.basic': {
      id: 'gates.prevention.basic',
      checklistId: 'three-no-opening',
      sectionId: 'gates',
      title: { zh: '学校基本防控条件具备', en: 'Basic prevention conditions in place' },
      method: 'document_review',
      guidance: { zh: '查阅防控方案和应急预案', en: 'Read the plans' },
      severity: 'gate',
      weight: 1,
      remediation: { zh: '完善“两案”并报备', en: 'Complete and file both plans' },
      source: { ref: 'moe-2020' },
    },
    'supplies.protective.masks': {
      id: 'supplies.protective.masks',
      checklistId: 'supplies',
      sectionId: 'protective',
      title: { zh: '口罩储备', en: 'Mask stock' },
      method: 'site_visit',
      guidance: { zh: '清点在库口罩', en: 'Count masks in store' },
      severity: 'critical',
      weight: 3,
      unit: { zh: '只', en: 'masks' },
      remediation: {
        zh: '按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记',
        en: 'Buy masks up to (students + staff) × per person per day × stock days',
      },
      source: { ref: 'tech-plan-2020' },
    },
    'supplies.protective.gloves': {
      id: 'supplies.protective.gloves',
      checklistId: 'supplies',
      sectionId: 'protective',
      title: { zh: '一次性手套已储备', en: 'Disposable gloves in stock' },
      method: 'site_visit',
      guidance: { zh: '查看储备库', en: 'Look in the store' },
      severity: 'major',
      weight: 1,
      remediation: { zh: '采购一次性手套', en: 'Buy disposable gloves' },
      source: { ref: 'tech-plan-2020' },
    },
    'supplies.toys.disinfectant': {
      id: 'supplies.toys.disinfectant',
      checklistId: 'supplies',
      sectionId: 'kindergarten',
      title: { zh: '玩具消毒剂', en: 'Toy disinfectant' },
      method: 'site_visit',
      guidance: { zh: '查看消毒剂', en: 'Check disinfectant' },
      severity: 'minor',
      weight: 1,
      remediation: { zh: '配备玩具消毒剂', en: 'Provide toy disinfectant' },
      source: { ref: 'tech-plan-2020' },
    },
    'isolation.room.ready': {
      id: 'isolation.room.ready',
      checklistId: 'supplies',
      sectionId: 'isolation',
      title: { zh: '隔离观察室设置到位', en: 'Isolation room ready' },
      method: 'site_visit',
      guidance: { zh: '实地查看', en: 'Visit the room' },
      severity: 'critical',
      weight: 2,
      remediation: { zh: '设置相对独立的隔离观察室', en: 'Set up a separate isolation room' },
      source: { ref: 'tech-plan-2020' },
    },
  },
  parameters: [
    {
      name: 'stock_days',
      value: 14,
      unit: { zh: '天', en: 'days' },
      description: { zh: '物资储备天数', en: 'Days of stock' },
      origin: 'profile',
      source: { ref: 'henan-2020' },
    },
    {
      name: 'masks_per_person_day',
      value: 1,
      description: { zh: '每人每天口罩数', en: 'Masks per person per day' },
      origin: 'default',
    },
  ],
};

function counts(items: ItemResult[]): StatusCounts {
  const c: StatusCounts = { fail: 0, error: 0, unanswered: 0, waived: 0, pass: 0, not_applicable: 0 };
  for (const i of items) c[i.status]++;
  return c;
}

const masksFormula = '(students + staff) * masks_per_person_day * stock_days';

function shortOfMasks(name: string): SchoolResult {
  const items: ItemResult[] = [
    {
      id: 'gates.prevention.basic',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: 'true' } },
      answer: { value: true },
    },
    {
      id: 'supplies.protective.masks',
      status: 'fail',
      reason: { code: 'reason.failMin', params: { actual: 8400, required: 16800 } },
      computation: {
        bound: 'min',
        formula: masksFormula,
        substituted: '(1100 + 100) × 1 × 14',
        inputs: [
          { name: 'students', value: 1100 },
          { name: 'staff', value: 100 },
          { name: 'masks_per_person_day', value: 1 },
          { name: 'stock_days', value: 14 },
        ],
        required: 16800,
      },
      answer: { value: 8400, note: '另有 3000 只在途，未入库', evidence: ['photos/masks.jpg'] },
    },
    {
      id: 'supplies.protective.gloves',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: 'true' } },
      answer: { value: true },
    },
    {
      id: 'supplies.toys.disinfectant',
      status: 'not_applicable',
      reason: {
        code: 'reason.conditionFalse',
        params: { condition: 'type == "kindergarten"', values: '"senior" == "kindergarten"' },
      },
    },
    { id: 'isolation.room.ready', status: 'unanswered', reason: { code: 'reason.unanswered' } },
  ];
  return {
    file: 'schools/dongcheng-shiyan.yaml',
    school: {
      id: 'DC-001',
      name,
      district: '东城区',
      type: 'senior',
      boarding: true,
      canteen: true,
      students: 1100,
      staff: 100,
      boarders: 600,
    },
    audit: {
      date: '2023-02-10',
      level: 'county',
      auditors: [{ name: '王建国', org: '东城区教育局', role: '组长' }, '李娜'],
      profile: 'default',
    },
    profileId: 'default',
    verdict: 'NOT_READY',
    decidedBy: [
      { id: 'supplies.protective.masks', kind: 'item', status: 'fail', severity: 'critical' },
      { id: 'supplies', kind: 'score' },
    ],
    scores: [
      {
        id: 'three-no-opening',
        version: '1.0.0',
        score: 1,
        possible: 1,
        percent: 100,
        passMark: null,
        belowPassMark: false,
      },
      {
        id: 'supplies',
        version: '1.2.0',
        score: 1,
        possible: 6,
        percent: 16.7,
        passMark: 80,
        belowPassMark: true,
      },
    ],
    counts: counts(items),
    items,
  };
}

function readyPrimary(): SchoolResult {
  const items: ItemResult[] = [
    {
      id: 'gates.prevention.basic',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: 'true' } },
      answer: { value: true },
    },
    {
      id: 'supplies.protective.masks',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: '9000' } },
      computation: {
        bound: 'min',
        formula: masksFormula,
        substituted: '(560 + 40) × 1 × 14',
        inputs: [
          { name: 'students', value: 560 },
          { name: 'staff', value: 40 },
          { name: 'masks_per_person_day', value: 1 },
          { name: 'stock_days', value: 14 },
        ],
        required: 8400,
      },
      answer: { value: 9000 },
    },
    {
      id: 'supplies.protective.gloves',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: 'true' } },
      answer: { value: true },
    },
    {
      id: 'supplies.toys.disinfectant',
      status: 'not_applicable',
      reason: {
        code: 'reason.conditionFalse',
        params: { condition: 'type == "kindergarten"', values: '"primary" == "kindergarten"' },
      },
    },
    {
      id: 'isolation.room.ready',
      status: 'pass',
      reason: { code: 'reason.pass', params: { actual: 'true' } },
      answer: { value: true },
    },
  ];
  return {
    file: 'schools/xicheng-dier.yaml',
    school: {
      id: 'XC-002',
      name: '西城区第二小学',
      district: '西城区',
      type: 'primary',
      canteen: false,
      students: 560,
      staff: 40,
    },
    audit: { date: '2023-02-09', level: 'self', auditors: ['赵敏'] },
    profileId: 'default',
    verdict: 'READY',
    decidedBy: [],
    scores: [
      {
        id: 'three-no-opening',
        version: '1.0.0',
        score: 1,
        possible: 1,
        percent: 100,
        passMark: null,
        belowPassMark: false,
      },
      {
        id: 'supplies',
        version: '1.2.0',
        score: 6,
        possible: 6,
        percent: 100,
        passMark: 80,
        belowPassMark: false,
      },
    ],
    counts: counts(items),
    items,
  };
}

function run(opts: { name?: string; ready?: boolean; failure?: boolean } = {}): AuditRun {
  const schools: AuditRun['schools'] = [
    { result: shortOfMasks(opts.name ?? '东城区实验中学'), catalogueKey: 'default' },
  ];
  if (opts.ready) schools.unshift({ result: readyPrimary(), catalogueKey: 'default' });
  return {
    catalogues: { default: catalogue },
    schools,
    failures: opts.failure
      ? [
          {
            file: 'schools/broken.yaml',
            problems: [
              {
                file: 'schools/broken.yaml',
                line: 7,
                col: 13,
                message: {
                  code: 'schema.type',
                  params: { field: 'students', want: 'integer', got: 'string', value: '"一千"' },
                },
              },
            ],
          },
        ]
      : [],
  };
}

const zh: ReportContext = { lang: 'zh', color: false, tool: { name: 'reopen-audit', version: '0.1.0' } };
const en: ReportContext = { ...zh, lang: 'en' };

interface JsonItem {
  id: string;
  status: string;
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
  decidedBy: { kind: string; id: string; text: string }[];
  counts: Record<string, number>;
  items: JsonItem[];
}
interface JsonCatalogue {
  profile: { id: string };
  parameters: { name: string; value: unknown; origin: string }[];
  items: Record<string, { checklist: string; section: string; title: string; severity: string; remediation: string }>;
}
interface JsonReport {
  reportVersion: number;
  tool: { name: string; version: string };
  lang: string;
  schools: JsonSchool[];
  catalogues: Record<string, JsonCatalogue>;
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

describe('JSON report', () => {
  const text = renderJson(run({ ready: true, failure: true }), zh);
  const report = parse(text);
  const dongcheng = report.schools.find((s) => s.school.id === 'DC-001');
  const item = (id: string) => dongcheng?.items.find((i) => i.id === id);

  it('parses, is version 1, and opens with the documented top-level keys in order', () => {
    expect(report.reportVersion).toBe(1);
    expect(Object.keys(report)).toEqual(['reportVersion', 'tool', 'lang', 'schools', 'catalogues', 'failures', 'summary']);
    expect(report.tool).toEqual({ name: 'reopen-audit', version: '0.1.0' });
    expect(report.lang).toBe('zh');
  });

  it('is byte-identical across calls and whatever order the schools arrive in', () => {
    const again = run({ ready: true, failure: true });
    again.schools.reverse();
    expect(renderJson(run({ ready: true, failure: true }), zh)).toBe(text);
    expect(renderJson(again, zh)).toBe(text);
  });

  it('sums up the run', () => {
    expect(report.summary).toEqual({ schools: 2, READY: 1, NOT_READY: 1, INCOMPLETE: 0, failedFiles: 1 });
  });

  it('gives each school its verdict and what decided it, in file order', () => {
    expect(report.schools.map((s) => [s.file, s.verdict])).toEqual([
      ['schools/dongcheng-shiyan.yaml', 'NOT_READY'],
      ['schools/xicheng-dier.yaml', 'READY'],
    ]);
    expect(dongcheng?.decidedBy).toEqual([
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
        text: '核验表“防疫物资储备”得分率 16.7%，低于合格线 80%',
      },
    ]);
    expect(dongcheng?.counts).toEqual({
      fail: 1,
      error: 0,
      unanswered: 1,
      waived: 0,
      pass: 2,
      not_applicable: 1,
    });
    expect(dongcheng?.scores[1]).toMatchObject({
      checklist: 'supplies',
      version: '1.2.0',
      score: 1,
      percent: 16.7,
      passMark: 80,
    });
    expect(dongcheng?.audit.auditors[0]).toMatchObject({
      name: '王建国',
      org: '东城区教育局',
      text: '王建国（东城区教育局，组长）',
    });
    expect(dongcheng?.catalogue).toBe('default');
    expect(report.catalogues.default?.profile.id).toBe('default');
  });

  it('keeps the formula, the numbers put in and the answer of a failed computed threshold', () => {
    const masks = item('supplies.protective.masks');
    expect(report.catalogues.default?.items['supplies.protective.masks']).toMatchObject({
      checklist: 'supplies',
      section: 'protective',
      title: '口罩储备',
      severity: 'critical',
    });
    expect(masks).toMatchObject({
      status: 'fail',
      reason: { code: 'reason.failMin', params: { actual: 8400, required: 16800 } },
      computation: {
        formula: '(students + staff) * masks_per_person_day * stock_days',
        substituted: '(1100 + 100) × 1 × 14',
        required: 16800,
      },
      answer: { value: 8400, note: '另有 3000 只在途，未入库', evidence: ['photos/masks.jpg'] },
    });
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
    expect(item('isolation.room.ready')).toEqual({ id: 'isolation.room.ready', status: 'unanswered', reason: { code: 'reason.unanswered', params: {}, text: '未作答' } });
    expect(item('supplies.toys.disinfectant')).toMatchObject({ status: 'not_applicable', reason: { code: expect.any(String) } });
    expect(item('supplies.toys.disinfectant')?.answer).toBeUndefined();
    const gate = item('gates.prevention.basic');
    expect(gate?.status).toBe('pass');
    expect(gate?.reason).toBeUndefined();
    expect(report.catalogues.default?.items['gates.prevention.basic']?.severity).toBe('gate');
  });

  it('lists the parameters in force with where their values come from', () => {
    expect(report.catalogues.default?.parameters.map((p) => [p.name, p.value, p.origin])).toEqual([
      ['stock_days', 14, 'profile'],
      ['masks_per_person_day', 1, 'default'],
    ]);
  });

  it('locates the problems of a file that could not be audited', () => {
    expect(report.failures).toEqual([
      {
        file: 'schools/broken.yaml',
        problems: [
          {
            file: 'schools/broken.yaml',
            line: 7,
            col: 13,
            code: 'schema.type',
            params: { field: 'students', got: 'string', value: '"一千"', want: 'integer' },
            message: '“students”应为整数，实际为文本 "一千"',
            text: 'schools/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"',
          },
        ],
      },
    ]);
  });

  it('is in English with --lang en, codes unchanged', () => {
    const english = parse(renderJson(run(), en));
    const masks = english.schools[0]?.items.find((i) => i.id === 'supplies.protective.masks');
    expect(english.lang).toBe('en');
    expect(english.catalogues.default?.items['supplies.protective.masks']?.title).toBe('Mask stock');
    expect(masks?.reason?.text).toBe('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(english.schools[0]?.verdict).toBe('NOT_READY');
  });

  it('keeps input text exactly, with control characters written as \\u escapes', () => {
    const name = '东城|实验<script>\n\u001b[31m中学\u009b2J\u2028';
    const out = renderJson(run({ name }), zh);
    expect(parse(out).schools[0]?.school.name).toBe(name);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(out).toContain('\\u001b[31m');
    expect(out).toContain('\\u009b2J');
  });
});

describe('JSON report, streamed', () => {
  it('is valid JSON with and without schools, one line per item', () => {
    const full = renderJson(run({ ready: true, failure: true }), zh);
    expect(parse(full).schools).toHaveLength(2);
    expect(full).toMatch(/\n {8}\{"id":"supplies\.protective\.masks","status":"fail",/);
    const empty = renderJson({ catalogues: {}, schools: [], failures: [] }, zh);
    expect(empty).toBe(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
    expect(JSON.parse(empty).summary.schools).toBe(0);
  });
});
