/**
 * The JSON report: a documented, versioned structure (docs/report-json.md) for dashboards
 * and scripts. Every object is built key by key, so keys come out in a fixed order and the
 * same run gives the same bytes. School and audit facts are `null` when absent; an item
 * lists only what it has (a plain pass is just its id, status and answer), and what items
 * share — titles, severities, remediation, parameters — is written once per catalogue.
 */
import type { AuditRun, Catalogue, ItemResult, Problem, Scalar, SchoolResult } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { auditorText, compareProblems, compareText, decisionText, problemLocation } from './shared.js';
import { renderAll, type StreamReporter } from './stream.js';
import type { Coverage, CoverageAudit, CoverageFigures, CoverageSchool } from '../model/coverage.js';
import { FIGURE_KEYS, STATE_CODE } from './coverage.js';
import { jsonPieces, LazyList, type PieceJson } from './json-pieces.js';

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
 */
const sharedLines = new WeakMap<Catalogue, Map<string, string>>();
const SHARED_LINES_LIMIT = 4096;

/**
 * One item as a line of JSON, with invisible characters escaped. The common case — a plain
 * pass with a bare answer — is written directly (ids are plain ASCII); anything else goes
 * through JSON.stringify.
 */
function itemLine(lang: Lang, result: ItemResult, catalogue: Catalogue): string {
  const a = result.answer;
  const plain = !result.computation && !result.waiver && result.deadline === undefined;
  if (plain && result.status === 'pass' && a && a.note === undefined && a.evidence === undefined && a.responsible === undefined) {
    const value = typeof a.value === 'string' ? escapeInvisible(JSON.stringify(a.value)) : String(a.value);
    return `{"id":"${result.id}","status":"pass","answer":{"value":${value}}}`;
  }
  if (plain && !a) {
    let lines = sharedLines.get(catalogue);
    if (!lines) {
      lines = new Map();
      sharedLines.set(catalogue, lines);
    }
    const key = `${lang}\u0000${result.id}\u0000${result.status}\u0000${result.reason.code}\u0000${JSON.stringify(result.reason.params ?? null)}`;
    let line = lines.get(key);
    if (line === undefined) {
      line = escapeInvisible(JSON.stringify(itemJson(lang, result, catalogue)));
      if (lines.size >= SHARED_LINES_LIMIT) lines.clear();
      lines.set(key, line);
    }
    return line;
  }
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

function schoolJson(
  lang: Lang,
  school: SchoolResult,
  catalogue: Catalogue,
  catalogueKey: string,
): { [key: string]: Json } {
  const p = school.school;
  const a = school.audit;
  const counts: { [key: string]: Json } = {};
  for (const status of ITEM_STATUSES) counts[status] = school.counts[status];
  return {
    file: school.file,
    catalogue: catalogueKey,
    school: {
      id: p.id,
      name: p.name,
      district: p.district,
      type: p.type,
      typeLabel: label(lang, 'schoolType', p.type),
      boarding: p.boarding ?? null,
      canteen: p.canteen ?? null,
      students: p.students,
      staff: p.staff,
      boarders: p.boarders ?? null,
      classes: p.classes ?? null,
      address: p.address ?? null,
      principal: p.principal ?? null,
      contact: p.contact ?? null,
    },
    audit: {
      date: a.date,
      level: a.level,
      levelLabel: label(lang, 'level', a.level),
      auditors: (a.auditors ?? []).map((x) =>
        typeof x === 'string'
          ? { name: x, org: null, role: null, text: x }
          : { name: x.name, org: x.org ?? null, role: x.role ?? null, text: auditorText(lang, x) },
      ),
      note: a.note ?? null,
    },
    verdict: school.verdict,
    verdictLabel: label(lang, 'verdict', school.verdict),
    decidedBy: school.decidedBy.map((d) => ({
      kind: d.kind,
      id: d.id,
      status: d.status ?? null,
      severity: d.severity ?? null,
      text: decisionText(lang, d, school, catalogue),
    })),
    counts,
    scores: school.scores.map((sc) => ({
      checklist: sc.id,
      version: sc.version,
      score: sc.score,
      possible: sc.possible,
      percent: sc.percent,
      passMark: sc.passMark,
      belowPassMark: sc.belowPassMark,
    })),
    items: school.items.map((item) => itemLine(lang, item, catalogue)),
  };
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
 * A school as pretty-printed JSON, except that each item sits on one line: a school has a
 * hundred items, and one line each keeps a national report a readable size that still
 * diffs item by item.
 */
function schoolText(school: { [key: string]: Json }): string {
  const { items, ...rest } = school;
  // As an element of the top-level "schools" array: four spaces in, items eight.
  const head = escapeInvisible(indent(JSON.stringify(rest, null, 2).slice(0, -2), 4));
  const lines = items as string[];
  const body = lines.length > 0 ? `[\n        ${lines.join(',\n        ')}\n      ]` : '[]';
  return `${head},\n      "items": ${body}\n    }`;
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
    return `\n    ${schoolText(schoolJson(ctx.lang, result, catalogue, catalogueKey))}`;
  },
  separator: ',',
  *endPieces({ tally, failures, catalogues, coverage }, ctx) {
    const shared: { [key: string]: Json } = {};
    for (const key of tally.catalogueKeys) {
      const catalogue = catalogues[key];
      if (catalogue) shared[key] = catalogueJson(ctx.lang, catalogue);
    }
    const tail: PieceJson = {
      catalogues: shared,
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
    // `{\n  "catalogues": …\n}` → the remaining keys of the report object.
    let first = true;
    for (const piece of jsonPieces(tail)) {
      yield escapeInvisible(first ? `${tally.schools > 0 ? '\n  ' : ''}],\n${piece.slice(2)}` : piece);
      first = false;
    }
    yield '\n';
  },
  end(summary, ctx) {
    return [...(this.endPieces?.(summary, ctx) ?? [])].join('');
  },
};

export function renderJson(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamJson, run, ctx);
}
