#!/usr/bin/env node
/**
 * Where the time of one school goes, stage by stage, in one thread, CPU time:
 * `node bench/stages.mjs DIR [ROUNDS]`. `jsyaml` is js-yaml's parse alone, for comparison
 * (not part of `all`); `parseFast` is the fast path as the audit runs it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const m = async (p) => import(path.join(root, 'dist', p));
const { loadLibrary } = await m('load/library.js');
const { resolve } = await m('resolve/index.js');
const { decode } = await m('load/decode.js');
const { readSource } = await m('load/source.js');
const { parseSourceFast } = await m('load/fast.js');
const { bindSchool } = await m('load/school.js');
const { auditSchool } = await m('engine/audit.js');
const { locateFindings } = await m('pipeline.js');
const { streamJson } = await m('report/json.js');
const { load, CORE_SCHEMA } = await import('js-yaml');

const utf8 = new TextEncoder();
const dir = process.argv[2] ?? 'bench/tmp/s1k';
const files = (await glob('**/*.yaml', { cwd: dir })).sort().map((f) => path.join(dir, f));
const t = { read: 0, decode: 0, jsyaml: 0, parseFast: 0, bind: 0, audit: 0, locate: 0, json: 0 };
// CPU time of the process (the machine is shared: wall time is not usable), in ms.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let tick = cpu();
const lap = (k) => {
  const now = cpu();
  t[k] += now - tick;
  tick = now;
};
const lib = await loadLibrary();
const { set } = resolve(lib, { profile: 'national' }, 'x');
const ctx = { lang: 'zh', color: false, tool: { name: 'reopen-audit', version: '0' } };
let n = 0;
const texts = [];
const rounds = Number(process.argv[3] ?? 1);
for (let round = 0; round < rounds; round++)
  for (const file of files) {
    tick = cpu();
    // As a worker reads a file (synchronously).
  const { bytes } = await readSource(file);
    lap('read');
    const d = decode(bytes);
    lap('decode');
    try {
      load(d.text, { schema: CORE_SCHEMA });
    } catch {
      // counted in parseFast
    }
    lap('jsyaml');
    const loaded = parseSourceFast(file, d.text, 'school');
    lap('parseFast');
    if (!loaded.ok) continue;
    const bound = bindSchool(loaded.source, set);
    lap('bind');
    if (!bound.ok) continue;
    const result = auditSchool(set, bound.input);
    lap('audit');
    locateFindings(result, loaded.source);
    lap('locate');
    // The chunk as a worker hands it over: UTF-8 bytes.
  const entry = { result, catalogue: set.catalogue, catalogueKey: 'national' };
  if (streamJson.schoolBytes) streamJson.schoolBytes(entry, ctx);
  else utf8.encode(streamJson.school(entry, ctx));
    lap('json');
    n++;
  }
// js-yaml alone on the same texts, in a pass of its own (its garbage is not counted in the stages).
tick = cpu();
for (const text of texts) {
  try {
    load(text, { schema: CORE_SCHEMA });
  } catch {
    // a broken file still costs its parse
  }
}
lap('jsyaml');
t.all = Object.values(t).reduce((a, b) => a + b, 0) - t.jsyaml;
for (const [k, v] of Object.entries(t))
  console.log(`${k.padEnd(10)} ${((v / n) * 1000).toFixed(0).padStart(6)} µs/file`);
