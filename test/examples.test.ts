/**
 * The example schools in examples/schools/ are part of the documentation: the root README
 * and examples/README.md state each one's verdict. These tests run the built CLI on them,
 * the way a reader would, and hold those verdicts, the items that decided them, the
 * reasons a person reads, and the effect of choosing another profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/load/library.js';
import { cli, ROOT, type CliResult, tempDir } from './helpers.js';

const DIR = 'examples/schools';
const MASKS = 'supplies.protective.masks';

interface ReportItem {
  id: string;
  status: string;
  reason?: { code: string; text: string };
  computation?: { formula: string; substituted: string; required: number };
}
interface ReportSchool {
  file: string;
  verdict: string;
  decidedBy: { id: string }[];
  items: ReportItem[];
}
interface Run {
  result: CliResult;
  json: Buffer;
  schools: Map<string, ReportSchool>;
}

const tmp = tempDir('examples');
let runs = 0;

/** Run `audit` on example paths with a JSON report; schools are keyed by file name. */
function audit(paths: string[], ...options: string[]): Run {
  const out = path.join(tmp, `report-${++runs}.json`);
  const result = cli(['audit', ...paths, ...options, '--format', `json:${out}`]);
  const json = readFileSync(out);
  const report = JSON.parse(json.toString('utf8')) as { schools: ReportSchool[] };
  return { result, json, schools: new Map(report.schools.map((s) => [path.basename(s.file), s])) };
}

function example(file: string, ...options: string[]): ReportSchool {
  const school = audit([`${DIR}/${file}`], ...options).schools.get(file);
  if (!school) throw new Error(`no result for ${file}`);
  return school;
}

function item(school: ReportSchool, id: string): ReportItem {
  const found = school.items.find((i) => i.id === id);
  if (!found) throw new Error(`${school.file}: no item ${id}`);
  return found;
}

const decidedBy = (school: ReportSchool) => school.decidedBy.map((d) => d.id).sort();

/** Each example with its own profile (audit.profile, else national), as examples/README.md states. */
const EXPECTED: Record<string, { verdict: string; decidedBy: string[] }> = {
  'ready-primary.yaml': { verdict: 'READY', decidedBy: [] },
  'kindergarten-no-isolation-room.yaml': {
    verdict: 'NOT_READY',
    decidedBy: ['gates.conditions.in_place', 'isolation.room.exists'],
  },
  'boarding-senior-short-masks.yaml': {
    verdict: 'NOT_READY',
    decidedBy: ['gates.conditions.in_place', MASKS],
  },
  'unanswered-items.yaml': {
    verdict: 'INCOMPLETE',
    decidedBy: [
      'gates.conditions.in_place',
      'gates.safety.guaranteed',
      'org.training.drill_date',
      'screen.returners.temperature_log_days',
      'supplies.disinfection.disinfectant_days',
      'teaching.plan.materials_ready',
    ],
  },
  'gate-failed.yaml': {
    verdict: 'NOT_READY',
    decidedBy: ['gates.epidemic.controlled', 'gates.epidemic.opening_approved'],
  },
  'boarding-junior-crowded-dorms.yaml': {
    verdict: 'NOT_READY',
    decidedBy: ['gates.safety.guaranteed', 'living.dorm.max_per_room'],
  },
  'national-2022-returners-tested.yaml': { verdict: 'READY', decidedBy: [] },
  'shandong-single-major-fail.yaml': { verdict: 'NOT_READY', decidedBy: ['supplies.screening.entrance'] },
  'shandong-autumn-disinfectant-month.yaml': {
    verdict: 'NOT_READY',
    decidedBy: ['gates.conditions.in_place', 'supplies.disinfection.disinfectant_days'],
  },
};

describe('the example schools', () => {
  let folder: Run;
  beforeAll(() => {
    folder = audit([DIR]);
  });

  it('are all valid school files', () => {
    const r = cli(['validate', DIR]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('are the files examples/README.md documents, at most ten, including the five the root README names', () => {
    const files = readdirSync(path.join(ROOT, DIR))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files.length).toBeLessThanOrEqual(10);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const f of [
      'ready-primary',
      'kindergarten-no-isolation-room',
      'boarding-senior-short-masks',
      'unanswered-items',
      'gate-failed',
    ]) {
      expect(readme).toContain(`\`${f}.yaml\``);
    }
  });

  it.each(Object.entries(EXPECTED))('%s is %s', (file, expected) => {
    const school = folder.schools.get(file);
    expect(school?.verdict).toBe(expected.verdict);
    expect(school && decidedBy(school)).toEqual(expected.decidedBy);
  });

  it('have the verdicts examples/README.md states for them', () => {
    const readme = readFileSync(path.join(ROOT, 'examples/README.md'), 'utf8');
    // Rows that start with a file name give the verdict of that file under its own profile.
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+\.yaml)` \|.*\| (READY|NOT_READY|INCOMPLETE) · /gm)];
    const stated = Object.fromEntries(rows.map((m) => [m[1], m[2]]));
    const actual = Object.fromEntries([...folder.schools].map(([file, s]) => [file, s.verdict]));
    expect(stated).toEqual(actual);
  });

  it('answer every item that applies to them, except the one about unanswered items', () => {
    for (const [file, school] of folder.schools) {
      const open = school.items
        .filter((i) => i.status === 'unanswered' || i.status === 'error')
        .map((i) => i.id);
      if (file === 'unanswered-items.yaml') expect(open.length).toBeGreaterThan(0);
      else expect(open, file).toEqual([]);
    }
  });

  it('together answer items of every built-in checklist, failing items of most', async () => {
    const library = await loadLibrary();
    const checklistOf = new Map<string, string>();
    for (const [id, source] of library.checklists) {
      for (const section of source.data.sections) for (const i of section.items) checklistOf.set(i.id, id);
    }
    const answered = new Set<string>();
    const failed = new Set<string>();
    for (const school of folder.schools.values()) {
      for (const i of school.items) {
        if (i.status === 'pass' || i.status === 'fail') answered.add(checklistOf.get(i.id) ?? i.id);
        if (i.status === 'fail') failed.add(checklistOf.get(i.id) ?? i.id);
      }
    }
    expect([...answered].sort()).toEqual([...library.checklists.keys()].sort());
    expect([...failed].sort()).toEqual([
      'canteen-dormitory',
      'isolation-room',
      'supplies',
      'three-no-opening',
    ]);
  });

  it('include a kindergarten, whose extra items apply, and boarding schools, whose dormitory items apply', () => {
    const kindergarten = folder.schools.get('kindergarten-no-isolation-room.yaml');
    expect(kindergarten && item(kindergarten, 'kg.items.toys_disinfected').status).toBe('pass');
    expect(
      item(folder.schools.get('ready-primary.yaml') as ReportSchool, 'kg.items.toys_disinfected').status,
    ).toBe('not_applicable');
    for (const file of [
      'boarding-senior-short-masks.yaml',
      'boarding-junior-crowded-dorms.yaml',
      'shandong-autumn-disinfectant-month.yaml',
    ]) {
      const school = folder.schools.get(file) as ReportSchool;
      expect(item(school, 'monitor.checks.evening_boarders').status, file).toBe('pass');
      expect(item(school, 'isolation.boarding.site').status, file).toBe('pass');
      expect(item(school, 'living.dorm.disinfected_aired').status, file).toBe('pass');
    }
  });

  it('mark the isolation room items not applicable when the kindergarten has no room', () => {
    const school = folder.schools.get('kindergarten-no-isolation-room.yaml') as ReportSchool;
    for (const id of [
      'isolation.room.siting',
      'isolation.equipment.masks',
      'isolation.after_use.chlorine_mg_l',
    ]) {
      expect(item(school, id).status, id).toBe('not_applicable');
    }
  });

  it('list a failed major item for rectification without letting it decide under the national profile', () => {
    const school = folder.schools.get('boarding-junior-crowded-dorms.yaml') as ReportSchool;
    expect(item(school, 'living.canteen.spacing').status).toBe('fail');
    expect(decidedBy(school)).not.toContain('living.canteen.spacing');
  });
});

describe('the boarding senior high school short of masks', () => {
  it('fails the mask stock under national, with the formula and its numbers in Chinese', () => {
    const school = example('boarding-senior-short-masks.yaml');
    const masks = item(school, MASKS);
    expect(masks.status).toBe('fail');
    expect(masks.reason?.text).toContain('8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(masks.computation).toMatchObject({
      formula: '(students + staff) * masks_per_person_day * stock_days',
      substituted: '(1100 + 100) × 1 × 14',
      required: 16800,
    });
  });

  it('gives the same reason in English with --lang en', () => {
    const masks = item(example('boarding-senior-short-masks.yaml', '--lang', 'en'), MASKS);
    expect(masks.reason?.text).toContain('8400 masks < required 16800 masks = (1100 + 100) × 1 × 14');
  });

  it('passes the mask stock under shanghai-2020 (7 days), 8400 ≥ 8400, and is then ready', () => {
    const school = example('boarding-senior-short-masks.yaml', '--profile', 'shanghai-2020');
    expect(item(school, MASKS).status).toBe('pass');
    expect(school.verdict).toBe('READY');
    // The Markdown report shows a passing threshold with its numbers too.
    const r = cli([
      'audit',
      `${DIR}/boarding-senior-short-masks.yaml`,
      '--profile',
      'shanghai-2020',
      '--format',
      'markdown',
    ]);
    const row = r.stdout.split('\n').find((line) => line.startsWith(`| \`${MASKS}\``));
    expect(row).toContain('| 符合 | 8400 只，要求 ≥ 8400 只 = (1100 + 100) × 1 × 7');
  });

  it('prints the failed threshold in the terminal report', () => {
    // Wide enough that the table keeps the requirement on one line.
    const r = cli(['audit', `${DIR}/boarding-senior-short-masks.yaml`], { env: { COLUMNS: '200' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    expect(cli(['audit', `${DIR}/boarding-senior-short-masks.yaml`, '--profile', 'shanghai-2020']).code).toBe(
      0,
    );
  });
});

describe('the profile examples under the national profile', () => {
  it('the 2022 school: 7 days of home observation meet the 2022 profile but not the 14 of spring 2020', () => {
    const own = item(example('national-2022-returners-tested.yaml'), 'screen.returners.observation_days');
    expect(own.status).toBe('pass');
    const school = example('national-2022-returners-tested.yaml', '--profile', 'national');
    expect(school.verdict).toBe('NOT_READY');
    expect(decidedBy(school)).toEqual(['gates.safety.guaranteed', 'screen.returners.observation_days']);
    expect(item(school, 'screen.returners.observation_days').reason?.text).toContain('7 天 < 要求 14 天');
    expect(item(school, 'screen.returners.test_hours').status).toBe('not_applicable');
  });

  it('the Shandong autumn school: the national autumn 2020 plan replaces home observation with a test within the week', () => {
    const school = example('shandong-autumn-disinfectant-month.yaml');
    expect(item(school, 'screen.returners.observation_days').status).toBe('not_applicable');
    expect(item(school, 'screen.returners.test_hours').status).toBe('pass');
    expect(item(school, 'living.dorm.max_per_room').status).toBe('not_applicable');
  });

  it('the Shandong school: one failed major item no longer decides', () => {
    const school = example('shandong-single-major-fail.yaml', '--profile', 'national');
    expect(school.verdict).toBe('READY');
    expect(item(school, 'supplies.screening.entrance').status).toBe('fail');
  });

  it('the Shandong autumn school: 21 days of disinfectant meet 14 but not 30', () => {
    const autumn = item(
      example('shandong-autumn-disinfectant-month.yaml'),
      'supplies.disinfection.disinfectant_days',
    );
    expect(autumn.status).toBe('fail');
    expect(autumn.reason?.text).toContain('21 天 < 要求 30 天');
    const national = example('shandong-autumn-disinfectant-month.yaml', '--profile', 'national');
    expect(national.verdict).toBe('READY');
    expect(item(national, 'supplies.disinfection.disinfectant_days').status).toBe('pass');
  });
});

describe('reopen-audit audit examples/schools', () => {
  it('prints every verdict and a summary, and exits 1', () => {
    const r = cli(['audit', DIR]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('✔ 具备开学条件  青河市河东区育才路小学 (130104-0217)');
    expect(r.stdout).toContain('✘ 不具备开学条件  青河市第三高级中学 (130102-3003)');
    expect(r.stdout).toContain('核验未完成  青河市河西区第五中学 (130102-2105)');
    expect(r.stdout).toContain('汇总');
    expect(r.stdout).toContain('共 9 所学校：具备开学条件 2，不具备开学条件 6，核验未完成 1');
  });

  it('exits 0 for the ready primary school alone', () => {
    expect(cli(['audit', `${DIR}/ready-primary.yaml`]).code).toBe(0);
  });

  it('writes byte-identical JSON on two runs', () => {
    const first = audit([DIR]);
    const second = audit([DIR]);
    expect(first.result.code).toBe(1);
    expect(second.json.equals(first.json)).toBe(true);
  });
});

describe('the text of the bundled files', () => {
  /** Every YAML file under a folder, recursively. */
  const yamlUnder = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? yamlUnder(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );

  it('holds no control characters and no UTF-8 read as Latin-1 (第一责任人 saved as ç¬¬ä¸…)', () => {
    const files = [...yamlUnder('examples'), ...yamlUnder('checklists')];
    expect(files.length).toBeGreaterThan(30);
    const bad: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      // C0 controls but tab and newline, DEL and the C1 controls; and a lead byte of a
      // three-byte UTF-8 sequence (U+00E0–U+00EF) followed by continuation bytes as letters.
      // eslint-disable-next-line no-control-regex
      const found = /[\x00-\x08\x0B-\x1F\x7F-\x9F]|[\u00E0-\u00EF][\u0080-\u00BF]{2}/u.exec(text);
      if (found) bad.push(`${file}: ${JSON.stringify(found[0])}`);
    }
    expect(bad).toEqual([]);
  });
});
