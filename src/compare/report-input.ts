/**
 * A JSON report written by `audit --format json` (docs/report-json.md) → the audited
 * schools it holds, so `compare` can work from archived reports as well as from school
 * files. Pure: text in, schools or located problems out; nothing here throws on bad input.
 *
 * The report is in one language, so the titles and remediation read back from it are that
 * language's, whatever `--lang` the comparison is written in.
 */
import type {
  AnswerRecord,
  Catalogue,
  ChecklistScore,
  Computation,
  Decision,
  Fact,
  ItemInfo,
  ItemResult,
  ItemStatus,
  ParameterInfo,
  Problem,
  Reason,
  Scalar,
  SchoolResult,
  StatusCounts,
  Term,
} from '../model/result.js';
import { FACT_OPS, ITEM_STATUSES } from '../model/result.js';
import {
  LEVELS,
  METHODS,
  SCHOOL_TYPES,
  SEVERITIES,
  type AuditMeta,
  type LocalText,
  type Method,
  type SchoolProfile,
  type Severity,
} from '../model/schema.js';
import type { AuditedSchool } from './index.js';

/**
 * The report versions this reader understands (src/report/json.ts REPORT_VERSION): 2 added
 * the roster `coverage` block and left `schools` and `catalogues` as they were in 1.
 */
export const READABLE_REPORT_VERSIONS: readonly number[] = [1, 2];

type Obj = Record<string, unknown>;

/** Thrown inside the reader only, caught at its edge and turned into a problem. */
class NotAReport extends Error {
  constructor(readonly reason: Reason) {
    super(reason.code);
  }
}

const notReport = (where: string): never => {
  throw new NotAReport({ code: 'compare.notReport', params: { detail: where } });
};

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function obj(v: unknown, where: string): Obj {
  return isObj(v) ? v : notReport(where);
}

function list(v: unknown, where: string): unknown[] {
  return Array.isArray(v) ? v : notReport(where);
}

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : notReport(`${where}.${key}`);
}

function optStr(o: Obj, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function num(o: Obj, key: string, where: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : notReport(`${where}.${key}`);
}

function optNum(o: Obj, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function optBool(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

function oneOf<T extends string>(values: readonly T[], v: unknown, where: string): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : notReport(where);
}

function scalar(v: unknown): Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

/** A text of the report's one language, standing for both. */
function both(text: string): LocalText {
  return { zh: text, en: text };
}

function termOf(v: unknown): Term | undefined {
  if (!isObj(v)) return undefined;
  const term: Term = { value: scalar(v.value) };
  if (typeof v.name === 'string') term.name = v.name;
  if (typeof v.sum === 'string') term.sum = v.sum;
  if (Array.isArray(v.list)) term.list = v.list.map(scalar);
  return term;
}

/** The facts of a reason as the JSON report gives them; anything malformed drops them all. */
function factsOf(v: unknown): Fact[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const facts: Fact[] = [];
  for (const f of v) {
    if (!isObj(f) || !(FACT_OPS as readonly unknown[]).includes(f.op)) return undefined;
    const left = termOf(f.left);
    const right = f.right === undefined ? undefined : termOf(f.right);
    if (!left || (f.right !== undefined && !right)) return undefined;
    facts.push(right ? { op: f.op as Fact['op'], left, right } : { op: f.op as Fact['op'], left });
  }
  return facts;
}

function reasonOf(v: unknown, status: ItemStatus): Reason {
  if (status === 'pass' && !isObj(v)) return { code: 'reason.pass' };
  const o = obj(v, 'reason');
  const params: Record<string, Scalar> = {};
  if (isObj(o.params)) for (const [k, p] of Object.entries(o.params)) params[k] = scalar(p);
  const reason: Reason = { code: str(o, 'code', 'reason'), params };
  const facts = factsOf(o.facts);
  if (facts) reason.facts = facts;
  const wording = optStr(o, 'wording');
  if (wording !== undefined) reason.wording = both(wording);
  return reason;
}

function computationOf(v: unknown): Computation | undefined {
  if (!isObj(v)) return undefined;
  const inputs = Array.isArray(v.inputs)
    ? v.inputs.filter(isObj).map((i) => ({ name: String(i.name ?? ''), value: scalar(i.value) }))
    : [];
  return {
    bound: String(v.bound ?? ''),
    formula: String(v.formula ?? ''),
    substituted: String(v.substituted ?? ''),
    inputs,
    required: scalar(v.required),
  };
}

function answerOf(v: unknown): AnswerRecord | undefined {
  if (!isObj(v)) return undefined;
  const answer: AnswerRecord = { value: scalar(v.value) };
  const note = optStr(v, 'note');
  if (note !== undefined) answer.note = note;
  if (Array.isArray(v.evidence))
    answer.evidence = v.evidence.filter((e): e is string => typeof e === 'string');
  const responsible = optStr(v, 'responsible');
  if (responsible !== undefined) answer.responsible = responsible;
  return answer;
}

function itemOf(v: unknown, where: string): ItemResult {
  const o = obj(v, where);
  const status = oneOf(ITEM_STATUSES, o.status, `${where}.status`);
  const item: ItemResult = { id: str(o, 'id', where), status, reason: reasonOf(o.reason, status) };
  const computation = computationOf(o.computation);
  if (computation) item.computation = computation;
  const answer = answerOf(o.answer);
  if (answer) item.answer = answer;
  if (isObj(o.waiver)) {
    const w = o.waiver;
    item.waiver = {
      reason: String(w.reason ?? ''),
      approvedBy: String(w.approvedBy ?? ''),
      approvedOn: String(w.approvedOn ?? ''),
      expires: String(w.expires ?? ''),
      expired: w.expired === true,
    };
  }
  const deadline = optStr(o, 'deadline');
  if (deadline !== undefined) item.deadline = deadline;
  return item;
}

function auditorsOf(v: unknown): AuditMeta['auditors'] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((a) => {
    const name = String(a.name ?? '');
    const org = optStr(a, 'org');
    const role = optStr(a, 'role');
    if (org === undefined && role === undefined) return name;
    return { name, ...(org !== undefined ? { org } : {}), ...(role !== undefined ? { role } : {}) };
  });
}

function schoolOf(v: unknown, where: string, profileId: string): SchoolResult {
  const o = obj(v, where);
  const p = obj(o.school, `${where}.school`);
  const a = obj(o.audit, `${where}.audit`);
  const profile: SchoolProfile = {
    id: str(p, 'id', `${where}.school`),
    name: str(p, 'name', `${where}.school`),
    district: str(p, 'district', `${where}.school`),
    type: oneOf(SCHOOL_TYPES, p.type, `${where}.school.type`),
    students: num(p, 'students', `${where}.school`),
    staff: num(p, 'staff', `${where}.school`),
  };
  const optional = {
    boarding: optBool(p, 'boarding'),
    canteen: optBool(p, 'canteen'),
    boarders: optNum(p, 'boarders'),
    classes: optNum(p, 'classes'),
    address: optStr(p, 'address'),
    principal: optStr(p, 'principal'),
    contact: optStr(p, 'contact'),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(profile, { [key]: value });
  const audit: AuditMeta = {
    date: str(a, 'date', `${where}.audit`),
    level: oneOf(LEVELS, a.level, `${where}.audit.level`),
    auditors: auditorsOf(a.auditors),
  };
  const note = optStr(a, 'note');
  if (note !== undefined) audit.note = note;
  const countsIn = isObj(o.counts) ? o.counts : {};
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, optNum(countsIn, s) ?? 0])) as StatusCounts;
  const decidedBy: Decision[] = (Array.isArray(o.decidedBy) ? o.decidedBy : []).filter(isObj).map((d) => {
    const decision: Decision = { id: String(d.id ?? ''), kind: d.kind === 'score' ? 'score' : 'item' };
    if (typeof d.status === 'string' && (ITEM_STATUSES as readonly string[]).includes(d.status))
      decision.status = d.status as ItemStatus;
    if (typeof d.severity === 'string' && (SEVERITIES as readonly string[]).includes(d.severity))
      decision.severity = d.severity as Severity;
    return decision;
  });
  const scores: ChecklistScore[] = (Array.isArray(o.scores) ? o.scores : []).filter(isObj).map((sc) => ({
    id: String(sc.checklist ?? ''),
    version: String(sc.version ?? ''),
    score: optNum(sc, 'score') ?? 0,
    possible: optNum(sc, 'possible') ?? 0,
    percent: optNum(sc, 'percent') ?? null,
    passMark: optNum(sc, 'passMark') ?? null,
    belowPassMark: sc.belowPassMark === true,
  }));
  return {
    file: str(o, 'file', where),
    school: profile,
    audit,
    profileId,
    verdict: oneOf(['READY', 'NOT_READY', 'INCOMPLETE'] as const, o.verdict, `${where}.verdict`),
    decidedBy,
    scores,
    counts,
    items: list(o.items, `${where}.items`).map((item, i) => itemOf(item, `${where}.items[${i}]`)),
  };
}

function catalogueOf(v: unknown, where: string): Catalogue {
  const o = obj(v, where);
  const profile = isObj(o.profile) ? o.profile : {};
  const items: Record<string, ItemInfo> = {};
  for (const [id, raw] of Object.entries(isObj(o.items) ? o.items : {})) {
    if (!isObj(raw)) continue;
    const unit = optStr(raw, 'unit');
    const info: ItemInfo = {
      id,
      checklistId: String(raw.checklist ?? ''),
      sectionId: String(raw.section ?? ''),
      title: both(String(raw.title ?? id)),
      method: (METHODS as readonly string[]).includes(String(raw.method))
        ? (raw.method as Method)
        : 'document_review',
      guidance: both(''),
      severity: (SEVERITIES as readonly string[]).includes(String(raw.severity))
        ? (raw.severity as Severity)
        : 'advisory',
      weight: optNum(raw, 'weight') ?? 1,
      remediation: both(String(raw.remediation ?? '')),
      source: { ref: isObj(raw.source) && typeof raw.source.ref === 'string' ? raw.source.ref : 'unsourced' },
    };
    if (unit !== undefined) info.unit = both(unit);
    items[id] = info;
  }
  const parameters: ParameterInfo[] = (Array.isArray(o.parameters) ? o.parameters : [])
    .filter(isObj)
    .map((p) => {
      const unit = optStr(p, 'unit');
      const origin = p.origin === 'profile' || p.origin === 'cli' ? p.origin : 'default';
      const param: ParameterInfo = {
        name: String(p.name ?? ''),
        value: scalar(p.value),
        description: both(String(p.description ?? '')),
        origin,
      };
      if (unit !== undefined) param.unit = both(unit);
      const title = optStr(p, 'title');
      if (title !== undefined) param.title = both(title);
      if (isObj(p.profile) && typeof p.profile.id === 'string') param.profile = { id: p.profile.id, title: both(String(p.profile.title ?? '')) };
      return param;
    });
  return {
    profile: {
      id: String(profile.id ?? ''),
      title: both(String(profile.title ?? '')),
      version: optStr(profile, 'version') ?? null,
    },
    checklists: (Array.isArray(o.checklists) ? o.checklists : []).filter(isObj).map((cl) => ({
      id: String(cl.id ?? ''),
      version: String(cl.version ?? ''),
      title: both(String(cl.title ?? '')),
      passMark: optNum(cl, 'passMark') ?? null,
      sources: [],
      sections: (Array.isArray(cl.sections) ? cl.sections : []).filter(isObj).map((sec) => ({
        id: String(sec.id ?? ''),
        title: both(String(sec.title ?? '')),
        items: Array.isArray(sec.items) ? sec.items.filter((i): i is string => typeof i === 'string') : [],
      })),
    })),
    items,
    parameters,
  };
}

/** Where in the text a JSON.parse error points, when its message says (`at position 42`). */
function jsonErrorAt(text: string, message: string): { line: number; col: number } | undefined {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), col: Number(lineCol[2]) };
  const position =
    /position (\d+)/.exec(message)?.[1] ??
    (/end of JSON input/.test(message) ? String(text.length) : undefined);
  if (position === undefined) return undefined;
  const before = text.slice(0, Number(position));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Whether a file's text is a JSON report rather than a YAML school file. */
export function looksLikeJsonReport(file: string, text: string): boolean {
  return /\.json$/i.test(file) || text.trimStart().startsWith('{');
}

export function schoolsFromReport(
  file: string,
  text: string,
): { ok: true; schools: AuditedSchool[] } | { ok: false; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [
        { file, ...jsonErrorAt(text, detail), message: { code: 'compare.badJson', params: { detail } } },
      ],
    };
  }
  try {
    const report = obj(data, 'top level');
    if (typeof report.reportVersion !== 'number' || !READABLE_REPORT_VERSIONS.includes(report.reportVersion)) {
      if (report.reportVersion === undefined) notReport('reportVersion');
      throw new NotAReport({
        code: 'compare.reportVersion',
        params: { version: scalar(report.reportVersion), supported: READABLE_REPORT_VERSIONS.join(', ') },
      });
    }
    const catalogues = obj(report.catalogues, 'catalogues');
    const schools = list(report.schools, 'schools').map((raw, i): AuditedSchool => {
      const where = `schools[${i}]`;
      const key = str(obj(raw, where), 'catalogue', where);
      const catalogue = catalogueOf(catalogues[key], `catalogues.${key}`);
      return { result: schoolOf(raw, where, catalogue.profile.id), catalogue };
    });
    return { ok: true, schools };
  } catch (error) {
    if (error instanceof NotAReport) return { ok: false, problems: [{ file, message: error.reason }] };
    throw error;
  }
}
