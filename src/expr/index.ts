/**
 * Expressions in checklists: thresholds (`(students + staff) * masks_per_person_day *
 * stock_days`), day windows and `applies_if` conditions (`boarding || type == "senior"`).
 *
 * Parsing and evaluation are jexl's: an AST interpreter, no eval, no code from the file.
 * jexl has no static checks, so this module walks its AST once when a checklist loads and
 * rejects what a checklist has no business doing (member access outside known names,
 * transforms, filters, unknown functions) and any name or type that does not fit. After
 * that, evaluation can only meet the names it was checked against.
 *
 * jexl's trees are data: the build keeps those of the built-in checklists' expressions in
 * the library snapshot (src/load/library.ts), and a run given them checks and runs them
 * without loading jexl; jexl's parser is loaded only for an expression it was not given.
 */
import { createRequire } from 'node:module';
import type JexlModule from 'jexl';
import { closest } from '../util/suggest.js';
import type { Fact, Reason, Scalar, Term } from '../model/result.js';

/** jexl's syntax tree, as its parser produces it. */
type Ast =
  | { type: 'UnaryExpression'; operator: string; right: Ast }
  | { type: 'BinaryExpression'; operator: string; left: Ast; right: Ast }
  | { type: 'ConditionalExpression'; test: Ast; consequent: Ast; alternate: Ast }
  | { type: 'FilterExpression'; relative: boolean; expr: Ast; subject: Ast }
  | { type: 'Literal'; value: string | number | boolean }
  | { type: 'ArrayLiteral'; value: Ast[] }
  | { type: 'ObjectLiteral'; value: Record<string, Ast> }
  | { type: 'Identifier'; value: string; from?: Ast; relative?: boolean }
  | { type: 'FunctionCall'; name: string; pool: 'functions' | 'transforms'; args: Ast[] };

export type ExprType = 'number' | 'boolean' | 'string' | 'date' | 'list';

export interface SymbolInfo {
  type: ExprType;
  /** Allowed values of a string variable (e.g. the school types), checked in comparisons. */
  values?: readonly string[];
}

export type SymbolTable = ReadonlyMap<string, SymbolInfo>;

export interface CompiledExpr {
  source: string;
  type: ExprType;
  /** Names the expression reads, in order of first use. */
  refs: string[];
  ast: Ast;
}

export type CompileResult = { ok: true; expr: CompiledExpr } | { ok: false; error: Reason };

export type EvalResult =
  | { ok: true; value: Scalar }
  | { ok: false; missing: string[] }
  | { ok: false; error: Reason };

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...args: number[]) => number }> = {
  ceil: { arity: [1, 1], fn: Math.ceil },
  floor: { arity: [1, 1], fn: Math.floor },
  round: { arity: [1, 1], fn: Math.round },
  abs: { arity: [1, 1], fn: Math.abs },
  min: { arity: [2, 8], fn: Math.min },
  max: { arity: [2, 8], fn: Math.max },
};

/** The functions an expression may call, in the order the docs list them. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

/**
 * Limits on what a checklist may write, checked before the expression is parsed or
 * walked: jexl and the checks here recurse, so a 3,000-term sum would overflow the stack.
 * Anything within them evaluates (the deepest real expressions have a handful of levels).
 */
export const MAX_EXPR_LENGTH = 1000;
export const MAX_EXPR_DEPTH = 50;
/** How much of an expression an error message quotes. */
const QUOTED_LENGTH = 60;

let jexl: InstanceType<typeof JexlModule.Jexl> | undefined;

/** jexl, loaded at the first expression without a known tree (its module costs milliseconds at start-up). */
function parser(): InstanceType<typeof JexlModule.Jexl> {
  if (jexl === undefined) {
    const jexlModule = createRequire(import.meta.url)('jexl') as typeof JexlModule;
    jexl = new jexlModule.Jexl();
    for (const [name, { fn }] of Object.entries(FUNCTIONS)) jexl.addFunction(name, fn);
  }
  return jexl;
}

/** jexl's tree of each expression text, given by the library snapshot or parsed in this process. */
const knownTrees = new Map<string, Ast>();

/**
 * Trees jexl made from these texts (the library snapshot's, made by the build): an expression
 * with one of these texts is checked from its tree without being parsed again.
 */
export function addParsedTrees(trees: Readonly<Record<string, unknown>>): void {
  for (const [source, tree] of Object.entries(trees)) knownTrees.set(source, tree as Ast);
}

/** The tree of every expression parsed or given so far, by its text (what the build keeps). */
export function parsedTrees(): ReadonlyMap<string, unknown> {
  return knownTrees;
}

/** The version of jexl installed: the trees a snapshot keeps are used only with the jexl that made them. */
export function jexlVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('jexl/package.json') as { version: string }).version;
}

/** jexl's tree of an expression (undefined for an empty one); throws on a syntax error. */
function parse(source: string): Ast | undefined {
  const known = knownTrees.get(source);
  if (known !== undefined) return known;
  const ast = parser().compile(source)._getAst() as unknown as Ast | undefined;
  if (ast !== undefined) knownTrees.set(source, ast);
  return ast;
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '^']);
const ORDERING = new Set(['<', '<=', '>', '>=']);

class CheckError extends Error {
  constructor(readonly reason: Reason) {
    super(reason.code);
  }
}

function fail(code: string, params?: Reason['params']): never {
  throw new CheckError({ code, params });
}

/** `a.b.c` from jexl's chain of Identifier nodes, or null if the chain is not plain names. */
function dottedName(node: Ast): string | null {
  if (node.type !== 'Identifier' || node.relative) return null;
  if (!node.from) return node.value;
  const head = dottedName(node.from);
  return head === null ? null : `${head}.${node.value}`;
}

interface Checked {
  type: ExprType;
  /** For string-typed variables with a closed set of values. */
  values?: readonly string[];
  literal?: Scalar;
  elementType?: ExprType;
  elements?: Scalar[];
}

function checkNode(node: Ast, symbols: SymbolTable, refs: string[]): Checked {
  switch (node.type) {
    case 'Literal': {
      const t = typeof node.value;
      if (t === 'number') return { type: 'number', literal: node.value };
      if (t === 'boolean') return { type: 'boolean', literal: node.value };
      return { type: 'string', literal: node.value };
    }
    case 'Identifier': {
      const name = dottedName(node);
      if (name === null) fail('expr.unsupported', { what: '.' });
      const symbol = symbols.get(name);
      if (!symbol) {
        const suggestion = closest(name, [...symbols.keys()]);
        fail(suggestion ? 'expr.unknownNameSuggest' : 'expr.unknownName', { name, suggestion: suggestion ?? null });
      }
      if (!refs.includes(name)) refs.push(name);
      return { type: symbol.type, values: symbol.values };
    }
    case 'UnaryExpression': {
      const right = checkNode(node.right, symbols, refs);
      if (node.operator !== '!') fail('expr.unsupported', { what: node.operator });
      expectType(right, 'boolean', '!');
      return { type: 'boolean' };
    }
    case 'BinaryExpression':
      return checkBinary(node.operator, node.left, node.right, symbols, refs);
    case 'ConditionalExpression': {
      expectType(checkNode(node.test, symbols, refs), 'boolean', '?');
      const a = checkNode(node.consequent, symbols, refs);
      const b = checkNode(node.alternate, symbols, refs);
      if (a.type !== b.type) fail('expr.branchTypes', { left: a.type, right: b.type });
      return { type: a.type };
    }
    case 'ArrayLiteral': {
      const elements = node.value.map((n) => checkNode(n, symbols, refs));
      const first = elements[0];
      if (!first || elements.some((e) => e.literal === undefined || e.type !== first.type)) {
        fail('expr.listLiterals');
      }
      return { type: 'list', elementType: first.type, elements: elements.map((e) => e.literal ?? null) };
    }
    case 'FunctionCall': {
      if (node.pool !== 'functions') fail('expr.unsupported', { what: '|' });
      const spec = FUNCTIONS[node.name];
      if (!spec || !Object.hasOwn(FUNCTIONS, node.name)) {
        const suggestion = closest(node.name, Object.keys(FUNCTIONS));
        fail('expr.unknownFunction', { name: node.name, known: Object.keys(FUNCTIONS).join(', '), suggestion: suggestion ?? null });
      }
      const [lo, hi] = spec.arity;
      if (node.args.length < lo || node.args.length > hi) {
        fail('expr.arity', { name: node.name, count: node.args.length });
      }
      for (const arg of node.args) expectType(checkNode(arg, symbols, refs), 'number', node.name);
      return { type: 'number' };
    }
    case 'FilterExpression':
      fail('expr.unsupported', { what: '[ ]' });
      break;
    case 'ObjectLiteral':
      fail('expr.unsupported', { what: '{ }' });
  }
  fail('expr.unsupported', { what: '?' });
}

function expectType(got: Checked, want: ExprType, op: string): void {
  if (got.type !== want) fail('expr.operandType', { op, want, got: got.type });
}

function checkEnumLiteral(variable: Checked, literal: Checked): void {
  const values = variable.values;
  const candidates = literal.type === 'list' ? (literal.elements ?? []) : [literal.literal];
  if (!values) return;
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && !values.includes(candidate)) {
      const suggestion = closest(candidate, values);
      fail('expr.unknownValue', { value: candidate, known: values.join(', '), suggestion: suggestion ?? null });
    }
  }
}

function checkBinary(op: string, leftNode: Ast, rightNode: Ast, symbols: SymbolTable, refs: string[]): Checked {
  const left = checkNode(leftNode, symbols, refs);
  const right = checkNode(rightNode, symbols, refs);
  if (ARITHMETIC.has(op)) {
    expectType(left, 'number', op);
    expectType(right, 'number', op);
    return { type: 'number' };
  }
  if (ORDERING.has(op)) {
    // A date compares with a date written as text: `audit_date >= "2020-03-01"`.
    const isDateLiteral = (c: Checked) => c.type === 'string' && typeof c.literal === 'string' && isRealDate(c.literal);
    if ((left.type === 'date' && isDateLiteral(right)) || (right.type === 'date' && isDateLiteral(left))) return { type: 'boolean' };
    if (left.type !== right.type || !['number', 'date', 'string'].includes(left.type)) {
      fail('expr.compareTypes', { op, left: left.type, right: right.type });
    }
    return { type: 'boolean' };
  }
  if (op === '==' || op === '!=') {
    const bothDateish =
      (left.type === 'date' && right.type === 'string') || (left.type === 'string' && right.type === 'date');
    if (left.type !== right.type && !bothDateish) {
      fail('expr.compareTypes', { op, left: left.type, right: right.type });
    }
    checkEnumLiteral(left, right);
    checkEnumLiteral(right, left);
    return { type: 'boolean' };
  }
  if (op === '&&' || op === '||') {
    expectType(left, 'boolean', op);
    expectType(right, 'boolean', op);
    return { type: 'boolean' };
  }
  if (op === 'in') {
    if (right.type !== 'list' || right.elementType !== left.type) {
      fail('expr.inList', { left: left.type });
    }
    checkEnumLiteral(left, right);
    return { type: 'boolean' };
  }
  fail('expr.unsupported', { what: op });
}

/**
 * Parse and check an expression against the names in scope. `want` is the type the
 * context needs (a number for a threshold, a boolean for `applies_if`).
 */
export function compileExpr(source: string, symbols: SymbolTable, want: ExprType): CompileResult {
  if (source.length > MAX_EXPR_LENGTH) return { ok: false, error: { code: 'expr.tooLong', params: { length: source.length, max: MAX_EXPR_LENGTH } } };
  const tooDeep: CompileResult = { ok: false, error: { code: 'expr.tooDeep', params: { max: MAX_EXPR_DEPTH } } };
  if (parenDepth(source) >= MAX_EXPR_DEPTH) return tooDeep;
  // jexl reads `staff.max(1, 2)` as `max(1, 2)` and drops `staff.`: refuse method calls.
  const method = /\.\s*([A-Za-z_$][\w$]*)\s*\(/.exec(withoutStrings(source));
  if (method) return { ok: false, error: { code: 'expr.unsupported', params: { what: `.${method[1]}(…)` } } };
  let ast: Ast | undefined;
  try {
    ast = parse(source);
  } catch (error) {
    return { ok: false, error: { code: 'expr.syntax', params: { detail: syntaxDetail(error) } } };
  }
  if (!ast) return { ok: false, error: { code: 'expr.empty' } };
  if (astDepth(ast) > MAX_EXPR_DEPTH) return tooDeep;
  const refs: string[] = [];
  try {
    const checked = checkNode(ast, symbols, refs);
    if (checked.type !== want) {
      return { ok: false, error: { code: 'expr.resultType', params: { want, got: checked.type } } };
    }
    return { ok: true, expr: { source, type: want, refs, ast } };
  } catch (error) {
    if (error instanceof CheckError) return { ok: false, error: error.reason };
    throw error;
  }
}

/** The deepest nesting of parentheses and brackets, outside string literals. */
function parenDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of withoutStrings(source)) {
    if (c === '(' || c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return deepest;
}

/** Nodes on the longest path from the root to a leaf, without recursion. */
function astDepth(root: Ast): number {
  let deepest = 0;
  const stack: [Ast, number][] = [[root, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    deepest = Math.max(deepest, depth);
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function childrenOf(node: Ast): Ast[] {
  switch (node.type) {
    case 'UnaryExpression':
      return [node.right];
    case 'BinaryExpression':
      return [node.left, node.right];
    case 'ConditionalExpression':
      return [node.test, node.consequent, node.alternate];
    case 'FilterExpression':
      return [node.expr, node.subject];
    case 'ArrayLiteral':
      return node.value;
    case 'ObjectLiteral':
      return Object.values(node.value);
    case 'Identifier':
      return node.from ? [node.from] : [];
    case 'FunctionCall':
      return node.args;
    case 'Literal':
      return [];
  }
}

/** An expression as an error message quotes it: the start of a long one, never all of it. */
export function quotedExpr(source: string): string {
  const chars = [...source];
  return chars.length <= QUOTED_LENGTH ? source : `${chars.slice(0, QUOTED_LENGTH).join('')}…`;
}

/** YYYY-MM-DD naming a day that exists. */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The source with string literals blanked, for checks that must not look inside them. */
function withoutStrings(source: string): string {
  return source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (m) => ' '.repeat(m.length));
}

function syntaxDetail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 160);
}

/** The values an expression reads, by name (the engine's scope of one school). */
export type Scope = ReadonlyMap<string, Scalar | undefined>;

/** A checked tree (or a part of one) as a function of the scope. */
type Run = (scope: Scope) => unknown;

/**
 * Each checked tree as a closure, built once by walking jexl's tree (no eval, no Function):
 * the same operators as jexl's grammar, applied in the same order, so a value and a failure
 * are exactly those jexl's interpreter gives. Parts are kept too, for factsOf.
 */
const runs = new WeakMap<Ast, Run>();

function runOf(node: Ast): Run {
  let run = runs.get(node);
  if (!run) {
    run = buildRun(node);
    runs.set(node, run);
  }
  return run;
}

/**
 * jexl evaluates every operand of an operator (and every argument of a call) before it
 * looks at any failure, then fails with the first: so do these, so that of two missing
 * values the one reported is the one jexl would report.
 */
function both(left: Run, right: Run, op: (a: number, b: number) => unknown): Run {
  return (scope) => {
    let a: unknown;
    let b: unknown;
    let failure: { error: unknown } | undefined;
    try {
      a = left(scope);
    } catch (error) {
      failure = { error };
    }
    try {
      b = right(scope);
    } catch (error) {
      failure ??= { error };
    }
    if (failure) throw failure.error;
    return op(a as number, b as number);
  };
}

/** Every part's value, in order; as for `both`, all are computed before a failure is thrown. */
function every(parts: Run[], scope: Scope): unknown[] {
  const values: unknown[] = [];
  let failure: { error: unknown } | undefined;
  for (const part of parts) {
    try {
      values.push(part(scope));
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
  return values;
}

/** jexl's grammar, operator by operator (its `==` and `!=` are JavaScript's loose ones). */
const BINARY: Record<string, (a: number, b: number) => unknown> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '//': (a, b) => Math.floor(a / b),
  '%': (a, b) => a % b,
  '^': (a, b) => Math.pow(a, b),
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  in: (a: unknown, b: unknown) => (typeof b === 'string' ? b.indexOf(a as string) !== -1 : Array.isArray(b) ? b.some((e) => e === a) : false),
};

function buildRun(node: Ast): Run {
  switch (node.type) {
    case 'Literal': {
      const value = node.value;
      return () => value;
    }
    case 'Identifier': {
      const name = dottedName(node);
      if (name === null) return () => undefined;
      return (scope) => {
        const value = scope.get(name);
        return value === undefined || value === null ? missing(name) : value;
      };
    }
    case 'UnaryExpression': {
      const right = runOf(node.right);
      return (scope) => !right(scope);
    }
    case 'BinaryExpression': {
      const left = runOf(node.left);
      const right = runOf(node.right);
      if (node.operator === '&&') return (scope) => left(scope) && right(scope);
      if (node.operator === '||') return (scope) => left(scope) || right(scope);
      const op = BINARY[node.operator];
      if (!op) throw new Error(`unchecked operator ${node.operator}`);
      return both(left, right, op);
    }
    case 'ConditionalExpression': {
      const test = runOf(node.test);
      const consequent = node.consequent ? runOf(node.consequent) : undefined;
      const alternate = runOf(node.alternate);
      return (scope) => {
        const value = test(scope);
        if (value) return consequent ? consequent(scope) : value;
        return alternate(scope);
      };
    }
    case 'ArrayLiteral': {
      const elements = node.value.map(runOf);
      return (scope) => every(elements, scope);
    }
    case 'FunctionCall': {
      const fn = FUNCTIONS[node.name]?.fn;
      if (!fn || node.pool !== 'functions') throw new Error(`unchecked function ${node.name}`);
      const args = node.args.map(runOf);
      return (scope) => fn(...(every(args, scope) as number[]));
    }
    default:
      throw new Error(`unchecked node ${node.type}`);
  }
}

/** Set by a missing value when it is used (evaluation is synchronous, so this is safe). */
let missingUsed: string | undefined;

const missingByName = new Map<string, object>();

/** Stands in for a name without a value: any use of it in arithmetic or a comparison throws. */
function missing(name: string): object {
  let stand = missingByName.get(name);
  if (!stand) {
    const fail = () => {
      missingUsed = name;
      throw new Error(`missing value: ${name}`);
    };
    stand = Object.freeze(Object.assign(Object.create(null), { valueOf: fail, toString: fail, [Symbol.toPrimitive]: fail })) as object;
    missingByName.set(name, stand);
  }
  return stand;
}

/**
 * Evaluate a checked expression. A name without a value (an optional profile field such
 * as `boarders`) is reported, not guessed — but only if the expression actually needs it:
 * `boarding && boarders > 100` is simply false for a day school.
 */
export function evaluateExpr(expr: CompiledExpr, scope: Scope): EvalResult {
  const run = runOf(expr.ast);
  let value: unknown;
  missingUsed = undefined;
  try {
    value = run(scope);
  } catch (error) {
    if (missingUsed !== undefined) return { ok: false, missing: [missingUsed] };
    return { ok: false, error: { code: 'expr.runtime', params: { detail: syntaxDetail(error) } } };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, error: { code: 'expr.notFinite', params: { formula: expr.source } } };
    return { ok: true, value: tidyNumber(value) };
  }
  if (typeof value === 'boolean' || typeof value === 'string') return { ok: true, value };
  // A missing value that came through untouched (`cond ? boarders : 0` with cond true).
  const absent = expr.refs.filter((name) => scope.get(name) === undefined || scope.get(name) === null);
  if (absent.length > 0) return { ok: false, missing: absent };
  return { ok: false, error: { code: 'expr.runtime', params: { detail: String(value) } } };
}

/** Round away binary noise (0.1 * 3) so reports show what a person would compute. */
export function tidyNumber(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

const PRECEDENCE: Record<string, number> = {
  '||': 10,
  '&&': 20,
  '==': 30,
  '!=': 30,
  in: 30,
  '<': 40,
  '<=': 40,
  '>': 40,
  '>=': 40,
  '+': 50,
  '-': 50,
  '*': 60,
  '/': 60,
  '//': 60,
  '%': 60,
  '^': 70,
};

const DISPLAY_OP: Record<string, string> = { '*': '×', '/': '÷', '//': '÷↓' };

export function formatScalar(value: Scalar | undefined): string {
  if (value === undefined || value === null) return '?';
  if (typeof value === 'number') return String(tidyNumber(value));
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/**
 * The expression with names replaced by their values, as a person would write the sum:
 * `(students + staff) * masks_per_person_day * stock_days` → `(1100 + 100) × 1 × 14`.
 */
export function substitute(expr: CompiledExpr, scope: ReadonlyMap<string, Scalar | undefined>): string {
  return render(expr.ast, scope, 0);
}

function render(node: Ast, scope: ReadonlyMap<string, Scalar | undefined>, parentPrec: number): string {
  switch (node.type) {
    case 'Literal':
      return formatScalar(node.value);
    case 'Identifier': {
      const name = dottedName(node) ?? node.value;
      return formatScalar(scope.get(name));
    }
    case 'UnaryExpression':
      return `${node.operator}${render(node.right, scope, 80)}`;
    case 'BinaryExpression': {
      const prec = PRECEDENCE[node.operator] ?? 0;
      const op = DISPLAY_OP[node.operator] ?? node.operator;
      const text = `${render(node.left, scope, prec)} ${op} ${render(node.right, scope, prec + 1)}`;
      return prec < parentPrec ? `(${text})` : text;
    }
    case 'ConditionalExpression': {
      const text = `${render(node.test, scope, 1)} ? ${render(node.consequent, scope, 1)} : ${render(node.alternate, scope, 1)}`;
      return parentPrec > 0 ? `(${text})` : text;
    }
    case 'ArrayLiteral':
      return `[${node.value.map((n) => render(n, scope, 0)).join(', ')}]`;
    case 'FunctionCall':
      return `${node.name}(${node.args.map((n) => render(n, scope, 0)).join(', ')})`;
    default:
      return '?';
  }
}

/** One node of a checked tree, computed exactly as it is within the whole. */
function evalPart(node: Ast, scope: Scope): unknown {
  return runOf(node)(scope);
}

const NEGATED: Record<string, Fact['op']> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };

/**
 * What holds for this school that makes a boolean expression come out as it did, as facts
 * with their values: for `canteen || boarding` false, that there is no canteen and no
 * boarding; for `boarding && boarders > 100` false at a day school, only that it is a day
 * school (the part that decided it, as `&&` and `||` look no further). Undefined when a part
 * cannot be computed; the caller then falls back to the values as a sum.
 */
export function factsOf(expr: CompiledExpr, scope: ReadonlyMap<string, Scalar | undefined>, outcome: boolean): Fact[] | undefined {
  const term = (node: Ast): Term => {
    if (node.type === 'Identifier') {
      const name = dottedName(node) ?? node.value;
      return { name, value: scope.get(name) ?? null };
    }
    if (node.type === 'Literal') return { value: node.value };
    if (node.type === 'ArrayLiteral') return { value: null, list: node.value.map((n) => (n.type === 'Literal' ? n.value : null)) };
    const value = evalPart(node, scope);
    return { value: typeof value === 'number' ? tidyNumber(value) : (value as Scalar), sum: render(node, scope, 0) };
  };
  const why = (node: Ast, want: boolean): Fact[] => {
    if (node.type === 'UnaryExpression' && node.operator === '!') return why(node.right, !want);
    if (node.type === 'ConditionalExpression') {
      const test = evalPart(node.test, scope) === true;
      return [...why(node.test, test), ...why(test ? node.consequent : node.alternate, want)];
    }
    if (node.type === 'BinaryExpression') {
      const { operator: op, left, right } = node;
      if (op === '&&' || op === '||') {
        // `a && b` false, or `a || b` true: the first side that decided it says why.
        const decidedByOne = (op === '&&') !== want;
        if (!decidedByOne) return [...why(left, want), ...why(right, want)];
        return evalPart(left, scope) === want ? why(left, want) : why(right, want);
      }
      if (op === 'in') return [{ op: want ? 'in' : 'not_in', left: term(left), right: term(right) }];
      const negated = NEGATED[op];
      if (negated) return [{ op: want ? (op as Fact['op']) : negated, left: term(left), right: term(right) }];
    }
    return [{ op: 'is', left: term(node) }];
  };
  try {
    return why(expr.ast, outcome);
  } catch {
    return undefined;
  }
}
