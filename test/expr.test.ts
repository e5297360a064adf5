import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import jexlModule from 'jexl';
import { compileExpr, evaluateExpr, FUNCTION_NAMES, substitute, tidyNumber, type EvalResult, type SymbolInfo } from '../src/expr/index.js';
import type { Scalar } from '../src/model/result.js';
import { PROFILE_SYMBOLS } from '../src/resolve/index.js';
import { cli, ROOT, tempDir } from './helpers.js';

const symbols = new Map<string, SymbolInfo>([
  ...PROFILE_SYMBOLS,
  ['stock_days', { type: 'number' }],
  ['masks_per_person_day', { type: 'number' }],
  ['isolation.room.exists', { type: 'boolean' }],
]);

function scope(values: Record<string, string | number | boolean>) {
  return new Map(Object.entries(values));
}

describe('expressions', () => {
  it('evaluates the examples a checklist maintainer writes, as written', () => {
    const masks = compileExpr('(students + staff) * masks_per_person_day * stock_days', symbols, 'number');
    const staff = compileExpr('ceil(students / 600)', symbols, 'number');
    const boarding = compileExpr('boarding || type == "senior"', symbols, 'boolean');
    if (!masks.ok || !staff.ok || !boarding.ok) throw new Error('expected all three to compile');
    const s = scope({ students: 1100, staff: 100, masks_per_person_day: 1, stock_days: 14, boarding: false, type: 'senior' });
    expect(evaluateExpr(masks.expr, s)).toEqual({ ok: true, value: 16800 });
    expect(evaluateExpr(staff.expr, s)).toEqual({ ok: true, value: 2 });
    expect(evaluateExpr(boarding.expr, s)).toEqual({ ok: true, value: true });
    expect(substitute(masks.expr, s)).toBe('(1100 + 100) × 1 × 14');
    expect(masks.expr.refs).toEqual(['students', 'staff', 'masks_per_person_day', 'stock_days']);
  });

  it('reads answers by their dotted item id', () => {
    const e = compileExpr('isolation.room.exists && students > 0', symbols, 'boolean');
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    expect(evaluateExpr(e.expr, scope({ 'isolation.room.exists': true, students: 10 }))).toEqual({ ok: true, value: true });
  });

  it('reports names without a value instead of guessing', () => {
    const e = compileExpr('boarders * 2', symbols, 'number');
    if (!e.ok) throw new Error('expected to compile');
    expect(evaluateExpr(e.expr, new Map())).toEqual({ ok: false, missing: ['boarders'] });
  });

  it('rejects what is not an expression over known names, with the reason', () => {
    const cases: [string, string][] = [
      ['studnets + 1', 'expr.unknownNameSuggest'],
      ['students + "x"', 'expr.operandType'],
      ['students.constructor', 'expr.syntax'],
      ['students.length', 'expr.unknownName'],
      ['students[0]', 'expr.unsupported'],
      ['students | upper', 'expr.unsupported'],
      ['{a: 1}', 'expr.unsupported'],
      ['eval(students)', 'expr.unknownFunction'],
      ['type == "kindergarden"', 'expr.unknownValue'],
      ['students >', 'expr.syntax'],
      ['boarding && 1', 'expr.operandType'],
    ];
    for (const [source, code] of cases) {
      const e = compileExpr(source, symbols, source.startsWith('type') || source.startsWith('boarding') ? 'boolean' : 'number');
      expect(e.ok ? 'compiled' : e.error.code, source).toBe(code);
    }
  });

  it('checks the type of the result against what the context needs', () => {
    const e = compileExpr('students + 1', symbols, 'boolean');
    expect(e.ok ? null : e.error).toEqual({ code: 'expr.resultType', params: { want: 'boolean', got: 'number' } });
  });

  it('reports division by zero as an error, not Infinity', () => {
    const e = compileExpr('students / staff', symbols, 'number');
    if (!e.ok) throw new Error('expected to compile');
    expect(evaluateExpr(e.expr, scope({ students: 10, staff: 0 }))).toMatchObject({ ok: false, error: { code: 'expr.notFinite' } });
  });
});

describe('expressions over optional profile fields', () => {
  it('short-circuits past a missing value, and reports it only when it is needed', () => {
    const e = compileExpr('boarding && boarders > 100', symbols, 'boolean');
    if (!e.ok) throw new Error('expected to compile');
    expect(evaluateExpr(e.expr, scope({ boarding: false }))).toEqual({ ok: true, value: false });
    expect(evaluateExpr(e.expr, scope({ boarding: true }))).toEqual({ ok: false, missing: ['boarders'] });
    expect(evaluateExpr(e.expr, scope({ boarding: true, boarders: 300 }))).toEqual({ ok: true, value: true });
    const t = compileExpr('boarding ? ceil(boarders / 100) : 0', symbols, 'number');
    if (!t.ok) throw new Error('expected to compile');
    expect(evaluateExpr(t.expr, scope({ boarding: false }))).toEqual({ ok: true, value: 0 });
    expect(evaluateExpr(t.expr, scope({ boarding: true }))).toEqual({ ok: false, missing: ['boarders'] });
  });

  it('refuses method calls, which jexl would silently read as plain function calls', () => {
    const e = compileExpr('staff.max(1, 2)', symbols, 'number');
    expect(e.ok ? 'compiled' : e.error).toEqual({ code: 'expr.unsupported', params: { what: '.max(…)' } });
  });

  it('orders dates against a date written as text', () => {
    const e = compileExpr('audit_date >= "2020-03-01"', symbols, 'boolean');
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    expect(evaluateExpr(e.expr, scope({ audit_date: '2020-04-20' }))).toEqual({ ok: true, value: true });
  });
});

describe('the size of an expression', () => {
  /** The nesting an expression has: `!!x` is three levels, `a + b` two, `(a)` two. */
  const cases = {
    negations: (n: number) => `${'!'.repeat(n - 2)}true ? students : 1`,
    sum: (n: number) => Array.from({ length: n }, () => 'students').join('+'),
    parentheses: (n: number) => `${'('.repeat(n - 1)}students${')'.repeat(n - 1)}`,
    conditionals: (n: number) => `${'boarding ? '.repeat(n - 1)}students${' : 1'.repeat(n - 1)}`,
  };

  it('is refused when loaded beyond 50 levels of nesting or 1,000 characters, never a stack overflow', () => {
    for (const [shape, make] of Object.entries(cases)) {
      for (const n of [51, 3000]) {
        const e = compileExpr(make(n), symbols, 'number');
        expect(e.ok ? 'compiled' : e.error.code, `${shape} ${n}`).toBe(make(n).length > 1000 ? 'expr.tooLong' : 'expr.tooDeep');
      }
    }
    const long = `students + ${'1'.repeat(1000)}`;
    expect(compileExpr(long, symbols, 'number')).toEqual({ ok: false, error: { code: 'expr.tooLong', params: { length: 1011, max: 1000 } } });
    expect(compileExpr(cases.negations(51), symbols, 'number')).toEqual({ ok: false, error: { code: 'expr.tooDeep', params: { max: 50 } } });
  });

  it('evaluates whatever it accepts: every shape at the limit gives its value', () => {
    const s = scope({ students: 7, boarding: true });
    for (const [shape, make] of Object.entries(cases)) {
      const e = compileExpr(make(50), symbols, 'number');
      if (!e.ok) throw new Error(`${shape}: ${JSON.stringify(e.error)}`);
      const value = evaluateExpr(e.expr, s);
      expect(value.ok, shape).toBe(true);
      expect(substitute(e.expr, s).length, shape).toBeGreaterThan(0);
    }
    const longest = compileExpr(`students + ${'1'.repeat(989)}`, symbols, 'number');
    expect(longest.ok).toBe(true);
  });
});

describe('reopen-audit validate and audit, a checklist with an expression too big', () => {
  const MINI = path.join(ROOT, 'test/fixtures/mini-checklist.yaml');
  const SCHOOL = path.join(ROOT, 'test/fixtures/schools/ready.yaml');
  const MASKS = '"(students + staff) * masks_per_person_day * stock_days"';

  /** The mini checklist with its mask bound replaced; line and column of the bound. */
  function checklistWith(bound: string): { file: string; at: string } {
    const text = readFileSync(MINI, 'utf8');
    const dir = tempDir('expr');
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, text.replace(MASKS, `"${bound}"`));
    const before = text.slice(0, text.indexOf(MASKS)).split('\n');
    return { file, at: `${file}:${before.length}:${(before.at(-1) as string).length + 1}` };
  }

  it('is a located load error in both languages, quoting the expression shortened', () => {
    const sum = Array.from({ length: 3000 }, () => 'students').join('+');
    const { file, at } = checklistWith(sum);
    const zh = cli(['validate', file]);
    expect(zh.code).toBe(2);
    expect(zh.stdout).toContain(`${at}: 表达式“${sum.slice(0, 60)}…”有误：表达式过长（26999 个字符，最多 1000 个）`);
    expect(zh.stdout.length + zh.stderr.length).toBeLessThan(1000);
    const en = cli(['validate', file, '--lang', 'en']);
    expect(en.stdout).toContain(`${at}: expression "${sum.slice(0, 60)}…" is invalid: the expression is too long (26999 characters, at most 1000)`);
    const audit = cli(['audit', SCHOOL, '-c', file]);
    expect(audit.code).toBe(2);
    expect(audit.stderr).not.toContain('internal error');
    expect(audit.stderr).not.toContain('内部错误');
  });

  it('refuses deep nesting when loaded, so no school ends INCOMPLETE for it', () => {
    const deep = `${'!'.repeat(100)}true ? students : 1`;
    const { file, at } = checklistWith(deep);
    const zh = cli(['validate', file]);
    expect(zh.code).toBe(2);
    expect(zh.stdout).toContain(`${at}: 表达式“${deep.slice(0, 60)}…”有误：表达式嵌套过深（超过 50 层）`);
    const en = cli(['validate', file, '--lang', 'en']);
    expect(en.stdout).toContain('is invalid: the expression is nested too deeply (more than 50 levels)');
    const audit = cli(['audit', SCHOOL, '-c', file, '--format', 'json']);
    expect(audit.code).toBe(2);
    expect(JSON.parse(audit.stdout).summary).toMatchObject({ schools: 0, INCOMPLETE: 0 });
  });
});

describe('evaluation as closures built from jexl’s tree', () => {
  /** jexl's own interpreter on the same tree, with the context the closures replaced. */
  const jexl = new jexlModule.Jexl();
  for (const name of FUNCTION_NAMES) jexl.addFunction(name, Math[name as 'min']);
  function byJexl(source: string, refs: string[], values: Map<string, Scalar | undefined>): EvalResult {
    let missingUsed: string | undefined;
    const context: Record<string, unknown> = Object.create(null);
    for (const name of refs) {
      const parts = name.split('.');
      let node = context;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= Object.create(null)) as Record<string, unknown>;
      const fail = () => {
        missingUsed = name;
        throw new Error('missing');
      };
      const value = values.get(name);
      node[parts.at(-1) as string] = value ?? Object.freeze(Object.assign(Object.create(null), { valueOf: fail, toString: fail, [Symbol.toPrimitive]: fail }));
    }
    let value: unknown;
    try {
      value = jexl.compile(source).evalSync(context);
    } catch {
      return missingUsed !== undefined ? { ok: false, missing: [missingUsed] } : { ok: false, error: { code: 'expr.runtime' } };
    }
    if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value: tidyNumber(value) } : { ok: false, error: { code: 'expr.notFinite', params: { formula: source } } };
    if (typeof value === 'boolean' || typeof value === 'string') return { ok: true, value };
    return { ok: false, missing: refs.filter((name) => values.get(name) === undefined) };
  }

  const numbers = ['students', 'staff', 'boarders', 'classes', 'stock_days', '0', '2', '0.1', '600'];
  const booleans = ['boarding', 'canteen', 'isolation.room.exists', 'true', 'false'];
  const strings = ['type', 'district', '"senior"', '"primary"', '"金水区"'];
  const pick = <T,>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  function numberExpr(random: () => number, depth: number): string {
    if (depth <= 0 || random() < 0.3) return pick(random, numbers);
    const r = random();
    if (r < 0.6) return `(${numberExpr(random, depth - 1)} ${pick(random, ['+', '-', '*', '/', '//', '%', '^'])} ${numberExpr(random, depth - 1)})`;
    if (r < 0.8) return `${pick(random, ['min', 'max'])}(${numberExpr(random, depth - 1)}, ${numberExpr(random, depth - 1)})`;
    if (r < 0.9) return `${pick(random, ['ceil', 'floor', 'round', 'abs'])}(${numberExpr(random, depth - 1)})`;
    return `(${boolExpr(random, depth - 1)} ? ${numberExpr(random, depth - 1)} : ${numberExpr(random, depth - 1)})`;
  }
  function boolExpr(random: () => number, depth: number): string {
    if (depth <= 0 || random() < 0.2) return pick(random, booleans);
    const r = random();
    if (r < 0.3) return `(${numberExpr(random, depth - 1)} ${pick(random, ['<', '<=', '>', '>=', '==', '!='])} ${numberExpr(random, depth - 1)})`;
    if (r < 0.5) return `(${boolExpr(random, depth - 1)} ${pick(random, ['&&', '||'])} ${boolExpr(random, depth - 1)})`;
    if (r < 0.6) return `!${boolExpr(random, depth - 1)}`;
    if (r < 0.7) return `(type ${pick(random, ['==', '!='])} ${pick(random, ['"senior"', '"primary"'])})`;
    if (r < 0.8) return `(type in ["primary", "junior"])`;
    if (r < 0.9) return `(district == ${pick(random, strings)})`;
    return `(${boolExpr(random, depth - 1)} ? ${boolExpr(random, depth - 1)} : ${boolExpr(random, depth - 1)})`;
  }

  it('gives what jexl gives, value or failure (which missing value), for random expressions and scopes', () => {
    let seed = 20200228;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const want = random() < 0.5 ? 'number' : 'boolean';
      const source = want === 'number' ? numberExpr(random, 4) : boolExpr(random, 4);
      const e = compileExpr(source, symbols, want);
      if (!e.ok) continue;
      const values = new Map<string, Scalar | undefined>();
      for (const name of e.expr.refs) {
        if (random() < 0.15) continue; // left without a value
        const info = symbols.get(name);
        values.set(name, info?.type === 'number' ? pick(random, [0, 1, 7, 600, 1100, 2.5]) : info?.type === 'boolean' ? random() < 0.5 : pick(random, ['senior', 'primary', '金水区']));
      }
      expect(evaluateExpr(e.expr, values), source).toEqual(byJexl(source, e.expr.refs, values));
      compared++;
    }
    expect(compared).toBeGreaterThan(2000);
  });
});
