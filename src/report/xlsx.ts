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
import { FIGURE_KEYS, figureHeader, figureRows, schoolCells, schoolHeader, STATE_CODE, cw } from './coverage.js';
import { SheetEntry } from './xlsx-entry.js';
import { RowSpool } from './row-spool.js';

type Cell = string | number | null;
/** One row of one sheet: `[sheet, ...cells]`. */
type RecordLine = ['S' | 'I' | 'D' | 'T' | 'C' | 'R', ...Cell[]] | HeaderLine;
/**
 * `['H', sheet, ...headers]`: a sheet's column headers when they depend on the run (the
 * Coverage sheet's awaiting column follows `--require-level`); before the sheet's first row.
 */
type HeaderLine = ['H', 'C', ...string[]];

/** C and R (the roster coverage and its schools) are there only with `--roster`. */
const SHEETS = {
  S: { zh: '汇总', en: 'Summary' },
  I: { zh: '明细', en: 'Items' },
  D: { zh: '区县', en: 'Districts' },
  T: { zh: '高频问题', en: 'Top failures' },
  C: { zh: '名册覆盖', en: 'Coverage' },
  R: { zh: '名册学校', en: 'Roster' },
} as const;
type SheetKey = keyof typeof SHEETS;

/** A record as a line of JSON, its text cleaned of the characters a workbook's XML cannot hold. */
function line(record: RecordLine): string {
  return `${JSON.stringify(record.map((cell) => (typeof cell === 'string' ? documentText(cell) : cell)))}\n`;
}

/** The records: pure functions of each school and of the batch's rows. */
export const streamXlsx: StreamReporter = {
  begin() {
    return '';
  },
  school({ result, catalogue }, ctx) {
    const lang = ctx.lang;
    return line(['S', ...schoolRow(lang, result, catalogue)]) + result.items.map((item) => line(['I', ...itemRow(lang, result, item, catalogue, true)])).join('');
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
    const coverage = summary.coverage;
    if (coverage) {
      out.push(line(['H', 'C', ...figureHeader(lang, coverage)]));
      for (const r of figureRows(lang, coverage)) out.push(line(['C', r.district, ...r.numbers]));
      for (const school of coverage.schools) out.push(line(['R', ...schoolCells(lang, coverage, school), STATE_CODE[school.state]]));
    }
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

function columns(lang: Lang): Record<SheetKey, Column[]> {
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
    C: [col(cw(lang, 'district'), 16), ...FIGURE_KEYS.map((k) => col(cw(lang, k), 10, 'number'))],
    R: [...schoolHeader(lang).map((hd, i) => col(hd, [12, 14, 30, 14, 50, 50, 10][i] ?? 12)), col(cw(lang, 'stateCode'), 12)],
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
/** A sheet's part in the zip. */
const SHEET_PART = /^\/xl\/worksheets\/sheet\d+\.xml$/;
/** exceljs's value types (Enums.ValueType), by the cell's JavaScript type. */
const CELL_TYPE: Record<string, number> = { null: 0, number: 2, string: 3, date: 4 };

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
/** The letters of the first columns, made once: every cell of every row names its column. */
const COLUMN_NAMES = Array.from({ length: 64 }, (_, i) => columnName(i));

const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
/**
 * A cell's text as exceljs writes it: the five escapes (quotes too, unlike xml.ts's element
 * text, so the bytes stay exceljs's), the control characters XML cannot hold left out.
 */
function cellText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g, (ch) => XML_ESCAPES[ch] ?? '');
}

/** A day as Excel counts it (days since 1899-12-30), as exceljs writes a date. */
function excelDay(date: Date): number {
  return 25569 + date.getTime() / 86400000;
}

/** The lines of UTF-8 text that ends with a line break, each decoded when it is asked for. */
function* recordsOf(bytes: Uint8Array): Generator<string> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf(0x0a, at);
    yield text.toString('utf8', at, end);
    at = end + 1;
  }
}

/* The parts of exceljs's streaming writer used here (it ships no types for them). */
interface XRow {
  commit(): void;
}
interface XSheet {
  id: number;
  /** The sheet's entry in the zip (see `create`), where its XML goes. */
  stream: SheetEntry;
  columns: { header: string; width: number; key?: string }[];
  autoFilter: unknown;
  getRow(n: number): XRow;
  commit(): void;
}
interface XWorkbook {
  created: Date;
  modified: Date;
  creator: string;
  lastModifiedBy: string;
  /**
   * archiver's zip: `append` queues an entry (its data is read when its turn comes, one entry
   * after the other); `_module` is its zip plugin, which writes each entry's header then.
   */
  zip: {
    append(source: unknown, data: { name: string }): unknown;
    on(event: 'error', listener: (error: Error) => void): unknown;
    _module: { append(source: unknown, data: { name: string; date?: Date }, done: unknown): unknown };
  };
  /** Opens a part's stream (and queues its zip entry); a sheet's is opened when the sheet is added. */
  _openStream(part: string): unknown;
  addWorksheet(name: string, options: unknown): XSheet;
  /** The workbook's style registry: a cell's style and value type → the style id in the XML. */
  styles: { addStyleModel(style: object, cellType: number): number };
  commit(): Promise<void>;
}

/**
 * Records in, workbook bytes out to `out`, and never faster than the zip takes them. The
 * sheets are written one after the other, each as its records come, and each sheet's zip
 * entry is queued when its writing starts, so the zip reads the sheet being written and
 * nothing waits behind it: the Items sheet during the batch (its rows as schools finish),
 * then the Summary (its rows kept on disk until then, see row-spool.ts), Districts, Top
 * failures and the roster sheets. A write returns a promise while the sheet's entry has
 * all its buffers waiting for the deflate (see xlsx-entry.ts), and the batch waits for it.
 */
export class XlsxWriter {
  private readonly cols: Record<SheetKey, Column[]>;
  private readonly sheets: Partial<Record<SheetKey, XSheet>> & Record<'S' | 'I' | 'D' | 'T', XSheet>;
  private readonly counts = { S: 0, I: 0, D: 0, T: 0, C: 0, R: 0 };
  /** The Summary rows as their records, on disk until the Items sheet is complete. */
  private readonly summaryRows = RowSpool.open();
  private latest = '';
  /** The start of a record whose end has not come yet. */
  private pending: Uint8Array = new Uint8Array(0);
  /** The sheet being written, whose entry the zip reads now; the sheets before it are closed. */
  private current: SheetKey | undefined;
  private readonly closed = new Set<SheetKey>();
  /** Records not yet written, when a write had to wait for the zip; the next write goes after them. */
  private queue: Promise<void> | undefined;
  /** Rejects when the output or the zip fails: a wait must not outlast them. */
  private readonly failed: Promise<never>;
  private error: Error | undefined;
  /** The waits under way, failed with the output or the zip. */
  private readonly waits = new Set<(error: Error) => void>();
  /** exceljs's style id of each look of a cell. */
  private readonly styles = new Map<string, number>();
  /** The same ids by column kind, cell type and fill (see `styleId`). */
  private readonly known: Record<string, Record<string, Map<string | undefined, number>>> = {};
  /** Fills of the status cells, by their text. */
  private readonly statusFills = new Map<Cell, string | undefined>();

  private constructor(
    private readonly lang: Lang,
    private readonly workbook: XWorkbook,
    /** Queues a sheet's zip entry, held back until the sheet's writing starts. */
    private readonly release: (part: string) => void,
    private readonly out: Writable,
  ) {
    this.cols = columns(lang);
    // Tabs in this order; each sheet's data goes into the zip when it is written.
    this.sheets = { S: this.addSheet('S'), I: this.addSheet('I'), D: this.addSheet('D'), T: this.addSheet('T') };
    this.failed = new Promise<never>((_resolve, reject) => {
      const fail = (error: Error) => {
        this.error ??= error;
        for (const wait of this.waits) wait(error);
        this.waits.clear();
        reject(error);
      };
      out.once('error', fail);
      workbook.zip.on('error', fail);
    });
    this.failed.catch(() => undefined);
  }

  private addSheet(key: SheetKey): XSheet {
    const sheet = this.workbook.addWorksheet(SHEETS[key][this.lang], { views: [{ state: 'frozen', xSplit: key === 'I' ? 5 : key === 'S' || key === 'R' ? 3 : 1, ySplit: 1 }] });
    sheet.columns = this.cols[key].map((c) => ({ header: c.header, width: c.width }));
    return sheet;
  }

  /** A sheet, added when its first record comes (the coverage sheets exist only with a roster). */
  private sheet(key: SheetKey): XSheet {
    return (this.sheets[key] ??= this.addSheet(key));
  }

  private static part(sheet: XSheet): string {
    return `/xl/worksheets/sheet${sheet.id}.xml`;
  }

  static async create(lang: Lang, out: Writable): Promise<XlsxWriter> {
    const { default: ExcelJS } = (await import('exceljs')) as unknown as { default: { stream: { xlsx: { WorkbookWriter: new (o: unknown) => XWorkbook } } } };
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    // Every zip entry with one fixed date (the DOS epoch), never the time of the run. The
    // entries queued so far (theme, relations) are written later, so they get it too;
    // test/report-xlsx.test.ts compares two runs byte for byte.
    // Each sheet's XML goes into the zip through an entry of its own, not exceljs's stream.
    const openStream = workbook._openStream.bind(workbook);
    workbook._openStream = (part) => {
      if (!SHEET_PART.test(part)) return openStream(part);
      const entry = new SheetEntry();
      workbook.zip.append(entry, { name: part });
      return entry;
    };
    const zip = workbook.zip._module;
    const append = zip.append.bind(zip);
    zip.append = (source, data, done) => append(source, { ...data, date: ZIP_DATE }, done);
    // The zip takes its entries one after the other, in the order they are queued, and
    // exceljs queues a sheet's entry when the sheet is added. Queued then, a sheet written
    // later would hold up the sheets behind it, their rows waiting in memory; so each
    // sheet's entry is queued when its writing starts.
    const queue = workbook.zip.append.bind(workbook.zip);
    const held = new Map<string, [unknown, { name: string }]>();
    workbook.zip.append = (source, data) => {
      if (!SHEET_PART.test(data.name)) return queue(source, data);
      held.set(data.name, [source, data]);
      return workbook.zip;
    };
    const release = (part: string) => {
      const entry = held.get(part);
      held.delete(part);
      if (entry) queue(...entry);
    };
    return new XlsxWriter(lang, workbook, release, out);
  }

  /**
   * Records, as text or UTF-8; a record may be split between two writes. A promise when the
   * zip is behind: the caller waits for it before writing more.
   *
   * The bytes are kept as they are (the caller does not touch them again) and each record is
   * decoded when its turn comes: a school's records decoded at once made one string of some
   * 100 KB, which lived while the school's rows waited for the zip, long enough to be
   * promoted, and was then freed only by a full collection of the main thread's heap.
   */
  write(data: string | Uint8Array): Promise<void> | undefined {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const cut = bytes.lastIndexOf(0x0a) + 1;
    let lines: Iterable<string> = [];
    if (cut === 0) this.pending = Buffer.concat([this.pending, bytes]);
    else {
      lines = recordsOf(this.pending.length === 0 ? bytes.subarray(0, cut) : Buffer.concat([this.pending, bytes.subarray(0, cut)]));
      this.pending = bytes.subarray(cut);
    }
    const steps = this.steps(lines);
    let waiting: Promise<void> | undefined;
    try {
      waiting = this.queue ? this.queue.then(() => this.pump(steps)) : this.pump(steps);
    } catch (error) {
      // The Summary rows' spool could not be written (a full disk): said as the output's failure.
      waiting = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!waiting) return undefined;
    this.queue = waiting;
    const done = () => {
      if (this.queue === waiting) this.queue = undefined;
    };
    waiting.then(done, done);
    return waiting;
  }

  /** Each row written is a step, after which the writer may have to wait for the zip. */
  private *steps(lines: Iterable<string>): Generator<void> {
    for (const l of lines) {
      if (l === '') continue;
      const record = JSON.parse(l) as RecordLine;
      if (record[0] === 'H') {
        const [, key, ...headers] = record;
        if (!this.sheets[key]) this.cols[key] = this.cols[key].map((c, i) => ({ ...c, header: headers[i] ?? c.header }));
        continue;
      }
      const [sheet, ...cells] = record;
      if (sheet === 'S') {
        this.summaryRows.add(l);
        const date = cells[6];
        if (typeof date === 'string' && DAY.test(date) && date > this.latest) this.latest = date;
        continue;
      }
      // Districts and the sheets after it come last: the summary goes in before them.
      if (sheet !== 'I') yield* this.summary();
      this.open(sheet);
      this.addRow(sheet, cells);
      yield;
    }
  }

  /** Once: the Summary sheet, from the rows kept so far. */
  private *summary(): Generator<void> {
    if (this.closed.has('S') || this.current === 'S') return;
    this.open('S');
    for (const l of this.summaryRows.lines()) {
      const [, ...cells] = JSON.parse(l) as RecordLine;
      this.addRow('S', cells);
      yield;
    }
  }

  /** Steps until the zip is behind; then a promise that goes on once it has caught up. */
  private pump(steps: Generator<void>): Promise<void> | undefined {
    for (;;) {
      if (steps.next().done) return undefined;
      const behind = this.behind();
      if (behind) return behind.then(() => this.pump(steps));
    }
  }

  /**
   * A promise while the output is behind the zip (its buffer full), or the zip is behind the
   * sheet being written: every buffer of its entry waiting for the deflate (or for the
   * entries before it to be compressed). It goes on once one is taken, or fails with the
   * output.
   */
  private behind(): Promise<void> | undefined {
    // A slow disk: the zip's bytes wait for the output, so the rows wait for the zip.
    if (this.out.writableNeedDrain) return this.until(new Promise((resolve) => this.out.once('drain', resolve)));
    if (this.current === undefined) return undefined;
    const entry = this.sheet(this.current).stream;
    return entry.behind ? this.until(entry.ready()) : undefined;
  }

  /**
   * Once `event` has happened (or the output or zip failed), whether the zip is still behind.
   * Not a race with `failed`: each race would leave a reaction on it, one for every wait of
   * the batch, until the end.
   */
  private until(event: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.error !== undefined) return reject(this.error);
      this.waits.add(reject);
      void event.then(() => {
        this.waits.delete(reject);
        resolve();
      });
    }).then(() => this.behind());
  }

  /** The sheet `key` is written from now on: the one written so far is closed (its zip entry ends). */
  private open(key: SheetKey): void {
    if (this.current === key) return;
    if (this.current !== undefined) this.close(this.current);
    this.current = key;
    this.release(XlsxWriter.part(this.sheet(key)));
  }

  /** An auto-filter over the header and every row written, then the sheet's end. */
  private close(key: SheetKey): void {
    const sheet = this.sheets[key];
    if (!sheet || this.closed.has(key)) return;
    this.closed.add(key);
    this.filter(key, sheet);
    sheet.commit();
  }

  private filter(key: SheetKey, sheet: XSheet): void {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: this.counts[key] + 1, column: this.cols[key].length } };
  }

  /**
   * One row, as the XML exceljs writes for it (its own row objects cost more than the rest of
   * the batch together): the header row goes through exceljs with the sheet's columns, the
   * rows after it are written here onto the sheet's stream, with exceljs's style ids.
   */
  private addRow(key: SheetKey, cells: Cell[]): void {
    const sheet = this.sheet(key);
    if (this.counts[key] === 0) sheet.getRow(1).commit();
    const n = ++this.counts[key] + 1;
    const cols = this.cols[key];
    const width = Math.max(cells.length, cols.length);
    let xml = '';
    let values = false;
    for (let i = 0; i < width; i++) {
      const kind = cols[i]?.kind;
      const raw = cells[i] ?? null;
      const value = kind === 'date' ? asDate(raw) : raw;
      const fill = kind === 'verdict' ? this.verdictFill(cells) : kind === 'status' ? this.statusFill(raw) : undefined;
      const type = value instanceof Date ? 'date' : value === null ? 'null' : typeof value;
      const id = this.styleId(kind, type, fill);
      const ref = `${COLUMN_NAMES[i] ?? columnName(i)}${n}`;
      const s = id === 0 ? '' : ` s="${id}"`;
      if (value === null) {
        if (id !== 0) xml += `<c r="${ref}"${s}/>`;
        continue;
      }
      values = true;
      if (typeof value === 'string') xml += `<c r="${ref}"${s} t="str"><v>${cellText(value)}</v></c>`;
      else xml += `<c r="${ref}"${s}><v>${typeof value === 'number' ? value : excelDay(value)}</v></c>`;
    }
    // exceljs leaves out a row with nothing in it (its number is still taken).
    if (values) sheet.stream.write(`<row r="${n}" spans="1:${width}" x14ac:dyDescent="0.25">${xml}</row>`);
  }

  /**
   * The style id of a cell, as exceljs gives it. Its style registry knows a style object by
   * identity and reads a style's number format by the cell's type when the style has none,
   * so there is one object for each look and type.
   */
  private styleId(kind: Column['kind'], type: string, fill: string | undefined): number {
    // A key made for each of a batch's millions of cells costs seconds: the ids known so far
    // are looked up by the parts of the key instead, and the key made only for a new look.
    const known = (this.known[kind ?? ''] ??= {});
    const byFill = (known[type] ??= new Map());
    const found = byFill.get(fill);
    if (found !== undefined) return found;
    const key = `${kind ?? ''} ${type} ${fill ?? ''}`;
    let id = this.styles.get(key);
    if (id === undefined) {
      const style = {
        ...(kind === 'date' && type === 'date' ? { numFmt: 'yyyy-mm-dd' } : kind === 'percent' ? { numFmt: '0.0%' } : {}),
        ...(kind === 'verdict' && fill ? { font: { bold: true } } : {}),
        ...(kind === 'wrap' ? { alignment: { wrapText: true, vertical: 'top' } } : {}),
        ...(fill ? { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } } } : {}),
      };
      id = this.workbook.styles.addStyleModel(style, CELL_TYPE[type] ?? 0);
      this.styles.set(key, id);
    }
    byFill.set(fill, id);
    return id;
  }

  private verdictFill(cells: Cell[]): string | undefined {
    const code = cells[8];
    if (code === INPUT_ERROR) return INPUT_ERROR_FILL;
    return typeof code === 'string' && code in VERDICT_FILL ? VERDICT_FILL[code as Verdict] : undefined;
  }

  private statusFill(text: Cell): string | undefined {
    if (this.statusFills.has(text)) return this.statusFills.get(text);
    const fill = this.findStatusFill(text);
    this.statusFills.set(text, fill);
    return fill;
  }

  private findStatusFill(text: Cell): string | undefined {
    const status = ITEM_STATUSES.find((st) => label(this.lang, 'status', st) === text);
    return status ? STATUS_FILL[status] : text === w(this.lang, 'couldNotAudit') ? INPUT_ERROR_FILL : undefined;
  }

  /** Close every sheet and the zip; resolves once the last byte is handed to `out`. */
  async finish(): Promise<void> {
    try {
      const rest = this.pending.length === 0 ? undefined : this.write('\n');
      await (rest ?? this.queue);
      const summary = this.pump(this.summary());
      if (summary) await summary;
    } finally {
      this.summaryRows.close();
    }
    if (this.current !== undefined) this.close(this.current);
    // The sheets without a row, in tab order, closed by exceljs's commit below.
    for (const key of ['S', 'I', 'D', 'T', 'C', 'R'] as const) {
      const sheet = this.sheets[key];
      if (!sheet || this.closed.has(key)) continue;
      this.filter(key, sheet);
      this.release(XlsxWriter.part(sheet));
    }
    const date = this.latest ? (asDate(this.latest) as Date) : FALLBACK_DATE;
    this.workbook.created = date;
    this.workbook.modified = date;
    this.workbook.creator = 'reopen-audit';
    this.workbook.lastModifiedBy = 'reopen-audit';
    await Promise.race([this.workbook.commit(), this.failed]);
  }

  /** A workbook that will not be finished: its temporary file removed. */
  abort(): void {
    this.summaryRows.close();
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
  try {
    await writer.write(renderXlsxRecords(run, ctx));
    await writer.finish();
  } finally {
    writer.abort();
  }
  await finished;
  return Buffer.concat(parts);
}
