/**
 * The rectification follow-up as JSON, for scripts and dashboards (docs/workflow.md):
 * `compareVersion`, the tool, the language, one entry per school compared (both audits,
 * the outcome, the counts, and every item that changed), the schools without a pair, the
 * files that could not be read, and a summary. Keys come in a fixed order and items in
 * the comparison's order, so the same input gives the same bytes.
 */
import type { AuditedSchool, ItemComparison, SchoolComparison } from '../index.js';
import { CHANGES, itemInfo, leftOpen } from '../index.js';
import type { Catalogue, ItemResult, Problem, Scalar } from '../../model/result.js';
import { explain, label, local, tr, type Lang } from '../../i18n/index.js';
import type { ReportContext } from '../../report/context.js';
import { auditorText, compareText, problemLocation } from '../../report/shared.js';
import { changeLabel, outcomeLabel, type CompareRun } from './common.js';

/** Bump when a field is renamed, removed or changes meaning; adding a field does not. */
export const COMPARE_VERSION = 1;

type Json = Scalar | Json[] | { [key: string]: Json };

function auditJson(lang: Lang, school: AuditedSchool): Json {
  const r = school.result;
  return {
    file: r.file,
    date: r.audit.date,
    level: r.audit.level,
    levelLabel: label(lang, 'level', r.audit.level),
    auditors: (r.audit.auditors ?? []).map((a) =>
      typeof a === 'string'
        ? { name: a, org: null, role: null, text: a }
        : { name: a.name, org: a.org ?? null, role: a.role ?? null, text: auditorText(lang, a) },
    ),
    profile: r.profileId,
    verdict: r.verdict,
    verdictLabel: label(lang, 'verdict', r.verdict),
    failed: r.counts.fail,
  };
}

function sideJson(lang: Lang, result: ItemResult | undefined, catalogue: Catalogue): Json {
  if (!result) return null;
  return {
    status: result.status,
    value: result.answer?.value ?? null,
    text: explain(lang, result, catalogue),
    deadline: result.deadline ?? null,
    responsible: result.answer?.responsible ?? null,
  };
}

function itemJson(lang: Lang, cmp: SchoolComparison, item: ItemComparison): Json {
  const info = itemInfo(cmp, item.id);
  const waiver = item.after?.waiver;
  return {
    id: item.id,
    title: info ? local(lang, info.title) : null,
    severity: info?.severity ?? null,
    change: item.change,
    changeLabel: changeLabel(lang, item.change),
    answerChanged: item.answerChanged,
    newlyApplicable: item.newlyApplicable,
    overdueDays: item.overdueDays ?? null,
    before: sideJson(lang, item.before, cmp.before.catalogue),
    after: sideJson(lang, item.after, cmp.after.catalogue),
    waiver: waiver
      ? {
          reason: waiver.reason,
          approvedBy: waiver.approvedBy,
          approvedOn: waiver.approvedOn,
          expires: waiver.expires,
          expired: waiver.expired,
        }
      : null,
    remediation: info ? local(lang, info.remediation) : null,
  };
}

function schoolJson(lang: Lang, cmp: SchoolComparison): Json {
  const p = cmp.after.result.school;
  const counts: { [key: string]: Json } = {};
  for (const change of CHANGES) counts[change] = cmp.counts[change];
  counts.overdue = cmp.counts.overdue;
  counts.answersChanged = cmp.counts.answersChanged;
  return {
    school: {
      id: p.id,
      name: p.name,
      district: p.district,
      type: p.type,
      typeLabel: label(lang, 'schoolType', p.type),
    },
    outcome: cmp.outcome,
    outcomeLabel: outcomeLabel(lang, cmp.outcome),
    before: auditJson(lang, cmp.before),
    after: auditJson(lang, cmp.after),
    counts,
    // Unchanged items whose answer did not change either are left out: they are in the audits.
    items: cmp.items
      .filter((i) => i.change !== 'unchanged' || i.answerChanged)
      .map((i) => itemJson(lang, cmp, i)),
  };
}

function unpairedJson(lang: Lang, school: AuditedSchool): Json {
  const r = school.result;
  return {
    file: r.file,
    id: r.school.id,
    name: r.school.name,
    date: r.audit.date,
    level: r.audit.level,
    verdict: r.verdict,
    failed: r.counts.fail,
    leftOpen: leftOpen(school),
    verdictLabel: label(lang, 'verdict', r.verdict),
  };
}

function problemJson(lang: Lang, problem: Problem): Json {
  return {
    file: problem.file,
    line: problem.line ?? null,
    col: problem.col ?? null,
    code: problem.message.code,
    message: tr(lang, problem.message),
    text: `${problemLocation(problem)} ${tr(lang, problem.message)}`,
  };
}

/** Characters a terminal or a JavaScript parser could trip on, as `\uXXXX` (as in the audit report). */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderCompareJson(run: CompareRun, ctx: ReportContext): string {
  const { lang } = ctx;
  const { schools, unpaired } = run.comparison;
  const failures = [...run.failures].sort((a, b) => compareText(a.file, b.file));
  const doc: Json = {
    compareVersion: COMPARE_VERSION,
    tool: { name: ctx.tool.name, version: ctx.tool.version },
    lang,
    schools: schools.map((cmp) => schoolJson(lang, cmp)),
    unpaired: {
      before: unpaired.before.map((x) => unpairedJson(lang, x)),
      after: unpaired.after.map((x) => unpairedJson(lang, x)),
    },
    failures: failures.map((f) => ({ file: f.file, problems: f.problems.map((p) => problemJson(lang, p)) })),
    summary: {
      schools: schools.length,
      RECTIFIED: schools.filter((x) => x.outcome === 'RECTIFIED').length,
      NOT_RECTIFIED: schools.filter((x) => x.outcome === 'NOT_RECTIFIED').length,
      unpairedBefore: unpaired.before.length,
      unpairedAfter: unpaired.after.length,
      failedFiles: failures.length,
    },
  };
  return `${escapeInvisible(JSON.stringify(doc, null, 2))}\n`;
}
