import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, libraryFrom, resolveOk } from './helpers.js';
import { explain } from '../src/i18n/index.js';

const checklist = readFileSync(new URL('./fixtures/mini-checklist.yaml', import.meta.url), 'utf8');
const library = libraryFrom({ 'mini.yaml': checklist }, { 'p.yaml': readFileSync(new URL('./fixtures/mini-profiles.yaml', import.meta.url), 'utf8') });
const set = resolveOk(library, { profile: 'mini-national' });

function school(answers: string, profile = 'type: primary\n  students: 1100\n  staff: 100'): string {
  return `school:
  id: "370102-001"
  name: 济南市历下区实验小学
  district: 历下区
  ${profile}
audit:
  date: 2020-04-20
  level: county
answers:
${answers}`;
}

const allGood = `  mini.gates.epidemic: true
  mini.supplies.masks: 16800
  mini.supplies.health_staff: 2
  mini.isolation.exists: true
  mini.isolation.signage: true
  mini.plans.drill_date: 2020-04-10
  mini.plans.entrance: gate
`;

describe('audit engine', () => {
  it('finds a school READY when every applicable item passes', () => {
    const r = audit(set, school(allGood));
    expect(r.verdict).toBe('READY');
    expect(r.decidedBy).toEqual([]);
    expect(r.items.find((i) => i.id === 'mini.isolation.boarding_site')?.status).toBe('not_applicable');
    expect(r.items.find((i) => i.id === 'mini.gates.conditions')?.status).toBe('pass');
  });

  it('fails a computed threshold with the formula, the numbers and the required value', () => {
    const r = audit(set, school(allGood.replace('masks: 16800', 'masks: 8400')));
    const masks = r.items.find((i) => i.id === 'mini.supplies.masks');
    expect(masks?.status).toBe('fail');
    expect(masks?.computation).toMatchObject({
      formula: '(students + staff) * masks_per_person_day * stock_days',
      substituted: '(1100 + 100) × 1 × 14',
      required: 16800,
    });
    expect(explain('zh', masks!, set.catalogue)).toBe('口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(explain('en', masks!, set.catalogue)).toBe('Mask stock 8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
    expect(r.verdict).toBe('NOT_READY');
    expect(r.decidedBy.map((d) => d.id)).toEqual(['mini.gates.conditions', 'mini.supplies.masks']);
  });

  it('rolls a gate up from the sections it covers', () => {
    const r = audit(set, school(allGood.replace('mini.isolation.exists: true', 'mini.isolation.exists: false')));
    const gate = r.items.find((i) => i.id === 'mini.gates.conditions');
    expect(gate?.status).toBe('fail');
    expect(gate?.reason).toEqual({ code: 'reason.rollupFail', params: { count: 1, items: 'mini.isolation.exists' } });
    // Signage depends on the room existing: without a room it does not apply.
    expect(r.items.find((i) => i.id === 'mini.isolation.signage')?.status).toBe('not_applicable');
  });

  it('computes ceil(students / 600) as a person would', () => {
    const r = audit(set, school(allGood.replace('health_staff: 2', 'health_staff: 1')));
    const staff = r.items.find((i) => i.id === 'mini.supplies.health_staff');
    expect(staff?.status).toBe('fail');
    expect(staff?.computation?.substituted).toBe('ceil(1100 ÷ 600)');
    expect(staff?.computation?.required).toBe(2);
    // A major failure is a finding, not a verdict.
    expect(r.verdict).toBe('READY');
  });

  it('is INCOMPLETE when required items are unanswered, naming them', () => {
    const r = audit(set, school(allGood.replace('  mini.plans.entrance: gate\n', '')));
    expect(r.verdict).toBe('INCOMPLETE');
    expect(r.decidedBy).toEqual([{ id: 'mini.plans.entrance', kind: 'item', status: 'unanswered', severity: 'major' }]);
  });

  it('leaves dependent items pending while what they depend on is unanswered', () => {
    const r = audit(set, school(allGood.replace('  mini.isolation.exists: true\n', '')));
    const signage = r.items.find((i) => i.id === 'mini.isolation.signage');
    expect(signage?.status).toBe('unanswered');
    expect(signage?.reason).toEqual({ code: 'reason.dependsUnanswered', params: { dep: 'mini.isolation.exists' } });
  });

  it('applies boarding items to boarding schools and senior schools', () => {
    const boarding = audit(set, school(allGood, 'type: primary\n  boarding: true\n  students: 1100\n  staff: 100'));
    expect(boarding.items.find((i) => i.id === 'mini.isolation.boarding_site')?.status).toBe('unanswered');
    const senior = audit(set, school(allGood, 'type: senior\n  students: 1100\n  staff: 100'));
    expect(senior.items.find((i) => i.id === 'mini.isolation.boarding_site')?.status).toBe('unanswered');
  });

  it('checks dates against the audit date, not the clock', () => {
    const old = audit(set, school(allGood.replace('drill_date: 2020-04-10', 'drill_date: 2020-02-01')));
    const drill = old.items.find((i) => i.id === 'mini.plans.drill_date');
    expect(drill?.status).toBe('fail');
    expect(drill?.reason.params).toMatchObject({ age: 79, required: 30 });
    const future = audit(set, school(allGood.replace('drill_date: 2020-04-10', 'drill_date: 2020-05-01')));
    expect(future.items.find((i) => i.id === 'mini.plans.drill_date')?.reason.code).toBe('reason.failFuture');
  });

  it('fails a choice outside the accepted options', () => {
    const r = audit(set, school(allGood.replace('entrance: gate', 'entrance: none')));
    expect(r.items.find((i) => i.id === 'mini.plans.entrance')?.reason).toEqual({ code: 'reason.failOneOf', params: { actual: 'none', allowed: 'gate, handheld' } });
  });

  it('fails a gate whatever else holds', () => {
    const r = audit(set, school(allGood.replace('epidemic: true', 'epidemic: false')));
    expect(r.verdict).toBe('NOT_READY');
    expect(r.decidedBy).toEqual([{ id: 'mini.gates.epidemic', kind: 'item', status: 'fail', severity: 'gate' }]);
  });

  it('treats an inspector-marked N/A as not applicable, never as a pass', () => {
    const r = audit(set, school(allGood.replace('signage: true', 'signage: {value: 不适用, note: 隔离室在卫生室内}')));
    const signage = r.items.find((i) => i.id === 'mini.isolation.signage');
    expect(signage?.status).toBe('not_applicable');
    expect(signage?.answer?.note).toBe('隔离室在卫生室内');
  });

  it('scores per checklist by weight, leaving out what does not apply', () => {
    const r = audit(set, school(allGood.replace('health_staff: 2', 'health_staff: 1')));
    // 7 applicable answered items + 1 roll-up of weight 0; one of weight 1 fails.
    expect(r.scores[0]).toMatchObject({ id: 'mini', score: 6, possible: 7, percent: 85.7, belowPassMark: false });
  });

  it('fails a school whose score falls below the pass mark', () => {
    const answers = `  mini.gates.epidemic: true
  mini.supplies.masks: 16800
  mini.supplies.health_staff: 0
  mini.isolation.exists: true
  mini.isolation.signage: false
  mini.plans.drill_date: 2019-01-01
  mini.plans.entrance: none
`;
    const r = audit(set, school(answers));
    expect(r.scores[0]?.belowPassMark).toBe(true);
    expect(r.verdict).toBe('NOT_READY');
    expect(r.decidedBy).toContainEqual({ id: 'mini', kind: 'score' });
  });

  it('takes parameter overrides from the command line', () => {
    const shorter = resolveOk(library, { profile: 'mini-national', params: { stock_days: '7' } });
    const r = audit(shorter, school(allGood.replace('masks: 16800', 'masks: 8400')));
    const masks = r.items.find((i) => i.id === 'mini.supplies.masks');
    expect(masks?.status).toBe('pass');
    expect(masks?.computation?.substituted).toBe('(1100 + 100) × 1 × 7');
  });

  it('applies a waiver to a failed non-gate item until it expires', () => {
    const waived = `${school(allGood.replace('health_staff: 2', 'health_staff: 1'))}waivers:
  - item: mini.supplies.health_staff
    reason: 校医已招聘，5月1日到岗
    approved_by: 历下区教育局
    approved_on: 2020-04-18
    expires: 2020-05-01
`;
    const r = audit(set, waived);
    expect(r.items.find((i) => i.id === 'mini.supplies.health_staff')?.status).toBe('waived');
    const expired = audit(set, waived.replace('expires: 2020-05-01', 'expires: 2020-04-19'));
    const item = expired.items.find((i) => i.id === 'mini.supplies.health_staff');
    expect(item?.status).toBe('fail');
    expect(item?.waiver?.expired).toBe(true);
  });
});
