import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

const FORMATS = ['text', 'markdown', 'json', 'junit', 'csv', 'csv-items', 'github', 'sarif', 'summary'];

describe('batch audits', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('batch');
    // 160 generated schools: enough for worker threads (64+), with ~1 % broken files.
    execFileSync(process.execPath, ['bench/generate.mjs', '160', path.join(dir, 'schools'), '7'], { cwd: ROOT });
  });

  function runWith(jobs: number): { code: number; out: string; stderr: string } {
    const out = mkdtempSync(path.join(dir, `out-${jobs}-`));
    const args = ['audit', path.join(dir, 'schools'), '--jobs', String(jobs), '--out-dir', path.join(out, 'schools')];
    for (const f of FORMATS) args.push('--format', `${f}:${path.join(out, `report.${f}`)}`);
    const r = cli(args);
    return { code: r.code, out, stderr: r.stderr };
  }

  it('writes byte-identical outputs whatever the number of workers', () => {
    const one = runWith(1);
    const two = runWith(2);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    for (const f of FORMATS) {
      const a = readFileSync(path.join(one.out, `report.${f}`));
      const b = readFileSync(path.join(two.out, `report.${f}`));
      expect(b.equals(a), f).toBe(true);
    }
    const index = readFileSync(path.join(two.out, 'schools', 'index.md'), 'utf8');
    expect(index).toBe(readFileSync(path.join(one.out, 'schools', 'index.md'), 'utf8'));
  });

  it('audits every good file, reports the broken ones, and sums up', () => {
    const { out, stderr } = runWith(2);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.summary.schools + report.summary.failedFiles).toBe(160);
    expect(report.summary.failedFiles).toBeGreaterThan(0);
    expect(stderr.trim().split('\n')).toHaveLength(report.summary.failedFiles);
    expect(report.schools.map((s: { file: string }) => s.file)).toEqual([...report.schools.map((s: { file: string }) => s.file)].sort());
    // One Markdown report per audited school, beside an index that links them all.
    const written = readdirSync(path.join(out, 'schools'), { recursive: true }).filter((f) => String(f).endsWith('.md'));
    expect(written).toHaveLength(report.summary.schools + 1);
  });
});

describe("the main thread's young generation during a batch", () => {
  it('is collected on demand, and leaves no gc function to later contexts', async () => {
    const { PerformanceObserver, constants } = await import('node:perf_hooks');
    const { runInNewContext } = await import('node:vm');
    const { collectYoung } = await import('../src/batch/young.js');
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
    });
    observer.observe({ entryTypes: ['gc'] });
    collectYoung();
    collectYoung();
    // GC entries are delivered on a later turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    // The national batch's memory target leans on this: if a Node release takes it away, this says so.
    expect(kinds.filter((k) => k === constants.NODE_PERFORMANCE_GC_MINOR).length).toBeGreaterThanOrEqual(2);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
