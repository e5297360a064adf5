/** Labels for the fixed vocabularies: statuses, verdicts, severities, methods, levels, types. */
import type { LocalText } from '../model/schema.js';

type Labels = Record<string, LocalText>;

const status: Labels = {
  pass: { zh: '符合', en: 'pass' },
  fail: { zh: '不符合', en: 'fail' },
  not_applicable: { zh: '不适用', en: 'not applicable' },
  unanswered: { zh: '未核验', en: 'unanswered' },
  waived: { zh: '已豁免', en: 'waived' },
  error: { zh: '出错', en: 'error' },
};

const verdict: Labels = {
  READY: { zh: '具备开学条件', en: 'READY' },
  NOT_READY: { zh: '不具备开学条件', en: 'NOT READY' },
  INCOMPLETE: { zh: '核验未完成', en: 'INCOMPLETE' },
};

const severity: Labels = {
  gate: { zh: '一票否决', en: 'gate' },
  critical: { zh: '关键', en: 'critical' },
  major: { zh: '重要', en: 'major' },
  minor: { zh: '一般', en: 'minor' },
  advisory: { zh: '建议', en: 'advisory' },
};

const method: Labels = {
  document_review: { zh: '查阅资料', en: 'document review' },
  site_visit: { zh: '实地查看', en: 'site visit' },
  interview: { zh: '随机访谈', en: 'interview' },
  demonstration: { zh: '现场演示', en: 'demonstration' },
};

const level: Labels = {
  self: { zh: '学校自查', en: 'school self-check' },
  county: { zh: '县级评估', en: 'county assessment' },
  city: { zh: '市级复核', en: 'city re-check' },
  province: { zh: '省级抽查', en: 'provincial sampling' },
};

const schoolType: Labels = {
  kindergarten: { zh: '幼儿园', en: 'kindergarten' },
  primary: { zh: '小学', en: 'primary school' },
  junior: { zh: '初级中学', en: 'junior secondary school' },
  senior: { zh: '高级中学', en: 'senior secondary school' },
  nine_year: { zh: '九年一贯制学校', en: 'nine-year school' },
  complete_secondary: { zh: '完全中学', en: 'complete secondary school' },
  twelve_year: { zh: '十二年一贯制学校', en: 'twelve-year school' },
  vocational: { zh: '中等职业学校', en: 'secondary vocational school' },
  special: { zh: '特殊教育学校', en: 'special education school' },
};

const yesNo: Labels = {
  true: { zh: '是', en: 'yes' },
  false: { zh: '否', en: 'no' },
};

const answerType: Labels = {
  boolean: { zh: '是/否', en: 'yes/no' },
  number: { zh: '数值', en: 'number' },
  choice: { zh: '单选', en: 'choice' },
  date: { zh: '日期', en: 'date' },
  text: { zh: '文本', en: 'text' },
};

export const labels = { status, verdict, severity, method, level, schoolType, yesNo, answerType };
