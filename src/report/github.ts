/**
 * GitHub Actions workflow commands: one annotation a line, pointing at the answer in the
 * school file (or at the `answers:` key when the answer is missing), so a pull request that
 * changes a school file shows what fails right on the changed lines.
 *
 * - `::error`   a failing gate or critical item, an item the tool could not evaluate, and
 *               every problem of a file that could not be audited;
 * - `::warning` every other failing item;
 * - `::notice`  a required item nobody answered, and a waived item with its waiver;
 * - a last `::notice::` line with the totals of the run.
 *
 * Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded;
 * in properties also `:` and `,`.
 */
import type { AuditRun, Catalogue, ItemResult, SchoolResult, Verdict } from '../model/result.js';
import type { LocalText } from '../model/schema.js';
import { explain, label, local, tr, type Lang } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { stripControls } from './escape.js';
import { orderedFailures, waiverLine } from './shared.js';
import { renderAll, type StreamReporter, type Tally } from './stream.js';

const WORDS = {
  couldNotAudit: { zh: '无法核验', en: 'Could not be audited' },
  remediation: { zh: '整改建议', en: 'Remediation' },
  school: { zh: '学校', en: 'School' },
  deadline: { zh: '整改期限', en: 'Deadline' },
  responsible: { zh: '责任人', en: 'Responsible' },
  waiver: { zh: '豁免', en: 'Waiver' },
} satisfies Record<string, LocalText>;

type Level = 'error' | 'warning' | 'notice';

/** The message of a workflow command. */
export function escapeData(text: string): string {
  return stripControls(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`file=`, `title=`): as data, and `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: Level, props: [string, string | number | undefined][], message: string): string {
  const list = props
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}

/** Paths as the runner matches them against the repository: forward slashes. */
function repoPath(file: string): string {
  return file.replace(/\\/g, '/');
}

function levelOf(result: ItemResult, catalogue: Catalogue): Level | undefined {
  const severity = catalogue.items[result.id]?.severity;
  if (result.status === 'error') return 'error';
  if (result.status === 'fail') return severity === 'gate' || severity === 'critical' ? 'error' : 'warning';
  // A waived failure is still worth a look: who accepted it, why, and until when.
  if (result.status === 'waived') return 'notice';
  // An optional item left unanswered is no finding.
  if (result.status === 'unanswered' && result.reason.code !== 'reason.unansweredOptional') return 'notice';
  return undefined;
}

function annotation(
  lang: Lang,
  school: SchoolResult,
  result: ItemResult,
  catalogue: Catalogue,
): string | undefined {
  const level = levelOf(result, catalogue);
  if (!level) return undefined;
  const info = catalogue.items[result.id];
  const sep = lang === 'zh' ? '：' : ': ';
  const itemTitle = info ? local(lang, info.title) : result.id;
  const severity = info ? label(lang, 'severity', info.severity) : '';
  const title =
    lang === 'zh'
      ? `${severity ? `【${severity}】` : ''}${itemTitle}（${result.id}）`
      : `${severity ? `[${severity}] ` : ''}${itemTitle} (${result.id})`;
  const sentence = explain(lang, result, catalogue);
  const lines = [sentence.startsWith(itemTitle) ? sentence : `${itemTitle}${sep}${sentence}`];
  if (info && result.status !== 'unanswered' && result.status !== 'waived')
    lines.push(`${WORDS.remediation[lang]}${sep}${local(lang, info.remediation)}`);
  if (result.deadline) lines.push(`${WORDS.deadline[lang]}${sep}${result.deadline}`);
  if (result.answer?.responsible && result.status === 'fail') lines.push(`${WORDS.responsible[lang]}${sep}${result.answer.responsible}`);
  if (result.waiver) lines.push(`${WORDS.waiver[lang]}${sep}${waiverLine(lang, result.waiver)}`);
  const p = school.school;
  lines.push(`${WORDS.school[lang]}${sep}${lang === 'zh' ? `${p.name}（${p.id}）` : `${p.name} (${p.id})`}`);
  return command(
    level,
    [
      ['file', repoPath(school.file)],
      ['line', result.location?.line],
      ['col', result.location?.col],
      ['title', title],
    ],
    lines.join('\n'),
  );
}

function summaryLine(lang: Lang, tally: Tally, failedFiles: number): string {
  const count = (v: Verdict) => tally[v];
  const verdicts = (['READY', 'NOT_READY', 'INCOMPLETE'] as const).map(
    (v) => `${label(lang, 'verdict', v)} ${count(v)}`,
  );
  const text =
    lang === 'zh'
      ? `开学条件核验：共 ${tally.schools} 所学校，${verdicts.join('，')}；无法核验的文件 ${failedFiles} 个`
      : `Reopening readiness audit: ${tally.schools} schools, ${verdicts.join(', ')}; ${failedFiles} files could not be audited`;
  return `::notice::${escapeData(text)}`;
}

/** Annotations school by school as they are audited; the failed files and the totals at the end. */
export const streamGithub: StreamReporter = {
  begin() {
    return '';
  },
  school({ result, catalogue }, ctx) {
    return result.items
      .map((item) => annotation(ctx.lang, result, item, catalogue))
      .filter((line): line is string => line !== undefined)
      .map((line) => `${line}\n`)
      .join('');
  },
  separator: '',
  end(summary, ctx) {
    const lang = ctx.lang;
    const failures = orderedFailures({ catalogues: {}, schools: [], failures: summary.failures });
    const lines = failures.flatMap((failure) =>
      failure.problems.map((problem) =>
        command(
          'error',
          [
            ['file', repoPath(problem.file)],
            ['line', problem.line],
            ['col', problem.line === undefined ? undefined : problem.col],
            ['title', WORDS.couldNotAudit[lang]],
          ],
          tr(lang, problem.message),
        ),
      ),
    );
    lines.push(summaryLine(lang, summary.tally, failures.length));
    return `${lines.join('\n')}\n`;
  },
};

export function renderGithub(run: AuditRun, ctx: ReportContext): string {
  return renderAll(streamGithub, run, ctx);
}
