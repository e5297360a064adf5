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
  ItemResult,
  Reason,
  SchoolResult,
} from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { formatScalar } from '../expr/index.js';
import { explain, label, local, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { auditorNames, decisionText, formatProblem, oncePerCatalogue, orderedFailures, problemLocation, waiverLine } from './shared.js';
import { renderAll, type StreamReporter } from './stream.js';
import { Utf8Buffer } from './utf8-buffer.js';
import { openTag, xmlAttr, xmlText } from './xml.js';

const WORDS = {
  reason: { zh: '说明', en: 'Reason' },
  formula: { zh: '公式', en: 'Formula' },
  actual: { zh: '实际值', en: 'Actual' },
  note: { zh: '备注', en: 'Note' },
  remediation: { zh: '整改建议', en: 'Remediation' },
  location: { zh: '位置', en: 'Location' },
  deadline: { zh: '整改期限', en: 'Deadline' },
  responsible: { zh: '责任人', en: 'Responsible' },
  waiver: { zh: '豁免', en: 'Waiver' },
  verdict: { zh: '核验结论', en: 'Verdict' },
  decidedBy: { zh: '判定依据', en: 'Decided by' },
} satisfies Record<string, LocalText>;

type Word = keyof typeof WORDS;

/** An item as JUnit sees it: a passing case, or one with a failure, an error or a skip. */
type Outcome =
  | { kind: 'pass' }
  | { kind: 'failure' | 'error'; type: string; message: string; sentence: string }
  | { kind: 'skipped'; message: string };

/** An unanswered item counts against the school unless the checklist marks it optional. */
function isRequired(result: ItemResult): boolean {
  return result.reason.code !== 'reason.unansweredOptional';
}

const PASS: Outcome = { kind: 'pass' };

/**
 * The sentences of items with nothing of the school's own (no answer, computation or
 * waiver), by the reason object: the engine gives every school in which an item's condition
 * is false, or which left it unanswered, the same one, so the sentence is made once.
 */
const sentences = oncePerCatalogue(() => new WeakMap<Reason, { id: string; status: string; text: string }>());

function sentenceOf(lang: Lang, result: ItemResult, catalogue: Catalogue): string {
  if (result.answer || result.computation || result.waiver) return explain(lang, result, catalogue);
  const known = sentences(lang, catalogue);
  const found = known.get(result.reason);
  if (found && found.id === result.id && found.status === result.status) return found.text;
  const text = explain(lang, result, catalogue);
  known.set(result.reason, { id: result.id, status: result.status, text });
  return text;
}

function outcomeOf(lang: Lang, result: ItemResult, catalogue: Catalogue): Outcome {
  if (result.status === 'pass') return PASS;
  const info = catalogue.items[result.id];
  const sentence = sentenceOf(lang, result, catalogue);
  if (result.status === 'waived' || result.status === 'not_applicable')
    return { kind: 'skipped', message: sentence };
  if (result.status === 'unanswered' && !isRequired(result)) return { kind: 'skipped', message: sentence };
  // Dashboards often show the message alone: it names the severity and the item.
  const title = info ? local(lang, info.title) : '';
  const named =
    title && !sentence.startsWith(title) ? `${title}${lang === 'zh' ? '：' : ': '}${sentence}` : sentence;
  const severity = info ? label(lang, 'severity', info.severity) : '';
  const message = severity ? (lang === 'zh' ? `【${severity}】${named}` : `[${severity}] ${named}`) : named;
  if (result.status === 'error') return { kind: 'error', type: 'error', message, sentence };
  return { kind: 'failure', type: result.status, message, sentence };
}

/** The body of a failure or error: everything a person needs to fix it, one fact a line; `sentence` is its explained result. */
function detail(lang: Lang, file: string, result: ItemResult, catalogue: Catalogue, sentence: string): string {
  const info = catalogue.items[result.id];
  const zh = lang === 'zh';
  const line = (word: Word, text: string) => `${WORDS[word][lang]}${zh ? '：' : ': '}${text}`;
  const lines = [line('reason', sentence)];
  const c = result.computation;
  if (c) {
    const inputs = c.inputs.map((i) => `${i.name} = ${formatScalar(i.value)}`).join(zh ? '，' : ', ');
    lines.push(
      line('formula', inputs ? (zh ? `${c.formula}（${inputs}）` : `${c.formula} (${inputs})`) : c.formula),
    );
  }
  const value = result.answer?.value;
  if (value !== undefined && value !== null) {
    lines.push(
      line('actual', typeof value === 'boolean' ? label(lang, 'yesNo', String(value)) : String(value)),
    );
  }
  if (result.answer?.note) lines.push(line('note', result.answer.note));
  if (info) lines.push(line('remediation', local(lang, info.remediation)));
  if (result.deadline) lines.push(line('deadline', result.deadline));
  if (result.answer?.responsible) lines.push(line('responsible', result.answer.responsible));
  if (result.waiver) lines.push(line('waiver', waiverLine(lang, result.waiver)));
  if (result.location) lines.push(line('location', `${file}:${result.location.line}:${result.location.col}`));
  return lines.join('\n');
}

/** Where each school's suite is written, as UTF-8. */
const buf = new Utf8Buffer();

const utf8 = new TextEncoder();

/**
 * The fixed start of each item's test case, `    <testcase classname="…" name="…"`, by
 * item id, as UTF-8 made once per catalogue and language: the same in every school.
 */
const caseHeads = oncePerCatalogue(() => new Map<string, Uint8Array>());

function caseHead(lang: Lang, catalogue: Catalogue, heads: Map<string, Uint8Array>, id: string): Uint8Array {
  let head = heads.get(id);
  if (head === undefined) {
    const info = catalogue.items[id];
    const title = info ? local(lang, info.title) : '';
    head = utf8.encode(`    <testcase classname="${xmlAttr(info?.checklistId ?? '')}" name="${xmlAttr(title ? `${id} ${title}` : id)}"`);
    heads.set(id, head);
  }
  return head;
}

/** The end of a skipped item's test case, by its message, for the messages of no school's own. */
const skippedEnds = oncePerCatalogue(() => new Map<string, Uint8Array>());

const LINE_ATTR = utf8.encode(' line="');
const PASS_END = utf8.encode('/>\n');

/**
 * An item's test case, each line ended by a line break; `head` is its fixed start
 * (caseHead), `fileAttr` the school's ` file="…"`.
 */
function testcase(
  lang: Lang,
  school: SchoolResult,
  result: ItemResult,
  catalogue: Catalogue,
  outcome: Outcome,
  head: Uint8Array,
  fileAttr: Uint8Array,
): void {
  buf.bytes(head);
  buf.bytes(fileAttr);
  const line = result.location?.line;
  if (line !== undefined) {
    buf.bytes(LINE_ATTR);
    buf.ascii(`${line}"`);
  }
  if (outcome.kind === 'pass') return buf.bytes(PASS_END);
  if (outcome.kind === 'skipped' && !(result.answer || result.computation || result.waiver)) {
    // A sentence every school shares (sentenceOf): its test case's end made once.
    const ends = skippedEnds(lang, catalogue);
    let end = ends.get(outcome.message);
    if (end === undefined) {
      end = utf8.encode(`>\n      <skipped message="${xmlAttr(outcome.message)}"/>\n    </testcase>\n`);
      ends.set(outcome.message, end);
    }
    return buf.bytes(end);
  }
  const child =
    outcome.kind === 'skipped'
      ? `<skipped message="${xmlAttr(outcome.message)}"/>`
      : `<${outcome.kind} message="${xmlAttr(outcome.message)}" type="${xmlAttr(outcome.type)}">${xmlText(detail(lang, school.file, result, catalogue, outcome.sentence))}</${outcome.kind}>`;
  buf.text(`>\n      ${child}\n    </testcase>\n`);
}

/** `      <property name="…" value="…"/>` and a line break. */
function property(key: string, value: string): string {
  return `      <property name="${xmlAttr(key)}" value="${xmlAttr(value)}"/>\n`;
}

function counts(tests: number, outcomes: { kind: Outcome['kind'] }[]): [string, number][] {
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const o of outcomes) {
    if (o.kind === 'failure') failures++;
    else if (o.kind === 'error') errors++;
    else if (o.kind === 'skipped') skipped++;
  }
  return [
    ['tests', tests],
    ['failures', failures],
    ['errors', errors],
    ['skipped', skipped],
  ];
}

/**
 * A school's suite, each line ended by a line break, written as UTF-8 into `buf` from its
 * start: the test cases' fixed starts are copied from bytes made once, the school's file
 * attribute from bytes made once for the school, so no suite-long string is built and
 * encoded.
 */
function schoolSuite(lang: Lang, school: SchoolResult, catalogue: Catalogue): void {
  const p = school.school;
  const outcomes = school.items.map((r) => outcomeOf(lang, r, catalogue));
  const name = lang === 'zh' ? `${p.name}（${p.id}）` : `${p.name} (${p.id})`;
  let head = `  ${openTag('testsuite', [['name', name], ...counts(outcomes.length, outcomes), ['file', school.file]])}\n    <properties>\n`;
  head += property('school.id', p.id);
  head += property('school.name', p.name);
  head += property('school.district', p.district);
  head += property('school.type', p.type);
  head += property('audit.date', school.audit.date);
  head += property('audit.level', school.audit.level);
  auditorNames(lang, school.audit.auditors).forEach((auditor, i) => {
    head += property(`audit.auditor.${i + 1}`, auditor);
  });
  head += property('profile', school.profileId);
  head += property('verdict', school.verdict);
  head += '    </properties>\n';
  buf.reset();
  buf.text(head);
  const fileAttr = utf8.encode(` file="${xmlAttr(school.file)}"`);
  const heads = caseHeads(lang, catalogue);
  school.items.forEach((result, i) => {
    testcase(lang, school, result, catalogue, outcomes[i] ?? PASS, caseHead(lang, catalogue, heads, result.id), fileAttr);
  });
  // The verdict in words, for people reading the suite in a CI dashboard.
  const sep = lang === 'zh' ? '：' : ': ';
  const summary = [`${WORDS.verdict[lang]}${sep}${label(lang, 'verdict', school.verdict)}`];
  if (school.decidedBy.length > 0) {
    summary.push(`${WORDS.decidedBy[lang]}${sep}`);
    for (const d of school.decidedBy) summary.push(`- ${d.id} ${decisionText(lang, d, school, catalogue)}`);
  }
  buf.text(`    <system-out>${xmlText(summary.join('\n'))}</system-out>\n  </testsuite>\n`);
}

/** A file that could not be audited: a suite with one error per located problem. */
function failureSuite(lang: Lang, failure: FileFailure): string[] {
  const errors = failure.problems.map(() => ({ kind: 'error' as const }));
  const out = [
    `  ${openTag('testsuite', [['name', failure.file], ...counts(errors.length, errors), ['file', failure.file]])}`,
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
    schoolSuite(ctx.lang, result, catalogue);
    return buf.textFrom(0);
  },
  schoolBytes({ result, catalogue }, ctx) {
    schoolSuite(ctx.lang, result, catalogue);
    return buf.bytesFrom(0);
  },
  separator: '',
  end(summary, ctx) {
    const failures = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures });
    return [...failures.flatMap((f) => failureSuite(ctx.lang, f)), '</testsuites>', ''].join('\n');
  },
};

export function renderJunit(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamJunit, run, ctx);
}
