/** Messages about the roster (名册) and the coverage of a batch, in Chinese and English. */
import type { Scalar } from '../model/result.js';
import { labels } from './labels.js';

type Params = Record<string, Scalar | undefined>;
type Template = (p: Params) => string;

const LEVEL_ZH: Record<string, string> = { self: '学校自查', county: '县级评估', city: '市级复核', province: '省级抽查' };
const FIELD_ZH: Record<string, string> = { id: '学校代码', name: '学校名称', district: '区县', type: '学段' };
const FIELD_EN: Record<string, string> = { id: 'id', name: 'name', district: 'district', type: 'type' };
const at = (p: Params) => (p.cell ? `${p.cell}：` : '');
/** A school type code as a Chinese reader knows it: `初级中学（junior）`. */
const typeZh = (code: Scalar | undefined) => {
  const zh = labels.schoolType[String(code)]?.zh;
  return zh ? `${zh}（${code}）` : String(code);
};
/** The school types a roster may write, in Chinese first: `小学、初级中学…（或代码 primary, junior…）`. */
const knownZh = (codes: Scalar | undefined) => {
  const list = String(codes ?? '').split(', ').filter(Boolean);
  return `${list.map((c) => labels.schoolType[c]?.zh ?? c).join('、')}，或代码 ${list.join('、')}`;
};
const atEn = (p: Params) => (p.cell ? `${p.cell}: ` : '');

export const rosterZh: Record<string, Template> = {
  'roster.unreadable': (p) => `无法读取名册（${p.reason}）`,
  'roster.notFound': (p) => `找不到名册文件（${p.reason}）`,
  'roster.noPermission': (p) => `没有读取名册的权限（${p.reason}）`,
  'roster.isFolder': (p) => `名册应为一个文件，这是一个目录（${p.reason}）`,
  'roster.binary': (p) => `名册包含 NUL 字节${p.line !== undefined ? `（第 ${p.line} 行第 ${p.col} 列）` : ''}，看起来是二进制文件，不是 CSV 或 YAML 文本（Excel 工作簿请存为 .xlsx）`,
  'roster.unknownFormat': (p) => `名册应为 .csv、.xlsx 或 .yaml/.yml 文件，实际为“${p.ext}”`,
  'roster.empty': () => '名册中没有任何学校',
  'roster.noHeader': (p) => `${at(p)}名册缺少“${FIELD_ZH[String(p.field)]}”列（表头可写作：${p.names}）`,
  'roster.duplicateHeader': (p) => `${at(p)}表头“${p.header}”与第 ${p.otherCol} 列重复，都表示“${FIELD_ZH[String(p.field)]}”`,
  'roster.emptyCell': (p) => `${at(p)}“${FIELD_ZH[String(p.field)]}”为空`,
  'roster.badType': (p) => `${at(p)}学段“${p.value}”无法识别（可写：${knownZh(p.known)}）`,
  'roster.duplicateId': (p) => `${at(p)}学校代码 ${p.id} 在名册中重复（第一次出现在第 ${p.firstLine} 行）`,
  'roster.unclosedQuote': () => '引号未闭合：从这里开始的单元格直到文件末尾都没有结束的引号',
  'roster.notList': () => 'YAML 名册应为 `roster:` 下的学校列表，每所学校一个映射（学校代码、学校名称、区县……）',
  'roster.notMapping': () => '名册中的每所学校应为一个映射（学校代码: …，学校名称: …，区县: …）',
  'roster.notScalar': (p) => `“${p.key}”的值应为文本或数字`,
  'roster.xlsxUnreadable': (p) => `无法读取 .xlsx 名册（${p.detail}）`,
  'roster.noSheet': () => '.xlsx 名册中没有工作表',
  'coverage.nameDiffers': (p) => `学校名称与名册不一致：名册为“${p.roster}”，文件为“${p.file}”（学校代码 ${p.id}，${p.rosterFile}:${p.line}）`,
  'coverage.districtDiffers': (p) => `区县与名册不一致：名册为“${p.roster}”，文件为“${p.file}”（学校代码 ${p.id}，${p.rosterFile}:${p.line}）`,
  'coverage.typeDiffers': (p) => `学段与名册不一致：名册为 ${typeZh(p.roster)}，文件为 ${typeZh(p.file)}（学校代码 ${p.id}，${p.rosterFile}:${p.line}）`,
  'coverage.notOnRoster': (p) => `学校代码 ${p.id} 不在名册 ${p.rosterFile} 中；该文件照常核验`,
  'coverage.conflict': (p) =>
    `学校代码 ${p.id} 有两份同为${LEVEL_ZH[String(p.level)] ?? p.level}、同为 ${p.date} 的核验文件，内容不同：${p.file} 与 ${p.other}；请删去其中一份或改正其日期、层级`,
  'coverage.missing': (p) => `未提交：名册中的 ${p.name}（${p.id}，${p.district}）没有学校文件`,
  'cli.requireLevelNeedsRoster': () => '--require-level 须与 --roster 同用（按名册核对各校是否达到该层级）',
  'cli.coverageNeedsRoster': () => '--format csv-coverage 须与 --roster 同用（它是按名册统计的覆盖情况）',
  'init.rosterFormat': (p) => `名册模板只能写为 .csv 或 .yaml，不能写为 ${p.file}；需要 .xlsx 时，用 Excel 或 WPS 打开 CSV 模板后另存为工作簿`,
  'init.rosterWritten': (p) => `已生成名册模板 ${p.file}：每所学校一行，学校代码与学校文件的 school.id 相同。填写后运行：reopen-audit audit 目录 --roster ${p.file}`,
};

export const rosterEn: Record<string, Template> = {
  'roster.unreadable': (p) => `cannot read the roster (${p.reason})`,
  'roster.notFound': (p) => `no roster file by that name (${p.reason})`,
  'roster.noPermission': (p) => `no permission to read the roster (${p.reason})`,
  'roster.isFolder': (p) => `the roster must be a file; this is a folder (${p.reason})`,
  'roster.binary': (p) => `the roster contains NUL bytes${p.line !== undefined ? ` (line ${p.line}, column ${p.col})` : ''}; it looks binary, not CSV or YAML text (save an Excel workbook as .xlsx)`,
  'roster.unknownFormat': (p) => `a roster is a .csv, .xlsx or .yaml/.yml file, not "${p.ext}"`,
  'roster.empty': () => 'the roster lists no school',
  'roster.noHeader': (p) => `${atEn(p)}the roster has no "${FIELD_EN[String(p.field)]}" column (header may be: ${p.names})`,
  'roster.duplicateHeader': (p) => `${atEn(p)}the header "${p.header}" repeats column ${p.otherCol}: both mean "${FIELD_EN[String(p.field)]}"`,
  'roster.emptyCell': (p) => `${atEn(p)}"${FIELD_EN[String(p.field)]}" is empty`,
  'roster.badType': (p) => `${atEn(p)}unknown school type "${p.value}" (known: ${p.known})`,
  'roster.duplicateId': (p) => `${atEn(p)}school id ${p.id} is on the roster twice (first at line ${p.firstLine})`,
  'roster.unclosedQuote': () => 'unclosed quote: the cell starting here has no closing quote before the end of the file',
  'roster.notList': () => 'a YAML roster is a list of schools under `roster:`, one mapping each (id, name, district, …)',
  'roster.notMapping': () => 'each school of the roster is a mapping (id: …, name: …, district: …)',
  'roster.notScalar': (p) => `the value of "${p.key}" must be text or a number`,
  'roster.xlsxUnreadable': (p) => `cannot read the .xlsx roster (${p.detail})`,
  'roster.noSheet': () => 'the .xlsx roster has no worksheet',
  'coverage.nameDiffers': (p) => `school name differs from the roster: "${p.roster}" on the roster, "${p.file}" in the file (school id ${p.id}, ${p.rosterFile}:${p.line})`,
  'coverage.districtDiffers': (p) => `district differs from the roster: "${p.roster}" on the roster, "${p.file}" in the file (school id ${p.id}, ${p.rosterFile}:${p.line})`,
  'coverage.typeDiffers': (p) => `school type differs from the roster: ${p.roster} on the roster, ${p.file} in the file (school id ${p.id}, ${p.rosterFile}:${p.line})`,
  'coverage.notOnRoster': (p) => `school id ${p.id} is not on the roster ${p.rosterFile}; the file is audited all the same`,
  'coverage.conflict': (p) =>
    `school id ${p.id} has two ${p.level} audits dated ${p.date} that differ: ${p.file} and ${p.other}; remove one or correct its date or level`,
  'coverage.missing': (p) => `missing: ${p.name} (${p.id}, ${p.district}) is on the roster but sent no school file`,
  'cli.requireLevelNeedsRoster': () => '--require-level needs --roster (it checks each school of the roster against that level)',
  'cli.coverageNeedsRoster': () => '--format csv-coverage needs --roster (it is the coverage of the roster, district by district)',
  'init.rosterFormat': (p) => `a roster template is written as .csv or .yaml, not as ${p.file}; for an .xlsx roster, open the CSV template in Excel or WPS and save it as a workbook`,
  'init.rosterWritten': (p) => `Roster template written to ${p.file}: one row per school, the id being the school file's school.id. Fill it in, then run: reopen-audit audit DIR --roster ${p.file}`,
};
