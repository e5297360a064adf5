import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, cli, tempDir } from './helpers.js';

/** A small checklist of its own, so the tests do not move with the built-in checklists. */
const CHECKLIST = readFileSync(path.join(ROOT, 'test/fixtures/drill-checklist.yaml'), 'utf8');

function workspace(): { dir: string; checklist: string } {
  const dir = tempDir('init');
  const checklist = path.join(dir, 'drill.yaml');
  writeFileSync(checklist, CHECKLIST);
  return { dir, checklist };
}

/** Replace the blank after `key:` on a line of its own (keeping any comment): no structural edit. */
function fill(text: string, key: string, value: string): string {
  const pattern = new RegExp(`^(\\s+${key.replace(/\./g, '\\.')}:)(?=\\s*(#.*)?$)`, 'm');
  expect(text).toMatch(pattern);
  return text.replace(pattern, `$1 ${value}`);
}

function fillSchool(text: string): string {
  let out = fill(text, 'id', '"410105-0001"');
  out = fill(out, 'name', '郑州市金水区第一中学');
  out = fill(out, 'district', '金水区');
  return fill(out, 'date', '2020-04-20');
}

/**
 * Fill every blank answer from its "填写" comment alone, as a person would: true for
 * yes/no, a number within the stated limits, the audit date, the first option, some text.
 */
function fillEveryAnswer(text: string): { text: string; ids: string[] } {
  const lines = text.split('\n');
  const ids: string[] = [];
  let hint = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const h = /^ {2}# 填写：(.*)$/.exec(line);
    if (h) hint = h[1] as string;
    const blank = /^ {2}([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+):$/.exec(line);
    if (!blank) continue;
    let value = '已落实';
    if (hint.startsWith('true')) value = 'true';
    else if (hint.startsWith('数值')) {
      const max = /不大于 (\d+)/.exec(hint);
      value = max ? (max[1] as string) : '1000000';
    } else if (hint.startsWith('日期')) value = '2020-04-19';
    else if (hint.startsWith('以下代码之一')) value = (/：([a-z0-9_]+)（/.exec(hint)?.[1] as string) ?? '';
    lines[i] = `${line} ${value}`;
    ids.push(blank[1] as string);
  }
  return { text: lines.join('\n'), ids };
}

describe('reopen-audit init', () => {
  it('writes the items that apply, each with question, method, guidance, computed requirement and how to answer', () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'jinshui-1.yaml');
    const r = cli(['init', file, '--checklist', checklist, '--type', 'junior', '--canteen', '--students', '1100', '--staff', '100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`已生成模板 ${file}（7 个核验项）`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(
      [
        '  # 【关键】口罩储备',
        '  # 方式：实地查看',
        '  # 说明：清点库存口罩并与台账核对',
        '  # 要求：≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天',
        '  # 参数：masks_per_person_day = 1 只/人·天：每人每天口罩用量',
        '  # 参数：stock_days = 14 天：防疫物资须满足使用的天数',
        '  # 填写：数值（只），整数，不小于 0 / 不适用',
        '  drill.supplies.masks:',
      ].join('\n'),
    );
    expect(text).toContain('  # 填写：true（是） / false（否）\n  drill.gates.epidemic:');
    expect(text).toContain('  # 适用条件：drill.isolation.exists（条件不成立时无需填写）');
    expect(text).toContain('  # 填写：以下代码之一：gate（测温门） / handheld（额温枪） / none（无） / 不适用');
    // A day junior school: no boarding site, no toys.
    expect(text).not.toContain('drill.isolation.boarding_site');
    expect(text).not.toContain('drill.isolation.toys');
    const data = parse(text);
    expect(data.school).toEqual({ id: null, name: null, district: null, type: 'junior', boarding: false, canteen: true, students: 1100, staff: 100 });
    expect(data.audit).toEqual({ date: null, level: 'self', checklists: ['drill'] });
    expect(Object.values(data.answers).every((v) => v === null)).toBe(true);
  });

  it('lists what applies to the school described: boarding sites for a boarding school, toys for a kindergarten', () => {
    const { dir, checklist } = workspace();
    const boarding = path.join(dir, 'boarding.yaml');
    cli(['init', boarding, '--checklist', checklist, '--type', 'senior', '--boarding']);
    expect(readFileSync(boarding, 'utf8')).toContain('drill.isolation.boarding_site:');
    expect(readFileSync(boarding, 'utf8')).not.toContain('drill.isolation.toys:');
    const kindergarten = path.join(dir, 'kindergarten.yaml');
    cli(['init', kindergarten, '--checklist', checklist, '--type', 'kindergarten']);
    expect(readFileSync(kindergarten, 'utf8')).toContain('drill.isolation.toys:');
    // Without a type every item is listed, and those for some schools only say when they apply.
    const any = path.join(dir, 'any.yaml');
    cli(['init', any, '--checklist', checklist]);
    const text = readFileSync(any, 'utf8');
    expect(text).toContain('  # 适用条件：boarding（条件不成立时无需填写）\n  # 填写：true（是） / false（否） / 不适用\n  drill.isolation.boarding_site:');
    expect(text).toContain('  # 要求：≥ (学生 + 教职工) × 1 只/人·天 × 14 天（填写学校信息后计算）');
    expect(text).toMatch(/^ {2}type: {2}# 学校类型（必填）：kindergarten 幼儿园 \/ primary 小学/m);
  });

  it('says in words when a built-in item does not apply, never with the condition\'s expression', () => {
    const { dir } = workspace();
    for (const lang of ['zh', 'en']) {
      const file = path.join(dir, `any-${lang}.yaml`);
      expect(cli(['init', file, '--lang', lang]).code).toBe(0);
      const comments = readFileSync(file, 'utf8').split('\n').filter((l) => l.trimStart().startsWith('#'));
      expect(comments.filter((l) => /\|\||&&|(^|[\s(])!\w|==/.test(l)), lang).toEqual([]);
      expect(comments.join('\n')).toContain(
        lang === 'zh' ? '# 不适用的情形：学校不是寄宿制学校（此时无需填写）' : '# Not applicable when: The school is not a boarding school (then leave it blank)',
      );
    }
  });

  it('refuses to overwrite an existing file without --force', () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'school.yaml');
    writeFileSync(file, '# 已有的学校文件\n');
    const r = cli(['init', file, '--checklist', checklist]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`reopen-audit: ${file} 已存在，不会覆盖；确需重新生成请加 --force\n`);
    expect(readFileSync(file, 'utf8')).toBe('# 已有的学校文件\n');
    const en = cli(['init', file, '--checklist', checklist, '--lang', 'en']);
    expect(en.stderr).toContain('already exists and is left as it is; add --force');
    const forced = cli(['init', file, '--checklist', checklist, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('drill.gates.epidemic:');
  });

  it('replaces a symbolic link with --force, never writing into what it points to', () => {
    const { dir, checklist } = workspace();
    mkdirSync(path.join(dir, 'elsewhere'));
    const precious = path.join(dir, 'elsewhere/precious.yaml');
    writeFileSync(precious, '# 别处的文件\n');
    const link = path.join(dir, 'school.yaml');
    symlinkSync(precious, link);
    expect(cli(['init', link, '--checklist', checklist]).code).toBe(2);
    const dangling = path.join(dir, 'dangling.yaml');
    symlinkSync(path.join(dir, 'elsewhere/new.yaml'), dangling);
    // A dangling link is there too: not replaced without --force, and nothing made where it points.
    expect(cli(['init', dangling, '--checklist', checklist]).code).toBe(2);
    const forced = cli(['init', link, '--checklist', checklist, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toBe(`reopen-audit: 符号链接 ${link} 已被替换，未写入它所指向的位置\n`);
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toContain('drill.gates.epidemic:');
    expect(readFileSync(precious, 'utf8')).toBe('# 别处的文件\n');
    expect(cli(['init', dangling, '--checklist', checklist, '--force', '--lang', 'en']).stderr).toBe(
      `reopen-audit: the symbolic link ${dangling} was replaced, not written through\n`,
    );
    expect(existsSync(path.join(dir, 'elsewhere/new.yaml'))).toBe(false);
  });

  it('rejects a headcount that is not a whole number, and a checklist file that does not load', () => {
    const { dir, checklist } = workspace();
    const bad = cli(['init', path.join(dir, 'a.yaml'), '--checklist', checklist, '--students', '一千']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--students 应为非负整数，实际为“一千”');
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, CHECKLIST.replace('severity: gate', 'severity: veto'));
    const r = cli(['init', path.join(dir, 'b.yaml'), '--checklist', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: “severity”的值 "veto" 无效/);
    expect(existsSync(path.join(dir, 'b.yaml'))).toBe(false);
  });

  it('a filled-in template audits as it is: READY when every answer passes', () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'jinshui-1.yaml');
    cli(['init', file, '--checklist', checklist, '--type', 'junior', '--students', '1100', '--staff', '100']);
    let text = fillSchool(readFileSync(file, 'utf8'));
    const answers: Record<string, string> = {
      'drill.gates.epidemic': 'true',
      'drill.supplies.masks': '16800',
      'drill.isolation.exists': 'true',
      'drill.isolation.signage': 'true',
      'drill.plans.drill_date': '2020-04-10',
      'drill.plans.entrance': 'gate',
      'drill.plans.contact': '张老师 13800000000',
    };
    for (const [id, value] of Object.entries(answers)) text = fill(text, id, value);
    writeFileSync(file, text);
    const r = cli(['audit', file, '--checklist', checklist]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('✔ 具备开学条件  郑州市金水区第一中学 (410105-0001)');
    expect(r.code).toBe(0);
  });

  it('a filled-in template of the built-in checklists audits as it is, with nothing left unanswered', () => {
    const { dir } = workspace();
    const file = path.join(dir, 'built-in.yaml');
    const r = cli(['init', file, '--type', 'junior', '--canteen', '--students', '1100', '--staff', '100']);
    expect(r.code).toBe(0);
    const filled = fillEveryAnswer(fillSchool(readFileSync(file, 'utf8')));
    expect(filled.ids.length).toBeGreaterThan(10);
    writeFileSync(file, filled.text);
    const audit = cli(['audit', file, '--format', 'json']);
    expect(audit.stderr).toBe('');
    expect([0, 1]).toContain(audit.code);
    const school = JSON.parse(audit.stdout).schools[0];
    expect(school.counts.unanswered).toBe(0);
    expect(school.counts.error).toBe(0);
  });

  it('writes English guidance with --lang en', () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'en.yaml');
    cli(['init', file, '--checklist', checklist, '--type', 'primary', '--students', '600', '--staff', '50', '--lang', 'en']);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  # Required: ≥ 9100 masks, from (students 600 + staff 50) × 1 masks per person per\n  # day × 14 days');
    expect(text).toContain('  # Answer: true (yes) / false (no)\n  drill.gates.epidemic:');
    expect(text).toContain('  name:  # full name of the school (required)');
  });
});
