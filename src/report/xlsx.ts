/**
 * The workbook (`xlsx`) for a bureau that keeps its audits in Excel or WPS: 汇总 / Summary
 * (one row per school), 明细 / Items (one row per item of each school), 区县 / Districts
 * and 高频问题 / Top failures. Frozen header rows, auto-filters, widths that fit Chinese
 * text, verdicts coloured and spelled out, dates as dates and numbers as numbers.
 *
 * Written in two steps so that a batch of any size streams. The reporter is pure: each
 * school becomes lines of JSON records (rendered in the workers, like every streamed
 * format); `XlsxWriter` turns the records into the workbook with exceljs's streaming
 * writer, the Items sheet flushed row by row as schools finish. Every text is a string
 * cell — text that begins with `=`, `+`, `-` or `@` is never a formula — cleaned of the
 * characters a workbook's XML cannot hold. Same records, same bytes: the document dates
 * are the latest audit date of the batch, and every zip entry carries that date too.
 */
import { Writable } from 'node:stream';
import type { AuditRun, ItemStatus, Verdict } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import { label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { documentText } from './escape.js';
import { formatProblem, orderedFailures, s } from './shared.js';
import { itemRow, itemsHeader, schoolRow, summaryHeader, w } from './rows.js';
import { allGroup, byDistrict, dw, mostFailed, VERDICTS } from './district.js';
import { renderAll, type StreamReporter } from './stream.js';
import { INPUT_ERROR } from './csv.js';

type Cell = string | number | null;
/** One row of one sheet: `[sheet, ...cells]`. */
type RecordLine = ['S' | 'I' | 'D' | 'T', ...Cell[]];

const SHEETS = {
  S: { zh: '汇总', en: 'Summary' },
  I: { zh: '明细', en: 'Items' },
  D: { zh: '区县', en: 'Districts' },
  T: { zh: '高频问题', en: 'Top failures' },
} as const;

function line(record: RecordLine): string {
  return `${JSON.stringify(record)}\n`;
}

/** The records: pure functions of each school and of the batch's rows. */
export const streamXlsx: StreamReporter = {
  begin() {
    return '';
  },
  school({ result, catalogue }, ctx) {
    const lang = ctx.lang;
    return line(['S', ...schoolRow(lang, result)]) + result.items.map((item) => line(['I', ...itemRow(lang, result, item, catalogue, true)])).join('');
  },
  separator: '',
  needsRows: true,
  end(summary, ctx) {
    const lang = ctx.lang;
    const out: string[] = [];
    const width = summaryHeader(lang).length;
    for (const failure of orderedFailures({ catalogues: {}, schools: [], failures: summary.failures })) {
      const row: Cell[] = Array.from({ length: width }, () => '');
      row[0] = failure.file;
      row[7] = w(lang, 'couldNotAudit');
      row[8] = INPUT_ERROR;
      row[width - 1] = failure.problems.map((p) => formatProblem(lang, p)).join('\n');
      out.push(line(['S', ...row]));
      for (const problem of failure.problems) {
        const item: Cell[] = Array.from({ length: itemsHeader(lang).length }, () => '');
        item[0] = problem.file;
        item[1] = problem.line ?? null;
        item[9] = w(lang, 'couldNotAudit');
        item[10] = tr(lang, problem.message);
        out.push(line(['I', ...item]));
      }
    }
    const total = allGroup(lang, summary.rows);
    for (const g of [...byDistrict(summary.rows), total])
      out.push(line(['D', g.name, g.schools, ...VERDICTS.map((v) => g.verdicts[v]), g.schools === 0 ? null : g.verdicts.READY / g.schools]));
    mostFailed(summary.rows, summary.catalogues).forEach((t, i) => {
      out.push(line(['T', i + 1, t.id, t.info ? local(lang, t.info.title) : '', t.info ? label(lang, 'severity', t.info.severity) : '', t.failing, t.audited, t.audited === 0 ? null : t.failing / t.audited]));
    });
    return out.join('');
  },
};

/** The records of a whole run, as text (what the writer is fed). */
export function renderXlsxRecords(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamXlsx, run, ctx);
}

// ---------------------------------------------------------------- the workbook

interface Column {
  header: string;
  /** Width in characters (a Chinese character counts two). */
  width: number;
  kind?: 'date' | 'number' | 'percent' | 'verdict' | 'verdictCode' | 'status' | 'wrap';
}

/** Display width: East Asian wide characters count two, as Excel measures its columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return width;
}

/** A column as wide as its header and the widest value expected in it, within bounds. */
function col(header: string, expected: number, kind?: Column['kind']): Column {
  return { header, width: Math.min(60, Math.max(displayWidth(header) + 4, expected)), kind };
}

function columns(lang: Lang): Record<keyof typeof SHEETS, Column[]> {
  const [file, id, name, district, type, level, date, verdict, code, ...rest] = summaryHeader(lang);
  const counts = rest.slice(0, ITEM_STATUSES.length);
  const [scores, decided, problems] = rest.slice(ITEM_STATUSES.length);
  const items = itemsHeader(lang);
  const i = (n: number) => items[n] ?? '';
  return {
    S: [
      col(file ?? '', 36),
      col(id ?? '', 14),
      col(name ?? '', 30),
      col(district ?? '', 12),
      col(type ?? '', 14),
      col(level ?? '', 12),
      col(date ?? '', 12, 'date'),
      col(verdict ?? '', 18, 'verdict'),
      col(code ?? '', 14, 'verdictCode'),
      ...counts.map((c) => col(c, 8, 'number')),
      col(scores ?? '', 40),
      col(decided ?? '', 40),
      col(problems ?? '', 50, 'wrap'),
    ],
    I: [
      col(i(0), 36),
      col(i(1), 6, 'number'),
      col(i(2), 14),
      col(i(3), 30),
      col(i(4), 34),
      col(i(5), 18),
      col(i(6), 24),
      col(i(7), 44, 'wrap'),
      col(i(8), 10),
      col(i(9), 10, 'status'),
      col(i(10), 50, 'wrap'),
      col(i(11), 10, 'number'),
      col(i(12), 12, 'number'),
      col(i(13), 30),
      col(i(14), 40, 'wrap'),
      col(i(15), 44, 'wrap'),
      col(i(16), 12, 'date'),
      col(i(17), 20),
    ],
    D: [
      col(s(lang, 'district'), 16),
      col(s(lang, 'schoolsCount'), 8, 'number'),
      ...VERDICTS.map((v) => col(label(lang, 'verdict', v), 10, 'number')),
      col(dw(lang, 'readyPercent'), 10, 'percent'),
    ],
    T: [
      col(s(lang, 'colNo'), 6, 'number'),
      col(s(lang, 'colId'), 34),
      col(s(lang, 'colItem'), 50, 'wrap'),
      col(s(lang, 'colSeverity'), 10),
      col(dw(lang, 'failingSchools'), 10, 'number'),
      col(dw(lang, 'auditedSchools'), 10, 'number'),
      col(dw(lang, 'percent'), 10, 'percent'),
    ],
  };
}

/** Fill colours: verdicts and the statuses that need action, also spelled out in the cell. */
const VERDICT_FILL: Record<Verdict, string> = { READY: 'FFC8E6C9', NOT_READY: 'FFFFCDD2', INCOMPLETE: 'FFFFF59D' };
const STATUS_FILL: Partial<Record<ItemStatus, string>> = { fail: 'FFFFCDD2', error: 'FFFFCDD2', unanswered: 'FFFFF59D', pass: 'FFE8F5E9' };
const INPUT_ERROR_FILL = 'FFE0E0E0';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function asDate(value: Cell): Date | Cell {
  const m = typeof value === 'string' ? DAY.exec(value) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : value;
}

/** The document date when a batch has no audit date to take. */
const FALLBACK_DATE = new Date(Date.UTC(2020, 0, 1));
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1));

/* The parts of exceljs's streaming writer used here (it ships no types for them). */
interface XRow {
  getCell(n: number): { fill?: unknown; numFmt?: string; alignment?: unknown; font?: unknown };
  commit(): void;
}
interface XSheet {
  columns: { header: string; width: number; key?: string }[];
  autoFilter: unknown;
  addRow(values: unknown[]): XRow;
  commit(): void;
}
interface XWorkbook {
  created: Date;
  modified: Date;
  creator: string;
  lastModifiedBy: string;
  /** archiver's zip: `_module` is its zip plugin, which writes each entry's header when the entry's turn comes. */
  zip: { _module: { append(source: unknown, data: { name: string; date?: Date }, done: unknown): unknown } };
  addWorksheet(name: string, options: unknown): XSheet;
  commit(): Promise<void>;
}

/**
 * Records in, workbook bytes out to `out`. The Items sheet is written as its records come
 * (it is the first zip entry, so it streams); the Summary rows are small and kept until the
 * end, then the Summary, Districts and Top failures sheets are written.
 */
export class XlsxWriter {
  private readonly cols: Record<keyof typeof SHEETS, Column[]>;
  private readonly sheets: Record<keyof typeof SHEETS, XSheet>;
  private readonly counts = { S: 0, I: 0, D: 0, T: 0 };
  private readonly summaryRows: Cell[][] = [];
  private latest = '';
  private pending = '';
  private readonly decoder = new TextDecoder();
  private summaryWritten = false;

  private constructor(
    private readonly lang: Lang,
    private readonly workbook: XWorkbook,
  ) {
    this.cols = columns(lang);
    const add = (key: keyof typeof SHEETS) => {
      const sheet = workbook.addWorksheet(SHEETS[key][lang], { views: [{ state: 'frozen', xSplit: key === 'I' ? 5 : key === 'S' ? 3 : 1, ySplit: 1 }] });
      sheet.columns = this.cols[key].map((c) => ({ header: c.header, width: c.width }));
      return sheet;
    };
    // Tabs in this order; the sheets' data goes into the zip in the order it is written.
    this.sheets = { S: add('S'), I: add('I'), D: add('D'), T: add('T') };
  }

  static async create(lang: Lang, out: Writable): Promise<XlsxWriter> {
    const { default: ExcelJS } = (await import('exceljs')) as unknown as { default: { stream: { xlsx: { WorkbookWriter: new (o: unknown) => XWorkbook } } } };
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    // Every zip entry with one fixed date (the DOS epoch), never the time of the run. The
    // entries queued so far (theme, relations) are written later, so they get it too;
    // test/report-xlsx.test.ts compares two runs byte for byte.
    const zip = workbook.zip._module;
    const append = zip.append.bind(zip);
    zip.append = (source, data, done) => append(source, { ...data, date: ZIP_DATE }, done);
    return new XlsxWriter(lang, workbook);
  }

  /** Records, as text or UTF-8; a record may be split between two writes. */
  write(data: string | Uint8Array): void {
    const text = this.pending + (typeof data === 'string' ? data : this.decoder.decode(data, { stream: true }));
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const l of lines) if (l !== '') this.record(JSON.parse(l) as RecordLine);
  }

  private record([sheet, ...cells]: RecordLine): void {
    if (sheet === 'S') {
      this.summaryRows.push(cells);
      const date = cells[6];
      if (typeof date === 'string' && DAY.test(date) && date > this.latest) this.latest = date;
    } else if (sheet === 'I') this.addRow('I', cells);
    else {
      // Districts and top failures come last: the summary goes in before them.
      this.flushSummary();
      this.addRow(sheet, cells);
    }
  }

  /** Once: close the Items sheet (its zip entry), then write the Summary rows kept so far. */
  private flushSummary(): void {
    if (this.summaryWritten) return;
    this.summaryWritten = true;
    this.filter('I');
    this.sheets.I.commit();
    for (const cells of this.summaryRows.splice(0)) this.addRow('S', cells);
  }

  private addRow(key: keyof typeof SHEETS, cells: Cell[]): void {
    const cols = this.cols[key];
    const values = cells.map((value, i) => {
      const kind = cols[i]?.kind;
      if (typeof value === 'string') {
        const clean = documentText(value);
        return kind === 'date' ? asDate(clean) : clean;
      }
      return value;
    });
    const row = this.sheets[key].addRow(values);
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.kind === 'date' && values[i] instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      else if (c.kind === 'percent') cell.numFmt = '0.0%';
      else if (c.kind === 'wrap') cell.alignment = { wrapText: true, vertical: 'top' };
      const fill = c.kind === 'verdict' ? this.verdictFill(cells) : c.kind === 'status' ? this.statusFill(cells[i] ?? null) : undefined;
      if (fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      if (fill && c.kind === 'verdict') cell.font = { bold: true };
    });
    row.commit();
    this.counts[key]++;
  }

  private verdictFill(cells: Cell[]): string | undefined {
    const code = cells[8];
    if (code === INPUT_ERROR) return INPUT_ERROR_FILL;
    return typeof code === 'string' && code in VERDICT_FILL ? VERDICT_FILL[code as Verdict] : undefined;
  }

  private statusFill(text: Cell): string | undefined {
    const status = ITEM_STATUSES.find((st) => label(this.lang, 'status', st) === text);
    return status ? STATUS_FILL[status] : text === w(this.lang, 'couldNotAudit') ? INPUT_ERROR_FILL : undefined;
  }

  /** An auto-filter over the header and every row written; set before the sheet is closed. */
  private filter(key: keyof typeof SHEETS): void {
    this.sheets[key].autoFilter = { from: { row: 1, column: 1 }, to: { row: this.counts[key] + 1, column: this.cols[key].length } };
  }

  /** Close every sheet and the zip; resolves once the last byte is handed to `out`. */
  async finish(): Promise<void> {
    if (this.pending !== '') this.write('\n');
    this.flushSummary();
    for (const key of ['S', 'D', 'T'] as const) this.filter(key);
    const date = this.latest ? (asDate(this.latest) as Date) : FALLBACK_DATE;
    this.workbook.created = date;
    this.workbook.modified = date;
    this.workbook.creator = 'reopen-audit';
    this.workbook.lastModifiedBy = 'reopen-audit';
    await this.workbook.commit();
  }
}

/** A whole run as workbook bytes (tests, and callers that hold the run anyway). */
export async function renderXlsx(run: AuditRun, ctx: ReportContext): Promise<Buffer> {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  const finished = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  const writer = await XlsxWriter.create(ctx.lang, out);
  writer.write(renderXlsxRecords(run, ctx));
  await writer.finish();
  await finished;
  return Buffer.concat(parts);
}
