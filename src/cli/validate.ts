/**
 * `reopen-audit validate`: checklists, profiles and school files checked without auditing.
 * Checklists are resolved with the default profile's checklists (so expressions and
 * roll-ups are checked in the company they are used in); school files are bound to the
 * checklists they name.
 */
import type { Problem } from '../model/result.js';
import type { Checklist, SchoolFile } from '../model/schema.js';
import { t } from '../i18n/index.js';
import { decode } from '../load/decode.js';
import { guessKind, parseSource, readSource } from '../load/source.js';
import { parseYaml } from '../load/yaml.js';
import { bindSchool } from '../load/school.js';
import { DEFAULT_PROFILE, loadLibrary } from '../load/library.js';
import { resolve } from '../resolve/index.js';
import { requestFor } from '../pipeline.js';
import { expandInputsApart } from '../load/walk.js';
import { formatProblem } from './shared.js';
import { selectLibrary } from '../load/selection.js';
import type { GlobalOptions } from './options.js';
import type { SchemaKind } from '../load/schema-check.js';

export interface ValidateCommandOptions {
  profile?: string;
  checklist: string[];
}

const KIND_LABEL = {
  zh: { checklist: '核验表', profile: '配置方案', school: '学校文件' },
  en: { checklist: 'checklist', profile: 'profile', school: 'school file' },
};

export async function runValidate(paths: string[], opts: ValidateCommandOptions, g: GlobalOptions): Promise<number> {
  const { lang } = g;
  const expanded = await expandInputsApart(paths);
  const problems = new Map<string, Problem[]>();
  const seen = new Set<string>();
  const report = (p: Problem) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return;
    seen.add(key);
    const list = problems.get(p.file) ?? [];
    list.push(p);
    problems.set(p.file, list);
  };
  expanded.problems.forEach(report);

  // First pass: what each file is, and whether it reads and parses at all.
  const kinds = new Map<string, SchemaKind>();
  const texts = new Map<string, string>();
  for (const file of expanded.files) {
    const read = await readSource(file);
    if (!read.ok) {
      read.problems.forEach(report);
      continue;
    }
    const decoded = decode(read.bytes);
    if (!decoded.ok) {
      report({ file, message: decoded.error });
      continue;
    }
    const parsed = parseYaml(decoded.text);
    if (!parsed.ok) {
      parsed.problems.forEach((p) => report({ file, line: p.line, col: p.col, message: p.message }));
      continue;
    }
    const kind = guessKind(parsed.parsed.data);
    if (!kind) {
      report({ file, line: 1, col: 1, message: { code: 'cli.unknownKind' } });
      continue;
    }
    kinds.set(file, kind);
    texts.set(file, decoded.text);
  }

  const checklistFiles = [...kinds].filter(([, k]) => k === 'checklist').map(([f]) => f);
  const profileFiles = [...kinds].filter(([, k]) => k === 'profile').map(([f]) => f);
  const library = await loadLibrary(checklistFiles, profileFiles);
  for (const failure of library.failures) failure.problems.forEach(report);

  const defaultChecklists = library.profiles.get(DEFAULT_PROFILE)?.data.checklists ?? [];
  for (const file of checklistFiles) {
    const loaded = parseSource<Checklist>(file, texts.get(file) as string, 'checklist');
    if (!loaded.ok) continue;
    const ids = [...new Set([...defaultChecklists, loaded.source.data.id])].filter((id) => library.checklists.has(id));
    const outcome = resolve(library, { checklists: ids }, file);
    if (!outcome.ok) outcome.failures.forEach((f) => f.problems.forEach(report));
  }
  for (const [id, source] of library.profiles) {
    if (!profileFiles.includes(source.file)) continue;
    const outcome = resolve(library, { profile: id }, source.file);
    if (!outcome.ok) outcome.failures.forEach((f) => f.problems.forEach(report));
  }

  const schoolFiles = [...kinds].filter(([, k]) => k === 'school').map(([f]) => f);
  if (schoolFiles.length > 0) {
    const selection = await selectLibrary(opts.profile, opts.checklist);
    for (const failure of selection.library.failures) failure.problems.forEach(report);
    for (const file of schoolFiles) {
      const loaded = parseSource<SchoolFile>(file, texts.get(file) as string, 'school');
      if (!loaded.ok) {
        loaded.problems.forEach(report);
        continue;
      }
      const outcome = resolve(selection.library, requestFor({ profile: selection.profile, checklists: selection.checklists }, loaded.source.data), file);
      if (!outcome.ok) {
        outcome.failures.forEach((f) => f.problems.forEach(report));
        continue;
      }
      const bound = bindSchool(loaded.source, outcome.set);
      if (!bound.ok) bound.problems.forEach(report);
    }
  }

  const lines: string[] = [];
  const allFiles = [...new Set([...expanded.problems.map((p) => p.file), ...expanded.files, ...problems.keys()])];
  let ok = 0;
  for (const file of allFiles) {
    const list = problems.get(file);
    if (list && list.length > 0) {
      for (const p of list) lines.push(formatProblem(lang, p));
    } else if (kinds.has(file)) {
      ok++;
      lines.push(`✔ ${t(lang, 'cli.valid', { file, kind: KIND_LABEL[lang][kinds.get(file) as SchemaKind] })}`);
    }
  }
  const bad = [...problems.values()].filter((l) => l.length > 0).length;
  lines.push(t(lang, 'cli.validateSummary', { total: ok + bad, ok, bad }));
  process.stdout.write(`${lines.join('\n')}\n`);
  return bad > 0 ? 2 : 0;
}
