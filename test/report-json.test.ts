import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/report/json.js';
import { en, run, zh } from './fixtures/report-sample.js';

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
    expect(report.reportVersion).toBe(2);
    expect(Object.keys(report)).toEqual(['reportVersion', 'tool', 'lang', 'schools', 'catalogues', 'failures', 'coverage', 'summary']);
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
