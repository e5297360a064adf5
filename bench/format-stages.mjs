#!/usr/bin/env node
/**
 * What each streaming format costs a worker per school, in one thread:
 * `node bench/format-stages.mjs DIR [BEFORE_ROOT]`. The files of DIR are audited once (with
 * the locations JUnit and csv-items need); then each reporter's chunk as the worker makes it
 * (schoolBytes, or school() and the UTF-8 encoding), the summary row (rowOf) and locating
 * the findings (on a fresh lazily parsed source each round) are timed in CPU time, 4 rounds
 * after one not counted. With BEFORE_ROOT (another worktree, built) its reporters are timed
 * too, alternated round by round with these, and the chunks (bytes and text) and the
 * located positions compared.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? 'bench/tmp/s2k';
const before = process.argv[3];
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const m = async (base, p) => import(path.join(base, 'dist', p));
const { loadLibrary } = await m(root, 'load/library.js');
const { resolve } = await m(root, 'resolve/index.js');
const { decode } = await m(root, 'load/decode.js');
const { parseSourceFast } = await m(root, 'load/fast.js');
const { bindSchool } = await m(root, 'load/school.js');
const { auditSchool } = await m(root, 'engine/audit.js');
const { locateFindings } = await m(root, 'pipeline.js');

const files = (await glob('**/*.yaml', { cwd: dir })).sort().map((f) => path.join(dir, f));
const { set } = resolve(await loadLibrary(), { profile: 'national' }, 'x');
const ctx = { lang: process.env.REPORT_LANG ?? 'zh', color: false, tool: { name: 'reopen-audit', version: '0' } };
const entries = [];
const sources = [];
for (const file of files) {
  const text = decode(await readFile(file)).text;
  const loaded = parseSourceFast(file, text, 'school');
  if (!loaded.ok) continue;
  const bound = bindSchool(loaded.source, set);
  if (!bound.ok) continue;
  const result = auditSchool(set, bound.input);
  locateFindings(result, loaded.source);
  entries.push({ result, catalogue: set.catalogue, catalogueKey: 'national' });
  sources.push({ text, source: loaded.source });
}

const utf8 = new TextEncoder();
async function stagesOf(base) {
  const { rowOf } = await m(base, 'report/stream.js');
  const reporters = {
    json: (await m(base, 'report/json.js')).streamJson,
    csv: (await m(base, 'report/csv.js')).streamCsv,
    junit: (await m(base, 'report/junit.js')).streamJunit,
    summary: (await m(base, 'report/summary.js')).streamSummary,
  };
  const chunk = (r) => (r.schoolBytes ? (e) => r.schoolBytes(e, ctx) : (e) => utf8.encode(r.school(e, ctx)));
  const stages = Object.fromEntries(Object.entries(reporters).map(([name, r]) => [name, (e) => chunk(r)(e).length]));
  stages.rowOf = (e) => (rowOf(e.result, e.catalogueKey), 0);
  // The findings located again on a fresh source (nothing kept from an earlier call); the
  // result's items are copied so the entries keep their own locations.
  const { lazyParsed } = await m(base, 'load/fast.js');
  const { locateFindings: locateIn } = await m(base, 'pipeline.js');
  const relocated = (i) => {
    const { text, source } = sources[i];
    const result = { ...entries[i].result, items: entries[i].result.items.map((item) => ({ ...item })) };
    locateIn(result, { ...source, parsed: lazyParsed(text, source.data) });
    return result;
  };
  stages.locate = (e, i) => (relocated(i), 0);
  const positions = (i) => JSON.stringify(relocated(i).items.map((item) => item.location ?? null));
  return { stages, positions, texts: Object.fromEntries(Object.entries(reporters).map(([name, r]) => [name, (e) => r.school(e, ctx)])), bytes: Object.fromEntries(Object.entries(reporters).map(([name, r]) => [name, chunk(r)])) };
}
const builds = { this: await stagesOf(root) };
if (before) builds.before = await stagesOf(path.resolve(before));
const names = Object.keys(builds.this.stages);
const cpu = {};
const bytes = {};
for (let round = 0; round <= ROUNDS; round++) {
  const order = round % 2 ? Object.keys(builds).reverse() : Object.keys(builds);
  for (const name of names) {
    for (const build of order) {
      const stage = builds[build].stages[name];
      const c = process.cpuUsage();
      let b = 0;
      for (let i = 0; i < entries.length; i++) b += stage(entries[i], i);
      const d = process.cpuUsage(c);
      if (round === 0) continue;
      cpu[`${build} ${name}`] = (cpu[`${build} ${name}`] ?? 0) + d.user + d.system;
      bytes[name] = b;
    }
  }
}
const per = (key) => cpu[key] / ROUNDS / entries.length;
console.log(`${entries.length} schools (locate: the findings located for junit/csv-items, with copying the items)`);
for (const name of names) {
  let line = `${name.padEnd(8)} ${per(`this ${name}`).toFixed(1).padStart(7)} µs a school, ${Math.round(bytes[name] / entries.length)} bytes`;
  if (before) {
    const a = builds.this;
    const b = builds.before;
    const same =
      name === 'rowOf' ||
      (name === 'locate'
        ? entries.every((_, i) => a.positions(i) === b.positions(i))
        : entries.every((e) => b.texts[name](e) === a.texts[name](e) && Buffer.compare(b.bytes[name](e), a.bytes[name](e)) === 0));
    line += `; before ${per(`before ${name}`).toFixed(1)} µs: ${(per(`this ${name}`) / per(`before ${name}`)).toFixed(2)}×${same ? '' : ' (CHUNKS DIFFER)'}`;
  }
  console.log(line);
}
