#!/usr/bin/env node
/**
 * `npm run bench [-- 1000,10000,100000]`: times, in one run and on the same generated
 * files, (a) the full audit with every built-in checklist writing a JSON report — cold,
 * and again with `--cache` once the cache holds every file (the re-run of a county's CI,
 * where most files have not changed) — (b) the
 * parse floors — reading and parsing the same files with `yaml` and with `js-yaml` on the
 * same number of workers, nothing else — and (c) ajv-cli validating them against the
 * school-file JSON Schema. Reports files/s, the ratios, peak memory and CPU use, plus the
 * start-up of `reopen-audit --version` against `node -e 0`, and writes docs/performance.md;
 * at 100k also (d) the same cold run with `--roster` (`-- 100000 --roster`: that alone), and
 * (e) a one-file audit against the library load (bench/startup.mjs; `-- --startup`: that alone).
 * These machines are shared and noisy: compare ratios from one run, not absolute times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureStartup, startupLine, startupSection } from './startup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
/** `--formats`: only the document formats (HTML, xlsx) against JSON, into their own section. */
const FORMATS_ONLY = argv.includes('--formats');
/** `--roster`: only the roster run (a plain cold run and the same with `--roster`), into its own section. */
const ROSTER_ONLY = argv.includes('--roster');
/** `--startup`: only the one-file audit against Node's start-up and the library load, into its own section. */
const STARTUP_ONLY = argv.includes('--startup');
const sizes = (argv.find((a) => !a.startsWith('--')) ?? (FORMATS_ONLY ? '10000' : ROSTER_ONLY ? '100000' : '1000,10000,100000')).split(',').map(Number);
const JOBS = 2;
const REPEAT_SMALL = 3;
const tmp = path.join(root, 'bench/tmp');
mkdirSync(tmp, { recursive: true });

/** Run a command under GNU time: wall seconds, peak RSS (MB) and CPU use (%). */
function measure(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %P', command, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const last = result.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb, cpu] = last.split(' ');
  return { seconds: Number(seconds), mb: Number(kb) / 1024, cpu: Number.parseInt(cpu ?? '0', 10) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function best(runs) {
  return {
    seconds: median(runs.map((r) => r.seconds)),
    mb: median(runs.map((r) => r.mb)),
    cpu: median(runs.map((r) => r.cpu)),
  };
}

function filesIn(dir) {
  return execFileSync('find', [dir, '-name', '*.yaml', '-type', 'f'], { encoding: 'utf8', maxBuffer: 1 << 30 })
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** ajv-cli stops at the first file it cannot parse; give it the ones it can. */
function parseableByAjvCli(files) {
  const yaml3 = path.join(root, 'node_modules/ajv-cli/node_modules/js-yaml');
  const script = `const y=require(${JSON.stringify(existsSync(yaml3) ? yaml3 : 'js-yaml')});const fs=require('fs');
const files=fs.readFileSync(0,'utf8').split('\\n').filter(Boolean);const ok=[];
for(const f of files){try{(y.safeLoad||y.load)(fs.readFileSync(f,'utf8'));ok.push(f)}catch{}}
process.stdout.write(ok.join('\\n'));`;
  return execFileSync(process.execPath, ['-e', script], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 30 })
    .split('\n')
    .filter(Boolean);
}

const node = process.execPath;

/** The generated files of one size, made once and kept in bench/tmp. */
function schoolsOf(size) {
  const dir = path.join(tmp, `schools-${size}`);
  if (!existsSync(path.join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    execFileSync(node, ['bench/generate.mjs', String(size), dir], { cwd: root, stdio: 'inherit' });
    writeFileSync(path.join(dir, '.complete'), '');
  }
  return dir;
}

/** The measured part of docs/performance.md between two markers; what is around it is kept. */
function writeSection(name, lines, fallbackTitle) {
  const START = `<!-- ${name}:start -->`;
  const END = `<!-- ${name}:end -->`;
  const docPath = path.join(root, 'docs/performance.md');
  const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Performance\n';
  const measured = `${START}\n${lines.join('\n')}\n${END}`;
  const doc =
    previous.includes(START) && previous.includes(END)
      ? previous.slice(0, previous.indexOf(START)) + measured + previous.slice(previous.indexOf(END) + END.length)
      : `${previous.trimEnd()}\n\n${fallbackTitle}\n\n${measured}\n`;
  writeFileSync(docPath, doc);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The batch memory target of issue 5: a whole process under 300 MB. */
const MEMORY_TARGET_MB = 300;

/** Issue 15: JSON, CSV, JUnit and the district summary in one run within this of JSON alone. */
const SEVERAL_FORMATS_TARGET = 1.3;
const SEVERAL_FORMATS_ROUNDS = 3;

/**
 * The CI formats in one run against JSON alone, alternated (JSON, then all four) three times
 * on the same files, medians: the time a county's CI spends for the reports it publishes.
 * CPU time (user + sys) is given beside the wall time, which other work on the machine moves more.
 */
function severalFormats(sizes, out) {
  const EXTS = ['json', 'csv', 'xml', 'md'];
  const json = (n) => ['--format', `json:${out(n, 'json')}`];
  const all = (n) => [...json(n), '--format', `csv:${out(n, 'csv')}`, '--format', `junit:${out(n, 'xml')}`, '--format', `summary:${out(n, 'md')}`];
  const row = (size) => {
    const dir = schoolsOf(size);
    const runs = { json: [], all: [] };
    let bytes = 0;
    for (let round = 0; round < SEVERAL_FORMATS_ROUNDS; round++) {
      for (const [name, args] of [['json', json], ['all', all]]) {
        process.stderr.write(`${size} files: ${name === 'all' ? 'json + csv + junit + summary' : name} (${round + 1}/${SEVERAL_FORMATS_ROUNDS})…\n`);
        for (const ext of EXTS) rmSync(out(size, ext), { force: true });
        const r = measure(node, ['bin/reopen-audit.js', 'audit', dir, ...args(size), '--jobs', String(JOBS)]);
        runs[name].push({ ...r, cpuSeconds: (r.seconds * r.cpu) / 100 });
        if (name === 'all') bytes = EXTS.reduce((sum, ext) => sum + (existsSync(out(size, ext)) ? readFileSync(out(size, ext)).length : 0), 0);
      }
    }
    for (const ext of EXTS) rmSync(out(size, ext), { force: true });
    const [j, a] = [runs.json, runs.all].map((rs) => ({ ...best(rs), cpuSeconds: median(rs.map((r) => r.cpuSeconds)) }));
    const ratio = a.seconds / j.seconds;
    const cells = [
      Math.round(size).toLocaleString('en-US'),
      'json + csv + junit + summary',
      Math.round(filesIn(dir).length / a.seconds).toLocaleString('en-US'),
      `${ratio.toFixed(2)}×`,
      `${(a.cpuSeconds / j.cpuSeconds).toFixed(2)}×`,
      Math.round(bytes / 2 ** 20),
      Math.round(a.mb),
      ratio <= SEVERAL_FORMATS_TARGET ? 'met' : '**not met**',
    ];
    return `| ${cells.join(' | ')} |`;
  };
  return [
    `The CI formats in one run (issue 15: within ${SEVERAL_FORMATS_TARGET}× of JSON alone), each run alternated with a JSON run ${SEVERAL_FORMATS_ROUNDS} times, medians; CPU is user + sys of the whole process.`,
    '',
    '| files | formats | files/s | time ÷ JSON | CPU time ÷ JSON | output MB | peak MB | target (≤ 1.3× JSON) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...sizes.map(row),
  ];
}

if (FORMATS_ONLY) {
  // One run of each (the machine is shared): the JSON report as the yardstick, then the
  // printed report (HTML, spooled to disk until the summary that opens it is known) and the
  // workbook (exceljs's streaming writer), each alone, then all three in one run.
  const out = (size, ext) => path.join(tmp, `report-${size}.${ext}`);
  const FORMAT_RUNS = [
    ['json', (n) => ['--format', `json:${out(n, 'json')}`]],
    ['html', (n) => ['--format', `html:${out(n, 'html')}`]],
    ['xlsx', (n) => ['--format', `xlsx:${out(n, 'xlsx')}`]],
    ['json + html + xlsx', (n) => ['--format', `json:${out(n, 'json')}`, '--format', `html:${out(n, 'html')}`, '--format', `xlsx:${out(n, 'xlsx')}`]],
  ];
  const lines = [
    'Measured by `npm run bench -- 10000 --formats` (one run of each, in one go, on the same generated files, 2 workers). Times are whole processes; compare the ratios to the JSON run, not the absolute times.',
    '',
    '| files | format | files/s | time ÷ JSON | peak MB | CPU | output MB | memory target (< 300 MB) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const size of sizes) {
    const dir = schoolsOf(size);
    const files = filesIn(dir).length;
    let json;
    for (const [name, args] of FORMAT_RUNS) {
      process.stderr.write(`${size} files: ${name}…\n`);
      for (const ext of ['json', 'html', 'xlsx']) rmSync(out(size, ext), { force: true });
      const r = measure(node, ['bin/reopen-audit.js', 'audit', dir, ...args(size), '--jobs', String(JOBS)]);
      json ??= r;
      const bytes = name.split(' + ').reduce((sum, ext) => sum + (existsSync(out(size, ext)) ? readFileSync(out(size, ext)).length : 0), 0);
      lines.push(
        `| ${Math.round(size).toLocaleString('en-US')} | ${name} | ${Math.round(files / r.seconds).toLocaleString('en-US')} | ${(r.seconds / json.seconds).toFixed(2)}× | ${Math.round(r.mb)} | ${r.cpu}% | ${Math.round(bytes / 2 ** 20)} | ${r.mb < MEMORY_TARGET_MB ? 'met' : '**not met**'} |`,
      );
    }
    for (const ext of ['json', 'html', 'xlsx']) rmSync(out(size, ext), { force: true });
  }
  lines.push('', ...severalFormats(sizes, out));
  writeSection('bench:formats', lines, '## The printed report and the workbook at 10k schools');
  process.exit(0);
}

/**
 * The roster run (issue 18): at each size, a plain cold JSON run and the same with a roster
 * of the generated schools (bench/roster.mjs: one file in a thousand left off the roster,
 * one school in a thousand on it with no file), one run of each, side by side.
 */
function rosterSection(rosterSizes) {
  const lines = [
    'Measured by `npm run bench -- 100000 --roster` (and by `npm run bench` at 100k): one cold run of each, in one go, on the same generated files, 2 workers; the roster from `bench/roster.mjs` (one file in a thousand not on it, one school in a thousand on it with no file). Compare the ratios, not the absolute times.',
    '',
    '| files | roster schools | run | seconds | time ÷ plain | peak MB | memory ÷ plain | CPU | memory target (< 300 MB) |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const size of rosterSizes) {
    const dir = schoolsOf(size);
    const roster = path.join(tmp, `roster-${size}.csv`);
    execFileSync(node, ['bench/roster.mjs', dir, roster], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const schools = readFileSync(roster, 'utf8').trimEnd().split('\n').length - 1;
    const out = path.join(tmp, `report-${size}.json`);
    const base = ['bin/reopen-audit.js', 'audit', dir, '--format', `json:${out}`, '--jobs', String(JOBS)];
    process.stderr.write(`${size} files: plain…\n`);
    const plain = measure(node, base);
    process.stderr.write(`${size} files: with --roster…\n`);
    const withRoster = measure(node, [...base, '--roster', roster]);
    rmSync(out, { force: true });
    for (const [name, r] of [['plain', plain], ['--roster', withRoster]]) {
      lines.push(
        `| ${Math.round(size).toLocaleString('en-US')} | ${name === 'plain' ? '—' : schools.toLocaleString('en-US')} | ${name} | ${r.seconds.toFixed(1)} | ${(r.seconds / plain.seconds).toFixed(2)}× | ${Math.round(r.mb)} | ${(r.mb / plain.mb).toFixed(2)}× | ${r.cpu}% | ${r.mb < MEMORY_TARGET_MB ? 'met' : '**not met**'} |`,
      );
    }
  }
  writeSection('bench:roster', lines, '## Auditing against a roster at 100k schools');
}

if (STARTUP_ONLY) {
  writeSection('bench:startup', startupSection(measureStartup(root)), '## A single school file');
  process.exit(0);
}

if (ROSTER_ONLY) {
  rosterSection(sizes);
  process.exit(0);
}

const rows = [];
for (const size of sizes) {
  const dir = schoolsOf(size);
  const files = filesIn(dir);
  const repeat = size <= 10000 ? REPEAT_SMALL : 1;
  const out = path.join(tmp, `report-${size}.json`);
  const runs = (fn) => best(Array.from({ length: repeat }, fn));
  process.stderr.write(`${size} files: audit…\n`);
  const auditArgs = ['bin/reopen-audit.js', 'audit', dir, '--format', `json:${out}`, '--jobs', String(JOBS)];
  const audit = runs(() => measure(node, auditArgs));
  process.stderr.write(`${size} files: audit with --cache…\n`);
  const cacheDir = path.join(tmp, `cache-${size}`);
  rmSync(cacheDir, { recursive: true, force: true });
  const cacheArgs = [...auditArgs, '--cache-location', cacheDir];
  const filling = measure(node, cacheArgs);
  const warm = runs(() => measure(node, cacheArgs));
  rmSync(cacheDir, { recursive: true, force: true });
  process.stderr.write(`${size} files: parse floors…\n`);
  const jsyaml = runs(() => measure(node, ['bench/parse-floor.mjs', dir, 'js-yaml', String(JOBS)]));
  const yaml = runs(() => measure(node, ['bench/parse-floor.mjs', dir, 'yaml', String(JOBS)]));
  process.stderr.write(`${size} files: ajv-cli…\n`);
  const ajvFiles = parseableByAjvCli(files);
  const listFile = path.join(tmp, `ajv-args-${size}.txt`);
  writeFileSync(listFile, ajvFiles.map((f) => `-d\n${f}`).join('\n'));
  // Batches of 2,000 files per ajv-cli process keep the command line within limits.
  const ajv = runs(() => {
    let total = { seconds: 0, mb: 0, cpu: 0 };
    for (let i = 0; i < ajvFiles.length; i += 2000) {
      const args = ajvFiles.slice(i, i + 2000).flatMap((f) => ['-d', f]);
      const r = measure(node, ['node_modules/ajv-cli/dist/index.js', 'validate', '-s', 'dist/schemas/school.schema.json', '-c', 'ajv-formats', ...args]);
      total = { seconds: total.seconds + r.seconds, mb: Math.max(total.mb, r.mb), cpu: r.cpu };
    }
    return total;
  });
  const rate = (r, n) => n / r.seconds;
  rows.push({
    size,
    audit: { ...audit, rate: rate(audit, files.length) },
    filling: { ...filling, rate: rate(filling, files.length) },
    warm: { ...warm, rate: rate(warm, files.length) },
    jsyaml: { ...jsyaml, rate: rate(jsyaml, files.length) },
    yaml: { ...yaml, rate: rate(yaml, files.length) },
    ajv: { ...ajv, rate: rate(ajv, ajvFiles.length), files: ajvFiles.length },
    files: files.length,
  });
}

// Start-up: the median of 20 runs each.
function startup(args) {
  const times = [];
  for (let i = 0; i < 20; i++) times.push(measure(node, args).seconds);
  return median(times);
}
const versionTime = startup(['bin/reopen-audit.js', '--version']);
const nodeTime = startup(['-e', '0']);
const oneFile = measureStartup(root);

const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
const f0 = (n) => Math.round(n).toLocaleString('en-US');
const f2 = (n) => n.toFixed(2);
const lines = [
  'Measured by `npm run bench` (bench/run.mjs) on generated school files (bench/generate.mjs:',
  'realistic Chinese school files of about 5 KB with about 90 answers each, a mix of verdicts,',
  'about 1 % invalid). Every number in a row comes from the same run on the same files; the',
  'machines are shared, so compare the ratios, not the absolute times. Times are whole',
  'processes (start-up included), medians of 3 runs up to 10k files and a single run above.',
  '',
  '- **cold**: `reopen-audit audit DIR --format json:FILE` — every file read, parsed, checked, audited and its JSON written;',
  '- **cache filling**: the same with `--cache-location` and an empty cache (a first run, writing an entry per file);',
  '- **cache warm**: the same again, every file unchanged (a county CI re-run): each file is read and hashed, its stored outcome copied to the report — byte-identical to the cold report;',
  '- **floors**: `bench/parse-floor.mjs` reading and parsing the same files with js-yaml or yaml on the same number of workers, nothing else; **ajv-cli**: validating them against the school-file JSON Schema only.',
  '',
  `Machine: ${os.cpus().length} × ${cpuModel}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}. Workers: ${JOBS}.`,
  '',
  'Throughput (files/s) and ratios:',
  '',
  '| files | cold | cache filling | cache warm | js-yaml floor | yaml floor | ajv-cli | cold ÷ ajv-cli | warm ÷ ajv-cli | js-yaml ÷ cold | js-yaml ÷ warm |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${f0(r.size)} | ${f0(r.audit.rate)} | ${f0(r.filling.rate)} | ${f0(r.warm.rate)} | ${f0(r.jsyaml.rate)} | ${f0(r.yaml.rate)} | ${f0(r.ajv.rate)} | ${f2(r.audit.rate / r.ajv.rate)}× | ${f2(r.warm.rate / r.ajv.rate)}× | ${f2(r.jsyaml.rate / r.audit.rate)}× | ${f2(r.jsyaml.rate / r.warm.rate)}× |`,
  ),
  '',
  'Peak memory (MB, whole process) and CPU (% of one core; 200 % is both cores busy):',
  '',
  '| files | cold MB | cache warm MB | js-yaml floor MB | cold CPU | cache warm CPU | js-yaml floor CPU |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${f0(r.size)} | ${f0(r.audit.mb)} | ${f0(r.warm.mb)} | ${f0(r.jsyaml.mb)} | ${r.audit.cpu}% | ${r.warm.cpu}% | ${r.jsyaml.cpu}% |`),
  '',
];
const at = (n) => rows.find((r) => r.size === n);
const r10 = at(10000);
const r100 = at(100000);
const met = (ok) => (ok ? 'met' : '**not met**');
lines.push('Targets (issue 5) against this run:', '');
if (r10) {
  for (const [name, r] of [['cold', r10.audit], ['cache warm', r10.warm]]) {
    const vsAjv = r.rate / r10.ajv.rate;
    const vsFloor = r10.jsyaml.rate / r.rate;
    lines.push(`- 10k files, ${name}: ${f2(vsAjv)}× ajv-cli's throughput (target ≥ 2×: ${met(vsAjv >= 2)}); the js-yaml floor is ${f2(vsFloor)}× its throughput (target ≤ 1.5×: ${met(vsFloor <= 1.5)}); CPU ${r.cpu}%.`);
  }
}
if (r10 && r100) {
  for (const [name, a, b] of [['cold', r10.audit, r100.audit], ['cache warm', r10.warm, r100.warm]]) {
    const ratio = b.mb / a.mb;
    lines.push(`- Peak memory, ${name}: ${f0(b.mb)} MB at 100k files, ${f2(ratio)}× that at 10k (${f0(a.mb)} MB); targets ≤ 1.2× (${met(ratio <= 1.2)}) and < 300 MB (${met(b.mb < 300)}).`);
  }
  for (const [name, r] of [['cold', r100.audit], ['cache warm', r100.warm]]) {
    const minutes = (r.seconds * 530000) / r100.files / 60;
    lines.push(`- 100k files ${name} in ${f2(r.seconds)} s: 530,000 (national scale) extrapolates to ${f2(minutes)} minutes (target < 3: ${met(minutes < 3)}).`);
  }
}
lines.push(`- Start-up: \`reopen-audit --version\` ${f2(versionTime * 1000)} ms against \`node -e 0\` ${f2(nodeTime * 1000)} ms: ${f2(versionTime / nodeTime)}× (target ≤ 1.5×: ${met(versionTime / nodeTime <= 1.5)}).`);
lines.push(startupLine(oneFile));
lines.push('', `ajv-cli stops at the first file it cannot parse, so it is given the files js-yaml 3 (its parser) accepts; its rate counts those.`);
writeSection('bench', lines, '');
if (sizes.includes(100000)) rosterSection([100000]);
