/**
 * The JSON report: a documented, versioned structure (docs/report-json.md) for dashboards
 * and scripts. Every object is built key by key, so keys come out in a fixed order and the
 * same run gives the same bytes. School and audit facts are `null` when absent; an item
 * lists only what it has (a plain pass is just its id, status and answer), and what items
 * share — titles, severities, remediation, parameters — is written once per catalogue.
 */
import type { AuditRun, Catalogue, ItemResult, Problem, Reason, Scalar, SchoolResult } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { auditorText, compareProblems, compareText, decisionText, problemLocation } from './shared.js';
import { inPieces, renderAll, type StreamReporter } from './stream.js';
import type { Coverage, CoverageAudit, CoverageFigures, CoverageSchool } from '../model/coverage.js';
import { FIGURE_KEYS, STATE_CODE } from './coverage.js';
import { jsonPieces, LazyList, type PieceJson } from './json-pieces.js';
import { Utf8Buffer } from './utf8-buffer.js';

/** Bump when a field is renamed, removed or changes meaning; adding a field does not. */
export const REPORT_VERSION = 2;

type Json = Scalar | Json[] | { [key: string]: Json };

/** Parameters from the engine as an object with sorted keys. */
function sortedParams(params: Record<string, Scalar> | undefined): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(params ?? {}).sort(compareText)) out[key] = params?.[key] ?? null;
  return out;
}

function sourceRef(
  lang: Lang,
  ref: { ref: string; section?: string; note?: { zh: string; en: string }; assumption?: { zh: string; en: string } } | undefined,
): Json {
  if (!ref) return null;
  return {
    ref: ref.ref,
    section: ref.section ?? null,
    note: ref.note ? local(lang, ref.note) : null,
    assumption: ref.assumption ? local(lang, ref.assumption) : null,
  };
}

/**
 * Lines of items that carry nothing of the school's own (no answer, computation, waiver or
 * deadline), by what they say: the same not-applicable or unanswered item reads the same
 * in thousands of schools, so across a batch it is rendered once, not once per school.
 * The engine gives schools with the same values the same reason object (an item's
 * condition found false, an item left unanswered), so most are found by that object;
 * others by what the reason says.
 */
const sharedLines = new WeakMap<Catalogue, Map<string, Line>>();
const lineByReason = new WeakMap<Catalogue, WeakMap<Reason, { at: string; line: Line }>>();
const SHARED_LINES_LIMIT = 4096;

function sharedLine(lang: Lang, result: ItemResult, catalogue: Catalogue): Line {
  let byReason = lineByReason.get(catalogue);
  if (!byReason) {
    byReason = new WeakMap();
    lineByReason.set(catalogue, byReason);
  }
  const at = `${lang}\u0000${result.id}\u0000${result.status}`;
  const known = byReason.get(result.reason);
  if (known !== undefined && known.at === at) return known.line;
  let byText = sharedLines.get(catalogue);
  if (!byText) {
    byText = new Map();
    sharedLines.set(catalogue, byText);
  }
  const key = `${at}\u0000${result.reason.code}\u0000${JSON.stringify(result.reason.params ?? null)}`;
  let line = byText.get(key);
  if (line === undefined) {
    line = lineOf(escapeInvisible(JSON.stringify(itemJson(lang, result, catalogue))));
    if (byText.size >= SHARED_LINES_LIMIT) byText.clear();
    byText.set(key, line);
  }
  byReason.set(result.reason, { at, line });
  return line;
}

/** A scalar as compact JSON, invisible characters escaped (undefined: left out, as JSON.stringify leaves it). */
function compact(v: unknown): string | undefined {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  const text = JSON.stringify(v) as string | undefined;
  return text === undefined ? undefined : escapeInvisible(text);
}

/** Item ids as JSON strings, made once. */
const idTexts = new Map<string, string>();
const ID_TEXTS_LIMIT = 65536;

function idText(id: string): string {
  let text = idTexts.get(id);
  if (text === undefined) {
    text = escapeInvisible(JSON.stringify(id));
    if (idTexts.size >= ID_TEXTS_LIMIT) idTexts.clear();
    idTexts.set(id, text);
  }
  return text;
}

/** An item's answer as itemJson writes it, compact (a key whose value is undefined left out). */
function answerText(a: NonNullable<ItemResult['answer']>): string {
  const value = compact(a.value);
  // Most answers are a value alone.
  if (a.note === undefined && !a.evidence && a.responsible === undefined) return value === undefined ? '{}' : `{"value":${value}}`;
  let text = value === undefined ? '' : `"value":${value}`;
  if (a.note !== undefined) text = answerMember(text, 'note', compact(a.note));
  if (a.evidence) text = answerMember(text, 'evidence', escapeInvisible(JSON.stringify([...a.evidence])));
  if (a.responsible !== undefined) text = answerMember(text, 'responsible', compact(a.responsible));
  return `{${text}}`;
}

/** `"key":json` after the answer's members so far (left out when json is undefined). */
function answerMember(text: string, key: string, json: string | undefined): string {
  return json === undefined ? text : `${text}${text === '' ? '' : ','}"${key}":${json}`;
}

/** A line every school shares, as text and as the UTF-8 bytes the worker hands over. */
interface Line {
  text: string;
  bytes: Uint8Array;
}

const utf8 = new TextEncoder();
const lineOf = (text: string): Line => ({ text, bytes: utf8.encode(text) });

/** The line of an item passed with a bare yes or no, by id: the same in every school. */
const passLines = new Map<string, [no: Line, yes: Line]>();

function passLine(id: string, value: boolean): Line {
  let lines = passLines.get(id);
  if (!lines) {
    const head = `{"id":${idText(id)},"status":"pass","answer":{"value":`;
    lines = [lineOf(`${head}false}}`), lineOf(`${head}true}}`)];
    if (passLines.size >= ID_TEXTS_LIMIT) passLines.clear();
    passLines.set(id, lines);
  }
  return lines[value ? 1 : 0];
}

/**
 * One item as a line of JSON, with invisible characters escaped. A pass (what was required
 * of it, when computed, and the answer) is written directly; a line with nothing of the
 * school's own is shared (a Line, its bytes made once); anything else goes through
 * JSON.stringify.
 */
function itemLine(lang: Lang, result: ItemResult, catalogue: Catalogue): string | Line {
  const a = result.answer;
  if (result.waiver || result.deadline !== undefined) return escapeInvisible(JSON.stringify(itemJson(lang, result, catalogue)));
  if (result.status === 'pass') {
    const c = result.computation;
    // Most items are yes/no, passed with a bare answer: one line per item for every school.
    if (!c && a && typeof a.value === 'boolean' && a.note === undefined && a.evidence === undefined && a.responsible === undefined) return passLine(result.id, a.value);
    let line = `{"id":${idText(result.id)},"status":"pass"`;
    if (c) {
      const required = compact(c.required);
      if (required !== undefined) line += `,"required":${required}`;
    }
    if (a) line += `,"answer":${answerText(a)}`;
    return `${line}}`;
  }
  if (!a && !result.computation) return sharedLine(lang, result, catalogue);
  return escapeInvisible(JSON.stringify(itemJson(lang, result, catalogue)));
}

function itemJson(lang: Lang, result: ItemResult, catalogue: Catalogue): Json {
  const out: { [key: string]: Json } = { id: result.id, status: result.status };
  const c = result.computation;
  if (result.status === 'pass') {
    // A pass says only what was required of it, when that was computed.
    if (c) out.required = c.required;
  } else {
    const { facts, wording } = result.reason;
    const reason: { [key: string]: Json } = { code: result.reason.code, params: sortedParams(result.reason.params) };
    if (facts) reason.facts = facts as unknown as Json;
    if (wording) reason.wording = local(lang, wording);
    reason.text = explain(lang, result, catalogue);
    out.reason = reason;
    if (c) {
      out.computation = {
        bound: c.bound,
        formula: c.formula,
        substituted: c.substituted,
        inputs: c.inputs.map((i) => ({ name: i.name, value: i.value })),
        required: c.required,
      };
    }
  }
  const a = result.answer;
  if (a) {
    const answer: { [key: string]: Json } = { value: a.value };
    if (a.note !== undefined) answer.note = a.note;
    if (a.evidence) answer.evidence = [...a.evidence];
    if (a.responsible !== undefined) answer.responsible = a.responsible;
    out.answer = answer;
  }
  const w = result.waiver;
  if (w)
    out.waiver = {
      reason: w.reason,
      approvedBy: w.approvedBy,
      approvedOn: w.approvedOn,
      expires: w.expires,
      expired: w.expired,
    };
  if (result.deadline !== undefined) out.deadline = result.deadline;
  return out;
}

/** What every school audited against one catalogue shares: written once, at the end. */
function catalogueJson(lang: Lang, catalogue: Catalogue): Json {
  const items: { [key: string]: Json } = {};
  for (const id of Object.keys(catalogue.items).sort(compareText)) {
    const info = catalogue.items[id];
    if (!info) continue;
    items[id] = {
      checklist: info.checklistId,
      section: info.sectionId,
      title: local(lang, info.title),
      method: info.method,
      methodLabel: label(lang, 'method', info.method),
      severity: info.severity,
      severityLabel: label(lang, 'severity', info.severity),
      weight: info.weight,
      unit: info.unit ? local(lang, info.unit) : null,
      remediation: local(lang, info.remediation),
      source: sourceRef(lang, info.source),
    };
  }
  return {
    profile: {
      id: catalogue.profile.id,
      title: local(lang, catalogue.profile.title),
      version: catalogue.profile.version,
    },
    checklists: catalogue.checklists.map((cl) => ({
      id: cl.id,
      version: cl.version,
      title: local(lang, cl.title),
      passMark: cl.passMark,
      sections: cl.sections.map((sec) => ({
        id: sec.id,
        title: local(lang, sec.title),
        items: [...sec.items],
      })),
    })),
    parameters: catalogue.parameters.map((param) => ({
      name: param.name,
      value: param.value,
      unit: param.unit ? local(lang, param.unit) : null,
      title: param.title ? local(lang, param.title) : null,
      description: local(lang, param.description),
      origin: param.origin,
      profile: param.profile ? { id: param.profile.id, title: local(lang, param.profile.title) } : null,
      source: sourceRef(lang, param.source),
    })),
    items,
  };
}

function problemJson(lang: Lang, problem: Problem): Json {
  return {
    file: problem.file,
    line: problem.line ?? null,
    col: problem.col ?? null,
    code: problem.message.code,
    params: sortedParams(problem.message.params),
    message: tr(lang, problem.message),
    text: `${problemLocation(problem)} ${tr(lang, problem.message)}`,
  };
}

function figuresJson(f: CoverageFigures): Json {
  const out: { [key: string]: Json } = { district: f.district };
  for (const key of FIGURE_KEYS) out[key] = f[key];
  return out;
}

const auditJson = (a: CoverageAudit): Json => ({ file: a.file, level: a.level, date: a.date, verdict: a.verdict });

/**
 * The roster coverage (docs/report-json.md, `coverage`): figures by district, every school's
 * state. The list of schools is as long as the roster (530,000 for a national one): each is
 * made when its piece of the report is written.
 */
function coverageJson(lang: Lang, coverage: Coverage): PieceJson {
  const { district: _total, ...total } = figuresJson(coverage.total) as { [key: string]: Json };
  const { schools } = coverage;
  return {
    roster: coverage.roster,
    requireLevel: coverage.requireLevel ?? null,
    districts: coverage.districts.map(figuresJson),
    total,
    missing: schools.filter((s) => s.state === 'missing').map((s) => s.id),
    schools: new LazyList(schools.length, (i): Json => {
      const s = schools.at(i) as CoverageSchool;
      return {
        id: s.id,
        name: s.name,
        district: s.district,
        type: s.type ?? null,
        onRoster: s.onRoster,
        rosterLine: s.at?.line ?? null,
        state: STATE_CODE[s.state],
        counted: s.counted ? auditJson(s.counted) : null,
        history: s.history.map(auditJson),
      };
    }),
    warnings: coverage.warnings.map((p) => problemJson(lang, p)),
  };
}

const INVISIBLE = /[\u007f-\u009f\u2028\u2029]/;
const EVERY_INVISIBLE = new RegExp(INVISIBLE.source, 'g');

/**
 * Characters JSON.stringify leaves raw that a terminal or a JavaScript parser could trip
 * on (C1 controls such as CSI, line/paragraph separators). They only ever occur inside
 * strings, so writing them as `\uXXXX` keeps the JSON equal and the bytes inert.
 */
function escapeInvisible(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  return text.replace(
    EVERY_INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function indent(text: string, spaces: number): string {
  return text.replaceAll('\n', `\n${' '.repeat(spaces)}`);
}

/**
 * One value as JSON.stringify(value, null, 2) writes it at this depth of indentation
 * (`pad` before the line's key), invisible characters escaped; undefined for a value
 * JSON.stringify leaves out of an object.
 */
function value(v: unknown, pad: string): string | undefined {
  switch (typeof v) {
    case 'string':
      return escapeInvisible(JSON.stringify(v));
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return undefined;
    default: {
      const text = JSON.stringify(v, null, 2) as string | undefined;
      return text === undefined ? undefined : escapeInvisible(text.replaceAll('\n', `\n${pad}`));
    }
  }
}

/**
 * A member's key as JSON.stringify with an indentation of 2 writes it at `pad`: before the
 * first member of an object and before the others, made once (a school's head has some
 * eighty members, and building each key's line anew was most of its garbage).
 */
interface Key {
  pad: string;
  first: string;
  next: string;
}

const keyAt = (pad: string, name: string): Key => ({ pad, first: `\n${pad}"${name}": `, next: `,\n${pad}"${name}": ` });

/** The keys of one object's members at one indentation, by name. */
function keysAt<const N extends string>(pad: string, names: readonly N[]): Record<N, Key> {
  return Object.fromEntries(names.map((name) => [name, keyAt(pad, name)])) as Record<N, Key>;
}

/**
 * `"key": value` after what is written of an object so far (`body`, empty at its first
 * key), as JSON.stringify with an indentation of 2 writes it: a key whose value is
 * undefined is left out.
 */
function member(body: string, key: Key, v: unknown): string {
  const text = value(v, key.pad);
  return text === undefined ? body : written(body, key, text);
}

/** `"key": text`, the text already written as JSON (a list or an object). */
function written(body: string, key: Key, text: string): string {
  return body === '' ? key.first + text : body + key.next + text;
}

/** An object's members (from `member`) closed as JSON.stringify closes it. */
function closed(body: string, pad: string): string {
  return body === '' ? '{}' : `{${body}\n${pad}}`;
}

/** Array elements, each already written at `pad` + 2, closed as JSON.stringify closes a list. */
function list(elements: string[], pad: string): string {
  if (elements.length === 0) return '[]';
  const inner = `${pad}  `;
  return `[\n${inner}${elements.join(`,\n${inner}`)}\n${pad}]`;
}

// The indentation of a school's parts as an element of the report's "schools" array.
const P1 = '      ';
const P2 = '        ';
const P3 = '          ';
const P4 = '            ';

const HEAD = keysAt(P1, ['file', 'catalogue', 'school', 'audit', 'verdict', 'verdictLabel', 'decidedBy', 'counts', 'scores', 'items']);
const PROFILE = keysAt(P2, [
  'id',
  'name',
  'district',
  'type',
  'typeLabel',
  'boarding',
  'canteen',
  'students',
  'staff',
  'boarders',
  'classes',
  'address',
  'principal',
  'contact',
]);
const AUDITOR = keysAt(P4, ['name', 'org', 'role', 'text']);
const AUDIT = keysAt(P2, ['date', 'level', 'levelLabel', 'auditors', 'note']);
const DECISION = keysAt(P3, ['kind', 'id', 'status', 'severity', 'text']);
const COUNTS = keysAt(P2, ITEM_STATUSES);
const SCORE = keysAt(P3, ['checklist', 'version', 'score', 'possible', 'percent', 'passMark', 'belowPassMark']);

/**
 * A school as pretty-printed JSON (the bytes of JSON.stringify with an indentation of 2,
 * four spaces in as an element of the top-level "schools" array), except that each item
 * sits on one line: a school has a hundred items, and one line each keeps a national
 * report a readable size that still diffs item by item. Written straight from the result,
 * with no object built for it first: only the school's own values are formatted here.
 */
function schoolText(lang: Lang, school: SchoolResult, catalogue: Catalogue, catalogueKey: string): string {
  const lines = school.items.map((item) => {
    const line = itemLine(lang, item, catalogue);
    return typeof line === 'string' ? line : line.text;
  });
  return closed(written(schoolHead(lang, school, catalogue, catalogueKey), HEAD.items, list(lines, P1)), '    ');
}

/** A school's members up to its items, written as schoolText writes them. */
function schoolHead(lang: Lang, school: SchoolResult, catalogue: Catalogue, catalogueKey: string): string {
  const p = school.school;
  const a = school.audit;
  let profile = '';
  profile = member(profile, PROFILE.id, p.id);
  profile = member(profile, PROFILE.name, p.name);
  profile = member(profile, PROFILE.district, p.district);
  profile = member(profile, PROFILE.type, p.type);
  profile = member(profile, PROFILE.typeLabel, label(lang, 'schoolType', p.type));
  profile = member(profile, PROFILE.boarding, p.boarding ?? null);
  profile = member(profile, PROFILE.canteen, p.canteen ?? null);
  profile = member(profile, PROFILE.students, p.students);
  profile = member(profile, PROFILE.staff, p.staff);
  profile = member(profile, PROFILE.boarders, p.boarders ?? null);
  profile = member(profile, PROFILE.classes, p.classes ?? null);
  profile = member(profile, PROFILE.address, p.address ?? null);
  profile = member(profile, PROFILE.principal, p.principal ?? null);
  profile = member(profile, PROFILE.contact, p.contact ?? null);

  const auditors = (a.auditors ?? []).map((x) => {
    let body = '';
    if (typeof x === 'string') {
      body = member(body, AUDITOR.name, x);
      body = member(body, AUDITOR.org, null);
      body = member(body, AUDITOR.role, null);
      body = member(body, AUDITOR.text, x);
    } else {
      body = member(body, AUDITOR.name, x.name);
      body = member(body, AUDITOR.org, x.org ?? null);
      body = member(body, AUDITOR.role, x.role ?? null);
      body = member(body, AUDITOR.text, auditorText(lang, x));
    }
    return closed(body, P3);
  });
  let audit = '';
  audit = member(audit, AUDIT.date, a.date);
  audit = member(audit, AUDIT.level, a.level);
  audit = member(audit, AUDIT.levelLabel, label(lang, 'level', a.level));
  audit = written(audit, AUDIT.auditors, list(auditors, P2));
  audit = member(audit, AUDIT.note, a.note ?? null);

  const decidedBy = school.decidedBy.map((d) => {
    let body = '';
    body = member(body, DECISION.kind, d.kind);
    body = member(body, DECISION.id, d.id);
    body = member(body, DECISION.status, d.status ?? null);
    body = member(body, DECISION.severity, d.severity ?? null);
    body = member(body, DECISION.text, decisionText(lang, d, school, catalogue));
    return closed(body, P2);
  });
  let counts = '';
  for (const status of ITEM_STATUSES) counts = member(counts, COUNTS[status], school.counts[status]);
  const scores = school.scores.map((sc) => {
    let body = '';
    body = member(body, SCORE.checklist, sc.id);
    body = member(body, SCORE.version, sc.version);
    body = member(body, SCORE.score, sc.score);
    body = member(body, SCORE.possible, sc.possible);
    body = member(body, SCORE.percent, sc.percent);
    body = member(body, SCORE.passMark, sc.passMark);
    body = member(body, SCORE.belowPassMark, sc.belowPassMark);
    return closed(body, P2);
  });

  let head = '';
  head = member(head, HEAD.file, school.file);
  head = member(head, HEAD.catalogue, catalogueKey);
  head = written(head, HEAD.school, closed(profile, P1));
  head = written(head, HEAD.audit, closed(audit, P1));
  head = member(head, HEAD.verdict, school.verdict);
  head = member(head, HEAD.verdictLabel, label(lang, 'verdict', school.verdict));
  head = written(head, HEAD.decidedBy, list(decidedBy, P1));
  head = written(head, HEAD.counts, closed(counts, P1));
  head = written(head, HEAD.scores, list(scores, P1));
  return head;
}

/** Where a school's chunk is written as UTF-8 before it is copied out at its length (one per thread). */
const chunk = new Utf8Buffer();

const ITEM_FIRST = utf8.encode(`[\n${P2}`);
const ITEM_NEXT = utf8.encode(`,\n${P2}`);
const ITEMS_END = utf8.encode(`\n${P1}]\n    }`);

/**
 * The school's chunk as UTF-8, the bytes of encoding `streamJson.school`'s text: the
 * school's own parts are written straight into one buffer, and the lines every school
 * shares (a plain pass, an unanswered or not-applicable item) are copied from bytes made
 * once — no chunk-long string is built and encoded.
 */
function schoolBytes(lang: Lang, school: SchoolResult, catalogue: Catalogue, catalogueKey: string): Uint8Array {
  chunk.text(`\n    {${written(schoolHead(lang, school, catalogue, catalogueKey), HEAD.items, '')}`);
  if (school.items.length === 0) {
    chunk.text('[]\n    }');
  } else {
    let first = true;
    for (const item of school.items) {
      chunk.bytes(first ? ITEM_FIRST : ITEM_NEXT);
      first = false;
      const line = itemLine(lang, item, catalogue);
      if (typeof line === 'string') chunk.text(line);
      else chunk.bytes(line.bytes);
    }
    chunk.bytes(ITEMS_END);
  }
  const bytes = chunk.bytesFrom(0);
  // A school with megabytes of notes does not keep its buffer for the rest of the run.
  chunk.reset();
  return bytes;
}

/**
 * Streamed so a national batch never holds every school in memory: reportVersion, tool,
 * lang, then the schools as they are audited, then what they share (catalogues of
 * checklist items and parameters), the files that failed, and the summary.
 */
export const streamJson: StreamReporter = {
  begin(ctx) {
    const head = [
      `  "reportVersion": ${REPORT_VERSION}`,
      `  "tool": ${indent(JSON.stringify({ name: ctx.tool.name, version: ctx.tool.version }, null, 2), 2)}`,
      `  "lang": ${JSON.stringify(ctx.lang)}`,
      '  "schools": [',
    ];
    return `{\n${head.join(',\n')}`;
  },
  school({ result, catalogue, catalogueKey }, ctx) {
    // Items are escaped line by line (itemLine), the rest here.
    return `\n    ${schoolText(ctx.lang, result, catalogue, catalogueKey)}`;
  },
  schoolBytes({ result, catalogue, catalogueKey }, ctx) {
    return schoolBytes(ctx.lang, result, catalogue, catalogueKey);
  },
  separator: ',',
  ...inPieces(function* ({ tally, failures, catalogues, coverage }, ctx) {
    const shared: { [key: string]: Json } = {};
    for (const key of tally.catalogueKeys) {
      const catalogue = catalogues[key];
      if (catalogue) shared[key] = catalogueJson(ctx.lang, catalogue);
    }
    // The catalogues (one per set of checklists, never more than a few) in one go: written
    // member by member, their thousands of small values cost a one-school run more than its
    // school did. What follows them grows with the batch and stays in pieces.
    const tail: PieceJson = {
      failures: failures.map((f) => ({ file: f.file, problems: [...f.problems].sort(compareProblems).map((p) => problemJson(ctx.lang, p)) })),
      coverage: coverage ? coverageJson(ctx.lang, coverage) : null,
      summary: {
        schools: tally.schools,
        READY: tally.READY,
        NOT_READY: tally.NOT_READY,
        INCOMPLETE: tally.INCOMPLETE,
        failedFiles: failures.length,
      },
    };
    yield escapeInvisible(`${tally.schools > 0 ? '\n  ' : ''}],\n  "catalogues": ${indent(JSON.stringify(shared, null, 2), 2)}`);
    // `{\n  "failures": …\n}` → the remaining keys of the report object.
    let first = true;
    for (const piece of jsonPieces(tail)) {
      yield escapeInvisible(first ? `,${piece.slice(1)}` : piece);
      first = false;
    }
    yield '\n';
  }),
};

export function renderJson(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamJson, run, ctx);
}
