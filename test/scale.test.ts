/**
 * Reports of a national batch: lists that grow with the roster or the batch (530,000 schools)
 * must not be passed to a function as one argument each, which overflows the stack at some
 * 120,000. A roster of 150,000 schools, none of which sent a file, rendered as the district
 * summary: every school is there, the last one too. (The terminal report of as many takes
 * over a minute here, too long for the suite; its tables measure their columns in loops too.)
 */
import { describe, expect, it } from 'vitest';
import { CoverageBuilder } from '../src/coverage/pair.js';
import type { Roster } from '../src/model/coverage.js';
import type { ReportContext } from '../src/report/context.js';
import type { RunSummary } from '../src/report/stream.js';
import { streamSummary } from '../src/report/summary.js';

const N = 150_000;
const id = (i: number) => `130104-${String(i).padStart(6, '0')}`;
const roster: Roster = {
  file: 'roster.csv',
  schools: Array.from({ length: N }, (_, i) => ({ id: id(i), name: `第${i}小学`, district: `区县${i % 40}`, at: { file: 'roster.csv', line: i + 2, col: 1 } })),
};
const { coverage } = new CoverageBuilder(roster, 'county').finish();
const summary: RunSummary = { rows: [], tally: { schools: 0, READY: 0, NOT_READY: 0, INCOMPLETE: 0, catalogueKeys: [] }, failures: [], catalogues: {}, coverage };
const ctx = { lang: 'zh', color: false, tool: { name: 'reopen-audit', version: '1.0.0' }, detail: 'all' } as ReportContext;

describe('a roster of 150,000 schools', () => {
  it('the district summary lists every school as missing, in pieces', () => {
    const pieces = [...(streamSummary.endPieces?.(summary, ctx) ?? [])];
    expect(pieces.length).toBeGreaterThan(100);
    const text = pieces.join('');
    expect(text).toContain(`| 区县39 | ${id(N - 1)} | 第${N - 1}小学 | 未提交 |`);
    expect(text.match(/\| 130104-\d{6} \| [^|]+ \| 未提交 \|/g)).toHaveLength(N);
  });
});
