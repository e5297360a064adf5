import { describe, expect, it } from 'vitest';
import { compileExpr, evaluateExpr, substitute, type SymbolInfo } from '../src/expr/index.js';
import { PROFILE_SYMBOLS } from '../src/resolve/index.js';

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
