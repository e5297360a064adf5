/**
 * SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, GitLab, Azure DevOps,
 * SARIF viewers in editors): one run, one rule per checklist item that has a finding, one
 * result per finding, located at the answer in the school file as for the GitHub
 * annotations. A waived item is a result with an accepted suppression that carries the
 * waiver. Files that could not be audited are results of the rule `input-error`.
 *
 * Keys come in a fixed order, rules are sorted by id and results follow the schools in
 * file order, so the same run gives the same bytes.
 */
import type {
  AuditRun,
  Catalogue,
  ItemInfo,
  ItemResult,
  Problem,
  Scalar,
  SchoolResult,
} from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { explain, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { catalogueOf, compareText, orderedFailures, orderedSchools, waiverLine } from './shared.js';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The rule for files that could not be read or validated. */
export const INPUT_ERROR_RULE = 'input-error';

const INPUT_ERROR_TEXT = {
  short: { zh: '无法核验的文件', en: 'File could not be audited' },
  full: {
    zh: '学校文件无法读取，或不符合学校文件格式，未能核验。',
    en: 'The school file could not be read, or does not follow the school-file format, so it was not audited.',
  },
  help: {
    zh: '按提示的行列位置修改文件后重新核验；可先运行 reopen-audit validate 检查。',
    en: 'Fix the file at the line and column given, then audit it again; reopen-audit validate checks it first.',
  },
} satisfies Record<string, LocalText>;

type Json = Scalar | Json[] | { [key: string]: Json };
type SarifLevel = 'error' | 'warning' | 'note';

/**
 * What a finding is worth to a code-scanning dashboard; `undefined` for no finding. A waived
 * item is the failure it would be, reported with a suppression that carries the waiver.
 */
function levelOf(result: ItemResult, info: ItemInfo | undefined): SarifLevel | undefined {
  if (result.status === 'error') return 'error';
  if (result.status === 'fail' || result.status === 'waived')
    return info?.severity === 'gate' || info?.severity === 'critical' ? 'error' : 'warning';
  if (result.status === 'unanswered' && result.reason.code !== 'reason.unansweredOptional') return 'note';
  return undefined;
}

/** The default level of a rule: what a failure of the item is. */
function defaultLevel(info: ItemInfo): SarifLevel {
  return info.severity === 'gate' || info.severity === 'critical' ? 'error' : 'warning';
}

/** A relative URI reference for the file: the path as given, with forward slashes. */
function uriOf(file: string): string {
  return file.replace(/\\/g, '/');
}

function location(file: string, where: { line?: number; col?: number } | undefined): Json {
  const physical: { [key: string]: Json } = { artifactLocation: { uri: uriOf(file) } };
  if (where?.line !== undefined && where.line >= 1) {
    const region: { [key: string]: Json } = { startLine: where.line };
    if (where.col !== undefined && where.col >= 1) region.startColumn = where.col;
    physical.region = region;
  }
  return [{ physicalLocation: physical }];
}

function sentence(lang: Lang, result: ItemResult, catalogue: Catalogue): string {
  const info = catalogue.items[result.id];
  const text = explain(lang, result, catalogue);
  const title = info ? local(lang, info.title) : '';
  if (!title || text.startsWith(title)) return text;
  return `${title}${lang === 'zh' ? '：' : ': '}${text}`;
}

function itemResult(
  lang: Lang,
  school: SchoolResult,
  result: ItemResult,
  catalogue: Catalogue,
  level: SarifLevel,
  ruleIndex: number | undefined,
): Json {
  const info = catalogue.items[result.id];
  const out: { [key: string]: Json } = { ruleId: result.id };
  // An item missing from the catalogue has no rule to point at.
  if (ruleIndex !== undefined) out.ruleIndex = ruleIndex;
  const properties: { [key: string]: Json } = {
    status: result.status,
    severity: info?.severity ?? null,
    schoolId: school.school.id,
    schoolName: school.school.name,
    verdict: school.verdict,
  };
  if (result.deadline !== undefined) properties.deadline = result.deadline;
  if (result.answer?.responsible !== undefined) properties.responsible = result.answer.responsible;
  const w = result.waiver;
  if (w) properties.waiver = { reason: w.reason, approvedBy: w.approvedBy, approvedOn: w.approvedOn, expires: w.expires, expired: w.expired };
  const body: { [key: string]: Json } = {
    ...out,
    level,
    message: { text: sentence(lang, result, catalogue) },
    locations: location(school.file, result.location),
  };
  // A waiver in force is an accepted suppression; an expired one suppresses nothing.
  if (result.status === 'waived' && w) {
    body.suppressions = [{ kind: 'external', status: 'accepted', justification: waiverLine(lang, w) }];
  }
  return { ...body, properties };
}

function problemResult(lang: Lang, problem: Problem, ruleIndex: number): Json {
  return {
    ruleId: INPUT_ERROR_RULE,
    ruleIndex,
    level: 'error',
    message: { text: tr(lang, problem.message) },
    locations: location(problem.file, problem),
    properties: { code: problem.message.code },
  };
}

function itemRule(lang: Lang, info: ItemInfo): Json {
  return {
    id: info.id,
    shortDescription: { text: local(lang, info.title) },
    fullDescription: { text: local(lang, info.guidance) },
    help: { text: local(lang, info.remediation) },
    defaultConfiguration: { level: defaultLevel(info) },
    properties: { severity: info.severity, checklist: info.checklistId, method: info.method },
  };
}

function inputErrorRule(lang: Lang): Json {
  return {
    id: INPUT_ERROR_RULE,
    shortDescription: { text: INPUT_ERROR_TEXT.short[lang] },
    fullDescription: { text: INPUT_ERROR_TEXT.full[lang] },
    help: { text: INPUT_ERROR_TEXT.help[lang] },
    defaultConfiguration: { level: 'error' },
  };
}

/** C1 controls and line/paragraph separators as `\uXXXX`, as in the JSON report. */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderSarif(run: AuditRun, ctx: ReportContext): string {
  const lang = ctx.lang;
  const schools = orderedSchools(run);
  const failures = orderedFailures(run);

  // First pass: the findings and the items they belong to (first catalogue to name an item wins).
  const findings: { school: SchoolResult; result: ItemResult; catalogue: Catalogue; level: SarifLevel }[] =
    [];
  const ruleInfo = new Map<string, ItemInfo>();
  for (const { result: school, catalogueKey } of schools) {
    const catalogue = catalogueOf(run, catalogueKey);
    for (const result of school.items) {
      const info = catalogue.items[result.id];
      const level = levelOf(result, info);
      if (!level) continue;
      findings.push({ school, result, catalogue, level });
      if (info && !ruleInfo.has(result.id)) ruleInfo.set(result.id, info);
    }
  }
  const ruleIds = [...ruleInfo.keys()].sort(compareText);
  const rules: Json[] = ruleIds.map((id) => itemRule(lang, ruleInfo.get(id) as ItemInfo));
  if (failures.length > 0) rules.push(inputErrorRule(lang));
  const index = new Map(ruleIds.map((id, i) => [id, i]));

  const results: Json[] = findings.map(({ school, result, catalogue, level }) =>
    itemResult(lang, school, result, catalogue, level, index.get(result.id)),
  );
  for (const failure of failures) {
    for (const problem of failure.problems) results.push(problemResult(lang, problem, ruleIds.length));
  }

  const log: Json = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: ctx.tool.name,
            ...(ctx.tool.informationUri ? { informationUri: ctx.tool.informationUri } : {}),
            version: ctx.tool.version,
            semanticVersion: ctx.tool.version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${escapeInvisible(JSON.stringify(log, null, 2))}\n`;
}
