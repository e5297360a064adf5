/**
 * The bureau's roster of schools (名册): CSV (UTF-8 with or without BOM, or GB18030/GBK as
 * Excel on Chinese Windows saves it), the first sheet of an .xlsx workbook, or YAML. Columns
 * are found by their header, in Chinese or English. Every problem is located — `file:line:col`
 * with the column counted in cells, and for xlsx the sheet and cell (`名册!C17`) too — and
 * a row with a problem is left out while the others still count.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Problem, Reason } from '../model/result.js';
import { RosterColumns, unpackRoster, type PackedRoster, type Roster } from '../model/coverage.js';
import { SCHOOL_TYPES } from '../model/constants.js';
import { labels } from '../i18n/labels.js';
import { grownLength, roomFor } from '../model/growth.js';
import { decode } from './decode.js';
import { parseYaml } from './yaml.js';

/** A national roster is about 530,000 rows, some 60 MB as CSV; anything far larger is not a roster. */
export const MAX_ROSTER_BYTES = 512 * 1024 * 1024;

export type RosterField = 'id' | 'name' | 'district' | 'type';
const REQUIRED: readonly RosterField[] = ['id', 'name', 'district'];

/** Header names per field, compared without case, spaces, `_` or `-`. The first is the template's. */
export const HEADER_NAMES: Record<RosterField, readonly string[]> = {
  id: ['学校代码', 'id', '学校编号', '学校标识码', '学校识别码', '代码', '编号', 'school id', 'school code', 'code'],
  name: ['学校名称', 'name', '学校', '名称', '校名', 'school name', 'school'],
  district: ['区县', 'district', '所在区县', '县区', '区（县）', '县（市、区）', 'county'],
  type: ['学段', 'type', '学校类型', '办学类型', '类型', 'school type', 'stage'],
};

const norm = (header: string) => header.trim().toLowerCase().replace(/[\s_-]+/g, '');
const FIELD_OF = new Map<string, RosterField>(
  (Object.entries(HEADER_NAMES) as [RosterField, readonly string[]][]).flatMap(([field, names]) => names.map((n) => [norm(n), field] as [string, RosterField])),
);

/** School types as a roster may write them: codes, the report labels in both languages, common short forms. */
const TYPE_ALIASES: Record<string, string> = {
  初中: 'junior',
  高中: 'senior',
  九年一贯制: 'nine_year',
  完中: 'complete_secondary',
  十二年一贯制: 'twelve_year',
  中职: 'vocational',
  职业高中: 'vocational',
  特教: 'special',
  特殊教育: 'special',
};
const TYPE_OF = new Map<string, string>([
  ...SCHOOL_TYPES.map((code) => [norm(code), code] as [string, string]),
  ...SCHOOL_TYPES.flatMap((code) => {
    const l = labels.schoolType[code];
    return l ? [[norm(l.zh), code] as [string, string], [norm(l.en), code] as [string, string]] : [];
  }),
  ...Object.entries(TYPE_ALIASES).map(([alias, code]) => [norm(alias), code] as [string, string]),
]);

/** One cell's text and place. */
interface Cell {
  text: string;
  line: number;
  col: number;
  /** For xlsx: `Sheet!C17`. */
  cell?: string;
}

/** A record of the roster: its cells by field, the others by header, and where it starts. */
interface Entry {
  fields: Partial<Record<RosterField, Cell>>;
  extras: [string, string][];
  at: Cell;
}

export interface RosterOutcome {
  /** Absent when nothing of the roster could be used (unreadable, no header, no school). */
  roster?: Roster;
  problems: Problem[];
}

const problem = (file: string, at: { line: number; col: number; cell?: string } | undefined, code: string, params: Reason['params'] = {}): Problem => ({
  file,
  ...(at ? { line: at.line, col: at.col } : {}),
  message: { code, params: at?.cell ? { ...params, cell: at.cell } : params },
});

/** The roster as the tests and the API see it: a RosterSchool per row. */
export async function readRoster(file: string): Promise<RosterOutcome> {
  const { roster, problems } = await readRosterColumns(file);
  return { problems, ...(roster ? { roster: unpackRoster(roster) } : {}) };
}

/** What a roster file gives, in columns: the schools of its good rows, and every problem. */
export interface PackedOutcome {
  roster?: PackedRoster;
  problems: Problem[];
}

/**
 * The roster read row by row into columns (RosterAssembler): no row's cells outlive it, so
 * reading a national roster holds its text, its columns and the ids seen, not a cell object
 * per cell.
 */
export async function readRosterColumns(file: string): Promise<PackedOutcome> {
  const ext = path.extname(file).toLowerCase();
  if (!['.csv', '.txt', '.xlsx', '.yaml', '.yml'].includes(ext)) return { problems: [problem(file, undefined, 'roster.unknownFormat', { ext: ext || path.basename(file) })] };
  try {
    const info = statSync(file);
    if (!info.isFile()) return unreadable(file, info.isDirectory() ? 'EISDIR' : 'not a regular file');
    if (info.size > MAX_ROSTER_BYTES) return unreadable(file, `> ${MAX_ROSTER_BYTES} bytes`);
  } catch (error) {
    return unreadable(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const assembler = new RosterAssembler(file);
  if (ext === '.xlsx') {
    const fatal = await readXlsx(file, assembler);
    return fatal ? { problems: [fatal] } : assembler.finishTable();
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = readWhole(file);
  } catch (error) {
    return unreadable(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const decoded = decode(bytes);
  bytes = undefined;
  if (!decoded.ok) {
    // A roster is CSV or YAML text: say so, rather than the school file's wording.
    const message = decoded.error.code === 'decode.binary' ? { ...decoded.error, code: 'roster.binary' } : decoded.error;
    return { problems: [{ file, message }] };
  }
  if (ext === '.yaml' || ext === '.yml') {
    const { entries, problems = [], fatal } = yamlEntries(file, decoded.text);
    if (fatal) return { problems: [fatal] };
    assembler.problems.push(...problems);
    for (const entry of entries) assembler.entry(entry);
    return assembler.finish();
  }
  assembler.problems.push(...parseCsv(file, decoded.text, (row) => assembler.row(row)));
  return assembler.finishTable();
}

/** Why the roster file cannot be read, in words where the reason is a common one. */
const UNREADABLE: Record<string, string> = { ENOENT: 'roster.notFound', EACCES: 'roster.noPermission', EPERM: 'roster.noPermission', EISDIR: 'roster.isFolder' };

function unreadable(file: string, reason: string): PackedOutcome {
  return { problems: [problem(file, undefined, UNREADABLE[reason] ?? 'roster.unreadable', { reason })] };
}

/**
 * The file's bytes, in a buffer made as src/model/growth.ts says: a roster of a few MB read
 * into a buffer of its own size, dropped once decoded, would raise glibc's thresholds for
 * the whole batch that follows.
 */
function readWhole(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    let buffer = Buffer.alloc(roomFor(fstatSync(fd).size + 1));
    let used = 0;
    for (;;) {
      // A file that grew while it was read.
      if (used === buffer.length) {
        const grown = Buffer.alloc(grownLength(buffer.length, used + 1));
        buffer.copy(grown, 0, 0, used);
        buffer = grown;
      }
      const read = readSync(fd, buffer, used, buffer.length - used, null);
      if (read === 0) return buffer.subarray(0, used);
      used += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** Rosters up to this size are read in place: what reading them leaves behind is a few MB. */
const READ_IN_PLACE_BYTES = 1024 * 1024;

/**
 * readRosterColumns in a short-lived worker thread for a roster of more than a few thousand rows:
 * a national one (530,000 rows, some 60 MB) leaves a few hundred MB of garbage behind it —
 * the decoded text, a cell object per cell — that the main thread's heap would keep for the
 * rest of the batch, since nothing there triggers a full collection. The worker's heap goes
 * with it; the roster comes back in columns (PackedRoster, as the batch keeps it), as the
 * folder walk's list comes back from expandInputsApart.
 */
export async function readRosterApart(file: string): Promise<PackedOutcome> {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readRoster says what is wrong with it.
  }
  if (size <= READ_IN_PLACE_BYTES) return readRosterColumns(file);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./roster-worker.js', import.meta.url), { workerData: file, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.once('message', (message: { roster?: PackedRoster; problems: Problem[] }) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the roster reader stopped (exit code ${code})`)));
  });
}

/**
 * Rows of a table (CSV, a sheet) or entries (YAML) turned into roster columns one at a
 * time: the first row with any text is the header, each later row a school. A row with a
 * problem is reported and left out; a roster with no usable header stops at it.
 */
class RosterAssembler {
  readonly problems: Problem[] = [];
  /** The column of each header cell: a field, or the header's text for an extra column. */
  private columns?: Map<number, RosterField | string>;
  /** A required column is missing: the rows after the header are not read. */
  private refused = false;
  private readonly firstLine = new Map<string, number>();
  private readonly known = [...SCHOOL_TYPES].join(', ');
  private readonly rows = new RosterColumns();

  constructor(private readonly file: string) {}

  /** A table row: the header, a school, or nothing (a blank row, or a row after a bad header). */
  row(row: Cell[]): void {
    if (this.refused || !row.some((c) => c.text !== '')) return;
    if (!this.columns) {
      this.header(row);
      return;
    }
    const at = row[0] as Cell;
    const entry: Entry = { fields: {}, extras: [], at };
    for (const [i, key] of this.columns) {
      const cell = row[i] ?? { text: '', line: at.line, col: i + 1, cell: at.cell ? cellName(sheetOf(at.cell), at.line, i + 1) : undefined };
      if (isField(key)) entry.fields[key] = cell;
      else if (cell.text !== '') entry.extras.push([key, cell.text]);
    }
    this.entry(entry);
  }

  private header(header: Cell[]): void {
    const { file, problems } = this;
    const columns = new Map<number, RosterField | string>();
    const seen = new Map<RosterField, Cell>();
    header.forEach((cell, i) => {
      if (cell.text === '') return;
      const field = FIELD_OF.get(norm(cell.text));
      if (!field) {
        columns.set(i, cell.text);
        return;
      }
      const first = seen.get(field);
      if (first) {
        problems.push(problem(file, cell, 'roster.duplicateHeader', { header: cell.text, field, otherCol: first.col }));
        return;
      }
      seen.set(field, cell);
      columns.set(i, field);
    });
    const absent = REQUIRED.filter((f) => !seen.has(f));
    for (const field of absent) problems.push(problem(file, header[0], 'roster.noHeader', { field, names: HEADER_NAMES[field].join(' / ') }));
    this.refused = absent.length > 0;
    this.columns = columns;
  }

  /** One record, checked: required cells filled, a known type, no id twice. */
  entry(entry: Entry): void {
    const { file, problems } = this;
    let ok = true;
    for (const field of REQUIRED) {
      if ((entry.fields[field]?.text ?? '') === '') {
        problems.push(problem(file, entry.fields[field] ?? entry.at, 'roster.emptyCell', { field }));
        ok = false;
      }
    }
    const typeCell = entry.fields.type;
    let type: string | undefined;
    if (typeCell && typeCell.text !== '') {
      type = TYPE_OF.get(norm(typeCell.text));
      if (!type) {
        problems.push(problem(file, typeCell, 'roster.badType', { value: typeCell.text, known: this.known }));
        ok = false;
      }
    }
    const idCell = entry.fields.id;
    if (!idCell || idCell.text === '') return;
    const previous = this.firstLine.get(idCell.text);
    if (previous !== undefined) {
      problems.push(problem(file, idCell, 'roster.duplicateId', { id: idCell.text, firstLine: previous }));
      return;
    }
    this.firstLine.set(idCell.text, idCell.line);
    if (!ok) return;
    const { at } = entry;
    const name = entry.fields.name?.text ?? '';
    const district = entry.fields.district?.text ?? '';
    this.rows.add({ id: idCell.text, name, district, type, line: at.line, col: at.col, cell: at.cell, extras: entry.extras });
  }

  /** A table's outcome: no header row at all is a roster with nothing in it. */
  finishTable(): PackedOutcome {
    if (!this.columns) return { problems: sortProblems([...this.problems, problem(this.file, { line: 1, col: 1 }, 'roster.empty')]) };
    if (this.refused) return { problems: this.problems };
    return this.finish();
  }

  finish(): PackedOutcome {
    const { problems } = this;
    if (this.rows.length === 0) {
      if (problems.length === 0) problems.push(problem(this.file, { line: 1, col: 1 }, 'roster.empty'));
      return { problems: sortProblems(problems) };
    }
    return { roster: this.rows.finish(this.file), problems: sortProblems(problems) };
  }
}

const isField = (key: string): key is RosterField => key === 'id' || key === 'name' || key === 'district' || key === 'type';

function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.col ?? 0) - (b.p.col ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * RFC 4180 CSV, as Excel and WPS write it: quoted cells may hold the separator, doubled
 * quotes and line breaks; CRLF or LF between records. The separator is the one of `,`, tab
 * or `;` most frequent in the first line (Excel's "Unicode text" uses tabs, some locales `;`).
 */
function parseCsv(file: string, text: string, onRow: (row: Cell[]) => void): Problem[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((sep) => firstLine.split(sep).length);
  const sep = [',', '\t', ';'][counts.indexOf(Math.max(...counts))] as string;
  const plain = new RegExp(`[^${sep === '\t' ? '\\t' : sep}\\r\\n]*`, 'y');
  let row: Cell[] = [];
  let line = 1;
  let i = 0;
  const n = body.length;
  while (i <= n) {
    const startLine = line;
    let value = '';
    if (body[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) {
          // An unclosed quote: the record it starts is left out, and said where it starts.
          return [problem(file, { line: startLine, col: row.length + 1 }, 'roster.unclosedQuote')];
        }
        const c = body[i] as string;
        if (c === '"') {
          if (body[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        value += c;
        i++;
      }
      // Anything between the closing quote and the separator is kept, as Excel does.
      while (i < n && body[i] !== sep && body[i] !== '\n' && body[i] !== '\r') value += body[i++];
    } else {
      plain.lastIndex = i;
      value = (plain.exec(body) as RegExpExecArray)[0];
      i += value.length;
    }
    row.push({ text: value.trim(), line: startLine, col: row.length + 1 });
    if (i < n && body[i] === sep) {
      i++;
      continue;
    }
    onRow(row);
    row = [];
    if (body[i] === '\r') i++;
    if (body[i] === '\n') i++;
    line++;
    if (i >= n) break;
  }
  return [];
}

/** `roster:` — a list of mappings with the same keys as the CSV headers. */
function yamlEntries(file: string, text: string): { entries: Entry[]; problems?: Problem[]; fatal?: Problem } {
  const outcome = parseYaml(text);
  if (!outcome.ok) {
    const [first, ...rest] = outcome.problems.map((p) => ({ file, line: p.line, col: p.col, message: p.message }));
    return { entries: [], fatal: first, problems: rest };
  }
  const { parsed } = outcome;
  const data = parsed.data as { roster?: unknown } | null;
  const list = data && typeof data === 'object' && !Array.isArray(data) ? data.roster : data;
  const at = (p: (string | number)[], where: 'key' | 'value' = 'value') => parsed.locate(p, where);
  const base: (string | number)[] = Array.isArray(data) ? [] : ['roster'];
  // `roster:` with nothing under it (the template as written): a roster with no school.
  if (list === null && base.length > 0) return { entries: [] };
  if (!Array.isArray(list)) return { entries: [], fatal: problem(file, at(base), 'roster.notList') };
  const problems: Problem[] = [];
  const entries: Entry[] = [];
  list.forEach((item: unknown, i) => {
    const where = at([...base, i]);
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(problem(file, where, 'roster.notMapping'));
      return;
    }
    const entry: Entry = { fields: {}, extras: [], at: { text: '', ...where } };
    // A school field that is a list or a mapping is this row's one error, not also an empty cell.
    let refused = false;
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const place = at([...base, i, key]);
      if (value !== null && typeof value === 'object') {
        problems.push(problem(file, place, 'roster.notScalar', { key }));
        if (FIELD_OF.has(norm(key))) refused = true;
        continue;
      }
      const cell = { text: value === null || value === undefined ? '' : String(value).trim(), ...place };
      const field = FIELD_OF.get(norm(key));
      if (field) entry.fields[field] = cell;
      else if (cell.text !== '') entry.extras.push([key, cell.text]);
    }
    if (!refused) entries.push(entry);
  });
  return { entries, problems };
}

/** `C17` for row 17, column 3, on a sheet. */
function cellName(sheet: string, row: number, col: number): string {
  let letters = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${sheet}!${letters}${row}`;
}

const sheetOf = (cell: string) => cell.slice(0, cell.lastIndexOf('!'));

/** The text a spreadsheet shows for a cell value; a formula gives its stored result, never run. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
  if (v.text !== undefined) return cellText(v.text);
  if ('result' in v) return cellText(v.result);
  if (v.error !== undefined) return String(v.error);
  return '';
}

/** The first sheet, read as a stream: a national roster never sits in memory as a workbook. */
async function readXlsx(file: string, assembler: RosterAssembler): Promise<Problem | undefined> {
  try {
    const { default: ExcelJS } = await import('exceljs');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? 'Sheet1';
      for await (const row of sheet) {
        const values = (row as unknown as { values: unknown[] }).values;
        const cells: Cell[] = [];
        for (let col = 1; col < values.length; col++) cells.push({ text: cellText(values[col]).trim(), line: row.number, col, cell: cellName(name, row.number, col) });
        // Rows are sparse: blank rows are not emitted, so the row number is kept per cell.
        if (cells.length === 0) cells.push({ text: '', line: row.number, col: 1, cell: cellName(name, row.number, 1) });
        assembler.row(cells);
      }
      return undefined;
    }
    return problem(file, undefined, 'roster.noSheet');
  } catch (error) {
    return problem(file, undefined, 'roster.xlsxUnreadable', { detail: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) });
  }
}

/**
 * A roster template (`init --roster`): the header row, in the run's language, as CSV (UTF-8
 * with a BOM, CRLF, so Excel opens it as it is) or as YAML with one commented example.
 */
export function rosterTemplate(lang: 'zh' | 'en', file: string): string {
  const zh = lang === 'zh';
  if (/\.ya?ml$/i.test(file)) {
    const [id, name, district, type] = (['id', 'name', 'district', 'type'] as const).map((f) => (zh ? HEADER_NAMES[f][0] : f));
    const note = zh ? '# 学校名册：每所学校一项；学校代码与学校文件的 school.id 相同，不得重复。学段可不填。' : '# Roster of schools: one entry each; the id is the school file\'s school.id and appears once. The type may be left out.';
    return `${note}\nroster:\n  # - ${id}: "130104-0217"\n  #   ${name}: ${zh ? '青河市河东区育才路小学' : 'Yucai Road Primary School'}\n  #   ${district}: ${zh ? '河东区' : 'Hedong'}\n  #   ${type}: ${zh ? '小学' : 'primary'}\n`;
  }
  const header = zh ? [HEADER_NAMES.id[0], HEADER_NAMES.name[0], HEADER_NAMES.district[0], HEADER_NAMES.type[0]] : ['id', 'name', 'district', 'type'];
  return `\uFEFF${header.join(',')}\r\n`;
}
