/**
 * The interview's and the template's own words, in Chinese and English. Messages the
 * command line prints on its way out (errors, interruptions) are in src/i18n/messages.ts.
 */
import type { LocalText } from '../model/schema.js';
import type { Lang } from '../i18n/index.js';
import { wrapText } from '../report/wrap.js';

export const WORDS = {
  // Profile of a new school
  newSchool: { zh: '新建学校文件：{file}。请先填写学校基本情况。', en: 'New school file: {file}. First, the school profile.' },
  askName: { zh: '学校名称', en: 'School name' },
  askId: { zh: '学校编号（如 370102-001）', en: 'School ID (e.g. 370102-001)' },
  askDistrict: { zh: '所在区县', en: 'District' },
  askType: { zh: '学校类型', en: 'School type' },
  askBoarding: { zh: '是否寄宿制学校', en: 'Boarding school?' },
  askCanteen: { zh: '是否有学生食堂', en: 'Has a student canteen?' },
  askStudents: { zh: '在校学生数', en: 'Number of students' },
  askStaff: { zh: '教职员工数', en: 'Number of staff' },
  askBoarders: { zh: '住校学生数（可留空）', en: 'Number of boarders (may be left blank)' },
  askClasses: { zh: '班级数（可留空）', en: 'Number of classes (may be left blank)' },
  askDate: { zh: '核验日期（YYYY-MM-DD）', en: 'Audit date (YYYY-MM-DD)' },
  askLevel: { zh: '核验层级', en: 'Audit level' },
  askAuditor: { zh: '检查人姓名（可留空）', en: 'Inspector name (may be left blank)' },
  askOrg: { zh: '检查人单位（可留空）', en: 'Inspector organisation (may be left blank)' },
  required: { zh: '必填', en: 'required' },
  wholeNumber: { zh: '请填写 {min}–{max} 之间的整数', en: 'enter a whole number from {min} to {max}' },
  notMoreThanStudents: { zh: '住校学生数不能多于在校学生数（{students}）', en: 'cannot exceed the number of students ({students})' },
  created: { zh: '已创建 {file}', en: 'Created {file}' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  yesNoError: { zh: '请回答“是”（y）或“否”（n）', en: 'answer "yes" or "no"' },
  // Walking the items
  resumeAt: { zh: '从第一个未作答的核验项继续。', en: 'Resuming at the first unanswered item.' },
  reviewing: { zh: '复核模式：已作答的核验项也会逐一显示，回车保留原答案。', en: 'Review mode: answered items are shown too; Enter keeps the current answer.' },
  nothingToAsk: { zh: '范围内的核验项均已作答（用 --review 可逐项复核）。', en: 'Every item in scope is answered (use --review to go through them again).' },
  progress: { zh: '章节 {section}/{sections} · {title}　第 {item}/{items} 项', en: 'Section {section}/{sections} · {title}   item {item}/{items}' },
  method: { zh: '方式', en: 'Method' },
  severity: { zh: '等级', en: 'Severity' },
  guidance: { zh: '说明', en: 'Guidance' },
  current: { zh: '当前答案', en: 'Current answer' },
  answerPrompt: { zh: '作答', en: 'Answer' },
  markNotApplicable: { zh: '不适用', en: 'Not applicable' },
  skip: { zh: '暂时跳过', en: 'Skip for now' },
  back: { zh: '返回上一项', en: 'Back to the previous item' },
  inputHint: {
    zh: '回车 = 暂时跳过，< = 返回上一项',
    en: 'Enter = skip for now, < = back',
  },
  inputHintKeep: {
    zh: '回车 = 保留当前答案，< = 返回上一项',
    en: 'Enter = keep the current answer, < = back',
  },
  inputHintNa: { zh: '，“不适用” = 标记不适用', en: ', "n/a" = not applicable' },
  numberPrompt: { zh: '填写数值', en: 'Enter a number' },
  datePrompt: { zh: '填写日期（YYYY-MM-DD）', en: 'Enter a date (YYYY-MM-DD)' },
  textPrompt: { zh: '填写内容', en: 'Enter text' },
  notePrompt: { zh: '备注（可选，回车跳过）', en: 'Note (optional, Enter to skip)' },
  evidencePrompt: { zh: '证据文件路径（可选，多个用逗号分隔，回车跳过）', en: 'Evidence file paths (optional, comma-separated, Enter to skip)' },
  atFirst: { zh: '已是第一项，无法返回。', en: 'This is the first item; there is nothing to go back to.' },
  saved: { zh: '已保存', en: 'Saved' },
  savedNotes: { zh: '已保存备注和证据', en: 'Note and evidence saved' },
  noNaForGate: { zh: '一票否决项不能标记为不适用', en: 'a gate item cannot be marked not applicable' },
  // The end
  done: { zh: '核验结束。', en: 'Interview finished.' },
  skippedLeft: { zh: '本次跳过、尚未作答的核验项：{count} 项（再次运行同一命令可继续）', en: '{count} item(s) skipped and still unanswered (run the same command again to continue)' },
  writeReport: { zh: '将核验报告（Markdown）写入 {file}？', en: 'Write the Markdown report to {file}?' },
  reportWritten: { zh: '报告已写入 {file}', en: 'Report written to {file}' },
  // Expectations
  required_: { zh: '要求', en: 'Required' },
  basis: { zh: '依据', en: 'from' },
  whenKnown: { zh: '（填写学校信息后计算）', en: '(computed once the school profile is filled in)' },
  whenAnswered: { zh: '（待相关核验项作答后计算）', en: '(computed once the items it depends on are answered)' },
  mustBeYes: { zh: '是', en: 'yes' },
  mustBeNo: { zh: '否', en: 'no' },
  withinDays: { zh: '核验日期前 {days} 天内（{from} 至 {to}）', en: 'within {days} days before the audit date ({from} to {to})' },
  withinDaysNoDate: { zh: '核验日期前 {days} 天内', en: 'within {days} days before the audit date' },
  notAfterAudit: { zh: '不晚于核验日期{date}', en: 'not after the audit date{date}' },
  oneOf: { zh: '以下之一：{options}', en: 'one of: {options}' },
  nonEmpty: { zh: '不能为空', en: 'must not be empty' },
  rule: { zh: '满足 {rule}', en: 'satisfies {rule}' },
  appliesWhen: { zh: '适用条件', en: 'Applies when' },
  notApplicableWhen: { zh: '不适用的情形', en: 'Not applicable when' },
  params: { zh: '参数', en: 'Parameters' },
  // Labels of the profile names used in expressions
  var_students: { zh: '学生', en: 'students' },
  var_staff: { zh: '教职工', en: 'staff' },
  var_boarders: { zh: '住校生', en: 'boarders' },
  var_classes: { zh: '班级', en: 'classes' },
  var_boarding: { zh: '寄宿制', en: 'boarding' },
  var_canteen: { zh: '食堂', en: 'canteen' },
  var_type: { zh: '学校类型', en: 'type' },
  var_district: { zh: '区县', en: 'district' },
  var_level: { zh: '核验层级', en: 'level' },
  var_audit_date: { zh: '核验日期', en: 'audit date' },
  fileTitle: { zh: '开学条件核验 · 学校文件（由 reopen-audit interview 创建）', en: 'Reopening readiness audit · school file (created by reopen-audit interview)' },
  fileEditable: { zh: '可以直接编辑本文件；reopen-audit 写入答案时会保留您加的注释和格式。', en: 'You may edit this file; reopen-audit keeps your comments and layout when it writes answers.' },
  // The fill-in template
  tplTitle: { zh: '开学条件核验 · 学校填报模板（由 reopen-audit init 生成）', en: 'Reopening readiness audit · school fill-in template (written by reopen-audit init)' },
  tplProfile: { zh: '核验依据：配置方案 {profile}；核验表 {checklists}', en: 'Audited against: profile {profile}; checklists {checklists}' },
  tplFacts: { zh: '按以下学校情况列出核验项：{facts}', en: 'Items listed for this school: {facts}' },
  tplAllItems: { zh: '未指定学校类型，列出全部核验项；只适用于部分学校的，注有“适用条件”。', en: 'No school type given, so every item is listed; those that apply only to some schools say when.' },
  tplRegenerate: { zh: '学校情况不同时（如改为寄宿制），请重新生成：reopen-audit init {file} --type … --boarding …', en: 'If the school differs (e.g. it boards), write a new template: reopen-audit init {file} --type … --boarding …' },
  tplHowTitle: { zh: '填写方法：', en: 'How to fill it in:' },
  tplHow1: { zh: '  1. 填写 school（学校基本情况）和 audit（核验信息）中冒号后空着的内容。', en: '  1. Fill in what is blank after the colons in school (the profile) and audit.' },
  tplHow2: {
    zh: '  2. 逐项在核验项编号的冒号后填写答案（格式见各项“填写”）；确实不适用的填“不适用”（一票否决项除外）；暂时无法确认的留空，结果为“未核验”。',
    en: '  2. Answer each item after the colon of its id (see "Answer" for the form); write n/a where it truly does not apply (never for a gate item); leave it blank if not known yet: it is reported as unanswered.',
  },
  tplHow3: { zh: '  3. 需要备注或证据时，把答案写成：', en: '  3. To add a note or evidence, write the answer as:' },
  tplHow3Example: { zh: '       编号: {value: 答案, note: 备注, evidence: [照片或文件路径]}', en: '       id: {value: answer, note: a note, evidence: [photo or file path]}' },
  tplHow4: { zh: '  4. 填好后运行：reopen-audit audit {file}', en: '  4. Then run: reopen-audit audit {file}' },
  tplId: { zh: '学校编号（必填），如 370102-001', en: 'school ID (required), e.g. 370102-001' },
  tplName: { zh: '学校全称（必填）', en: 'full name of the school (required)' },
  tplDistrict: { zh: '所在区县（必填）', en: 'district (required)' },
  tplType: { zh: '学校类型（必填）：{types}', en: 'school type (required): {types}' },
  tplTypeChosen: { zh: '学校类型：{label}', en: 'school type: {label}' },
  tplBoarding: { zh: '是否寄宿制：true（是） / false（否）', en: 'boarding school: true / false' },
  tplCanteen: { zh: '是否有学生食堂：true（是） / false（否）', en: 'student canteen: true / false' },
  tplStudents: { zh: '在校学生数（必填）', en: 'number of students (required)' },
  tplStaff: { zh: '教职员工数（必填）', en: 'number of staff (required)' },
  tplBoarders: { zh: '住校学生数（选填，去掉行首的 # 后填写）', en: 'number of boarders (optional: remove the leading # and fill in)' },
  tplClasses: { zh: '班级数（选填，去掉行首的 # 后填写）', en: 'number of classes (optional: remove the leading # and fill in)' },
  tplDate: { zh: '核验日期（必填），格式 YYYY-MM-DD', en: 'audit date (required), YYYY-MM-DD' },
  tplLevel: { zh: '核验层级：{levels}', en: 'audit level: {levels}' },
  tplAuditors: { zh: '检查人员（选填，去掉行首的 # 后填写）：', en: 'auditors (optional: remove the leading # and fill in):' },
  tplAuditorName: { zh: '张三', en: 'Zhang San' },
  tplAuditorOrg: { zh: '某某学校', en: 'Example School' },
  tplAnswer: { zh: '填写', en: 'Answer' },
  tplBoolean: { zh: 'true（是） / false（否）', en: 'true (yes) / false (no)' },
  tplNa: { zh: ' / 不适用', en: ' / n/a' },
  tplNumber: { zh: '数值', en: 'a number' },
  tplInteger: { zh: '整数', en: 'whole number' },
  tplAtLeast: { zh: '不小于 {min}', en: 'at least {min}' },
  tplAtMost: { zh: '不大于 {max}', en: 'at most {max}' },
  tplDateAnswer: { zh: '日期，格式 YYYY-MM-DD', en: 'a date, YYYY-MM-DD' },
  tplChoice: { zh: '以下代码之一：{options}', en: 'one of these codes: {options}' },
  tplText: { zh: '文字', en: 'text' },
  tplUndecided: { zh: '（条件不成立时无需填写）', en: '(leave it blank if the condition does not hold)' },
  tplThenBlank: { zh: '（此时无需填写）', en: '(then leave it blank)' },
  tplFactType: { zh: '类型 {label}', en: 'type {label}' },
  tplFactBoarding: { zh: '寄宿制', en: 'boarding' },
  tplFactNotBoarding: { zh: '非寄宿制', en: 'not boarding' },
  tplFactCanteen: { zh: '有学生食堂', en: 'has a canteen' },
  tplFactNoCanteen: { zh: '无学生食堂', en: 'no canteen' },
  tplFactStudents: { zh: '学生 {n} 人', en: '{n} students' },
  tplFactStaff: { zh: '教职工 {n} 人', en: '{n} staff' },
} satisfies Record<string, LocalText>;

export type WordKey = keyof typeof WORDS;

/** A word or sentence, with `{name}` filled in. */
export function w(lang: Lang, key: WordKey, params: Record<string, string | number> = {}): string {
  return WORDS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Punctuation a Chinese line never starts with. */
const NO_LINE_START = /^[，。、；：？！）》」』”’〉】…,.;:?!)]+/;

/**
 * Lines of at most about `width` columns (CJK-aware), with closing punctuation kept at the
 * end of the line before rather than starting a new one, as Chinese typesetting does.
 */
export function wrapLines(text: string, width: number): string[] {
  const lines = wrapText(text, width);
  for (let i = 1; i < lines.length; i++) {
    const lead = NO_LINE_START.exec(lines[i] as string)?.[0];
    if (!lead) continue;
    lines[i - 1] += lead;
    lines[i] = (lines[i] as string).slice(lead.length).trimStart();
  }
  return lines.filter((line, i) => line !== '' || i === 0);
}
