/**
 * The house rules of docs/architecture.md, held by the source itself: every import points
 * down the flow (bytes → load → resolve → engine → report → cli), and no module reaches
 * itself again through its imports. A new folder must be given its place here and there.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');

/** Each room's place in the flow: a module may import only from rooms with a lower rank (or its own). */
const RANK: Record<string, number> = {
  util: 0,
  model: 0,
  version: 0,
  expr: 1,
  i18n: 2,
  load: 3,
  resolve: 4,
  engine: 5,
  coverage: 5,
  report: 6,
  write: 6,
  compare: 7,
  pipeline: 7,
  batch: 8,
  interview: 9,
  cli: 10,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The project modules a file imports, statically, dynamically or as types, as paths under src/. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) =>
      path
        .relative(SRC, path.resolve(path.dirname(file), name))
        .replace(/\.js$/, '.ts')
        .split(path.sep)
        .join('/'),
    );
}

const room = (module: string) =>
  module.includes('/') ? (module.split('/')[0] as string) : module.replace(/\.ts$/, '');

const GRAPH = new Map(
  sourceFiles(SRC).map((f) => [path.relative(SRC, f).split(path.sep).join('/'), importsOf(f)]),
);

/** Every cycle's modules, found by a depth-first walk (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph (docs/architecture.md)', () => {
  it('finds the modules and resolves every project import to one of them', () => {
    expect(GRAPH.size).toBeGreaterThan(50);
    const dangling = [...GRAPH].flatMap(([from, to]) =>
      to.filter((t) => !GRAPH.has(t)).map((t) => `${from} → ${t}`),
    );
    expect(dangling).toEqual([]);
  });

  it('gives every room of src/ a place in the flow', () => {
    const rooms = [...new Set([...GRAPH.keys()].map(room))].sort();
    expect(rooms.filter((r) => RANK[r] === undefined)).toEqual([]);
  });

  it('has no import from a room to one higher up the flow, or beside it', () => {
    const back = [...GRAPH].flatMap(([from, to]) =>
      to
        .filter((t) => room(t) !== room(from) && (RANK[room(t)] ?? 99) >= (RANK[room(from)] ?? -1))
        .map((t) => `${from} → ${t}`),
    );
    expect(back).toEqual([]);
  });

  it('has no circle of imports', () => {
    expect(cycles(GRAPH)).toEqual([]);
  });

  it('would see a circle and a back-arrow if there were one', () => {
    const bad = new Map(GRAPH);
    bad.set('load/source.ts', [...(GRAPH.get('load/source.ts') ?? []), 'resolve/index.ts']);
    expect(cycles(bad).some((c) => c.includes('load/source.ts') && c.includes('resolve/index.ts'))).toBe(
      true,
    );
  });
});

describe('what the repository holds', () => {
  // A clone without git (a tarball) has nothing to ask.
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  it.skipIf(tracked.status !== 0)('no build output and no installed packages: dist/ and node_modules are made by npm ci', () => {
    const files = tracked.stdout.split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => /^(dist|node_modules)(\/|$)|\/node_modules(\/|$)|\.tsbuildinfo$|\.generated\.js$/.test(f))).toEqual([]);
  });
});
