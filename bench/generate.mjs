#!/usr/bin/env node
/**
 * Deterministic generator of realistic school files for benchmarks and scale tests:
 * `node bench/generate.mjs <count> <dir> [seed]`. Each file answers every item of the
 * national profile that applies to it (≈ 90 answers, ≈ 4.5 KB, Chinese text); about 45 %
 * are ready, 35 % not ready, 19 % incomplete and 1 % invalid. Same count and seed, same
 * bytes. Needs `npm run build` first (it reads the checklists through dist/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadLibrary } = await import(path.join(root, 'dist/load/library.js'));
const { resolve } = await import(path.join(root, 'dist/resolve/index.js'));
const { evaluateExpr } = await import(path.join(root, 'dist/expr/index.js'));

const count = Number(process.argv[2] ?? 1000);
const outDir = process.argv[3] ?? 'bench/tmp/schools';
const seed = Number(process.argv[4] ?? 20200228);

/** mulberry32: small, fast, and the same everywhere. */
function prng(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const CITIES = [
  ['郑州市', ['金水区', '二七区', '中原区', '管城回族区', '惠济区', '上街区', '巩义市', '新郑市']],
  ['济南市', ['历下区', '市中区', '槐荫区', '天桥区', '历城区', '长清区', '章丘区', '平阴县']],
  ['长春市', ['南关区', '宽城区', '朝阳区', '二道区', '绿园区', '双阳区', '九台区', '伊通满族自治县']],
  ['西宁市', ['城东区', '城中区', '城西区', '城北区', '湟中区', '大通回族土族自治县', '湟源县']],
];
const TYPES = [
  ['primary', '小学', 0.42],
  ['junior', '初级中学', 0.2],
  ['senior', '高级中学', 0.1],
  ['kindergarten', '幼儿园', 0.18],
  ['nine_year', '九年一贯制学校', 0.06],
  ['complete_secondary', '完全中学', 0.04],
];
const NAME_PARTS = ['实验', '第一', '第二', '第三', '育才', '光明', '新华', '东风', '红旗', '南湖', '北苑', '朝阳', '春晖', '明德'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超'];
const NOTES = [
  '已查阅相关台账，记录完整，签字齐全。',
  '现场查看，与台账记录一致。',
  '随机访谈两名班主任，回答与学校方案一致。',
  '资料已报主管教育局备案，备案回执存档。',
  '查看近两周记录，每日均有登记，负责人签字。',
  '现场演示流程顺畅，相关人员熟悉职责分工。',
  '物资存放于专用库房，标识清楚，专人保管。',
  '与属地卫生健康部门建立联络机制，联系人明确。',
];

const person = () => `${pick(SURNAMES)}${pick(GIVEN)}${random() < 0.5 ? pick(GIVEN) : ''}`;
const pad = (n, w) => String(n).padStart(w, '0');
const quote = (s) => JSON.stringify(s);

function schoolType() {
  let r = random();
  for (const [code, label, p] of TYPES) {
    if ((r -= p) < 0) return [code, label];
  }
  return TYPES[0];
}

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const library = await loadLibrary();
const resolved = resolve(library, { profile: 'national' }, 'generate');
if (!resolved.ok) throw new Error(JSON.stringify(resolved.failures));
const { set } = resolved;

function scopeFor(school, auditDate) {
  const scope = new Map([
    ['students', school.students],
    ['staff', school.staff],
    ['boarders', school.boarders],
    ['classes', school.classes],
    ['boarding', school.boarding],
    ['canteen', school.canteen],
    ['type', school.type],
    ['district', school.district],
    ['level', 'county'],
    ['audit_date', auditDate],
  ]);
  for (const [k, v] of set.params) scope.set(k, v);
  return scope;
}

function applies(item, scope, answers) {
  for (const c of item.conditions) {
    for (const ref of c.refs) if (set.itemsById.has(ref)) scope.set(ref, answers.get(ref));
    const r = evaluateExpr(c, scope);
    if (!r.ok || r.value !== true) return false;
  }
  return true;
}

/** A passing value for the item, or a failing one when `fail` is set. */
function answerFor(compiled, scope, auditDate, fail) {
  const spec = compiled.item.answer;
  const expect = compiled.item.expect ?? {};
  if (spec.type === 'boolean') return expect.equals === false ? fail : !fail;
  if (spec.type === 'number') {
    let min = spec.min ?? 0;
    let max = spec.max;
    for (const { name, bound } of compiled.bounds) {
      const value = bound.kind === 'literal' ? bound.value : evaluateExpr(bound.expr, scope).value;
      if (typeof value !== 'number') continue;
      if (name === 'min' || name === 'equals') min = Math.max(min, value);
      if (name === 'max') max = max === undefined ? value : Math.min(max, value);
    }
    if (fail && min > 0) return Math.max(0, Math.floor(min * (0.3 + random() * 0.6)));
    if (fail && max !== undefined) return Math.ceil(max * 1.5) + 1;
    const hi = max ?? Math.ceil(min * 1.6 + 5);
    const value = min + Math.floor(random() * Math.max(1, hi - min + 1));
    return spec.integer === false ? value : Math.round(value);
  }
  if (spec.type === 'choice') {
    const options = spec.options.map((o) => o.value);
    const good = expect.one_of ?? (expect.equals ? [expect.equals] : options);
    const bad = options.filter((o) => !good.includes(o));
    return fail && bad.length > 0 ? pick(bad) : pick(good);
  }
  if (spec.type === 'date') {
    const window = compiled.bounds.find((b) => b.name === 'within_days');
    const days = window?.bound.kind === 'literal' ? window.bound.value : 7;
    return addDays(auditDate, fail ? -(days + between(5, 60)) : -between(0, Math.max(0, days - 1)));
  }
  return `${person()}（${pick(['校长', '副校长', '校医', '总务主任', '德育主任'])}）`;
}

function render(index) {
  const [city, districts] = CITIES[index % CITIES.length];
  const district = pick(districts);
  const [type, typeLabel] = schoolType();
  const big = type === 'senior' || type === 'complete_secondary';
  const students = type === 'kindergarten' ? between(80, 420) : big ? between(900, 3200) : between(240, 1800);
  const staff = Math.max(12, Math.round(students / between(11, 16)));
  const boarding = big ? random() < 0.7 : type === 'kindergarten' ? false : random() < 0.12;
  const canteen = boarding || random() < 0.6;
  const school = {
    id: `${pad(410000 + (index % 9000), 6)}-${pad(index, 6)}`,
    name: `${city}${district}${pick(NAME_PARTS)}${typeLabel}`,
    district,
    type,
    boarding,
    canteen,
    students,
    staff,
    boarders: boarding ? Math.round(students * (0.4 + random() * 0.5)) : undefined,
    classes: Math.max(3, Math.round(students / between(30, 48))),
  };
  const auditDate = addDays('2020-04-01', between(0, 40));
  const scope = scopeFor(school, auditDate);
  const roll = random();
  const verdict = roll < 0.45 ? 'ready' : roll < 0.8 ? 'not_ready' : 'incomplete';
  const answerable = set.items.filter((c) => c.item.answer);
  const answers = new Map();
  const lines = [];
  const failAt = new Set();
  if (verdict === 'not_ready') {
    const critical = answerable.filter((c) => c.item.severity === 'critical' || c.item.severity === 'gate');
    for (let k = between(1, 3); k > 0; k--) failAt.add(pick(critical).item.id);
  }
  const skip = new Set();
  if (verdict === 'incomplete') for (let k = between(1, 5); k > 0; k--) skip.add(pick(answerable).item.id);
  let section = '';
  for (const compiled of answerable) {
    if (!applies(compiled, scope, answers)) continue;
    const id = compiled.item.id;
    const value = answerFor(compiled, scope, auditDate, failAt.has(id));
    answers.set(id, value);
    if (skip.has(id)) continue;
    const head = id.split('.')[0];
    if (head !== section) {
      section = head;
      lines.push(`  # ${set.catalogue.checklists.find((c) => c.id === compiled.checklistId)?.title.zh ?? head}`);
    }
    const text = typeof value === 'string' ? quote(value) : String(value);
    if (random() < 0.08) {
      lines.push(`  ${id}:`, `    value: ${text}`, `    note: ${quote(pick(NOTES))}`);
      if (random() < 0.5) lines.push(`    evidence: [${quote(`photos/${id.replace(/\./g, '-')}.jpg`)}]`);
    } else {
      lines.push(`  ${id}: ${text}`);
    }
  }
  const profile = [
    `# ${school.name} 开学条件核验（${auditDate}）`,
    `# 由 bench/generate.mjs 生成，仅用于性能测试`,
    'school:',
    `  id: ${quote(school.id)}`,
    `  name: ${school.name}`,
    `  district: ${district}`,
    `  type: ${type}`,
    `  boarding: ${boarding}`,
    `  canteen: ${canteen}`,
    `  students: ${students}`,
    `  staff: ${staff}`,
    ...(school.boarders !== undefined ? [`  boarders: ${school.boarders}`] : []),
    `  classes: ${school.classes}`,
    `  principal: ${person()}`,
    `  contact: "0371-${between(60000000, 69999999)}"`,
    'audit:',
    `  date: ${auditDate}`,
    '  level: county',
    '  auditors:',
    `    - {name: ${person()}, org: ${district}教育局}`,
    `    - {name: ${person()}, org: ${district}卫生健康委员会}`,
    '  profile: national',
    'answers:',
  ];
  let text = `${[...profile, ...lines].join('\n')}\n`;
  // About one file in a hundred is broken the way hand-edited files break.
  if (index % 100 === 37) {
    const breakage = (index / 100) % 4 | 0;
    if (breakage === 0) text = text.replace(`students: ${students}`, 'students: 一千二百');
    else if (breakage === 1) text = text.replace('  supplies.protective.masks', '  supplies.protective.mask');
    else if (breakage === 2) text = text.replace(`  name: ${school.name}`, `  name: "${school.name}`);
    else text = text.replace(`date: ${auditDate}`, 'date: 2020-02-30');
  }
  return { file: path.join(outDir, district, `${school.id}.yaml`), text };
}

let bytes = 0;
for (let i = 0; i < count; i++) {
  const { file, text } = render(i);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  bytes += Buffer.byteLength(text);
}
process.stdout.write(`${count} files, ${Math.round(bytes / count)} bytes each on average, in ${outDir}\n`);
