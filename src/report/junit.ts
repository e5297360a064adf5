/**
 * The JUnit XML report, for CI test dashboards (Jenkins, GitLab, Azure DevOps, test-report
 * actions): a test suite per school, a test case per item. A failing item is a failure
 * carrying its reason, an item the tool could not evaluate is an error, an item that does
 * not count (not applicable, waived, optional and unanswered) is skipped, and a required
 * item nobody answered is a failure of type `unanswered`: the school cannot be declared
 * ready until it is checked. Files that could not be audited are suites of errors.
 *
 * No timestamps or durations: the same run gives the same bytes.
 */
import type {
  AuditRun,
  Catalogue,
  FileFailure,
  ItemInfo,
  ItemResult,
  SchoolResult,
} from '../model/result.js';
import { formatScalar } from '../expr/index.js';
import { explain, label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './index.js';
import { decisionText, formatProblem, orderedFailures, problemLocation } from './shared.js';
import { renderAll, type StreamReporter } from './stream.js';
import { openTag, xmlText } from './xml.js';

const WORDS = {
  reason: { zh: '说明', en: 'Reason' },
  formula: { zh: '公式', en: 'Formula' },
  actual: { zh: '实际值', en: 'Actual' },
  note: { zh: '备注', en: 'Note' },
  remediation: { zh: '整改建议', en: 'Remediation' },
  location: { zh: '位置', en: 'Location' },
  verdict: { zh: '核验结论', en: 'Verdict' },
  decidedBy: { zh: '判定依据', en: 'Decided by' },
} as const;

type Word = keyof typeof WORDS;

/** Item outcomes as JUnit sees them. */
type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error' | 'skipped'; type: string; message: string };

/** An unanswered item counts against the school unless the checklist marks it optional. */
function isRequired(result: ItemResult): boolean {
  return result.reason.code !== 'reason.unansweredOptional';
}

function outcomeOf(lang: Lang, result: ItemResult, info: ItemInfo | undefined): Outcome {
  const sentence = explain(lang, result, info);
  const title = info ? local(lang, info.title) : '';
  const severity = info ? label(lang, 'severity', info.severity) : '';
  // Dashboards often show the message alone: it names the severity and the item.
  const named =
    title && !sentence.startsWith(title) ? `${title}${lang === 'zh' ? '：' : ': '}${sentence}` : sentence;
  const message = severity ? (lang === 'zh' ? `【${severity}】${named}` : `[${severity}] ${named}`) : named;
  switch (result.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      return { kind: 'failure', type: 'fail', message };
    case 'error':
      return { kind: 'error', type: 'error', message };
    case 'unanswered':
      return isRequired(result)
        ? { kind: 'failure', type: 'unanswered', message }
        : { kind: 'skipped', type: 'unanswered', message: sentence };
    case 'waived':
    case 'not_applicable':
      return { kind: 'skipped', type: result.status, message: sentence };
  }
}

/** The body of a failure or error: everything a person needs to fix it, one fact a line. */
function detail(lang: Lang, file: string, result: ItemResult, info: ItemInfo | undefined): string {
  const sep = lang === 'zh' ? '：' : ': ';
  const line = (word: Word, text: string) => `${WORDS[word][lang]}${sep}${text}`;
  const lines = [line('reason', explain(lang, result, info))];
  const c = result.computation;
  if (c) {
    const inputs = c.inputs
      .map((i) => `${i.name} = ${formatScalar(i.value)}`)
      .join(lang === 'zh' ? '，' : ', ');
    lines.push(line('formula', inputs ? `${c.formula} (${inputs})` : c.formula));
  }
  const answer = result.answer;
  if (answer && answer.value !== null) {
    const value =
      typeof answer.value === 'boolean' ? label(lang, 'yesNo', String(answer.value)) : String(answer.value);
    lines.push(line('actual', value));
  }
  if (answer?.note) lines.push(line('note', answer.note));
  if (info) lines.push(line('remediation', local(lang, info.remediation)));
  if (result.location) lines.push(line('location', `${file}:${result.location.line}:${result.location.col}`));
  return lines.join('\n');
}

function testcase(lang: Lang, school: SchoolResult, result: ItemResult, catalogue: Catalogue): string[] {
  const info = catalogue.items[result.id];
  const title = info ? local(lang, info.title) : '';
  const open = (selfClosing: boolean) =>
    openTag(
      'testcase',
      [
        ['classname', info?.checklistId ?? ''],
        ['name', title ? `${result.id} ${title}` : result.id],
        ['file', school.file],
        ['line', result.location?.line],
      ],
      selfClosing,
    );
  const outcome = outcomeOf(lang, result, info);
  if (outcome.kind === 'pass') return [`    ${open(true)}`];
  const child =
    outcome.kind === 'skipped'
      ? openTag('skipped', [['message', outcome.message]], true)
      : `${openTag(outcome.kind, [
          ['message', outcome.message],
          ['type', outcome.type],
        ])}${xmlText(detail(lang, school.file, result, info))}</${outcome.kind}>`;
  return [`    ${open(false)}`, `      ${child}`, '    </testcase>'];
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function tallyItems(lang: Lang, school: SchoolResult, catalogue: Catalogue): Tally {
  const tally: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const result of school.items) {
    const kind = outcomeOf(lang, result, catalogue.items[result.id]).kind;
    tally.tests++;
    if (kind === 'failure') tally.failures++;
    else if (kind === 'error') tally.errors++;
    else if (kind === 'skipped') tally.skipped++;
  }
  return tally;
}

function counts(tally: Tally): [string, number][] {
  return [
    ['tests', tally.tests],
    ['failures', tally.failures],
    ['errors', tally.errors],
    ['skipped', tally.skipped],
  ];
}

function schoolSuite(lang: Lang, school: SchoolResult, catalogue: Catalogue, tally: Tally): string[] {
  const p = school.school;
  const name = lang === 'zh' ? `${p.name}（${p.id}）` : `${p.name} (${p.id})`;
  const properties: [string, string][] = [
    ['school.id', p.id],
    ['school.name', p.name],
    ['school.district', p.district],
    ['school.type', p.type],
    ['audit.date', school.audit.date],
    ['audit.level', school.audit.level],
    ['profile', school.profileId],
    ['verdict', school.verdict],
  ];
  const sep = lang === 'zh' ? '：' : ': ';
  const out = [
    `  ${openTag('testsuite', [['name', name], ...counts(tally), ['file', school.file]])}`,
    '    <properties>',
  ];
  for (const [key, value] of properties) {
    out.push(
      `      ${openTag(
        'property',
        [
          ['name', key],
          ['value', value],
        ],
        true,
      )}`,
    );
  }
  out.push('    </properties>');
  for (const result of school.items) out.push(...testcase(lang, school, result, catalogue));
  // The verdict in words, for people reading the suite in a CI dashboard.
  const summary = [`${WORDS.verdict[lang]}${sep}${label(lang, 'verdict', school.verdict)}`];
  if (school.decidedBy.length > 0) {
    summary.push(`${WORDS.decidedBy[lang]}${sep}`);
    for (const d of school.decidedBy) summary.push(`- ${d.id} ${decisionText(lang, d, school, catalogue)}`);
  }
  out.push(`    <system-out>${xmlText(summary.join('\n'))}</system-out>`, '  </testsuite>');
  return out;
}

function failureSuite(lang: Lang, failure: FileFailure): string[] {
  const n = failure.problems.length;
  const out = [
    `  ${openTag('testsuite', [['name', failure.file], ...counts({ tests: n, failures: 0, errors: n, skipped: 0 }), ['file', failure.file]])}`,
  ];
  for (const problem of failure.problems) {
    const text = formatProblem(lang, problem);
    out.push(
      `    ${openTag('testcase', [
        ['classname', 'input-error'],
        ['name', problemLocation(problem)],
        ['file', problem.file],
        ['line', problem.line],
      ])}`,
      `      ${openTag('error', [
        ['message', text],
        ['type', 'input-error'],
      ])}${xmlText(text)}</error>`,
      '    </testcase>',
    );
  }
  out.push('  </testsuite>');
  return out;
}

/**
 * Written school by school, so a batch of any size streams: the counts are on each suite
 * (the root element has none, as its totals are only known at the end; CI servers add up
 * the suites).
 */
export const streamJunit: StreamReporter = {
  begin(ctx) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n${openTag('testsuites', [['name', ctx.tool.name]])}\n`;
  },
  school({ result, catalogue }, ctx) {
    const tally = tallyItems(ctx.lang, result, catalogue);
    return `${schoolSuite(ctx.lang, result, catalogue, tally).join('\n')}\n`;
  },
  separator: '',
  end(summary, ctx) {
    const lines = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures }).flatMap((f) =>
      failureSuite(ctx.lang, f),
    );
    return [...lines, '</testsuites>', ''].join('\n');
  },
};

export function renderJunit(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamJunit, run, ctx);
}
