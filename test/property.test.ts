/**
 * Property-based tests (fast-check): whatever a school file holds — any text in names and
 * notes, any value in any answer, any bytes in the file — loading never throws, the engine
 * never throws, and every report format stays well-formed: JSON parses, JUnit is XML, SARIF
 * fits its schema, CSV rows keep their width and never start a formula, Markdown tables
 * keep their columns, annotations stay one a line, terminal text carries no control
 * character. Runs are bounded (a fixed seed per property, 60–150 cases) so the suite stays fast.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryFrom, resolveOk } from './helpers.js';
import { loadLibrary } from '../src/load/library.js';
import { parseSource } from '../src/load/source.js';
import { parseSourceFast } from '../src/load/fast.js';
import { decode } from '../src/load/decode.js';
import { bindSchool } from '../src/load/school.js';
import { auditSchool } from '../src/engine/audit.js';
import { locateFindings } from '../src/pipeline.js';
import { resolve, type ResolvedSet } from '../src/resolve/index.js';
import { FORMAT_NAMES, loadFormats, type FormatName, type ReportContext } from '../src/report/index.js';

const FORMATS = await loadFormats(FORMAT_NAMES);
import { renderSchoolMarkdown } from '../src/report/markdown.js';
import { renderIndex } from '../src/report/out-dir.js';
import { rowOf, tallyOf } from '../src/report/stream.js';
import { tr } from '../src/i18n/index.js';
import { en, zh } from '../src/i18n/messages.js';
import { LEVELS, SCHOOL_TYPES, type SchoolFile } from '../src/model/schema.js';
import type { AuditRun, FileFailure, Problem } from '../src/model/result.js';
import {
  expectCsv,
  expectGithub,
  expectInert,
  expectJunit,
  expectMarkdown,
  expectSarif,
} from './fixtures/bad/well-formed.js';

const mini = resolveOk(
  libraryFrom({
    'mini.yaml': readFileSync(new URL('./fixtures/mini-checklist.yaml', import.meta.url), 'utf8'),
  }),
  { checklists: ['mini'] },
);
let national: ResolvedSet;

beforeAll(async () => {
  const outcome = resolve(await loadLibrary(), { profile: 'national' }, 'property');
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.failures));
  national = outcome.set;
});

/** A fixed seed per property, so CI runs the same cases; FC_SEED=random explores new ones. */
const seed = (fixed: number) =>
  process.env.FC_SEED === 'random'
    ? Date.now() ^ fixed
    : process.env.FC_SEED
      ? Number(process.env.FC_SEED)
      : fixed;

// ---------------------------------------------------------------- arbitraries

/** Pieces of text that mean something to a terminal, Markdown, HTML, XML, CSV, YAML or a CI runner. */
const NASTY = [
  '\u001b[31m',
  '\u001b]0;标题\u0007',
  '\u009b2J',
  '\u0000',
  '\u0007',
  '\b',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udc00',
  '|',
  '\\|',
  '\\',
  '`',
  '```',
  '*',
  '_',
  '~',
  '#',
  '# ',
  '[',
  ']',
  '](',
  '(',
  ')',
  '!',
  '<',
  '>',
  '<script>',
  '</td>',
  '<br>',
  '<!--',
  '-->',
  ']]>',
  '&',
  '&amp;',
  '&#10;',
  '"',
  "'",
  '=',
  '=SUM(1)',
  '+',
  '-',
  '@',
  '::error::',
  '::',
  '%0A',
  '%',
  ',',
  ':',
  ';',
  '$',
  '$$',
  '{',
  '}',
  '---',
  '- ',
  '1. ',
  '> ',
  '|---|',
  '中',
  '学校',
  '不具备开学条件',
  ' ',
  '  ',
  'a',
  'x.y',
  '0',
  '-1',
  'true',
  'null',
];
const nastyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
);
const nonEmptyText = nastyText.filter((s) => s.length > 0);
/**
 * A file name as Node hands one over: never empty, never a lone surrogate (Linux names are
 * bytes, decoded with U+FFFD for what is not UTF-8).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const fileName = nonEmptyText.filter((s) => !LONE_SURROGATE.test(s));
const isoDate = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateLike = fc.oneof(
  isoDate,
  fc.constantFrom('2020-02-30', '2020-13-01', '2021-02-29', '2020/04/01', '昨天', ''),
);
const number = fc.oneof(
  fc.integer({ min: -10, max: 200000 }),
  fc.double({ min: -1e6, max: 1e9, noNaN: false }),
  fc.constantFrom(0, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, Number.POSITIVE_INFINITY, Number.NaN),
);

/** A raw answer: fitting its item's type most of the time, anything at all sometimes. */
function answerFor(set: ResolvedSet, id: string): fc.Arbitrary<unknown> {
  const spec = set.itemsById.get(id)?.item.answer;
  const fitting: fc.Arbitrary<unknown> =
    spec?.type === 'boolean'
      ? fc.oneof(fc.boolean(), fc.constantFrom('是', '否', '有', '无', 'yes'))
      : spec?.type === 'number'
        ? number
        : spec?.type === 'choice'
          ? fc.oneof(fc.constantFrom(...(spec.options ?? []).map((o) => o.value), 'other'), nastyText)
          : spec?.type === 'date'
            ? dateLike
            : nastyText;
  const junk = fc.oneof(
    nastyText,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('N/A', '不适用', 'na'),
    fc.array(fc.integer(), { maxLength: 2 }),
  );
  const value = fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: junk });
  const withNote = fc.record(
    {
      value,
      note: nastyText,
      evidence: fc.oneof(nastyText, fc.array(nastyText, { maxLength: 3 })),
      responsible: nastyText,
    },
    { requiredKeys: ['value'] },
  );
  return fc.oneof({ weight: 3, arbitrary: value }, { weight: 2, arbitrary: withNote });
}

/** A whole school file as data: a hostile profile, some of the items answered, a few unknown ids. */
function schoolFile(set: () => ResolvedSet): fc.Arbitrary<{ file: string; data: Record<string, unknown> }> {
  return fc.constant(null).chain(() => {
    const s = set();
    const ids = s.items.filter((c) => c.item.answer).map((c) => c.item.id);
    return fc.record({
      file: fileName.map((name) => `${name}.yaml`),
      data: fc.record({
        school: fc.record(
          {
            id: nonEmptyText,
            name: nonEmptyText,
            district: nonEmptyText,
            type: fc.constantFrom(...SCHOOL_TYPES),
            boarding: fc.boolean(),
            canteen: fc.boolean(),
            students: fc.integer({ min: 0, max: 5000 }),
            staff: fc.integer({ min: 0, max: 500 }),
            boarders: fc.integer({ min: 0, max: 3000 }),
            classes: fc.integer({ min: 0, max: 120 }),
            address: nastyText,
            principal: nastyText,
          },
          { requiredKeys: ['id', 'name', 'district', 'type', 'students', 'staff'] },
        ),
        audit: fc.record(
          {
            date: isoDate,
            level: fc.constantFrom(...LEVELS),
            auditors: fc.array(fc.oneof(nonEmptyText, fc.record({ name: nonEmptyText, org: nonEmptyText })), {
              maxLength: 3,
            }),
            note: nastyText,
          },
          { requiredKeys: ['date', 'level'] },
        ),
        answers: fc
          .tuple(
            fc
              .subarray(ids)
              .chain((chosen) =>
                fc.tuple(...chosen.map((id) => answerFor(s, id).map((v) => [id, v] as const))),
              ),
            fc.array(fc.tuple(nonEmptyText, nastyText), { maxLength: 2 }),
          )
          .map(([answered, unknown]) => Object.fromEntries([...answered, ...unknown])),
      }),
    });
  });
}

// ---------------------------------------------------------------- the pipeline, in memory

interface Loaded {
  run: AuditRun;
  key: string;
}

/** File text → load → bind → audit, as the batch runner does; problems become failures. */
function auditTexts(set: ResolvedSet, files: { file: string; text: string }[], fast: boolean): Loaded {
  const run: AuditRun = { catalogues: { [set.key]: set.catalogue }, schools: [], failures: [] };
  for (const { file, text } of files) {
    const loaded = fast
      ? parseSourceFast<SchoolFile>(file, text, 'school')
      : parseSource<SchoolFile>(file, text, 'school');
    if (!loaded.ok) {
      run.failures.push({ file, problems: loaded.problems });
      continue;
    }
    const bound = bindSchool(loaded.source, set);
    if (!bound.ok) {
      run.failures.push({ file, problems: bound.problems });
      continue;
    }
    const result = auditSchool(set, bound.input);
    locateFindings(result, loaded.source);
    run.schools.push({ result, catalogueKey: set.key });
  }
  return { run, key: set.key };
}

const CONTEXTS: ReportContext[] = (['zh', 'en'] as const).map((lang) => ({
  lang,
  color: false,
  tool: { name: 'reopen-audit', version: '0.0.0-test' },
}));

/** Every format, in both languages, checked for what keeps it well-formed. */
function expectEveryFormatWellFormed({ run, key }: Loaded): void {
  for (const ctx of CONTEXTS) {
    const out = (format: FormatName) => (FORMATS.get(format) as { render: (r: typeof run, c: ReportContext) => string }).render(run, ctx);
    const json = JSON.parse(out('json')) as { schools: unknown[]; failures: unknown[] };
    expect(json.schools).toHaveLength(run.schools.length);
    expect(json.failures).toHaveLength(run.failures.length);
    expectJunit(out('junit'));
    expectSarif(out('sarif'));
    expectCsv(out('csv'));
    expectCsv(out('csv-items'));
    expectGithub(out('github'));
    expectInert(out('text'), 'text');
    expectMarkdown(out('markdown'), 'markdown');
    expectMarkdown(out('summary'), 'summary');
    const rows = run.schools.map((s) => rowOf(s.result, s.catalogueKey));
    expectMarkdown(
      renderIndex({ rows, tally: tallyOf(rows), failures: run.failures, catalogues: run.catalogues }, ctx),
      'index',
    );
    for (const s of run.schools)
      expectMarkdown(
        renderSchoolMarkdown({ result: s.result, catalogue: run.catalogues[key]!, catalogueKey: key }, ctx),
        'school report',
      );
  }
}

/** A located problem: positive line and column, a message both languages know, no "undefined" in it. */
function expectGoodProblem(p: Problem): void {
  if (p.line !== undefined) {
    expect(Number.isInteger(p.line) && p.line >= 1, JSON.stringify(p)).toBe(true);
    expect(Number.isInteger(p.col) && (p.col as number) >= 1, JSON.stringify(p)).toBe(true);
  }
  expect(zh[p.message.code], p.message.code).toBeDefined();
  expect(en[p.message.code], p.message.code).toBeDefined();
  for (const lang of ['zh', 'en'] as const) {
    const text = tr(lang, p.message);
    expect(text.length).toBeGreaterThan(0);
    if (!JSON.stringify(p.message.params ?? {}).includes('undefined'))
      expect(text, p.message.code).not.toContain('undefined');
  }
}

/** js-yaml reads `-0` as 0, yaml as -0: the same number to everything downstream. */
function sameNumbers(data: unknown): unknown {
  const json = JSON.stringify(data, (_k, v: unknown) =>
    Object.is(v, -0) ? 0 : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
  return JSON.parse(json) as unknown;
}

// ---------------------------------------------------------------- properties

describe('random school files and answers', () => {
  it('never crash loading, the engine or any reporter, and every format stays well-formed (mini checklist)', () => {
    fc.assert(
      fc.property(
        fc.array(
          schoolFile(() => mini),
          { minLength: 1, maxLength: 3 },
        ),
        fc.boolean(),
        (files, fast) => {
          const loaded = auditTexts(
            mini,
            files.map(({ file, data }) => ({ file, text: stringify(data) })),
            fast,
          );
          for (const f of loaded.run.failures) f.problems.forEach(expectGoodProblem);
          expectEveryFormatWellFormed(loaded);
        },
      ),
      { numRuns: 150, seed: seed(20200228) },
    );
  });

  it('the same with the built-in national profile: every item, computed thresholds, roll-ups', () => {
    fc.assert(
      fc.property(
        schoolFile(() => national),
        fc.boolean(),
        ({ file, data }, fast) => {
          const loaded = auditTexts(national, [{ file, text: stringify(data) }], fast);
          for (const f of loaded.run.failures) f.problems.forEach(expectGoodProblem);
          expectEveryFormatWellFormed(loaded);
        },
      ),
      { numRuns: 60, seed: seed(20200406) },
    );
  });

  it('loads a school the same way on the fast and the full path', () => {
    fc.assert(
      fc.property(
        schoolFile(() => mini),
        ({ file, data }) => {
          const text = stringify(data);
          const fast = parseSourceFast<SchoolFile>(file, text, 'school');
          const full = parseSource<SchoolFile>(file, text, 'school');
          expect(fast.ok).toBe(full.ok);
          if (fast.ok && full.ok)
            expect(sameNumbers(fast.source.data)).toEqual(sameNumbers(full.source.data));
          if (!fast.ok && !full.ok) expect(fast.problems).toEqual(full.problems);
        },
      ),
      { numRuns: 150, seed: seed(20200506) },
    );
  });
});

/** YAML-ish fragments, so random text often comes close to a school file. */
const FRAGMENTS = [
  'school:',
  'audit:',
  'answers:',
  'waivers:',
  '\n',
  '\n  ',
  '\n    ',
  '\r\n',
  '\t',
  ' ',
  '- ',
  ': ',
  ':',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '&a ',
  '*a',
  '<<: ',
  '!!js/function ',
  '!include ',
  '? ',
  '|',
  '>',
  '---',
  '...',
  '%YAML 1.2',
  'id: x',
  'name: 学校',
  'district: 区',
  'type: primary',
  'students: 10',
  'staff: 2',
  'date: 2020-04-01',
  'level: county',
  'mini.supplies.masks: ',
  'mini.gates.epidemic: true',
  '__proto__',
  'constructor',
  '12',
  '-1',
  '1e309',
  '.nan',
  '~',
  'null',
  '\u001b[31m',
  '\u0000',
  '\ufeff',
  '中文',
  '\u202e',
  '0b101',
  '0o17',
  '0x1F',
  '1_000',
  '+12',
  '.inf',
  '-.inf',
  '1e3',
  '0.',
  '2020-04-01',
  'yes',
  'on',
  '~:',
  'null:',
  '1:',
  'true:',
  '!',
  '&',
  '*',
  '@',
  '`',
  '%',
];

describe('random text and bytes as a school file', () => {
  it('never throws: every problem is located sensibly and has a message in both languages', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), fc.boolean(), (parts, fast) => {
        const loaded = auditTexts(mini, [{ file: 'random.yaml', text: parts.join('') }], fast);
        for (const f of loaded.run.failures) f.problems.forEach(expectGoodProblem);
        expectEveryFormatWellFormed(loaded);
      }),
      { numRuns: 150, seed: seed(20200901) },
    );
  });

  it('reads random text the same way on the fast and the full path', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const fast = parseSourceFast<SchoolFile>('random.yaml', text, 'school');
        const full = parseSource<SchoolFile>('random.yaml', text, 'school');
        expect(fast.ok, text).toBe(full.ok);
        if (fast.ok && full.ok)
          expect(sameNumbers(fast.source.data), text).toEqual(sameNumbers(full.source.data));
        if (!fast.ok && !full.ok) expect(fast.problems, text).toEqual(full.problems);
      }),
      { numRuns: 300, seed: seed(20200915) },
    );
  });

  it('decodes or refuses any bytes, never throws, and names why', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]),
        (body, bom) => {
          const decoded = decode(new Uint8Array([...bom, ...body]));
          if (decoded.ok) expect(typeof decoded.text).toBe('string');
          else expectGoodProblem({ file: 'bytes.yaml', message: decoded.error });
        },
      ),
      { numRuns: 150, seed: seed(20201001) },
    );
  });

  it('keeps failures of every shape well-formed in every format', () => {
    const failure = fc.record({
      file: fileName,
      problems: fc.array(
        fc.record(
          {
            file: fileName,
            line: fc.integer({ min: 1, max: 9999 }),
            col: fc.integer({ min: 1, max: 999 }),
            message: fc.record({
              code: fc.constantFrom(...Object.keys(zh)),
              params: fc.dictionary(
                fc.constantFrom(
                  'file',
                  'id',
                  'key',
                  'value',
                  'detail',
                  'name',
                  'suggestion',
                  'known',
                  'allowed',
                ),
                nastyText,
              ),
            }),
          },
          { requiredKeys: ['file', 'message'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }) as fc.Arbitrary<FileFailure>;
    fc.assert(
      fc.property(fc.array(failure, { minLength: 1, maxLength: 3 }), (failures) => {
        expectEveryFormatWellFormed({
          run: { catalogues: { [mini.key]: mini.catalogue }, schools: [], failures },
          key: mini.key,
        });
      }),
      { numRuns: 100, seed: seed(20201101) },
    );
  });
});
