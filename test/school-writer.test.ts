import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fromDisk, setAnswer, toDisk, writeSchoolText } from '../src/write/school-file.js';
import { ROOT, tempDir } from './helpers.js';

const SCHOOL = `# 历下区实验小学 2020 年春季开学自查
school:
  id: "370102-001"
  name: 济南市历下区实验小学   # 全称，与公章一致
  district: 历下区
  type: primary

  canteen: true
  students: 1100
  staff: 100
audit:
  date: 2020-04-20
  level: county
  auditors:
    - {name: 王敏, org: 历下区教育局}
answers:
  # 三个不开学：王敏负责
  mini.gates.epidemic: true
  mini.supplies.masks: 8400   # 4 月 18 日盘点
  mini.isolation.exists:
  mini.isolation.signage:   # 待查看
  mini.plans.entrance: 'gate'
# 文件末尾的注释
`;

const ORDER = [
  'mini.gates.epidemic',
  'mini.supplies.masks',
  'mini.supplies.health_staff',
  'mini.isolation.exists',
  'mini.isolation.signage',
  'mini.plans.drill_date',
  'mini.plans.entrance',
];

/** Lines of `after` that are not in `before`, and the other way round. */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('writing an answer into a school file', () => {
  it('fills a blank answer and changes nothing else, byte for byte', () => {
    const out = setAnswer(SCHOOL, 'mini.isolation.exists', { value: true }, ORDER);
    expect(changedLines(SCHOOL, out)).toEqual({ added: ['  mini.isolation.exists: true'], removed: ['  mini.isolation.exists:'] });
    expect(out.length).toBe(SCHOOL.length + ' true'.length);
  });

  it('keeps the comment on the line of the value it replaces', () => {
    const out = setAnswer(SCHOOL, 'mini.supplies.masks', { value: 16800 }, ORDER);
    expect(changedLines(SCHOOL, out).added).toEqual(['  mini.supplies.masks: 16800   # 4 月 18 日盘点']);
    const blankWithComment = setAnswer(SCHOOL, 'mini.isolation.signage', { value: false }, ORDER);
    expect(changedLines(SCHOOL, blankWithComment).added).toEqual(['  mini.isolation.signage:   false # 待查看']);
  });

  it('puts a new answer after the nearest earlier item of the checklist', () => {
    const out = setAnswer(SCHOOL, 'mini.supplies.health_staff', { value: 2 }, ORDER);
    const lines = out.split('\n');
    expect(lines[lines.indexOf('  mini.supplies.masks: 8400   # 4 月 18 日盘点') + 1]).toBe('  mini.supplies.health_staff: 2');
    const drill = setAnswer(SCHOOL, 'mini.plans.drill_date', { value: '2020-04-10' }, ORDER);
    expect(drill).toContain("  mini.isolation.signage:   # 待查看\n  mini.plans.drill_date: 2020-04-10\n  mini.plans.entrance: 'gate'\n# 文件末尾的注释\n");
  });

  it('adds the answers block when the file has none, or fills an empty one', () => {
    const bare = SCHOOL.slice(0, SCHOOL.indexOf('answers:'));
    expect(setAnswer(bare, 'mini.gates.epidemic', { value: true })).toBe(`${bare}answers:\n  mini.gates.epidemic: true\n`);
    const empty = `${bare}answers:   # 待填写\n`;
    expect(setAnswer(empty, 'mini.gates.epidemic', { value: true })).toBe(`${bare}answers:   # 待填写\n  mini.gates.epidemic: true\n`);
    const commented = `${bare}answers:\n  # 以下由自查小组填写\n  #   2020-04-19 起\n# 文件末尾\n`;
    expect(setAnswer(commented, 'mini.gates.epidemic', { value: true })).toBe(`${bare}answers:\n  # 以下由自查小组填写\n  #   2020-04-19 起\n  mini.gates.epidemic: true\n# 文件末尾\n`);
    const tilde = `${bare}answers: ~\n`;
    expect(parse(setAnswer(tilde, 'mini.gates.epidemic', { value: true })).answers).toEqual({ 'mini.gates.epidemic': true });
  });

  it('turns a bare value into value, note and evidence, and keeps the comment with the key', () => {
    const out = setAnswer(SCHOOL, 'mini.supplies.masks', { value: 8400, note: '台账与实物一致', evidence: ['照片/口罩库房.jpg', '台账 4 月.pdf'] }, ORDER);
    expect(out).toContain(
      ['  mini.supplies.masks:   # 4 月 18 日盘点', '    value: 8400', '    note: 台账与实物一致', '    evidence:', '      - 照片/口罩库房.jpg', '      - 台账 4 月.pdf', '  mini.isolation.exists:'].join('\n'),
    );
    expect(parse(out).answers['mini.supplies.masks']).toEqual({ value: 8400, note: '台账与实物一致', evidence: ['照片/口罩库房.jpg', '台账 4 月.pdf'] });
  });

  it('edits inside an existing answer mapping: new value, note kept, evidence added, note removed when cleared', () => {
    const withNote = SCHOOL.replace('  mini.gates.epidemic: true\n', '  mini.gates.epidemic:\n    value: false   # 待县指挥部发文\n    note: 尚未收到文件\n');
    const out = setAnswer(withNote, 'mini.gates.epidemic', { value: true, evidence: ['县指挥部通知.pdf'] }, ORDER);
    expect(out).toContain('  mini.gates.epidemic:\n    value: true   # 待县指挥部发文\n    note: 尚未收到文件\n    evidence:\n      - 县指挥部通知.pdf\n  mini.supplies.masks');
    const cleared = setAnswer(out, 'mini.gates.epidemic', { value: true, note: '' }, ORDER);
    expect(parse(cleared).answers['mini.gates.epidemic']).toEqual({ value: true, evidence: ['县指挥部通知.pdf'] });
    expect(cleared).not.toContain('尚未收到文件');
    const valueOnly = setAnswer(cleared, 'mini.gates.epidemic', { value: false, evidence: [] }, ORDER);
    expect(valueOnly).toContain('  mini.gates.epidemic:\n    value: false   # 待县指挥部发文\n  mini.supplies.masks');
  });

  it('quotes text that YAML would read as something else, and reads back the same value', () => {
    for (const value of ['123', 'true', 'a: b', '#1 号楼', '张老师\n13800000000', '', 'null', '- 见附件']) {
      const out = setAnswer(SCHOOL, 'mini.plans.entrance', { value }, ORDER);
      expect(parse(out).answers['mini.plans.entrance']).toBe(value);
    }
  });

  it('falls back to the Document API for flow-style answers, keeping comments and order', () => {
    const flow = SCHOOL.slice(0, SCHOOL.indexOf('answers:')) + 'answers: {mini.gates.epidemic: true}  # 初查\n# 末尾\n';
    const out = setAnswer(flow, 'mini.supplies.masks', { value: 16800 }, ORDER);
    expect(parse(out).answers).toEqual({ 'mini.gates.epidemic': true, 'mini.supplies.masks': 16800 });
    expect(out).toContain('# 历下区实验小学 2020 年春季开学自查');
    expect(out).toContain('# 全称，与公章一致');
    expect(out).toContain('# 末尾');
    expect(Object.keys(parse(out))).toEqual(['school', 'audit', 'answers']);
  });

  it('keeps a BOM and CRLF line ends as the file had them', () => {
    const bytes = Buffer.from(`\uFEFF${SCHOOL.replace(/\n/g, '\r\n')}`, 'utf8');
    const file = fromDisk(bytes);
    expect(file).toMatchObject({ bom: true, crlf: true });
    const written = toDisk({ ...file, text: setAnswer(file.text, 'mini.isolation.exists', { value: true }, ORDER) });
    expect(written.startsWith('\uFEFF')).toBe(true);
    expect(written.split('\r\n').length).toBe(SCHOOL.split('\n').length);
    expect(written).toContain('  mini.isolation.exists: true\r\n');
    expect(written.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('atomic writes', () => {
  it('replaces the file through a temporary file and a rename, leaving no temporary file behind', async () => {
    const dir = tempDir('writer');
    const file = path.join(dir, 'school.yaml');
    writeFileSync(file, SCHOOL);
    await writeSchoolText(file, setAnswer(SCHOOL, 'mini.isolation.exists', { value: true }, ORDER));
    expect(readdirSync(dir)).toEqual(['school.yaml']);
    expect(parse(readFileSync(file, 'utf8')).answers['mini.isolation.exists']).toBe(true);
  });

  it('never leaves a truncated file when the writing process is killed with SIGKILL', async () => {
    const dir = tempDir('kill');
    const file = path.join(dir, 'school.yaml');
    // Two complete versions, large enough that a write takes a while.
    const padding = (mark: string) => Array.from({ length: 4000 }, (_, i) => `  # ${mark} ${i} 说明文字说明文字说明文字`).join('\n');
    const versions = [`${SCHOOL}${padding('甲')}\n`, `${SCHOOL.replace('8400', '16800')}${padding('乙')}\n`];
    writeFileSync(file, versions[0] as string);
    // The built module (npm test builds first), run in a process of its own so it can be killed.
    const module = pathToFileURL(path.join(ROOT, 'dist/write/school-file.js')).href;
    const script = path.join(dir, 'writer.mjs');
    writeFileSync(path.join(dir, 'versions.json'), JSON.stringify(versions));
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
      const { writeSchoolText } = await import(${JSON.stringify(module)});
      const versions = JSON.parse(readFileSync(${JSON.stringify(path.join(dir, 'versions.json'))}, 'utf8'));
      process.stdout.write('ready\\n');
      for (let i = 0; ; i++) await writeSchoolText(${JSON.stringify(file)}, versions[i % 2]);
      `,
    );
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const text = readFileSync(file, 'utf8');
      expect(versions).toContain(text);
    }
    // A temporary file a kill left behind is never taken for a school file.
    for (const name of readdirSync(dir)) if (name !== 'school.yaml') expect(name).not.toMatch(/\.ya?ml$/);
  }, 30000);
});
