/**
 * The workbook as a bureau opens it: written by the CLI over the example batch and over the
 * hostile school file, read back by exceljs and by a second, independent reader
 * (LibreOffice, headless, each sheet converted to CSV). Sheets, headers, Chinese text,
 * numbers as numbers, dates as dates, verdicts coloured and spelled out, text that looks
 * like a formula kept as text, and the same bytes for the same input.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { parseCsvStrict } from './fixtures/bad/well-formed.js';
import { REFUSED, writeHostileBatch } from './fixtures/bad/hostile-batch.js';
import { Writable } from 'node:stream';
import { XlsxWriter } from '../src/report/xlsx.js';
import { RowSpool } from '../src/report/row-spool.js';

const TMP = mkdtempSync(path.join(tmpdir(), 'reopen-audit-xlsx-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** LibreOffice, if installed; under CI it must be. */
function office(): string | undefined {
  for (const name of ['soffice', 'libreoffice']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  if (process.env.CI === 'true') throw new Error('LibreOffice (soffice) is needed under CI: .ci/run installs libreoffice-calc');
  console.warn('test/report-xlsx.test.ts: LibreOffice not found, the second reader is skipped (apt-get install libreoffice-calc)');
  return undefined;
}
const SOFFICE = office();

async function readBook(file: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book;
}

function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  return (sheet.getRow(n).values as unknown[]).slice(1);
}

/** Every sheet of the workbook as CSV rows, by LibreOffice: sheet name → rows. */
function libreOfficeSheets(file: string): Map<string, string[][]> {
  const out = path.join(TMP, `lo-${path.basename(file)}`);
  mkdirSync(out, { recursive: true });
  // UTF-8 (76), comma, double quote; -1: every sheet to its own file, named file-Sheet.csv.
  execFileSync(
    SOFFICE as string,
    ['-env:UserInstallation=file://' + path.join(TMP, 'lo-profile'), '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', out, file],
    // Sheet names become file names: a UTF-8 locale whatever the user's (under LANG=C they turn into '??').
    { stdio: 'ignore', timeout: 120000, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } },
  );
  const base = path.basename(file, '.xlsx');
  const sheets = new Map<string, string[][]>();
  for (const f of readdirSync(out)) if (f.startsWith(`${base}-`)) sheets.set(f.slice(base.length + 1, -4), parseCsvStrict(`\uFEFF${readFileSync(path.join(out, f), 'utf8').replace(/\r?\n/g, '\r\n')}`));
  return sheets;
}

describe('xlsx workbook of the example batch', () => {
  const zhFile = path.join(TMP, 'r.xlsx');
  const again = path.join(TMP, 'again.xlsx');
  const enFile = path.join(TMP, 'en.xlsx');
  beforeAll(() => {
    for (const [file, lang] of [
      [zhFile, 'zh'],
      [again, 'zh'],
      [enFile, 'en'],
    ] as const) {
      const r = cli(['--lang', lang, 'audit', 'examples/schools', '--format', `xlsx:${file}`, '-j', '2']);
      expect(r.code, r.stderr).toBe(1);
    }
  }, 60000);

  it('is the same bytes every time (fixed document dates and zip entry times)', () => {
    expect(readFileSync(again).equals(readFileSync(zhFile))).toBe(true);
    // The document's own date is the latest audit date of the batch, never the time of the run.
    const core = execFileSync('unzip', ['-p', zhFile, 'docProps/core.xml'], { encoding: 'utf8' });
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2022-08-25T00:00:00Z</dcterms:created>');
  });

  it('has the four sheets in zh and en, each with a frozen header row and an auto-filter', async () => {
    const zh = await readBook(zhFile);
    expect(zh.worksheets.map((s) => s.name)).toEqual(['汇总', '明细', '区县', '高频问题']);
    const en = await readBook(enFile);
    expect(en.worksheets.map((s) => s.name)).toEqual(['Summary', 'Items', 'Districts', 'Top failures']);
    for (const sheet of zh.worksheets) {
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter, sheet.name).toBeTruthy();
    }
    const summary = zh.getWorksheet('汇总') as ExcelJS.Worksheet;
    expect(rowValues(summary, 1).slice(0, 9)).toEqual(['文件', '学校编号', '学校名称', '所在区县', '学校类型', '核验层级', '核验日期', '核验结论', '结论代码']);
    // Columns fit Chinese text: the name column holds a 15-character school name.
    expect(summary.getColumn(3).width).toBeGreaterThanOrEqual(30);
  });

  it('Summary: one row per school, dates as dates, counts as numbers, the verdict coloured and spelled out', async () => {
    const sheet = (await readBook(zhFile)).getWorksheet('汇总') as ExcelJS.Worksheet;
    expect(sheet.rowCount).toBe(10);
    const row = sheet.getRow(3);
    expect(row.getCell(3).value).toBe('青河市第三高级中学');
    expect(row.getCell(7).value).toEqual(new Date(Date.UTC(2020, 3, 3)));
    expect(row.getCell(7).numFmt).toBe('yyyy-mm-dd');
    expect(row.getCell(8).value).toBe('不具备开学条件');
    expect(row.getCell(9).value).toBe('NOT_READY');
    expect(row.getCell(8).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFCDD2' } });
    expect(row.getCell(10).value).toBe(2);
    const fills = new Map<unknown, unknown>();
    sheet.eachRow((r, n) => n > 1 && fills.set(r.getCell(9).value, (r.getCell(8).fill as { fgColor?: { argb?: string } }).fgColor?.argb));
    expect(Object.fromEntries(fills)).toEqual({ READY: 'FFC8E6C9', NOT_READY: 'FFFFCDD2', INCOMPLETE: 'FFFFF59D' });
  });

  it('Items, Districts and Top failures: numbers as numbers, districts in pinyin order', async () => {
    const book = await readBook(zhFile);
    const items = book.getWorksheet('明细') as ExcelJS.Worksheet;
    expect(items.rowCount).toBeGreaterThan(900);
    let masks: ExcelJS.Row | undefined;
    items.eachRow((r) => {
      if (r.getCell(4).value === '青河市第三高级中学' && r.getCell(5).value === 'supplies.protective.masks') masks = r;
    });
    expect(masks?.getCell(10).value).toBe('不符合');
    expect(masks?.getCell(12).value).toBe(16800);
    expect(masks?.getCell(13).value).toBe(8400);
    expect(masks?.getCell(17).value).toEqual(new Date(Date.UTC(2020, 3, 8)));
    const districts = book.getWorksheet('区县') as ExcelJS.Worksheet;
    const names: unknown[] = [];
    districts.eachRow((r, n) => n > 1 && names.push(r.getCell(1).value));
    expect(names).toEqual(['北湖区', '河东区', '河西区', '南城区', '青山县', '汶河县', '合计']);
    expect(rowValues(districts, 3)).toEqual(['河东区', 2, 1, 1, 0, 0.5]);
    expect(districts.getRow(3).getCell(6).numFmt).toBe('0.0%');
    const top = book.getWorksheet('高频问题') as ExcelJS.Worksheet;
    expect(rowValues(top, 2).slice(0, 6)).toEqual([1, 'gates.conditions.in_place', '学校基本防控条件具备（隔离观察室、清洁消毒、物资储备、组织与预案、卫生人员）', '一票否决', 3, 9]);
  });

  it('reads the same in LibreOffice: sheets, headers, Chinese, numbers and dates', () => {
    if (!SOFFICE) return;
    const sheets = libreOfficeSheets(zhFile);
    expect([...sheets.keys()].sort()).toEqual(['区县', '明细', '汇总', '高频问题'].sort());
    const summary = sheets.get('汇总') as string[][];
    expect(summary[0]?.slice(0, 3)).toEqual(['文件', '学校编号', '学校名称']);
    const senior = summary.find((r) => r[2] === '青河市第三高级中学');
    expect(senior?.slice(6, 10)).toEqual(['2020-04-03', '不具备开学条件', 'NOT_READY', '2']);
    expect(sheets.get('区县')?.[2]?.slice(0, 5)).toEqual(['河东区', '2', '1', '1', '0']);
    expect(sheets.get('明细')?.length).toBeGreaterThan(900);
  }, 120000);
});

describe('xlsx workbook of a hostile school file', () => {
  const file = path.join(TMP, 'hostile.xlsx');
  beforeAll(() => {
    // Every hostile case of the bad-input catalogue: the hostile school under its own name and
    // under a hostile file name, a broken file with a hostile name, the files refused for the
    // code they hide. Run inside the folder, so the file column starts with `=` and `@`.
    const dir = path.join(TMP, 'hostile');
    writeHostileBatch(dir);
    const r = cli(['audit', '.', '--format', `xlsx:${file}`], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(existsSync(file)).toBe(true);
  }, 60000);

  it('keeps text that begins with =, +, - or @ as text: no cell is a formula', async () => {
    const book = await readBook(file);
    const values: unknown[] = [];
    for (const sheet of book.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          values.push(cell.value);
        }),
      );
    const summary = book.getWorksheet('汇总') as ExcelJS.Worksheet;
    // The schools in file order, then the files that could not be audited, each a row.
    const files: unknown[] = [];
    summary.eachRow((r, n) => n > 1 && files.push(r.getCell(1).value));
    expect(files).toEqual(["=cmd|' -C calc'!A0 <b>,x:y\n第二行.yaml", 'hostile-text.yaml', '@坏文件|<i>.yaml', ...REFUSED.slice().sort()]);
    expect(summary.getRow(2).getCell(2).value).toBe('@370112-0031');
    expect(String(summary.getRow(2).getCell(3).value)).toMatch(/^=HYPERLINK\("http:\/\/example\.invalid","东风小学"\)\|<script>alert\(1\)<\/script> & 红字 ]]>/);
    expect(summary.getRow(2).getCell(4).value).toBe('+历城区|<b>粗</b>');
    expect(values).toContain("=cmd|' /C calc'!A0");
    expect(values.some((v) => typeof v === 'string' && v.startsWith('@SUM(1+1) 注入标记'))).toBe(true);
    // No control character made it into the workbook's XML (Excel would refuse the file).
    const xml = execFileSync('unzip', ['-p', file, 'xl/worksheets/*.xml'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(xml.match(/<worksheet /g)).toHaveLength(4);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/<f>|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe]/);
  });

  it('LibreOffice shows the same text, never a computed value', () => {
    if (!SOFFICE) return;
    const summary = libreOfficeSheets(file).get('汇总') as string[][];
    // The CSV reading above gives a line break inside a cell as CRLF.
    expect(summary.map((r) => r[0]?.replace(/\r\n/g, '\n')).slice(1, 4)).toEqual(["=cmd|' -C calc'!A0 <b>,x:y\n第二行.yaml", 'hostile-text.yaml', '@坏文件|<i>.yaml']);
    expect(summary[1]?.[1]).toBe('@370112-0031');
    expect(summary[1]?.[2]?.startsWith('=HYPERLINK(')).toBe(true);
    expect(summary[1]?.[3]).toBe('+历城区|<b>粗</b>');
  }, 120000);
});

describe('xlsx writer on a slow disk', () => {
  it('holds the batch back while the zip is behind, then writes every row', async () => {
    // An output that takes nothing until it is let go: the rows must wait, not pile up.
    const parts: Buffer[] = [];
    let held: (() => void)[] | undefined = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        if (held) held.push(done);
        else done();
      },
    });
    const finished = new Promise((resolve) => out.on('finish', resolve));
    const writer = await XlsxWriter.create('en', out);
    const school = (n: number) =>
      Array.from({ length: 100 }, (_, i) => `${JSON.stringify(['I', `s${n}.yaml`, i, `id-${n}`, '学校', `item.${i}`, 'c', 's', '核验项'.repeat(20), 'A', 'Fail', '说明'.repeat(40)])}\n`).join('');
    // A write may have to wait a moment for the deflate; with the output taking nothing, a
    // write soon waits for good.
    const within = (wait: Promise<void>, ms: number) => Promise.race([wait.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
    let waited: Promise<void> | undefined;
    let n = 0;
    while (n < 2000) {
      const wait = writer.write(school(n++));
      if (wait && !(await within(wait, 250))) {
        waited = wait;
        break;
      }
    }
    // The writer held the batch back after a few dozen schools, long before 2,000 were given.
    expect(waited).toBeInstanceOf(Promise);
    expect(n).toBeLessThan(200);
    let done = false;
    void waited?.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    for (const release of held ?? []) release();
    held = undefined;
    await waited;
    for (let k = 0; k < 5; k++) await writer.write(school(n++));
    await writer.finish();
    await finished;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(parts) as unknown as ExcelJS.Buffer);
    const items = book.getWorksheet('Items') as ExcelJS.Worksheet;
    expect(items.rowCount).toBe(n * 100 + 1);
    expect(items.getRow(n * 100 + 1).getCell(3).value).toBe(`id-${n - 1}`);
  }, 60000);
});

describe('the Summary rows spooled to disk', () => {
  it('gives back every line in order, across blocks and longer than one, then leaves nothing behind', () => {
    const spool = RowSpool.open();
    const lines = Array.from({ length: 20000 }, (_, i) => JSON.stringify(['S', `学校${i}.yaml`, '核验'.repeat(i % 50), i]));
    lines.splice(7000, 0, 'x'.repeat(300000), `${'长'.repeat(100000)}`);
    for (const line of lines) spool.add(line);
    expect([...spool.lines()]).toEqual(lines);
    spool.close();
    spool.close();
    expect(existsSync(spool.dir)).toBe(false);
  });
});

describe('records split anywhere between writes', () => {
  it('gives the same workbook as one write, a record cut inside a Chinese character or not', async () => {
    const records = Array.from({ length: 300 }, (_, i) => `${JSON.stringify(i % 30 === 0 ? ['S', `学校${i}.yaml`, `id-${i}`, '第一小学'] : ['I', `学校${i}.yaml`, i, `id-${i}`, '学校', `item.${i}`, '核验项'.repeat(i % 7)])}\n`).join('');
    const book = async (pieces: (string | Uint8Array)[]) => {
      const parts: Buffer[] = [];
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          parts.push(chunk);
          done();
        },
      });
      const finished = new Promise((resolve) => out.on('finish', resolve));
      const writer = await XlsxWriter.create('zh', out);
      for (const piece of pieces) await writer.write(piece);
      await writer.finish();
      await finished;
      return Buffer.concat(parts);
    };
    const bytes = Buffer.from(records);
    const cuts: Uint8Array[] = [];
    for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7 + 3) % 997) cuts.push(new Uint8Array(bytes.subarray(at, at + n)));
    const whole = await book([records]);
    expect(await book(cuts)).toEqual(whole);
    expect(await book([bytes.subarray(0, 5), '', bytes.subarray(5)])).toEqual(whole);
  });
});
