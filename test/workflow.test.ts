/**
 * The inspection workflow end to end, on the example school of examples/rectification/:
 * levels and sign-off, waivers in every report format (in force at the self-check, expired
 * by the county re-check), a waiver on a gate item refused with its position, rectification
 * deadlines from the `rectification_days` parameter, and the history of a school file kept
 * in git and compared across revisions (docs/history.md).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

const SELF = 'examples/rectification/self-check.yaml';
const COUNTY = 'examples/rectification/county-recheck.yaml';
const SPRAYERS = 'supplies.disinfection.sprayers';
const WAIVER_REASON = '喷雾器已采购，厂家 4 月 24 日前送到；到货前借用街道办 2 台';
const APPROVER = '河西区教育局体卫艺科';
const tmp = tempDir('workflow');

/** `file:line:col` of the value on the first line of a file that starts with `prefix`. */
function positionOf(file: string, prefix: string): string {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.startsWith(prefix));
  if (index < 0) throw new Error(`${prefix} not in ${file}`);
  const line = lines[index] as string;
  const col = line.indexOf(':') + 3;
  return `${file}:${index + 1}:${col}`;
}

// ------------------------------------------------------------- levels and sign-off

describe('levels', () => {
  it('audits only files of the level --level asks for; another level is a located input error', () => {
    const r = cli(['audit', 'examples/rectification', '--level', 'county']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${positionOf(SELF, '  level: ')}: 核验层级为 self（学校自查），但本次要求 --level county（县级评估）；该文件未核验\n`,
    );
    expect(r.stdout).toContain(
      '✘ 不具备开学条件  青河市河西区第九中学 (130102-2109)\n   河西区 · 初级中学 · 2020-04-28 · 县级评估\n',
    );
    expect(r.stdout).not.toContain('学校自查');
  });

  it('takes every file when they all are of that level, and says so in English too', () => {
    expect(cli(['audit', SELF, '--level', 'self']).code).toBe(1);
    const en = cli(['audit', COUNTY, '--level', 'city', '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain(
      'the audit level is county, but this run requires --level city; the file was not audited',
    );
    expect(cli(['audit', COUNTY, '--level', 'district']).stderr).toContain(
      '选项 --level <level> 的取值 district 无效',
    );
  });

  it('shows the level, the auditors with organisation and role, and the date, and signs per auditor', () => {
    const md = cli(['audit', COUNTY, '--format', 'markdown']).stdout;
    expect(md).toContain('| 核验日期 | 2020-04-28 |');
    expect(md).toContain('| 核验层级 | 县级评估 |');
    expect(md).toContain(
      '| 检查人员 | 邢建军（河西区教育局，组长）、潘晓云（河西区卫生健康局）、吕晨（河西区市场监督管理局） |',
    );
    expect(md).toMatch(
      /## 签字确认\n\n本次核验为县级评估，核验日期 2020-04-28。检查人员和学校负责人对以上核验结果签字确认。\n\n检查人：邢建军（河西区教育局，组长）\u3000\u3000签字：_+\u3000\u3000日期：_+\n\n检查人：潘晓云（河西区卫生健康局）.*\n\n检查人：吕晨（河西区市场监督管理局）.*\n\n学校负责人：杜文斌\u3000\u3000签字：_+\u3000\u3000日期：_+\n/,
    );
    const text = cli(['audit', COUNTY]).stdout;
    expect(text).toContain(
      '检查人员: 邢建军（河西区教育局，组长）、潘晓云（河西区卫生健康局）、吕晨（河西区市场监督管理局）',
    );
  });
});

// ------------------------------------------------------------- waivers

describe('waivers in every format', () => {
  const out = (name: string) => path.join(tmp, name);
  const formats = [
    'text',
    'markdown',
    'json',
    'junit',
    'csv',
    'csv-items',
    'sarif',
    'github',
    'summary',
  ] as const;
  const files: Record<string, string> = {
    text: 'r.txt',
    markdown: 'r.md',
    json: 'r.json',
    junit: 'r.xml',
    csv: 'r.csv',
    'csv-items': 'items.csv',
    sarif: 'r.sarif',
    github: 'r.github',
    summary: 'summary.md',
  };
  const run = cli([
    'audit',
    'examples/rectification',
    ...formats.flatMap((f) => ['--format', `${f}:${out(files[f] as string)}`]),
  ], { env: { COLUMNS: '400' } });
  const read = (f: (typeof formats)[number]) => readFileSync(out(files[f] as string), 'utf8');
  const inForce = `有效期至 2020-04-25`;
  const expired = '豁免已于 2020-04-25 过期，不再适用';

  it('writes every format in one run', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('text: the waivers of each school, in force or expired, with justification, approver and expiry', () => {
    // The lines of a wrapped entry joined again (continuations are indented five columns).
    const text = read('text').replace(/\n {5}(?! )/g, '');
    expect(text).toContain(
      `· [已豁免] ${SPRAYERS} 消毒喷雾器已配备 — 理由：${WAIVER_REASON}；批准：${APPROVER}（2020-04-19）；${inForce}`,
    );
    expect(text).toContain(
      `· [不符合] ${SPRAYERS} 消毒喷雾器已配备 — 理由：${WAIVER_REASON}；批准：${APPROVER}（2020-04-19）；${inForce}；已过期，不再适用`,
    );
  });

  it('markdown: a 豁免事项 table, the waived item as waived and not passed, the expired one failing', () => {
    const md = read('markdown');
    expect(md).toContain('| 编号 | 核验项 | 豁免理由 | 批准人 | 批准日期 | 有效期至 | 状态 |');
    expect(md).toContain(
      `| \`${SPRAYERS}\` | 消毒喷雾器已配备 | ${WAIVER_REASON} | ${APPROVER} | 2020-04-19 | 2020-04-25 | 有效（不计入结论和得分） |`,
    );
    expect(md).toContain(`| 2020-04-25 | **已过期，不再适用（按不符合处理）** |`);
    expect(md).toContain(
      `| \`${SPRAYERS}\` | 消毒喷雾器已配备 | 实地查看 | 一般 | 已豁免 | 已豁免：${WAIVER_REASON}（${APPROVER} 批准，有效期至 2020-04-25）`,
    );
    expect(md).toContain(
      `| \`${SPRAYERS}\` | 消毒喷雾器已配备 | 实地查看 | 一般 | **不符合** | 消毒喷雾器已配备：否，要求为 是（${expired}）`,
    );
  });

  it('json: status waived with the waiver, and the expired one failing with expired: true', () => {
    const doc = JSON.parse(read('json')) as {
      schools: {
        file: string;
        items: { id: string; status: string; waiver?: unknown; reason?: { text: string } }[];
      }[];
    };
    const sprayers = (file: string) =>
      doc.schools.find((s) => s.file === file)?.items.find((i) => i.id === SPRAYERS);
    expect(sprayers(SELF)).toMatchObject({
      status: 'waived',
      waiver: {
        reason: WAIVER_REASON,
        approvedBy: APPROVER,
        approvedOn: '2020-04-19',
        expires: '2020-04-25',
        expired: false,
      },
    });
    expect(sprayers(COUNTY)).toMatchObject({
      status: 'fail',
      waiver: { expired: true },
      reason: { text: `消毒喷雾器已配备：否，要求为 是（${expired}）` },
    });
  });

  it('junit: the waived item skipped with its waiver, the expired one a failure that names it', () => {
    const xml = read('junit');
    expect(xml).toContain(
      `<skipped message="已豁免：${WAIVER_REASON}（${APPROVER} 批准，有效期至 2020-04-25）"/>`,
    );
    expect(xml).toContain(
      `<failure message="【一般】消毒喷雾器已配备：否，要求为 是（${expired}）" type="fail">`,
    );
    expect(xml).toContain(
      `豁免：理由：${WAIVER_REASON}；批准：${APPROVER}（2020-04-19）；有效期至 2020-04-25；已过期，不再适用`,
    );
  });

  it('csv: the number of waived items per school; csv-items: the waived row with its justification', () => {
    const rows = read('csv').split('\r\n');
    const header = (rows[0] ?? '').replace('\uFEFF', '').split(',');
    const col = header.indexOf('已豁免项数');
    const waivedOf = (file: string) => rows.find((r) => r.startsWith(`${file},`))?.split(',')[col];
    expect(waivedOf(SELF)).toBe('1');
    expect(waivedOf(COUNTY)).toBe('0');
    const items = read('csv-items');
    expect(items).toContain(
      `,${SPRAYERS},防疫物资储备,消毒物资,消毒喷雾器已配备,一般,已豁免,已豁免：${WAIVER_REASON}（${APPROVER} 批准，有效期至 2020-04-25）,`,
    );
    expect(items).toContain(
      `,${SPRAYERS},防疫物资储备,消毒物资,消毒喷雾器已配备,一般,不符合,消毒喷雾器已配备：否，要求为 是（${expired}）,`,
    );
  });

  it('sarif: the waived item as a result with an accepted suppression, the expired one without', () => {
    const log = JSON.parse(read('sarif')) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          suppressions?: unknown[];
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
          message: { text: string };
        }[];
      }[];
    };
    const results = (log.runs[0]?.results ?? []).filter((r) => r.ruleId === SPRAYERS);
    const of = (file: string) =>
      results.find((r) => r.locations[0]?.physicalLocation.artifactLocation.uri === file);
    expect(of(SELF)?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: `理由：${WAIVER_REASON}；批准：${APPROVER}（2020-04-19）；有效期至 2020-04-25`,
      },
    ]);
    expect(of(COUNTY)?.suppressions).toBeUndefined();
    expect(of(COUNTY)?.message.text).toContain(expired);
  });

  it('github: a notice for the waived item with its waiver, a warning for the expired one', () => {
    const lines = read('github')
      .split('\n')
      .filter((l) => l.includes(`（${SPRAYERS}）`));
    expect(lines.map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::warning', '::notice']);
    expect(lines[0]).toContain(`::消毒喷雾器已配备：否，要求为 是（${expired}）`);
    expect(lines[1]).toContain(
      `%0A豁免：理由：${WAIVER_REASON}；批准：${APPROVER}（2020-04-19）；有效期至 2020-04-25%0A`,
    );
  });

  it('summary: the schools with waivers in force, the expired one counted as failed', () => {
    const md = read('summary');
    expect(md).toContain(`## 豁免事项\n\n`);
    expect(md).toContain(`| 青河市河西区第九中学 | 1 | ${SELF} |`);
    expect(md).toContain(
      `| 青河市河西区第九中学 | 河西区 | 初级中学 | **不具备开学条件** | 3 | 0 | ${COUNTY} |`,
    );
  });
});

describe('a waiver on a gate item', () => {
  const file = path.join(tmp, 'gate-waiver.yaml');
  writeFileSync(
    file,
    readFileSync(path.join(ROOT, SELF), 'utf8').replace(
      `  - item: ${SPRAYERS}`,
      '  - item: gates.epidemic.controlled',
    ),
  );
  const lines = readFileSync(file, 'utf8').split('\n');
  const where = `${file}:${lines.indexOf('  - item: gates.epidemic.controlled') + 1}:11`;

  it('is refused at its position: the file is not audited, the run exits 2', () => {
    const r = cli(['audit', file, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${where}: “gates.epidemic.controlled”是一票否决项，不能豁免\n`);
    const doc = JSON.parse(r.stdout) as { schools: unknown[]; failures: { problems: { text: string }[] }[] };
    expect(doc.schools).toEqual([]);
    expect(doc.failures[0]?.problems[0]?.text).toBe(
      `${where} “gates.epidemic.controlled”是一票否决项，不能豁免`,
    );
  });

  it('is refused by validate and by compare too, in both languages', () => {
    expect(cli(['validate', file]).stdout).toContain(
      `${where}: “gates.epidemic.controlled”是一票否决项，不能豁免`,
    );
    const r = cli(['compare', file, COUNTY, '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${where}: "gates.epidemic.controlled" is a gate item and cannot be waived\n`);
  });

  it('is refused for a rolled-up gate as well', () => {
    const rollup = path.join(tmp, 'rollup-waiver.yaml');
    writeFileSync(
      rollup,
      readFileSync(file, 'utf8').replace(
        '  - item: gates.epidemic.controlled',
        '  - item: gates.conditions.in_place',
      ),
    );
    expect(cli(['audit', rollup]).stderr).toContain('“gates.conditions.in_place”是一票否决项，不能豁免');
  });
});

// ------------------------------------------------------------- rectification deadlines

describe('rectification deadlines', () => {
  it('give each failed item the audit date plus rectification_days (5), with remediation and who is responsible', () => {
    const md = cli(['audit', SELF, '--format', 'markdown']).stdout;
    const list = md.slice(md.indexOf('## 整改清单'), md.indexOf('## 豁免事项'));
    expect(list).toContain('整改期限为核验日期后 5 天（参数 `rectification_days`），整改完成后申请复核。');
    expect(list).toContain('| 序号 | 核验项 | 问题 | 整改建议 | 整改期限 | 责任人 |');
    expect(list).toMatch(
      /<br>`supplies\.protective\.masks` · .* \| 主动拓宽采购渠道.* \| 2020-04-25 \| 郭志刚（总务主任） \|\n/,
    );
    expect(list).toMatch(/<br>`living\.canteen\.spacing` · .* \| 2020-04-25 \| 郭志刚（总务主任） \|\n/);
    expect(list).toMatch(/<br>`gates\.conditions\.in_place` · .* \| 2020-04-25 \| — \|\n/);
    expect(list.match(/\| 2020-04-25 \|/g)).toHaveLength(7);
  });

  it('are in the JSON and csv-items reports, and the parameter is in the catalogue with its source', () => {
    const r = cli(['audit', SELF, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as {
      schools: {
        items: { id: string; status: string; deadline?: string; answer?: { responsible?: string } }[];
      }[];
      catalogues: Record<string, { parameters: { name: string; value: number; source: { ref: string } }[] }>;
    };
    const items = doc.schools[0]?.items ?? [];
    expect(items.filter((i) => i.status === 'fail').every((i) => i.deadline === '2020-04-25')).toBe(true);
    expect(items.filter((i) => i.status !== 'fail').some((i) => i.deadline !== undefined)).toBe(false);
    expect(items.find((i) => i.id === 'supplies.protective.masks')?.answer?.responsible).toBe(
      '郭志刚（总务主任）',
    );
    expect(doc.catalogues.national?.parameters.find((p) => p.name === 'rectification_days')).toMatchObject({
      value: 5,
      source: { ref: 'shandong-2020' },
    });
    const csv = cli(['audit', SELF, '--format', 'csv-items']).stdout.split('\r\n');
    expect(csv[0]?.endsWith(',整改建议,整改期限,责任人')).toBe(true);
    expect(
      csv.find((l) => l.includes(',supplies.protective.masks,'))?.endsWith(',2020-04-25,郭志刚（总务主任）'),
    ).toBe(true);
  });

  it('follow the parameter: --param, and none when the checklists in force do not declare it', () => {
    const md = cli(['audit', SELF, '--format', 'markdown', '--param', 'rectification_days=10']).stdout;
    expect(md).toContain('整改期限为核验日期后 10 天');
    expect(md).toContain('| 2020-04-30 |');
    const alone = cli(['audit', SELF, '--format', 'json', '--checklist', 'supplies']).stdout;
    expect(alone).not.toContain('"deadline"');
    expect(cli(['checklists', 'show', 'three-no-opening']).stdout).toContain('rectification_days = 5 天');
  });
});

// ------------------------------------------------------------- history in git

describe('history without a database: school files in git, compared across revisions', () => {
  const repo = tempDir('history');
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=河西区教育局',
        '-c',
        'user.email=jyj@example.org',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
  git('init', '-q');
  copyFileSync(path.join(ROOT, SELF), path.join(repo, 'school.yaml'));
  git('add', 'school.yaml');
  git('commit', '-q', '-m', '4 月 20 日学校自查');
  copyFileSync(path.join(ROOT, COUNTY), path.join(repo, 'school.yaml'));
  git('commit', '-q', '-a', '-m', '4 月 28 日县级评估');

  it('compares the previous revision with the working file', () => {
    writeFileSync(path.join(repo, 'before.yaml'), git('show', 'HEAD~1:school.yaml'));
    const r = cli(['compare', 'before.yaml', 'school.yaml'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('整改前：2020-04-20 · 学校自查 · 不具备开学条件 · before.yaml');
    expect(r.stdout).toContain('整改后：2020-04-28 · 县级评估 · 不具备开学条件 · school.yaml');
    expect(r.stdout).toContain('已整改 5 项，仍不符合 2 项（其中逾期 2 项），新增不符合 1 项');
  });

  it('confirms uncommitted fixes against the last commit, and the log says when each audit was filed', () => {
    const fixed = readFileSync(path.join(repo, 'school.yaml'), 'utf8')
      .replace('    value: 9000\n', '    value: 12000\n')
      .replace(
        '  supplies.disinfection.sprayers:\n    value: false',
        '  supplies.disinfection.sprayers:\n    value: true',
      )
      .replace('date: 2020-04-28', 'date: 2020-04-30');
    writeFileSync(path.join(repo, 'school.yaml'), fixed);
    writeFileSync(path.join(repo, 'last.yaml'), git('show', 'HEAD:school.yaml'));
    const r = cli(['compare', 'last.yaml', 'school.yaml', '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schools: { outcome: string; counts: Record<string, number> }[] };
    expect(doc.schools[0]).toMatchObject({
      outcome: 'RECTIFIED',
      counts: { fixed: 3, still_failing: 0, regressed: 0 },
    });
    expect(git('log', '--format=%s', '--', 'school.yaml').trim().split('\n')).toEqual([
      '4 月 28 日县级评估',
      '4 月 20 日学校自查',
    ]);
  });
});
