/**
 * The CI outputs: JUnit, CSV (summary and per item), GitHub annotations, SARIF and the
 * district summary. Each is checked the way its consumer reads it: JUnit against a JUnit
 * XSD (xmllint) and a pure-JS XML parser, SARIF against the SARIF 2.1.0 schema (ajv), CSV
 * with an RFC 4180 parser, annotations line by line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { AuditRun, Catalogue } from '../src/model/result.js';
import { FORMAT_NAMES, loadFormats, type Format, type FormatName, type ReportContext } from '../src/report/index.js';

const LOADED = await loadFormats(FORMAT_NAMES);
const render = (format: FormatName, run: AuditRun, ctx: ReportContext) => (LOADED.get(format) as Format).render(run, ctx);
import { renderJunit, streamJunit } from '../src/report/junit.js';
import { csvCell, renderCsv, renderCsvItems } from '../src/report/csv.js';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderSummary } from '../src/report/summary.js';
import { HOSTILE, MASKS_FORMULA, enContext, reportRun, zhContext } from './fixtures/report-run.js';
import { cli, ROOT, tempDir, toolAvailable } from './helpers.js';
import { ajv, parseCsvStrict, validateSarif } from './fixtures/bad/well-formed.js';

const JUNIT_XSD = path.join(ROOT, 'test/schemas/junit-10.xsd');

// ---------------------------------------------------------------- validators

const HAS_XMLLINT = toolAvailable(['xmllint', '--version'], 'xmllint (JUnit XSD validation; the XML is still parsed in JS)', 'apt-get install libxml2-utils');

/** `xmllint --schema`: the exit status and what it said. */
function xmllint(xml: string): { ok: boolean; output: string } {
  const file = path.join(tempDir('ci'), 'report.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Also decode numeric character references such as &#10; (line breaks in attributes).
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

interface XmlProblem {
  '#text'?: string;
  message?: string;
  type?: string;
}
interface XmlCase {
  name: string;
  classname: string;
  file?: string;
  line?: string;
  failure?: XmlProblem;
  error?: XmlProblem;
  skipped?: XmlProblem | string;
}
interface XmlSuite {
  name: string;
  file: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase?: XmlCase[];
  properties?: { property: { name: string; value: string }[] };
  'system-out'?: string;
}
interface XmlDoc {
  testsuites: {
    name: string;
    tests: string;
    failures: string;
    errors: string;
    skipped: string;
    testsuite: XmlSuite[];
  };
}

/** Well-formed (or the test fails with the parser's reason), then parsed. */
function parseJunit(xml: string): XmlDoc {
  const valid = XMLValidator.validate(xml);
  expect(valid, JSON.stringify(valid)).toBe(true);
  return parser.parse(xml) as XmlDoc;
}



// ---------------------------------------------------------------- JUnit

describe('JUnit report', () => {
  const xml = renderJunit(reportRun(), zhContext);
  const doc = parseJunit(xml);
  const suites = doc.testsuites.testsuite;
  const suite = (name: string) => suites.find((s) => s.name.startsWith(name)) as XmlSuite;
  const testcase = (s: XmlSuite, id: string) =>
    s.testcase?.find((c) => c.name.startsWith(`${id} `)) as XmlCase;

  it.skipIf(!HAS_XMLLINT)('validates against the JUnit XSD (zh, en, and with hostile text)', () => {
    for (const text of [
      xml,
      renderJunit(reportRun(), enContext),
      renderJunit(reportRun({ hostile: true }), zhContext),
    ]) {
      const r = xmllint(text);
      expect(r.ok, r.output).toBe(true);
    }
  });

  it.skipIf(!HAS_XMLLINT)('uses an XSD that does reject a malformed report', () => {
    const broken = xml
      .replace(/<testcase classname="[^"]*" /, '<testcase ')
      .replace(/ tests="\d+"/, ' tests="-1"');
    expect(xmllint(broken).ok).toBe(false);
  });

  it('has a suite per school in file order, then one per file that could not be audited', () => {
    expect(suites.map((s) => s.file)).toEqual([
      'schools/erqi/shiyan-youeryuan.yaml',
      'schools/erqi/第二十中学.yaml',
      'schools/jinshui/wenhua-lu.yaml',
      'schools/jinshui/yizhong.yaml',
      'schools/erqi/broken.yaml',
      'schools/missing.yaml',
    ]);
    expect(suites[3]?.name).toBe('郑州市金水区第一中学（410105-0001）');
    expect(suites[3]?.properties?.property).toContainEqual({ name: 'verdict', value: 'NOT_READY' });
    expect(suites[3]?.['system-out']).toContain('核验结论：不具备开学条件');
  });

  it('counts tests, failures, errors and skipped correctly on every suite', () => {
    const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const s of suites) {
      const cases = s.testcase ?? [];
      const n = {
        tests: cases.length,
        failures: cases.filter((c) => c.failure !== undefined).length,
        errors: cases.filter((c) => c.error !== undefined).length,
        skipped: cases.filter((c) => c.skipped !== undefined).length,
      };
      expect(
        { tests: +s.tests, failures: +s.failures, errors: +s.errors, skipped: +s.skipped },
        s.name,
      ).toEqual(n);
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += n[k];
    }
    expect(total).toEqual({ tests: 35, failures: 6, errors: 4, skipped: 5 });
    // The report is streamed school by school: the root carries no totals to get wrong.
    expect(doc.testsuites.tests).toBeUndefined();
    expect(doc.testsuites.name).toBe('reopen-audit');
  });

  it('names test cases by checklist, item id and title, and a failure carries the reason and numbers', () => {
    const masks = testcase(suite('郑州市金水区第一中学'), 'supplies.protective.masks');
    expect(masks.classname).toBe('supplies');
    expect(masks.name).toBe('supplies.protective.masks 口罩储备');
    expect(masks.file).toBe('schools/jinshui/yizhong.yaml');
    expect(masks.line).toBe('16');
    expect(masks.failure?.type).toBe('fail');
    expect(masks.failure?.message).toBe('【关键】口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(masks.failure?.['#text']).toContain(`公式：${MASKS_FORMULA}（students = 1100，staff = 100`);
    expect(masks.failure?.['#text']).toContain('整改建议：按（学生数 + 教职工数）');
    expect(masks.failure?.['#text']).toContain('位置：schools/jinshui/yizhong.yaml:16:3');
  });

  it('makes a required unanswered item a failure of type "unanswered", an optional one skipped', () => {
    const room = testcase(suite('二七区实验幼儿园'), 'isolation.room.ready');
    expect(room.failure).toMatchObject({ type: 'unanswered', message: '【关键】隔离观察室设置到位：未作答' });
    const signage = testcase(suite('郑州市金水区第一中学'), 'isolation.room.signage');
    expect(signage.failure).toBeUndefined();
    expect(signage.skipped).toMatchObject({ message: '未作答（选答项）' });
  });

  it('gives errors as <error>, and not-applicable and waived items as <skipped> with the reason', () => {
    const health = testcase(suite('二七区实验幼儿园'), 'isolation.staff.health');
    expect(health.error).toMatchObject({
      type: 'error',
      message: '【重要】卫生技术人员：学校信息缺少：students',
    });
    const gloves = testcase(suite('金水区文化路小学'), 'supplies.protective.gloves');
    expect(gloves.skipped).toMatchObject({
      message: '已豁免：区教育局统一配送，4 月 22 日前到校（金水区教育局 批准，有效期至 2020-05-01）',
    });
    const toys = testcase(suite('金水区文化路小学'), 'supplies.toys.disinfectant');
    expect(toys.skipped).toMatchObject({ message: '不适用：仅适用于幼儿园（学校类型为小学，不是幼儿园）' });
    const gate = testcase(suite('二七区第二十中学'), 'gates.epidemic.controlled');
    expect(gate.failure?.message).toBe('【一票否决】疫情已得到基本控制：否，要求为 是');
  });

  it('reports a file that could not be audited as errors carrying file:line:col message', () => {
    const broken = suite('schools/erqi/broken.yaml');
    expect(broken.testcase?.map((c) => c.error?.message)).toEqual([
      'schools/erqi/broken.yaml:3:9 缺少必填项“district”',
      'schools/erqi/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"',
    ]);
    expect(broken.testcase?.[1]).toMatchObject({
      classname: 'input-error',
      name: 'schools/erqi/broken.yaml:7:13',
      line: '7',
    });
    expect(suite('schools/missing.yaml').testcase?.[0]?.error?.message).toBe(
      'schools/missing.yaml 找不到文件或目录：schools/missing.yaml',
    );
  });

  it('escapes markup and strips what XML 1.0 cannot hold', () => {
    const run = reportRun({ hostile: true });
    const first = run.schools[0]?.result;
    if (first) first.school.name = `${HOSTILE.name}\u0000\uFFFE\uD800]]>`;
    const text = renderJunit(run, zhContext);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uD800]/);
    expect(text).not.toContain('<script>');
    expect(text).not.toContain(']]>');
    const parsed = parseJunit(text);
    const school = parsed.testsuites.testsuite.find((s) => s.file === 'schools/jinshui/yizhong.yaml');
    expect(school?.properties?.property.find((p) => p.name === 'school.name')?.value).toBe(
      '金水区"实验",学校 %25: <script>&\n=1+1]]>',
    );
    if (HAS_XMLLINT) expect(xmllint(text).ok).toBe(true);
  });

  it('has no timestamps or durations', () => {
    expect(xml).not.toMatch(/\b(time|timestamp|hostname)=/);
  });

  it('writes a suite longer than its buffer whole, as text and as the bytes a worker sends', () => {
    // Suites are written as UTF-8 into a buffer of 64 KB that grows: a note of 300 KB moves it.
    const run = reportRun({ schools: ['410105-0001'] });
    const note = `${'备注 a&b '.repeat(40_000)}end`;
    const entry = run.schools[0];
    const gloves = entry?.result.items.find((i) => i.id === 'supplies.protective.gloves');
    if (!entry || !gloves?.answer) throw new Error('fixture changed');
    gloves.answer.note = note;
    const text = renderJunit(run, zhContext);
    const parsed = parseJunit(text);
    const failure = parsed.testsuites.testsuite[0]?.testcase?.find((c) => c.name.startsWith('supplies.protective.gloves'))?.failure;
    expect(failure?.['#text']).toContain(`备注：${note}`);
    const school = { ...entry, catalogue: run.catalogues[entry.catalogueKey] as Catalogue };
    const chunk = streamJunit.school(school, zhContext);
    const bytes = streamJunit.schoolBytes?.(school, zhContext);
    expect(bytes && Buffer.from(bytes).equals(Buffer.from(chunk, 'utf8'))).toBe(true);
    expect(text).toContain(chunk);
    expect(chunk.length).toBeGreaterThan(300_000);
    expect(text.endsWith('</testsuites>\n')).toBe(true);
  });
});

// ---------------------------------------------------------------- CSV

describe('CSV summary (csv)', () => {
  const text = renderCsv(reportRun(), zhContext);
  const rows = parseCsvStrict(text);
  const header = rows[0] ?? [];

  it('is UTF-8 with a BOM and CRLF line endings, every row as wide as the header', () => {
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.endsWith('\r\n')).toBe(true);
    for (const row of rows) expect(row.length, row.join('|')).toBe(header.length);
  });

  it('has Chinese headers with --lang zh and English with --lang en', () => {
    expect(header.slice(0, 9)).toEqual([
      '文件',
      '学校编号',
      '学校名称',
      '所在区县',
      '学校类型',
      '核验层级',
      '核验日期',
      '核验结论',
      '结论代码',
    ]);
    expect(header).toContain('不符合项数');
    expect(header).toContain('各核验表得分率');
    const en = parseCsvStrict(renderCsv(reportRun(), enContext))[0] ?? [];
    expect(en.slice(0, 4)).toEqual(['File', 'School ID', 'Name', 'District']);
    expect(en).toContain('fail items');
    expect(en).toContain('Decided by');
  });

  it('gives one row per school in file order with counts, scores and what decided the verdict', () => {
    const row = Object.fromEntries(header.map((h, i) => [h, rows[4]?.[i]]));
    expect(row).toMatchObject({
      文件: 'schools/jinshui/yizhong.yaml',
      学校编号: '410105-0001',
      学校名称: '郑州市金水区第一中学',
      学校类型: '高级中学',
      核验层级: '县级评估',
      核验日期: '2020-04-20',
      核验结论: '不具备开学条件',
      结论代码: 'NOT_READY',
      不符合项数: '2',
      未核验项数: '1',
      不适用项数: '1',
      各核验表得分率: '三个不开学 100%; 防疫物资储备 0%; 隔离观察室 75%',
      判定依据: 'supplies.protective.masks; 防疫物资储备',
    });
  });

  it('lists the files that could not be audited, with their located problems', () => {
    const broken = rows.find((r) => r[0] === 'schools/erqi/broken.yaml') ?? [];
    expect(broken[8]).toBe('INPUT_ERROR');
    expect(broken.at(-1)).toBe(
      'schools/erqi/broken.yaml:3:9 缺少必填项“district”\nschools/erqi/broken.yaml:7:13 “students”应为整数，实际为文本 "一千"',
    );
  });

  it('quotes commas, quotes and line breaks, and neutralises formulas', () => {
    const hostile = renderCsv(reportRun({ hostile: true }), zhContext);
    expect(hostile).toContain(',"金水区""实验"",学校 %25: <script>&\n=1+1",\'+cmd|calc,');
    const row = parseCsvStrict(hostile).find((r) => r[1] === '410105-0001') ?? [];
    expect(row[2]).toBe('金水区"实验",学校 %25: <script>&\n=1+1');
    expect(row[3]).toBe("'+cmd|calc");
  });
});

describe('CSV per item (csv-items)', () => {
  const text = renderCsvItems(reportRun({ hostile: true }), zhContext);
  const rows = parseCsvStrict(text);
  const header = rows[0] ?? [];
  const byItem = (file: string, id: string) =>
    Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === file && r[4] === id)?.[i]]));

  it('has a row per item of each school, then per problem of each failed file', () => {
    expect(header).toEqual([
      '文件',
      '行号',
      '学校编号',
      '学校名称',
      '核验项编号',
      '核验表',
      '分项',
      '核验项',
      '等级',
      '结果',
      '说明',
      '要求值',
      '实际值',
      '公式',
      '备注',
      '整改建议',
      '整改期限',
      '责任人',
    ]);
    expect(rows).toHaveLength(1 + 4 * 8 + 3);
    for (const row of rows) expect(row.length).toBe(header.length);
    expect(rows.at(-1)?.slice(0, 2)).toEqual(['schools/missing.yaml', '']);
    expect(rows.at(-1)?.[10]).toBe('找不到文件或目录：schools/missing.yaml');
  });

  it('gives the reason, the required and actual values and the formula of a computed threshold', () => {
    expect(byItem('schools/jinshui/yizhong.yaml', 'supplies.protective.masks')).toMatchObject({
      行号: '16',
      核验表: '防疫物资储备',
      分项: '个人防护物资',
      核验项: '口罩储备',
      等级: '关键',
      结果: '不符合',
      说明: '口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14',
      要求值: '16800',
      实际值: '8400',
      公式: MASKS_FORMULA,
      备注: "'@SUM(A1:A9)",
      整改建议: '按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记',
    });
    expect(byItem('schools/erqi/第二十中学.yaml', 'gates.epidemic.controlled')).toMatchObject({
      结果: '不符合',
      要求值: '是',
      实际值: '否',
    });
  });

  it('neutralises a note that starts with a minus and keeps its line break inside the cell', () => {
    expect(byItem('schools/jinshui/yizhong.yaml', 'supplies.protective.gloves').备注).toBe(
      '\'-2 箱,"在途"\n第二行',
    );
  });

  it('has English headers with --lang en', () => {
    const en = parseCsvStrict(renderCsvItems(reportRun(), enContext))[0];
    expect(en?.slice(0, 5)).toEqual(['File', 'Line', 'School ID', 'Name', 'Item ID']);
  });
});

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "' =1+1"],
    ['\r=1+1', `"'\n=1+1"`],
    ['\u001b[31m=1+1', "'=1+1"],
    ['a,b', '"a,b"'],
    ['他说"好"', '"他说""好"""'],
    ['第一行\n第二行', '"第一行\n第二行"'],
    ['郑州 1+1=2', '郑州 1+1=2'],
  ])('%j becomes %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
});

// ---------------------------------------------------------------- GitHub

describe('GitHub annotations', () => {
  const text = renderGithub(reportRun(), zhContext);
  const lines = text.split('\n');

  it('is one workflow command a line, ending with a summary notice', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.pop()).toBe('');
    for (const line of lines)
      expect(line).toMatch(/^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::/);
    expect(text).not.toContain('\r');
    expect(lines.at(-1)).toBe(
      '::notice::开学条件核验：共 4 所学校，具备开学条件 1，不具备开学条件 2，核验未完成 1；无法核验的文件 2 个',
    );
  });

  it('points a failing critical item at its answer, as an error with the numbers', () => {
    expect(lines).toContain(
      '::error file=schools/jinshui/yizhong.yaml,line=16,col=3,title=【关键】口罩储备（supplies.protective.masks）::' +
        '口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14%0A' +
        '整改建议：按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记%0A' +
        '学校：郑州市金水区第一中学（410105-0001）',
    );
  });

  it('makes other fails warnings, errors errors, required unanswered items notices, and skips the rest', () => {
    const about = (id: string) =>
      lines.filter((l) => l.includes(`（${id}）`)).map((l) => l.slice(0, l.indexOf(' ')));
    expect(about('gates.epidemic.controlled')).toEqual(['::error']);
    // Failed in two schools, waived in a third (a notice carrying the waiver).
    expect(about('supplies.protective.gloves')).toEqual(['::warning', '::notice', '::warning']);
    expect(about('isolation.staff.health')).toEqual(['::error']);
    expect(about('isolation.room.ready')).toEqual(['::notice']);
    // Optional and unanswered in one school, pending on an unanswered item in the other.
    expect(about('isolation.room.signage')).toEqual(['::notice']);
    expect(about('supplies.toys.disinfectant')).toEqual([]);
    expect(lines.find((l) => l.includes('isolation.room.ready'))).toMatch(
      /^::notice file=schools\/erqi\/shiyan-youeryuan\.yaml,line=13,col=1,title=/,
    );
  });

  it('annotates every problem of a file that could not be audited', () => {
    expect(lines).toContain(
      '::error file=schools/erqi/broken.yaml,line=7,col=13,title=无法核验::“students”应为整数，实际为文本 "一千"',
    );
    expect(lines).toContain(
      '::error file=schools/missing.yaml,title=无法核验::找不到文件或目录：schools/missing.yaml',
    );
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% 完成\r\n下一行: a,b')).toBe('100%25 完成%0A下一行: a,b');
    expect(escapeData('a\rb')).toBe('a%0Ab');
    expect(escapeProperty('C:\\学校,一,%')).toBe('C%3A\\学校%2C一%2C%25');
    const run = reportRun({ hostile: true });
    const first = run.schools[0]?.result;
    if (first) first.file = 'schools/金水,区:%/第一中学.yaml';
    const hostile = renderGithub(run, enContext);
    expect(hostile).toContain('::error file=schools/金水%2C区%3A%25/第一中学.yaml,line=16,col=3,title=');
    expect(hostile).toContain('School: 金水区"实验",学校 %2525: <script>&%0A=1+1 (410105-0001)');
    expect(hostile).not.toContain('\u001b');
    for (const line of hostile.trimEnd().split('\n')) expect(line).toMatch(/^::(error|warning|notice)[ :]/);
  });

  it('writes paths with forward slashes', () => {
    const run = reportRun();
    const first = run.schools[0]?.result;
    if (first) first.file = 'schools\\jinshui\\yizhong.yaml';
    expect(renderGithub(run, zhContext)).toContain('::error file=schools/jinshui/yizhong.yaml,line=16,');
  });
});

// ---------------------------------------------------------------- SARIF

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string };
      region?: { startLine: number; startColumn?: number };
    };
  }[];
  properties?: Record<string, unknown>;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: { name: string; version: string; rules: { id: string; properties?: { severity?: string } }[] };
    };
    results: SarifResult[];
  }[];
}

describe('SARIF report', () => {
  const text = renderSarif(reportRun(), zhContext);
  const log = JSON.parse(text) as SarifLog;
  const run = log.runs[0];
  const results = run?.results ?? [];
  const rules = run?.tool.driver.rules ?? [];

  it('validates against the SARIF 2.1.0 schema (zh, en, hostile text, no failures)', () => {
    for (const sarif of [
      text,
      renderSarif(reportRun(), enContext),
      renderSarif(reportRun({ hostile: true }), zhContext),
      renderSarif(reportRun({ noFailures: true }), zhContext),
    ]) {
      const ok = validateSarif(JSON.parse(sarif));
      expect(ok, ajv.errorsText(validateSarif.errors)).toBe(true);
    }
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(run?.tool.driver).toMatchObject({ name: 'reopen-audit', version: '0.1.0' });
  });

  it('uses a schema that does reject a result without a message or with an unknown level', () => {
    const bad = JSON.parse(text) as SarifLog;
    const first = bad.runs[0]?.results[0] as unknown as Record<string, unknown>;
    first.level = 'fatal';
    delete first.message;
    expect(validateSarif(bad)).toBe(false);
  });

  it('has exactly the rules its results use, sorted, with matching rule indexes', () => {
    const used = [...new Set(results.map((r) => r.ruleId))];
    expect(rules.map((r) => r.id)).toEqual([
      ...used.filter((id) => id !== 'input-error').sort(),
      'input-error',
    ]);
    for (const r of results) expect(rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    expect(rules.find((r) => r.id === 'supplies.protective.masks')).toMatchObject({
      shortDescription: { text: '口罩储备' },
      fullDescription: { text: '查阅物资台账，清点在库口罩' },
      help: { text: '按（学生数 + 教职工数）× 每人每天用量 × 储备天数补足口罩并入库登记' },
      properties: { severity: 'critical' },
    });
  });

  it('gives each finding a level, the explained reason and the location of the answer', () => {
    const masks = results.find((r) => r.ruleId === 'supplies.protective.masks');
    expect(masks).toMatchObject({
      level: 'error',
      message: { text: '口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'schools/jinshui/yizhong.yaml' },
            region: { startLine: 16, startColumn: 3 },
          },
        },
      ],
    });
    const level = (id: string) => results.filter((r) => r.ruleId === id).map((r) => r.level);
    expect(level('gates.epidemic.controlled')).toEqual(['error']);
    // The third is the waived one, as a suppressed result.
    expect(level('supplies.protective.gloves')).toEqual(['warning', 'warning', 'warning']);
    expect(level('isolation.staff.health')).toEqual(['error']);
    expect(level('isolation.room.ready')).toEqual(['note']);
    expect(level('supplies.toys.disinfectant')).toEqual([]);
  });

  it('reports the problems of files that could not be audited as input-error results', () => {
    const input = results.filter((r) => r.ruleId === 'input-error');
    expect(input.map((r) => [r.message.text, r.locations[0]?.physicalLocation.region ?? null])).toEqual([
      ['缺少必填项“district”', { startLine: 3, startColumn: 9 }],
      ['“students”应为整数，实际为文本 "一千"', { startLine: 7, startColumn: 13 }],
      ['找不到文件或目录：schools/missing.yaml', null],
    ]);
  });

  it('writes artifact URIs with forward slashes', () => {
    const r = reportRun();
    const first = r.schools[0]?.result;
    if (first) first.file = 'schools\\jinshui\\yizhong.yaml';
    expect(renderSarif(r, zhContext)).toContain('"uri": "schools/jinshui/yizhong.yaml"');
  });
});

// ---------------------------------------------------------------- district summary

describe('district summary (summary)', () => {
  const md = renderSummary(reportRun(), zhContext);

  it('totals the schools by verdict, with percentages', () => {
    expect(md.startsWith('# 开学条件核验区县汇总\n\n本次核验学校 4 所，无法核验的文件 2 个。\n')).toBe(true);
    expect(md).toContain(
      '| 具备开学条件 | 1 | 25.0% |\n| 不具备开学条件 | 2 | 50.0% |\n| 核验未完成 | 1 | 25.0% |\n| 合计 | 4 | 100.0% |',
    );
  });

  it('breaks the verdicts down by district and by school type', () => {
    expect(md).toContain(
      '| 所在区县 | 学校数 | 具备开学条件 | 不具备开学条件 | 核验未完成 | 具备开学条件占比 |',
    );
    expect(md).toContain(
      '| 二七区 | 2 | 0 | 1 | 1 | 0.0% |\n| 金水区 | 2 | 1 | 1 | 0 | 50.0% |\n| 合计 | 4 | 1 | 2 | 1 | 25.0% |',
    );
    expect(md).toContain('| 幼儿园 | 1 | 0 | 0 | 1 | 0.0% |\n| 小学 | 1 | 1 | 0 | 0 | 100.0% |');
  });

  it('lists the most frequently failed items, most schools first', () => {
    expect(md).toContain(
      '| 1 | `supplies.protective.gloves` | 一次性手套已储备 | 重要 | 2 | 4 | 50.0% |\n' +
        '| 2 | `gates.epidemic.controlled` | 疫情已得到基本控制 | 一票否决 | 1 | 4 | 25.0% |\n' +
        '| 3 | `supplies.protective.masks` | 口罩储备 | 关键 | 1 | 4 | 25.0% |\n',
    );
  });

  it('has every school in one table and the files that could not be audited', () => {
    expect(md).toContain(
      '| 二七区实验幼儿园 | 二七区 | 幼儿园 | **核验未完成** | 0 | 2 | schools/erqi/shiyan-youeryuan.yaml |',
    );
    expect(md).toContain(
      '| 金水区文化路小学 | 金水区 | 小学 | 具备开学条件 | 0 | 0 | schools/jinshui/wenhua-lu.yaml |',
    );
    expect(md).toContain(
      '- schools/erqi/broken.yaml\n  - schools/erqi/broken.yaml:3:9 缺少必填项“district”\n  - schools/erqi/broken.yaml:7:13',
    );
    expect(md.endsWith('本报告由 reopen-audit 0.1.0 生成。\n')).toBe(true);
  });

  it('escapes school names and districts so no table breaks and no HTML leaks', () => {
    const text = renderSummary(reportRun({ hostile: true }), zhContext);
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('| 金水区"实验",学校 %25: &lt;script&gt;&amp; \\=1+1 | +cmd\\|calc | 高级中学 |');
    for (const line of text.split('\n').filter((l) => l.startsWith('| '))) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      expect([3, 6, 7]).toContain(cells);
    }
  });

  it('is in English with --lang en', () => {
    const text = renderSummary(reportRun(), enContext);
    expect(text).toContain('# Reopening readiness: district summary');
    expect(text).toContain('| READY | 1 | 25.0% |');
    expect(text).toContain('## Most frequently failed items');
    expect(text).toContain('| primary school | 1 | 1 | 0 | 0 | 100.0% |');
  });
});

// ---------------------------------------------------------------- all formats

const FORMATS = ['junit', 'csv', 'csv-items', 'github', 'sarif', 'summary'] as const;

describe('determinism', () => {
  const shuffled = (): AuditRun => {
    const run = reportRun({ hostile: true });
    run.schools.reverse();
    run.failures.reverse();
    for (const f of run.failures) f.problems.reverse();
    return run;
  };

  it.each(FORMATS)(
    '%s gives the same bytes for the same input, whatever order results arrive in',
    (format) => {
      const ctx: ReportContext = zhContext;
      const a = render(format, reportRun({ hostile: true }), ctx);
      expect(render(format, reportRun({ hostile: true }), ctx)).toBe(a);
      expect(render(format, shuffled(), ctx)).toBe(a);
    },
  );
});

describe('reopen-audit audit with every CI output in one run', () => {
  it('writes each file, well-formed', () => {
    expect(
      existsSync(path.join(ROOT, 'dist/report/sarif.js')),
      'the CLI is not built: run `npm run build` (npm test does it first)',
    ).toBe(true);
    const dir = tempDir('ci');
    const out = (name: string) => path.join(dir, name);
    const r = cli([
      'audit',
      'test/fixtures/schools',
      '--checklist',
      'test/fixtures/mini-checklist.yaml',
      '--format',
      `junit:${out('report.xml')}`,
      '--format',
      `csv:${out('schools.csv')}`,
      '--format',
      `csv-items:${out('items.csv')}`,
      '--format',
      `sarif:${out('report.sarif')}`,
      '--format',
      `github:${out('annotations.txt')}`,
      '--format',
      `summary:${out('summary.md')}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    const xml = readFileSync(out('report.xml'), 'utf8');
    const doc = parseJunit(xml);
    expect(doc.testsuites.testsuite.map((s) => s.file)).toEqual([
      'test/fixtures/schools/ready.yaml',
      'test/fixtures/schools/short-masks.yaml',
    ]);
    if (HAS_XMLLINT) expect(xmllint(xml).ok).toBe(true);

    const sarif = JSON.parse(readFileSync(out('report.sarif'), 'utf8')) as SarifLog;
    expect(validateSarif(sarif), ajv.errorsText(validateSarif.errors)).toBe(true);
    expect(sarif.runs[0]?.results.find((x) => x.ruleId === 'mini.supplies.masks')?.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'test/fixtures/schools/short-masks.yaml' },
        region: { startLine: 16, startColumn: 3 },
      },
    });

    const schools = parseCsvStrict(readFileSync(out('schools.csv'), 'utf8'));
    expect(schools).toHaveLength(3);
    expect(schools[2]?.slice(0, 3)).toEqual([
      'test/fixtures/schools/short-masks.yaml',
      '410105-0001',
      '郑州市金水区第一中学',
    ]);
    const items = parseCsvStrict(readFileSync(out('items.csv'), 'utf8'));
    expect(items.length).toBeGreaterThan(10);
    for (const row of items) expect(row.length).toBe(items[0]?.length);

    const annotations = readFileSync(out('annotations.txt'), 'utf8').trimEnd().split('\n');
    expect(annotations).toContain(
      '::error file=test/fixtures/schools/short-masks.yaml,line=16,col=3,title=【关键】口罩储备（mini.supplies.masks）::' +
        '口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14%0A整改建议：补足口罩储备%0A学校：郑州市金水区第一中学（410105-0001）',
    );
    expect(annotations.at(-1)).toMatch(/^::notice::开学条件核验：共 2 所学校/);

    const summary = readFileSync(out('summary.md'), 'utf8');
    expect(summary).toContain('| 具备开学条件 | 1 | 50.0% |');
    expect(summary).toContain('| 郑州市金水区第一中学 | 金水区 | 高级中学 | **不具备开学条件** |');
  });
});
