/**
 * Auditing against the bureau's roster (不漏一校): the roster read in every encoding and
 * format with located errors, one school's several files reduced to the audit that counts,
 * and examples/county held in every output format, the figures its README states.
 */
import { existsSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRoster } from '../src/load/roster.js';
import { CoverageBuilder } from '../src/coverage/pair.js';
import { packRoster, unpackRoster, type CoverageInput, type Roster } from '../src/model/coverage.js';
import { tr } from '../src/i18n/index.js';
import { cli, ROOT, tempDir, type CliResult } from './helpers.js';

const tmp = tempDir('roster');
const write = (name: string, content: string | Buffer) => {
  const file = path.join(tmp, name);
  writeFileSync(file, content);
  return file;
};

const CSV_ZH = '学校代码,学校名称,区县,学段,联系电话\r\n130104-0217,青河市河东区育才路小学,河东区,小学,0311-8672 1035\r\n130102-2109,"青河市河西区第九中学",河西区,初中,\r\n';

describe('reading a roster', () => {
  const expected = [
    { id: '130104-0217', name: '青河市河东区育才路小学', district: '河东区', type: 'primary' },
    { id: '130102-2109', name: '青河市河西区第九中学', district: '河西区', type: 'junior' },
  ];
  const schools = async (file: string) => {
    const outcome = await readRoster(file);
    expect(outcome.problems).toEqual([]);
    return outcome.roster?.schools.map(({ id, name, district, type }) => ({ id, name, district, type }));
  };

  it('reads CSV in UTF-8 with and without a BOM, and in GB18030 as Excel on Chinese Windows saves it', async () => {
    expect(await schools(write('bom.csv', `\uFEFF${CSV_ZH}`))).toEqual(expected);
    expect(await schools(write('plain.csv', CSV_ZH))).toEqual(expected);
    expect(await schools(write('gbk.csv', iconv.encode(CSV_ZH, 'gb18030')))).toEqual(expected);
  });

  it('reads English headers, extra columns and a tab-separated file', async () => {
    const file = write('en.csv', 'School ID\tName\tDistrict\tType\tPhone\n130104-0217\t青河市河东区育才路小学\t河东区\tprimary school\t123\n130102-2109\t青河市河西区第九中学\t河西区\tjunior\t\n');
    expect(await schools(file)).toEqual(expected);
    expect((await readRoster(file)).roster?.schools[0]?.extras).toEqual([['Phone', '123']]);
  });

  it('reads the first sheet of an .xlsx workbook', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名册');
    sheet.addRow(['学校代码', '学校名称', '区县', '学段']);
    sheet.addRow(['130104-0217', '青河市河东区育才路小学', '河东区', '小学']);
    sheet.addRow(['130102-2109', { richText: [{ text: '青河市河西区' }, { text: '第九中学' }] }, '河西区', '初中']);
    book.addWorksheet('其他').addRow(['not', 'read']);
    const file = path.join(tmp, 'roster.xlsx');
    await book.xlsx.writeFile(file);
    expect(await schools(file)).toEqual(expected);
  });

  it('reads YAML, by the same header names', async () => {
    const file = write('roster.yaml', 'roster:\n  - 学校代码: "130104-0217"\n    学校名称: 青河市河东区育才路小学\n    区县: 河东区\n    学段: 小学\n  - id: "130102-2109"\n    name: 青河市河西区第九中学\n    district: 河西区\n    type: junior\n');
    expect(await schools(file)).toEqual(expected);
  });

  it('says in words why a roster cannot be read: no such file, a folder, binary bytes', async () => {
    const message = async (file: string, lang: 'zh' | 'en') => {
      const outcome = await readRoster(file);
      expect(outcome.roster).toBeUndefined();
      return outcome.problems.map((p) => `${p.file}: ${tr(lang, p.message)}`);
    };
    const missing = path.join(tmp, 'no-such.csv');
    expect(await message(missing, 'zh')).toEqual([`${missing}: 找不到名册文件（ENOENT）`]);
    expect(await message(missing, 'en')).toEqual([`${missing}: no roster file by that name (ENOENT)`]);
    const folder = path.join(tmp, 'folder.csv');
    mkdirSync(folder, { recursive: true });
    expect(await message(folder, 'zh')).toEqual([`${folder}: 名册应为一个文件，这是一个目录（EISDIR）`]);
    const binary = write('workbook.csv', Buffer.from('PK\u0003\u0004\u0000\u0000rest', 'latin1'));
    expect(await message(binary, 'zh')).toEqual([`${binary}: 名册包含 NUL 字节（第 1 行第 5 列），看起来是二进制文件，不是 CSV 或 YAML 文本（Excel 工作簿请存为 .xlsx）`]);
    expect(await message(binary, 'en')).toEqual([`${binary}: the roster contains NUL bytes (line 1, column 5); it looks binary, not CSV or YAML text (save an Excel workbook as .xlsx)`]);
    const r = cli(['--lang', 'en', 'audit', 'examples/county', '--roster', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${missing}: no roster file by that name (ENOENT)\n`);
  });

  it('gives a YAML school field that is a list or a mapping one located error, and leaves that row out', async () => {
    const file = write('list.yaml', '- id: "130104-0217"\n  name: 育才路小学\n  district: [河东区, 河西区]\n  type: primary\n- id: "130104-0301"\n  name: 实验小学\n  district: 河东区\n  type: primary\n  备注: { a: 1 }\n');
    const outcome = await readRoster(file);
    expect(outcome.problems.map((p) => [p.line, p.col, p.message.code, p.message.params?.key])).toEqual([
      [3, 13, 'roster.notScalar', 'district'],
      [9, 7, 'roster.notScalar', '备注'],
    ]);
    expect(tr('zh', outcome.problems[0]!.message)).toBe('“district”的值应为文本或数字');
    // An extra column's odd value is reported, the school kept.
    expect(outcome.roster?.schools.map((s) => s.id)).toEqual(['130104-0301']);
  });

  it('locates every problem (file:line:col) and leaves the bad rows out; a duplicate id is an error', async () => {
    const file = write('bad.csv', '学校代码,学校名称,区县,学段\n130104-0217,育才路小学,河东区,小学\n130104-0301,,河东区,小学\n130104-0217,又一所,河东区,小学\n130104-0412,第五小学,河东区,大学\n130104-0520,朝阳小学,河东区,\n');
    const outcome = await readRoster(file);
    expect(outcome.roster?.schools.map((s) => s.id)).toEqual(['130104-0217', '130104-0520']);
    expect(outcome.problems.map((p) => [p.line, p.col, p.message.code])).toEqual([
      [3, 2, 'roster.emptyCell'],
      [4, 1, 'roster.duplicateId'],
      [5, 4, 'roster.badType'],
    ]);
    const [empty, dup, type] = outcome.problems;
    expect(tr('zh', empty!.message)).toBe('“学校名称”为空');
    expect(tr('en', dup!.message)).toBe('school id 130104-0217 is on the roster twice (first at line 2)');
    // In Chinese the types a roster may write are named as a Chinese office writes them, the codes after.
    expect(tr('zh', type!.message)).toBe(
      '学段“大学”无法识别（可写：幼儿园、小学、初级中学、高级中学、九年一贯制学校、完全中学、十二年一贯制学校、中等职业学校、特殊教育学校，或代码 kindergarten、primary、junior、senior、nine_year、complete_secondary、twelve_year、vocational、special）',
    );
  });

  it('names the sheet and cell of a problem in an .xlsx roster', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名册');
    sheet.addRow(['学校代码', '学校名称', '区县']);
    sheet.addRow(['130104-0217', '育才路小学', '河东区']);
    sheet.addRow(['130104-0217', '又一所', '']);
    const file = path.join(tmp, 'bad.xlsx');
    await book.xlsx.writeFile(file);
    const outcome = await readRoster(file);
    expect(outcome.problems.map((p) => [p.line, p.col, tr('zh', p.message)])).toEqual([
      [3, 1, '名册!A3：学校代码 130104-0217 在名册中重复（第一次出现在第 2 行）'],
      [3, 3, '名册!C3：“区县”为空'],
    ]);
    expect(tr('en', outcome.problems[1]!.message)).toBe('名册!C3: "district" is empty');
  });

  it('says which column is missing, and where an unclosed quote starts', async () => {
    const noName = await readRoster(write('noname.csv', '学校代码,区县\n1,河东区\n'));
    expect(noName.roster).toBeUndefined();
    expect(noName.problems.map((p) => tr('en', p.message))).toEqual([
      'the roster has no "name" column (header may be: 学校名称 / name / 学校 / 名称 / 校名 / school name / school)',
    ]);
    const quote = await readRoster(write('quote.csv', '学校代码,学校名称,区县\n1,"育才路小学,河东区\n2,第五小学,河东区\n'));
    expect(quote.problems.map((p) => [p.line, p.col, p.message.code])).toEqual([[2, 2, 'roster.unclosedQuote']]);
  });
});

describe('roster ids kept as UTF-8', () => {
  // Characters around the places where UTF-8's byte order and UTF-16's code-unit order part:
  // above U+FFFF (a surrogate pair), U+E000–U+FFFF, just below the surrogates, and a lone surrogate.
  const ids = ['A', 'a', 'ab', '', '\u{1F3EB}', '\uE000', '\uFFFD', '\uD7FF', '\uD800', 'x\uDC00', '甲', '甲乙', '\u{20000}', 'z\uFFFF', 'z\u{10000}', '130104-0217', '130104-02170'];
  const roster: Roster = {
    file: 'roster.csv',
    schools: ids.map((id, i) => ({ id, name: `校${id}`, district: i % 2 ? '河东区' : '河西区', at: { file: 'roster.csv', line: i + 2, col: 1 } })),
  };

  it('finds every id and orders the schools by district, then id, in code-unit order', () => {
    const builder = new CoverageBuilder(roster);
    for (const id of [...ids, '\uDC00', 'x\uFFFD', 'absent']) {
      builder.add({ file: `${id}.yaml`, id, name: `校${id}`, district: '河东区', type: 'primary', level: 'self', date: '2020-05-01', verdict: 'READY', digest: id });
    }
    const { coverage } = builder.finish();
    const onRoster = coverage.schools.filter((s) => s.onRoster);
    const expected = roster.schools.map((s) => [s.district, s.id]).sort(([da, ia], [db, ib]) => (da! < db! ? -1 : da! > db! ? 1 : ia! < ib! ? -1 : ia! > ib! ? 1 : 0));
    expect(onRoster.map((s) => [s.district, s.id])).toEqual(expected);
    expect(onRoster.every((s) => s.state === 'cleared' && s.counted?.file === `${s.id}.yaml` && s.name === `校${s.id}`)).toBe(true);
    expect(coverage.schools.filter((s) => !s.onRoster).map((s) => s.id)).toEqual(['absent', 'x\uFFFD', '\uDC00'].sort());
    // Names compared as UTF-8 too: only the files' districts differ from the roster.
    expect(coverage.warnings.filter((w) => w.message.code === 'coverage.nameDiffers')).toEqual([]);
  });

  it('keeps every path when told fewer files than come, and when the paths outgrow the first guess', () => {
    const builder = new CoverageBuilder(roster);
    builder.reserve(4);
    const paths = ids.map((id, i) => `${'长路径/'.repeat(i < 3 ? 1 : 800)}${id}.yaml`);
    ids.forEach((id, i) => builder.add({ file: paths[i]!, id, name: `校${id}`, district: '河东区', type: 'primary', level: 'self', date: '2020-05-01', verdict: 'READY', digest: id }));
    const { coverage } = builder.finish();
    expect(coverage.schools.map((s) => s.counted?.file).sort()).toEqual([...paths].sort());
  });

  it("given the batch's list, keeps a file's index for its path and gives the same coverage", () => {
    const paths = ids.map((id) => `学校/${id}.yaml`);
    const input = (id: string, i: number): CoverageInput => ({ file: paths[i]!, id, name: i % 3 ? `校${id}` : '别名', district: '河东区', type: 'primary', level: 'self', date: '2020-05-01', verdict: 'READY', digest: id });
    const copied = new CoverageBuilder(roster);
    ids.forEach((id, i) => copied.add(input(id, i)));
    const indexed = new CoverageBuilder(roster);
    indexed.reserve(paths.length, { at: (i) => paths[i]! });
    ids.forEach((id, i) => indexed.add(input(id, i), i));
    const expected = copied.finish();
    const got = indexed.finish();
    expect([...got.coverage.schools]).toEqual([...expected.coverage.schools]);
    expect(got.coverage.warnings).toEqual(expected.coverage.warnings);
    expect(got.failures).toEqual(expected.failures);
  });
});

describe('roster rows packed in columns', () => {
  const rows = (lines: number[], cols: number[]): Roster => ({
    file: 'roster.csv',
    schools: lines.map((line, i) => ({ id: `13010${i}`, name: `第${i}小学`, district: i % 2 ? '河东区' : '河西区', at: { file: 'roster.csv', line, col: cols[i] as number } })),
  });
  const places = (roster: Roster) => unpackRoster(packRoster(roster)).schools.map((s) => [s.at.line, s.at.col]);

  it('gives back each row\'s line and column, whether they follow a step or not', () => {
    expect(places(rows([2, 3, 4, 5], [1, 1, 1, 1]))).toEqual([[2, 1], [3, 1], [4, 1], [5, 1]]);
    expect(places(rows([2, 3, 5, 6, 7], [1, 1, 1, 4, 1]))).toEqual([[2, 1], [3, 1], [5, 1], [6, 4], [7, 1]]);
    expect(places(rows([3, 7, 11, 15], [5, 5, 5, 5]))).toEqual([[3, 5], [7, 5], [11, 5], [15, 5]]);
    expect(places(rows([9], [2]))).toEqual([[9, 2]]);
    expect(places(rows([], []))).toEqual([]);
  });

  it('a warning names the roster line of a school after a row that spans lines', async () => {
    const file = write('spans.csv', '学校代码,学校名称,区县\n130104-0217,"育才路\n小学",河东区\n130104-0301,第三小学,河东区\n');
    const { roster } = await readRoster(file);
    const builder = new CoverageBuilder(roster!);
    builder.add({ file: 'b.yaml', id: '130104-0301', name: '第三中学', district: '河东区', type: 'primary', level: 'self', date: '2020-05-01', verdict: 'READY', digest: 'b' });
    const { coverage } = builder.finish();
    expect(coverage.warnings.map((w) => w.message.params)).toEqual([{ id: '130104-0301', rosterFile: file, line: 4, roster: '第三小学', file: '第三中学' }]);
    expect(coverage.schools.at(0)?.at).toEqual({ file, line: 2, col: 1 });
  });
});

describe('one school, several files', () => {
  const roster: Roster = {
    file: 'roster.csv',
    schools: [{ id: 'A', name: '甲校', district: '河东区', at: { file: 'roster.csv', line: 2, col: 1 } }],
  };
  const input = (file: string, level: CoverageInput['level'], date: string, verdict: CoverageInput['verdict'], digest = file): CoverageInput => ({
    file, id: 'A', name: '甲校', district: '河东区', type: 'primary', level, date, verdict, digest,
  });
  const pair = (audits: CoverageInput[], requireLevel?: CoverageInput['level']) => {
    const builder = new CoverageBuilder(roster, requireLevel);
    audits.forEach((a) => builder.add(a));
    return builder.finish();
  };

  it('counts the highest level, then the latest date; the others are history, newest first', () => {
    const { coverage, failures } = pair([
      input('self-late.yaml', 'self', '2020-05-20', 'READY'),
      input('county-early.yaml', 'county', '2020-05-01', 'NOT_READY'),
      input('county-late.yaml', 'county', '2020-05-10', 'READY'),
    ]);
    const school = coverage.schools.at(0)!;
    expect(failures).toEqual([]);
    expect(school.counted?.file).toBe('county-late.yaml');
    expect(school.state).toBe('cleared');
    expect(school.history.map((h) => h.file)).toEqual(['county-early.yaml', 'self-late.yaml']);
  });

  it('a READY self-check alone awaits the county assessment when county is required, and clears when nothing is', () => {
    expect(pair([input('self.yaml', 'self', '2020-05-01', 'READY')], 'county').coverage.schools.at(0)?.state).toBe('awaiting');
    expect(pair([input('self.yaml', 'self', '2020-05-01', 'READY')]).coverage.schools.at(0)?.state).toBe('cleared');
    expect(pair([input('city.yaml', 'city', '2020-05-01', 'READY')], 'county').coverage.schools.at(0)?.state).toBe('cleared');
  });

  it('keeps thousands of schools apart, each with its own files, whatever the order the files come in', () => {
    const n = 3000;
    const id = (i: number) => `130104-${String(i).padStart(4, '0')}`;
    const big: Roster = { file: 'roster.csv', schools: Array.from({ length: n }, (_, i) => ({ id: id(i), name: `第${i}小学`, district: i % 2 ? '河东区' : '河西区', at: { file: 'roster.csv', line: i + 2, col: 1 } })) };
    const builder = new CoverageBuilder(big, 'county');
    const file = (i: number, level: string) => `学校文件/${i % 2 ? '河东区' : '河西区'}/${'子目录/'.repeat(4)}${id(i)}-${level}.yaml`;
    const of = (i: number, level: CoverageInput['level'], date: string, verdict: CoverageInput['verdict']): CoverageInput => ({
      file: file(i, level), id: id(i), name: `第${i}小学`, district: i % 2 ? '河东区' : '河西区', type: 'primary', level, date, verdict, digest: `${level}-${i}`,
    });
    // County files first, backwards, then the self-checks: a school's files far apart in the batch.
    for (let i = n - 1; i >= 0; i--) if (i % 10 !== 3) builder.add(of(i, 'county', '2020-05-08', i % 3 ? 'READY' : 'NOT_READY'));
    for (let i = 0; i < n; i++) builder.add(of(i, 'self', '2020-05-01', 'READY'));
    const { coverage, failures } = builder.finish();
    expect(failures).toEqual([]);
    const expected = { cleared: 0, awaiting: 0, notReady: 0 };
    for (let i = 0; i < n; i++) {
      if (i % 10 === 3) expected.awaiting++;
      else if (i % 3) expected.cleared++;
      else expected.notReady++;
    }
    expect(coverage.total).toMatchObject({ onRoster: n, submitted: n, missing: 0, ...expected });
    const school = coverage.schools.find((s) => s.id === id(2021));
    expect(school?.counted?.file).toBe(file(2021, 'county'));
    expect(school?.history.map((h) => h.file)).toEqual([file(2021, 'self')]);
    expect(coverage.schools.find((s) => s.id === id(13))?.state).toBe('awaiting');
  });

  it('reads back every date of a school with more distinct dates than two bytes can number', () => {
    const n = 0x10000 + 4;
    const dated = Array.from({ length: n }, (_, i) => input(`f${i}.yaml`, 'self', `2020-${String(i).padStart(6, '0')}`, 'READY'));
    const school = pair(dated).coverage.schools.at(0)!;
    expect(school.counted).toEqual({ file: `f${n - 1}.yaml`, level: 'self', date: `2020-${String(n - 1).padStart(6, '0')}`, verdict: 'READY' });
    expect(school.history.slice(0, 2).map((h) => [h.file, h.date])).toEqual([[`f${n - 2}.yaml`, `2020-${String(n - 2).padStart(6, '0')}`], [`f${n - 3}.yaml`, `2020-${String(n - 3).padStart(6, '0')}`]]);
    expect(school.history).toHaveLength(n - 1);
    const late = `2020-${String(n - 1).padStart(6, '0')}`;
    const clash = pair([...dated, input('g.yaml', 'self', late, 'READY')]);
    expect(clash.coverage.schools.at(0)?.state).toBe('conflict');
    expect(clash.failures.map((f) => f.file)).toEqual([`f${n - 1}.yaml`]);
  });

  it('two files at the same level and date that differ are an input error naming both; two copies of one file are not', () => {
    const { coverage, failures } = pair([input('a.yaml', 'county', '2020-05-08', 'READY'), input('b.yaml', 'county', '2020-05-08', 'READY')]);
    expect(coverage.schools.at(0)?.state).toBe('conflict');
    expect(failures.map((f) => tr('zh', f.problems[0]!.message))).toEqual([
      '学校代码 A 有两份同为县级评估、同为 2020-05-08 的核验文件，内容不同：a.yaml 与 b.yaml；请删去其中一份或改正其日期、层级',
    ]);
    const copies = pair([input('a.yaml', 'county', '2020-05-08', 'READY', 'same'), input('b.yaml', 'county', '2020-05-08', 'READY', 'same')]);
    expect(copies.failures).toEqual([]);
    expect(copies.coverage.schools.at(0)?.history.map((h) => h.file)).toEqual(['b.yaml']);
  });
});

const COUNTY = ['examples/county', '--roster', 'examples/county/roster.csv', '--require-level', 'county'];

/** The tables of examples/county/README.md, as it states them: the tests below hold every figure and state. */
const README = readFileSync(path.join(ROOT, 'examples/county/README.md'), 'utf8');
function readmeTable(heading: string): string[][] {
  const lines = README.slice(README.indexOf(`\n${heading}\n`)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('| '));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}
const figuresOf = (heading: string) => readmeTable(heading).map(([district, ...numbers]) => [district as string, ...numbers.map(Number)]);
/** 北湖区, 河东区, 河西区, then the total (合计). */
const FIGURES = figuresOf('## Expected coverage · 预期覆盖情况');
/** With examples/county-conflict: 河西区 and the total. */
const CONFLICT_FIGURES = figuresOf('## Two conflicting files · 两份相互矛盾的文件');
const files = (cell: string) => [...cell.matchAll(/`([^`]+\.yaml)`/g)].map((m) => `examples/county/${m[1]}`);
/** Every school as the README lists it: id, name, district, state code and label, the file that counts, the history. */
const SCHOOLS = readmeTable('## Every school · 每所学校').map(([id, name, district, state, counted, history]) => ({
  id: (id as string).replace(/`/g, ''),
  name: name as string,
  district: district as string,
  state: /^[A-Z_]+/.exec(state as string)?.[0] ?? '',
  label: /· ([^ (]+)/.exec(state as string)?.[1] ?? '',
  onRoster: !(state as string).includes('不在名册'),
  counted: files(counted as string)[0] ?? null,
  history: files(history as string),
}));
const MISSING_SCHOOLS = SCHOOLS.filter((s) => s.state === 'MISSING');
const MISSING = MISSING_SCHOOLS[0]?.name ?? '';

describe('examples/county/README.md', () => {
  it('states the figures of three districts and the total, and every school of the roster and the one not on it', () => {
    expect(FIGURES.map((r) => r[0])).toEqual(['北湖区', '河东区', '河西区', '合计']);
    expect(FIGURES.every((r) => r.slice(1).every((n) => Number.isInteger(n)))).toBe(true);
    expect(CONFLICT_FIGURES.map((r) => r[0])).toEqual(['河西区', '合计']);
    expect(SCHOOLS).toHaveLength(13);
    expect(SCHOOLS.every((s) => s.state !== '' && s.label !== '')).toBe(true);
    expect(MISSING_SCHOOLS.map((s) => [s.id, s.name])).toEqual([['130104-0520', '青河市河东区朝阳小学']]);
    expect(SCHOOLS.filter((s) => !s.onRoster).map((s) => s.counted)).toEqual(['examples/county/beihu/qiming-private-primary.yaml']);
    expect(SCHOOLS.filter((s) => s.history.length > 0).map((s) => s.id)).toEqual(['130104-0301', '130102-2109']);
  });
});

describe('examples/county against its roster, in every format', () => {
  let run: CliResult;
  const out = (name: string) => path.join(tmp, 'county', name);
  beforeAll(() => {
    mkdirSync(path.join(tmp, 'county'), { recursive: true });
    run = cli(['audit', ...COUNTY, '--format', 'text', ...['json', 'csv', 'csv-coverage', 'summary', 'markdown', 'html', 'xlsx'].map((f) => `--format=${f}:${out(`report.${f}`)}`)]);
  });

  it('prints the coverage by district and the missing school, and exits 1', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('名册覆盖（按区县）');
    expect(run.stdout).toContain(`✘ 河东区 · ${MISSING} (130104-0520)`);
    const rows = run.stdout.split('\n').filter((l) => /^│ (北湖区|河东区|河西区|合计) +│ \d/.test(l)).map((l) => l.split('│').slice(1, -1).map((c) => c.trim())).filter((cells) => cells.length === 10);
    expect(rows).toEqual(FIGURES.map((r) => r.map(String)));
    // Every school's row of the terminal table: district, id, name, state.
    const schoolRows = run.stdout.split('\n').filter((l) => /^│ \S+ +│ \d{6}-\d{4} +│/.test(l)).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
    expect(schoolRows).toEqual(SCHOOLS.map((s) => [s.district, s.id, s.name, s.label]));
    expect(run.stderr).toContain('提示: examples/county/hexi/jianshe-road-primary.yaml: 学校名称与名册不一致：名册为“青河市河西区建设路小学”，文件为“建设路小学”');
    expect(run.stderr).toContain('学校代码 130108-0999 不在名册 examples/county/roster.csv 中');
  });

  it('JSON: a coverage block with the same figures, every school with its state and history', () => {
    const report = JSON.parse(readFileSync(out('report.json'), 'utf8'));
    expect(report.reportVersion).toBe(2);
    const { coverage } = report;
    expect([...coverage.districts.map((d: Record<string, unknown>) => Object.values(d)), ['合计', ...Object.values(coverage.total)]]).toEqual(FIGURES);
    expect(coverage.missing).toEqual(['130104-0520']);
    expect(coverage.requireLevel).toBe('county');
    type JsonSchool = { id: string; name: string; district: string; state: string; onRoster: boolean; counted: { file: string } | null; history: { file: string }[] };
    expect(
      coverage.schools.map((s: JsonSchool) => ({ id: s.id, name: s.name, district: s.district, state: s.state, onRoster: s.onRoster, counted: s.counted?.file ?? null, history: s.history.map((h) => h.file) })),
    ).toEqual(SCHOOLS.map(({ label: _label, ...s }) => s));
    const byId = new Map(coverage.schools.map((s: { id: string }) => [s.id, s]));
    expect(byId.get('130104-0301')).toMatchObject({ counted: { level: 'county', date: '2020-05-08' }, history: [{ level: 'self', date: '2020-05-06', verdict: 'READY' }] });
    expect(byId.get('130108-0999')).toMatchObject({ onRoster: false, rosterLine: null });
  });

  it('without --require-level a READY self-check clears its school, as the README says (河东区 3, total 7, none awaiting)', () => {
    const r = cli(['audit', 'examples/county', '--roster', 'examples/county/roster.csv', '--format', 'json']);
    expect(r.code).toBe(1);
    const { coverage } = JSON.parse(r.stdout);
    expect(coverage.requireLevel).toBeNull();
    expect([coverage.districts[1].cleared, coverage.total.cleared, coverage.total.awaiting]).toEqual([3, 7, 0]);
    expect(coverage.schools.find((s: { id: string }) => s.id === '130104-0412').state).toBe('CLEARED');
  });

  it('CSV: a row for the missing school; csv-coverage: the figures', () => {
    const csv = readFileSync(out('report.csv'), 'utf8');
    for (const m of MISSING_SCHOOLS) expect(csv).toContain(`\r\n,${m.id},${m.name},${m.district},小学,,,未提交,MISSING,`);
    // Every file that counts or is history has its own row.
    for (const file of SCHOOLS.flatMap((s) => [...(s.counted ? [s.counted] : []), ...s.history])) expect(csv).toContain(`\r\n${file},`);
    const figures = readFileSync(out('report.csv-coverage'), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(figures[0]).toEqual(['区县', '名册学校', '已提交', '未提交', '已达标', '待县级评估', '不具备开学条件', '核验未完成', '文件冲突', '不在名册']);
    expect(figures.slice(1)).toEqual(FIGURES.map((r) => r.map(String)));
  });

  it('summary, Markdown and HTML: the figures table and the missing school', () => {
    const rowOf = (r: (string | number)[]) => `| ${r[0] === '合计' ? '**合计**' : r[0]} | ${r.slice(1).join(' | ')} |`;
    for (const name of ['report.summary', 'report.markdown']) {
      const md = readFileSync(out(name), 'utf8');
      for (const r of FIGURES) expect(md).toContain(rowOf(r));
      for (const m of MISSING_SCHOOLS) expect(md).toContain(`- **${m.name}**（${m.id}，${m.district}）`);
      for (const s of SCHOOLS) expect(md).toContain(`| ${s.district} | ${s.id} | ${s.name} | ${s.label} |`);
    }
    const html = readFileSync(out('report.html'), 'utf8');
    expect(html).toContain('名册覆盖（按区县）');
    expect(html).toContain(`<li><b>${MISSING}</b>`);
    for (const r of FIGURES) expect(html).toMatch(new RegExp(`<td[^>]*>${r[0]}</td>${r.slice(1).map((n) => `<td[^>]*>${n}</td>`).join('')}`));
  });

  it('xlsx: a coverage sheet with the figures and a sheet with every school of the roster', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out('report.xlsx'));
    const values = (name: string) => {
      const rows: unknown[][] = [];
      book.getWorksheet(name)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    // The header of the awaiting column follows --require-level, as in the CSV and the text.
    expect(values('名册覆盖')[0]).toEqual(['区县', '名册学校', '已提交', '未提交', '已达标', '待县级评估', '不具备开学条件', '核验未完成', '文件冲突', '不在名册']);
    expect(values('名册覆盖').slice(1)).toEqual(FIGURES);
    const schools = values('名册学校');
    // The last column holds the state codes (CLEARED … MISSING), and says so.
    expect(schools[0]?.[7]).toBe('状态代码');
    expect(schools.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[7]])).toEqual(SCHOOLS.map((s) => [s.district, s.id, s.name, s.label, s.state]));
  });

  it('the same bytes with --cache, filled and then warm', () => {
    const json = (n: number) => {
      const file = out(`cached-${n}.json`);
      const r = cli(['audit', ...COUNTY, '--cache-location', out('cache'), '--format', `json:${file}`]);
      expect(r.code).toBe(1);
      return readFileSync(file);
    };
    const plain = readFileSync(out('report.json'));
    expect(json(1).equals(plain)).toBe(true);
    expect(json(2).equals(plain)).toBe(true);
  });

  it('two files of one school at the same level and date that differ: an input error naming both, exit 2', () => {
    const r = cli(['audit', 'examples/county', 'examples/county-conflict', '--roster', 'examples/county/roster.csv', '--require-level', 'county', '--lang', 'en', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'examples/county-conflict/no2-primary-copy.yaml: school id 130102-0233 has two county audits dated 2020-05-08 that differ: examples/county-conflict/no2-primary-copy.yaml and examples/county/hexi/no2-primary.yaml',
    );
    const coverage = JSON.parse(r.stdout).coverage;
    const [hexi, total] = CONFLICT_FIGURES as [(string | number)[], (string | number)[]];
    expect(Object.values(coverage.districts.find((d: { district: string }) => d.district === '河西区'))).toEqual(hexi);
    expect(['合计', ...Object.values(coverage.total)]).toEqual(total);
    expect(coverage.schools.find((s: { id: string }) => s.id === '130102-0233').state).toBe('CONFLICT');
  });
});

describe('roster errors and options on the command line', () => {
  it('a roster that cannot be used stops the run with a located error in the user language, exit 2', () => {
    const file = write('nohead.csv', '编号,名称\n1,甲\n');
    const zh = cli(['audit', 'examples/county', '--roster', file]);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe(`${file}:1:1: 名册缺少“区县”列（表头可写作：区县 / district / 所在区县 / 县区 / 区（县） / 县（市、区） / county）\n`);
    const en = cli(['audit', 'examples/county', '--roster', file, '--lang', 'en']);
    expect(en.stderr).toContain(`${file}:1:1: the roster has no "district" column`);
  });

  it('bad rows are reported (file:line:col, exit 2) and the other schools still count', () => {
    const rows = readFileSync(path.join(ROOT, 'examples/county/roster.csv'), 'utf8');
    const file = write('dup.csv', `${rows}130104-0217,重复的学校,河东区,小学,\r\n`);
    const r = cli(['audit', 'examples/county', '--roster', file, '--format', 'json', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:14:1: school id 130104-0217 is on the roster twice (first at line 2)`);
    expect(JSON.parse(r.stdout).coverage.total.onRoster).toBe(12);
  });

  it('a roster of more than a MB (read in a worker of its own) gives the same coverage and located errors', () => {
    const rows = readFileSync(path.join(ROOT, 'examples/county/roster.csv'), 'utf8').trimEnd();
    // 20,000 more schools with no file, one of them twice (line 20,014 repeats line 14's id).
    const more = Array.from({ length: 20000 }, (_, i) => `140000-${String(i).padStart(5, '0')},青河市远郊第${i}小学,远郊区,小学,`);
    more.push('140000-00000,重复的学校,远郊区,小学,');
    const file = write('big.csv', `${rows}\r\n${more.join('\r\n')}\r\n`);
    expect(readFileSync(file).length).toBeGreaterThan(1024 * 1024);
    const report = path.join(tmp, 'big.json');
    const r = cli(['audit', 'examples/county', '--roster', file, '--format', `json:${report}`, '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:20014:1: school id 140000-00000 is on the roster twice (first at line 14)`);
    const coverage = JSON.parse(readFileSync(report, 'utf8')).coverage;
    expect(coverage.total.onRoster).toBe(20012);
    expect(coverage.total.missing).toBe(20001);
    expect(coverage.districts.find((d: { district: string }) => d.district === '远郊区')).toMatchObject({ onRoster: 20000, missing: 20000, submitted: 0 });
    expect(coverage.schools).toHaveLength(20013);
    expect(coverage.schools.find((s: { id: string }) => s.id === '140000-19999')).toMatchObject({ name: '青河市远郊第19999小学', state: 'MISSING', rosterLine: 20013 });
  });

  it('csv-coverage without --roster is a usage error, and init --roster writes only what the audit reads', () => {
    const coverage = cli(['audit', 'examples/county', '--format', `csv-coverage:${path.join(tmp, 'nothing.csv')}`, '--lang', 'en']);
    expect(coverage.code).toBe(2);
    expect(coverage.stderr).toBe('reopen-audit: --format csv-coverage needs --roster (it is the coverage of the roster, district by district)\n');
    expect(existsSync(path.join(tmp, 'nothing.csv'))).toBe(false);
    const xlsx = path.join(tmp, 'template.xlsx');
    const init = cli(['init', '--roster', xlsx]);
    expect(init.code).toBe(2);
    expect(init.stderr).toBe(`reopen-audit: 名册模板只能写为 .csv 或 .yaml，不能写为 ${xlsx}；需要 .xlsx 时，用 Excel 或 WPS 打开 CSV 模板后另存为工作簿\n`);
    expect(existsSync(xlsx)).toBe(false);
  });

  it('--require-level without --roster is a usage error', () => {
    const r = cli(['audit', 'examples/county', '--require-level', 'county', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('reopen-audit: --require-level needs --roster (it checks each school of the roster against that level)\n');
  });

  it('init --roster writes a template the audit reads, and never overwrites a file', () => {
    const file = path.join(tmp, 'template.csv');
    expect(cli(['init', file, '--roster']).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('\uFEFF学校代码,学校名称,区县,学段\r\n');
    writeFileSync(file, `${readFileSync(file, 'utf8')}130104-0217,青河市河东区育才路小学,河东区,小学\r\n`);
    expect(cli(['init', file, '--roster']).code).toBe(2);
    const r = cli(['audit', 'examples/county/hedong/yucai-road-primary.yaml', '--roster', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).coverage.total.cleared).toBe(1);
  });

  it('hostile text in roster cells is escaped in every output', async () => {
    const dir = path.join(tmp, 'hostile');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(ROOT, 'examples/county/hedong/yucai-road-primary.yaml'), path.join(dir, 'a.yaml'));
    const name = '=HYPERLINK("http://x")\u001b[31m<script>alert(1)</script>| **粗** |\u202e';
    const file = write('hostile.csv', `学校代码,学校名称,区县\n130104-0217,青河市河东区育才路小学,河东区\n999,"${name.replace(/"/g, '""')}",<b>区</b>\n`);
    const outs = ['summary', 'markdown', 'html', 'csv', 'json', 'xlsx'].map((f) => [f, path.join(dir, `out.${f}`)] as const);
    const r = cli(['audit', dir, '--roster', file, ...outs.map(([f, p]) => `--format=${f}:${p}`), '--format', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u202e');
    const read = (f: string) => readFileSync(path.join(dir, `out.${f}`), 'utf8');
    expect(read('html')).not.toContain('<script>');
    expect(read('html')).toContain('&lt;script&gt;');
    expect(read('html')).not.toContain('<b>区</b>');
    for (const f of ['summary', 'markdown']) {
      expect(read(f)).not.toContain('<script>');
      expect(read(f)).not.toContain('| **粗** |');
    }
    expect(read('csv')).toContain(`,999,"'=HYPERLINK(""http://x"")`);
    expect(JSON.parse(read('json')).coverage.schools.find((s: { id: string }) => s.id === '999').name).toBe(name);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, 'out.xlsx'));
    const sheet = book.getWorksheet('名册学校');
    const row = [2, 3].map((n) => sheet?.getRow(n)).find((r) => r?.getCell(2).value === '999');
    const cell = row?.getCell(3);
    expect(cell?.type).toBe(ExcelJS.ValueType.String);
    expect(String(cell?.value)).toContain('=HYPERLINK');
  });
});
