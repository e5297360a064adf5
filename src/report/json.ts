/**
 * The JSON report: a documented, versioned structure (docs/report-json.md) for dashboards
 * and scripts. Every object is built key by key, so keys come out in a fixed order and the
 * same run gives the same bytes. Optional facts are `null`, never missing, so every school
 * and item has the same shape.
 */
import type { AuditRun, Catalogue, ItemResult, Problem, Scalar, SchoolResult } from '../model/result.js';
import { ITEM_STATUSES } from '../model/result.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './index.js';
import { auditorText, compareText, decisionText, problemLocation } from './shared.js';
import { renderAll, type StreamReporter } from './stream.js';

/** Bump when a field is renamed, removed or changes meaning; adding a field does not. */
export const REPORT_VERSION = 1;

type Json = Scalar | Json[] | { [key: string]: Json };

/** Parameters from the engine as an object with sorted keys. */
function sortedParams(params: Record<string, Scalar> | undefined): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(params ?? {}).sort(compareText)) out[key] = params?.[key] ?? null;
  return out;
}

function sourceRef(
  lang: Lang,
  ref: { ref: string; section?: string; note?: { zh: string; en: string } } | undefined,
): Json {
  if (!ref) return null;
  return { ref: ref.ref, section: ref.section ?? null, note: ref.note ? local(lang, ref.note) : null };
}

function itemJson(
  lang: Lang,
  result: ItemResult,
  catalogue: Catalogue,
  where: Map<string, { checklist: string; section: string }>,
): Json {
  const info = catalogue.items[result.id];
  const place = where.get(result.id);
  const c = result.computation;
  const a = result.answer;
  const w = result.waiver;
  return {
    id: result.id,
    checklist: place?.checklist ?? info?.checklistId ?? null,
    section: place?.section ?? info?.sectionId ?? null,
    title: info ? local(lang, info.title) : result.id,
    method: info?.method ?? null,
    severity: info?.severity ?? null,
    weight: info?.weight ?? null,
    status: result.status,
    statusLabel: label(lang, 'status', result.status),
    reason: {
      code: result.reason.code,
      params: sortedParams(result.reason.params),
      text: explain(lang, result, info),
    },
    computation: c
      ? {
          bound: c.bound,
          formula: c.formula,
          substituted: c.substituted,
          inputs: c.inputs.map((i) => ({ name: i.name, value: i.value })),
          required: c.required,
        }
      : null,
    answer: a
      ? {
          value: a.value,
          note: a.note ?? null,
          evidence: a.evidence ? [...a.evidence] : [],
          responsible: a.responsible ?? null,
        }
      : null,
    waiver: w
      ? {
          reason: w.reason,
          approvedBy: w.approvedBy,
          approvedOn: w.approvedOn,
          expires: w.expires,
          expired: w.expired,
        }
      : null,
    remediation: info ? local(lang, info.remediation) : null,
  };
}

function schoolJson(lang: Lang, school: SchoolResult, catalogue: Catalogue): Json {
  const p = school.school;
  const a = school.audit;
  const where = new Map<string, { checklist: string; section: string }>();
  for (const cl of catalogue.checklists) {
    for (const section of cl.sections)
      for (const id of section.items) where.set(id, { checklist: cl.id, section: section.id });
  }
  const titles = new Map(catalogue.checklists.map((cl) => [cl.id, local(lang, cl.title)]));
  const counts: { [key: string]: Json } = {};
  for (const status of ITEM_STATUSES) counts[status] = school.counts[status];
  return {
    file: school.file,
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
    profile: {
      id: school.profileId,
      title: local(lang, catalogue.profile.title) || null,
      version: catalogue.profile.version,
    },
    checklists: school.scores.map((sc) => ({
      id: sc.id,
      version: sc.version,
      title: titles.get(sc.id) ?? null,
      score: sc.score,
      possible: sc.possible,
      percent: sc.percent,
      passMark: sc.passMark,
      belowPassMark: sc.belowPassMark,
    })),
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
    items: school.items.map((item) => itemJson(lang, item, catalogue, where)),
    parameters: catalogue.parameters.map((param) => ({
      name: param.name,
      value: param.value,
      unit: param.unit ? local(lang, param.unit) : null,
      description: local(lang, param.description),
      origin: param.origin,
      source: sourceRef(lang, param.source),
    })),
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

/**
 * Characters JSON.stringify leaves raw that a terminal or a JavaScript parser could trip
 * on (C1 controls such as CSI, line/paragraph separators). They only ever occur inside
 * strings, so writing them as `\uXXXX` keeps the JSON equal and the bytes inert.
 */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.replace(/\n/g, `\n${pad}`);
}

/**
 * Streamed so a national batch never holds every school in memory; the bytes are exactly
 * those of `JSON.stringify(report, null, 2)` for keys in this order: reportVersion, tool,
 * lang, schools, failures, summary.
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
  school({ result, catalogue }, ctx) {
    return `\n    ${escapeInvisible(indent(JSON.stringify(schoolJson(ctx.lang, result, catalogue), null, 2), 4))}`;
  },
  separator: ',',
  end({ rows, failures }, ctx) {
    const count = (verdict: SchoolResult['verdict']) => rows.filter((r) => r.verdict === verdict).length;
    const tail: Json = {
      failures: failures.map((f) => ({ file: f.file, problems: f.problems.map((p) => problemJson(ctx.lang, p)) })),
      summary: {
        schools: rows.length,
        READY: count('READY'),
        NOT_READY: count('NOT_READY'),
        INCOMPLETE: count('INCOMPLETE'),
        failedFiles: failures.length,
      },
    };
    const body = escapeInvisible(JSON.stringify(tail, null, 2));
    // `{\n  "failures": …\n}` → the remaining keys of the report object.
    return `${rows.length > 0 ? '\n  ' : ''}],\n${body.slice(2)}\n`;
  },
};

export function renderJson(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamJson, run, ctx);
}
