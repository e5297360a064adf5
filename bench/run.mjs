#!/usr/bin/env node
/**
 * `npm run bench [-- 1000,10000,100000]`: times, in one run and on the same generated
 * files, (a) the full audit with every built-in checklist writing a JSON report, (b) the
 * parse floors — reading and parsing the same files with `yaml` and with `js-yaml` on the
 * same number of workers, nothing else — and (c) ajv-cli validating them against the
 * school-file JSON Schema. Reports files/s, the ratios, peak memory and CPU use, plus the
 * start-up of `reopen-audit --version` against `node -e 0`, and writes docs/performance.md.
 * These machines are shared and noisy: compare ratios from one run, not absolute times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
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
const rows = [];
for (const size of sizes) {
  const dir = path.join(tmp, `schools-${size}`);
  if (!existsSync(path.join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    execFileSync(node, ['bench/generate.mjs', String(size), dir], { cwd: root, stdio: 'inherit' });
    writeFileSync(path.join(dir, '.complete'), '');
  }
  const files = filesIn(dir);
  const repeat = size <= 10000 ? REPEAT_SMALL : 1;
  const out = path.join(tmp, `report-${size}.json`);
  const runs = (fn) => best(Array.from({ length: repeat }, fn));
  process.stderr.write(`${size} files: audit…\n`);
  const audit = runs(() => measure(node, ['bin/reopen-audit.js', 'audit', dir, '--format', `json:${out}`, '--jobs', String(JOBS)]));
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

const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
const f0 = (n) => Math.round(n).toLocaleString('en-US');
const f2 = (n) => n.toFixed(2);
const lines = [
  '# Performance',
  '',
  'Measured by `npm run bench` (bench/run.mjs) on generated school files (bench/generate.mjs:',
  'realistic Chinese school files of about 5 KB with about 90 answers each, a mix of verdicts,',
  'about 1 % invalid). Every number in a row comes from the same run on the same files; the',
  'machines are shared, so compare the ratios, not the absolute times. Times are whole',
  'processes (start-up included), medians of 3 runs up to 10k files and a single run above.',
  '',
  `Machine: ${os.cpus().length} × ${cpuModel}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}. Workers: ${JOBS}.`,
  '',
  '| files | audit files/s | js-yaml parse files/s | yaml parse files/s | ajv-cli files/s | audit ÷ ajv-cli | js-yaml floor ÷ audit | audit peak MB | audit CPU |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${f0(r.size)} | ${f0(r.audit.rate)} | ${f0(r.jsyaml.rate)} | ${f0(r.yaml.rate)} | ${f0(r.ajv.rate)} | ${f2(r.audit.rate / r.ajv.rate)}× | ${f2(r.jsyaml.rate / r.audit.rate)}× | ${f0(r.audit.mb)} | ${r.audit.cpu}% |`,
  ),
  '',
];
const at = (n) => rows.find((r) => r.size === n);
const r10 = at(10000);
const r100 = at(100000);
lines.push('Targets (issue 5) against this run:', '');
if (r10) {
  lines.push(`- 10k files: audit is ${f2(r10.audit.rate / r10.ajv.rate)}× ajv-cli's throughput (target ≥ 2×), and the fastest parse floor (js-yaml) is ${f2(r10.jsyaml.rate / r10.audit.rate)}× the audit's (target ≤ 1.5×); CPU ${r10.audit.cpu}% of one core (${JOBS} cores: 200% is both busy).`);
}
if (r10 && r100) {
  lines.push(`- Peak memory: ${f0(r100.audit.mb)} MB at 100k files, ${f2(r100.audit.mb / r10.audit.mb)}× that at 10k (${f0(r10.audit.mb)} MB); targets ≤ 1.2× and < 300 MB.`);
  lines.push(`- 100k files in ${f2(r100.audit.seconds)} s: 530,000 (national scale) extrapolates to ${f2((r100.audit.seconds * 530000) / r100.files / 60)} minutes (target < 3).`);
}
lines.push(`- Start-up: \`reopen-audit --version\` ${f2(versionTime * 1000)} ms against \`node -e 0\` ${f2(nodeTime * 1000)} ms: ${f2(versionTime / nodeTime)}× (target ≤ 1.5×).`);
lines.push('', `ajv-cli stops at the first file it cannot parse, so it is given the files js-yaml 3 (its parser) accepts; its rate counts those.`, '');
writeFileSync(path.join(root, 'docs/performance.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
