/**
 * The start-up of a one-file audit (issue 15, the inspector's case), for bench/run.mjs:
 * `reopen-audit audit FILE --format json:OUT` against the library baseline — a `node -e`
 * process that imports the built loader (dist/load/library.js) and loads the built-in
 * library with it, which is Node's own start-up plus the time to load the library. Each
 * command runs `runs` times, the commands taking turns, and each figure is a median: wall
 * time measured around the process, CPU time (user + system) from GNU time. Target: the
 * audit within 2× the baseline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const STARTUP_TARGET = 2;
const LIBRARY_LOAD = "const { loadLibrary } = await import('./dist/load/library.js'); await loadLibrary();";

function timed(root, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '@cpu %U %S', process.execPath, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  const [, user, system] = /@cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) ?? [];
  return { wall, cpu: (Number(user) + Number(system)) * 1000 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Medians for `node -e 0`, the library baseline, and the audit of one example school file
 * and of one generated file (bench/generate.mjs).
 */
export function measureStartup(root, runs = 20) {
  const scratch = path.join(root, 'bench/tmp');
  mkdirSync(scratch, { recursive: true });
  const tmp = mkdtempSync(path.join(scratch, 'startup-'));
  try {
    execFileSync(process.execPath, ['bench/generate.mjs', '8', path.join(tmp, 'schools')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const generated = readdirSync(path.join(tmp, 'schools'), { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort()[0];
    const commands = {
      node: ['-e', '0'],
      library: ['--input-type=module', '-e', LIBRARY_LOAD],
      example: ['bin/reopen-audit.js', 'audit', 'examples/schools/ready-primary.yaml', '--format', `json:${path.join(tmp, 'example.json')}`],
      generated: ['bin/reopen-audit.js', 'audit', path.join(tmp, 'schools', generated), '--format', `json:${path.join(tmp, 'generated.json')}`],
    };
    const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(commands)) samples[name].push(timed(root, args));
    const figures = Object.fromEntries(
      Object.entries(samples).map(([name, list]) => [name, { wall: median(list.map((s) => s.wall)), cpu: median(list.map((s) => s.cpu)) }]),
    );
    return { runs, generatedFile: path.basename(generated), ...figures };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const ms = (n) => `${n.toFixed(1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const met = (ok) => (ok ? 'met' : '**not met**');

/** The line beside the `--version` one in the main section. */
export function startupLine(s) {
  return `- Start-up of a one-file audit: \`audit examples/schools/ready-primary.yaml --format json:FILE\` ${ms(s.example.wall)} against the library baseline (\`node -e\` loading the built library) ${ms(s.library.wall)}: ${ratio(s.example.wall, s.library.wall)} (target ≤ ${STARTUP_TARGET}×: ${met(s.example.wall / s.library.wall <= STARTUP_TARGET)}); \`node -e 0\` ${ms(s.node.wall)}.`;
}

/** The section of its own (`npm run bench -- --startup`). */
export function startupSection(s) {
  const row = (label, f) => `| ${label} | ${f.wall.toFixed(1)} | ${f.cpu.toFixed(0)} | ${ratio(f.wall, s.library.wall)} | ${ratio(f.cpu, s.library.cpu)} |`;
  return [
    `Measured by \`npm run bench -- --startup\` (bench/startup.mjs): whole processes, the commands taking turns, medians of ${s.runs} runs; wall time around the process, CPU time (user + system, 10 ms steps) from GNU time. The baseline is \`node --input-type=module -e "${LIBRARY_LOAD}"\` run from the project folder: Node's start-up plus importing the built loader and loading the built-in library (from the build's snapshot). The machine is shared: read the ratios.`,
    '',
    '| process | wall ms | CPU ms | wall ÷ baseline | CPU ÷ baseline |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('`node -e 0`', s.node),
    row('baseline: `node -e` loading the library', s.library),
    row('`audit examples/schools/ready-primary.yaml --format json:FILE`', s.example),
    row(`\`audit\` one generated file (\`${s.generatedFile}\`) \`--format json:FILE\``, s.generated),
    '',
    `Target (issue 15): the one-file audit within ${STARTUP_TARGET}× the baseline — example file ${ratio(s.example.wall, s.library.wall)} (${met(s.example.wall / s.library.wall <= STARTUP_TARGET)}), generated file ${ratio(s.generated.wall, s.library.wall)} (${met(s.generated.wall / s.library.wall <= STARTUP_TARGET)}).`,
  ];
}
