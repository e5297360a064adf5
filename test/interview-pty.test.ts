/**
 * The interview end to end, in a real pseudo-terminal (util-linux `script`): create a
 * school, answer, press Ctrl-C, look at the file, resume, finish. Also SIGKILL mid-interview
 * and the refusal to prompt without a terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { BIN, ROOT, cli, tempDir, toolAvailable } from './helpers.js';

const hasScript = toolAvailable(['script', '--version'], 'script from util-linux (the interview in a pseudo-terminal)', 'apt-get install util-linux');

/** A small checklist of its own, so the test does not move with the built-in checklists. */
const CHECKLIST = readFileSync(path.join(ROOT, 'test/fixtures/drill-checklist.yaml'), 'utf8');

const KEY = { enter: '\r', down: '\x1b[B', ctrlC: '\x03' };

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The CLI in a pseudo-terminal: type into it, wait for what it shows. */
class Terminal {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = '';
  private cursor = 0;
  readonly exited: Promise<number>;

  constructor(args: string[], cwd: string) {
    // `exec` keeps the shell's pid for node, so `$$` is the pid to kill.
    const command = `stty cols 100 rows 50; echo PID=$$; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    this.child.stdout.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code ?? -1)));
  }

  get text(): string {
    return stripVTControlCharacters(this.raw).replace(/\r/g, '');
  }

  get pid(): number {
    return Number(/PID=(\d+)/.exec(this.text)?.[1]);
  }

  /** Wait until `what` appears after everything waited for so far. */
  async waitFor(what: string, timeout = 15000): Promise<void> {
    const start = Date.now();
    for (;;) {
      const at = this.text.indexOf(what, this.cursor);
      if (at !== -1) {
        this.cursor = at + what.length;
        return;
      }
      if (Date.now() - start > timeout) throw new Error(`timed out waiting for "${what}"; screen:\n${this.text.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  send(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Wait for a prompt, then answer it. */
  async answer(prompt: string, keys: string): Promise<void> {
    await this.waitFor(prompt);
    await new Promise((r) => setTimeout(r, 30));
    this.send(keys);
  }

  /** The answer is on disk; then no note, no evidence. */
  async noNotes(): Promise<void> {
    await this.waitFor('已保存');
    await this.answer('备注', KEY.enter);
    await this.answer('证据文件路径', KEY.enter);
  }
}

function workspace(): { dir: string; checklist: string } {
  const dir = tempDir('pty');
  const checklist = path.join(dir, 'drill.yaml');
  writeFileSync(checklist, CHECKLIST);
  return { dir, checklist };
}

describe.skipIf(!hasScript)('reopen-audit interview in a terminal', () => {
  it('creates a school, keeps every answer through Ctrl-C, resumes and finishes with the verdict and a report', async () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'jinshui-1.yaml');

    const first = new Terminal(['interview', file, '--checklist', checklist], dir);
    await first.answer('学校名称', `郑州市金水区第一中学${KEY.enter}`);
    await first.answer('学校编号', `410105-0001${KEY.enter}`);
    await first.answer('所在区县', `金水区${KEY.enter}`);
    await first.answer('学校类型', `${KEY.down}${KEY.enter}`);
    await first.answer('是否寄宿制学校', KEY.enter);
    await first.answer('是否有学生食堂', `y${KEY.enter}`);
    await first.answer('在校学生数', `1100${KEY.enter}`);
    await first.answer('教职员工数', `100${KEY.enter}`);
    await first.answer('班级数', KEY.enter);
    await first.answer('核验日期', `2020-04-20${KEY.enter}`);
    await first.answer('核验层级', KEY.enter);
    await first.answer('检查人姓名', `王敏${KEY.enter}`);
    await first.answer('检查人单位', `金水区教育局${KEY.enter}`);
    await first.waitFor('已创建');

    await first.waitFor('章节 1/4 · 开学条件演练核验表 › 开学前提　第 1/7 项');
    await first.answer('作答', KEY.enter);
    await first.noNotes();
    await first.waitFor('要求：≥ 16800 只，依据 (学生 1100 + 教职工 100) × 1 只/人·天 × 14 天');
    await first.answer('填写数值（只）', `8400${KEY.enter}`);
    await first.waitFor('已保存 · 不符合 — 口罩储备 8400 只 < 要求 16800 只 = (1100 + 100) × 1 × 14');
    await first.answer('备注', `台账与实物一致${KEY.enter}`);
    await first.answer('证据文件路径', `照片/口罩库房.jpg${KEY.enter}`);
    await first.waitFor('已保存备注和证据');

    // Someone adds a comment by hand while the interview runs.
    await first.waitFor('作答');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  district: 金水区\n', '  district: 金水区   # 区督导组 4 月 20 日现场核验\n'));
    first.send(KEY.enter);
    await first.noNotes();
    await first.waitFor('隔离观察室有明显标识');
    await first.answer('作答', KEY.ctrlC);
    expect(await first.exited).toBe(130);
    await first.waitFor('已中断。已作答的内容都已保存在');
    expect(first.text).toContain(`继续核验请运行：reopen-audit interview ${file} --checklist ${checklist}`);
    expect(first.text).not.toMatch(/\n\s+at .+:\d+:\d+/);

    const afterCtrlC = readFileSync(file, 'utf8');
    expect(parseDocument(afterCtrlC).errors).toEqual([]);
    expect(afterCtrlC).toContain('  district: 金水区   # 区督导组 4 月 20 日现场核验\n');
    expect(parse(afterCtrlC).answers).toEqual({
      'drill.gates.epidemic': true,
      'drill.supplies.masks': { value: 8400, note: '台账与实物一致', evidence: ['照片/口罩库房.jpg'] },
      'drill.isolation.exists': true,
    });
    const midway = cli(['audit', file, '--checklist', checklist]);
    expect(midway.stderr).toBe('');
    expect(midway.code).toBe(1);

    const second = new Terminal(['interview', file, '--checklist', checklist], dir);
    await second.waitFor('从第一个未作答的核验项继续。');
    await second.waitFor('隔离观察室有明显标识');
    await second.answer('作答', KEY.enter);
    await second.noNotes();
    await second.waitFor('要求：核验日期前 30 天内（2020-03-21 至 2020-04-20）');
    await second.answer('填写日期', `2020-04-10${KEY.enter}`);
    await second.noNotes();
    await second.waitFor('校门测温方式');
    await second.answer('作答', KEY.enter);
    await second.noNotes();
    await second.answer('填写内容', `张老师 13800000000${KEY.enter}`);
    await second.noNotes();
    await second.waitFor('核验结束。');
    await second.waitFor('✘ 不具备开学条件  郑州市金水区第一中学 (410105-0001)');
    await second.waitFor('口罩储备 8400 只 < 要求 16800 只');
    await second.answer('将核验报告（Markdown）写入', KEY.enter);
    await second.waitFor('报告已写入');
    expect(await second.exited).toBe(1);

    const report = readFileSync(path.join(dir, 'jinshui-1.report.md'), 'utf8');
    expect(report).toContain('# 郑州市金水区第一中学 开学条件核验报告');
    expect(report).toContain('不具备开学条件');
    const final = readFileSync(file, 'utf8');
    expect(final).toContain('  district: 金水区   # 区督导组 4 月 20 日现场核验\n');
    expect(Object.keys(parse(final).answers)).toEqual([
      'drill.gates.epidemic',
      'drill.supplies.masks',
      'drill.isolation.exists',
      'drill.isolation.signage',
      'drill.plans.drill_date',
      'drill.plans.entrance',
      'drill.plans.contact',
    ]);
    const audit = cli(['audit', file, '--checklist', checklist]);
    expect(audit.stdout).toContain('✘ 不具备开学条件  郑州市金水区第一中学 (410105-0001)');
  }, 60000);

  it('loses no confirmed answer and leaves a valid file when the process is killed with SIGKILL', async () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'school.yaml');
    const school = `# 手工建立的学校文件
school: {id: "410105-0002", name: 郑州市金水区第二中学, district: 金水区, type: junior, students: 900, staff: 80}
audit: {date: 2020-04-20, level: self, checklists: [drill]}
answers:
  # 以下由自查小组填写
`;
    writeFileSync(file, school);
    const term = new Terminal(['interview', file, '--checklist', checklist], dir);
    await term.answer('作答', KEY.enter);
    await term.noNotes();
    await term.answer('填写数值', `12000${KEY.enter}`);
    // Killed while the answer may be being written.
    await new Promise((r) => setTimeout(r, Math.random() * 40));
    process.kill(term.pid, 'SIGKILL');
    await term.exited;
    const text = readFileSync(file, 'utf8');
    expect(parseDocument(text).errors).toEqual([]);
    expect(text.startsWith('# 手工建立的学校文件\n')).toBe(true);
    expect(text).toContain('  # 以下由自查小组填写\n  drill.gates.epidemic: true\n');
    // The second answer is either fully there or not at all.
    expect([undefined, 12000]).toContain(parse(text).answers['drill.supplies.masks']);
  }, 30000);
});

describe.skipIf(!hasScript)('reopen-audit interview: stopping early and wrong options', () => {
  it('Ctrl-C while the profile is asked for creates no file', async () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'new.yaml');
    const term = new Terminal(['interview', file, '--checklist', checklist], dir);
    await term.answer('学校名称', `郑州市金水区第三中学${KEY.enter}`);
    await term.answer('学校编号', KEY.ctrlC);
    expect(await term.exited).toBe(130);
    await term.waitFor(`已中断，尚未创建 ${file}。`);
    expect(existsSync(file)).toBe(false);
  }, 20000);

  it('names the sections there are when --section names none', async () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'school.yaml');
    writeFileSync(file, 'school: {id: "1", name: 某小学, district: 某区, type: primary, students: 300, staff: 30}\naudit: {date: 2020-04-20, level: self, checklists: [drill]}\n');
    const term = new Terminal(['interview', file, '--checklist', checklist, '--section', 'isolaton'], dir);
    expect(await term.exited).toBe(2);
    await term.waitFor('没有“isolaton”这个章节（可用：drill/gates, drill/supplies, drill/isolation, drill/plans）');
  }, 20000);
});

describe('reopen-audit interview without a terminal', () => {
  it('asks nothing, points to audit and init, and exits 2', () => {
    const { dir, checklist } = workspace();
    const file = path.join(dir, 'school.yaml');
    const r = cli(['interview', file, '--checklist', checklist]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('interview 需要在交互式终端中运行');
    expect(r.stderr).toContain(`reopen-audit audit ${file}`);
    expect(r.stderr).toContain(`reopen-audit init ${file}`);
    expect(existsSync(file)).toBe(false);
    const en = cli(['interview', file, '--lang', 'en']);
    expect(en.stderr).toContain('interview needs an interactive terminal');
  });
});
