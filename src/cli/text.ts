/** The command line's own words (help, usage errors), in Chinese and English. */
export type Lang = 'zh' | 'en';

const exitCodes = {
  zh: `
退出码：
  0  所有被核验的学校均具备开学条件（validate：所有文件均有效）
  1  至少一所学校不具备开学条件或核验未完成
  2  用法错误，或有文件无法读取或校验（其余文件仍会核验并报告）
`,
  en: `
Exit codes:
  0  every audited school is READY (validate: every file is valid)
  1  at least one school is NOT READY or INCOMPLETE
  2  usage error, or a file could not be read or validated (the other files are still audited and reported)
`,
};

const zh = {
  programUsage: '[选项] [命令]',
  optionsWord: '[选项]',
  commandWord: '[命令]',
  choicesWord: '可选',
  defaultWord: '默认',
  programDescription: '开学条件核验：按 YAML 核验表核验学校是否具备开学条件',
  versionOption: '显示版本号',
  helpOption: '显示帮助',
  helpCommand: '显示某个命令的帮助',
  langOption: '输出语言：zh（中文）或 en（English）；也可用环境变量 REOPEN_AUDIT_LANG',
  noColorOption: '不使用颜色（设置 NO_COLOR 环境变量也可）',
  debugOption: '出错时显示调试信息（堆栈）',
  exitCodesHelp: exitCodes.zh,
  auditDescription: '核验一个或多个学校文件（目录会递归查找 *.yaml / *.yml）',
  pathsArgument: '文件、目录或通配符',
  formatOption: '输出格式：text | markdown | html | pdf | xlsx | json | junit | csv | csv-items | github | sarif | summary；可写作 格式:路径 并重复使用，一次写出多种报告（pdf、xlsx 须写路径）',
  profileOption: '使用的配置方案（编号或文件路径），覆盖学校文件中的设置',
  checklistOption: '使用的核验表（编号或文件路径），可重复；指定后不再使用配置方案中的核验表',
  paramOption: '覆盖参数，如 --param stock_days=7，可重复',
  jobsOption: '并行核验的线程数（默认：CPU 核数）',
  outDirOption: '为每所学校写一份报告到此目录，并生成索引（默认 Markdown 与 index.md；见 --out-dir-format）',
  outDirFormatOption: '--out-dir 写出的报告格式：markdown（.md 与 index.md）或 html（.html 与 index.html）',
  browserOption: '打印 PDF 所用的 Chromium 类浏览器（默认取环境变量 REOPEN_AUDIT_BROWSER，再找常见安装位置）',
  failuresOnlyOption: '逐校内容只列不具备开学条件或核验未完成的学校、只列未符合的核验项（汇总和合计仍包括全部学校）',
  summaryOnlyOption: '只输出汇总和合计，不输出逐校内容',
  cacheOption: `缓存每个学校文件的核验结果（以文件路径和内容为键），再次核验时未改动的文件直接取用，输出逐字节相同；核验表、配置方案、选项、输出格式或工具版本任一变化即不再取用`,
  cacheLocationOption: `缓存目录（默认：当前目录下的 .reopen-audit-cache；随时可以删除）`,
  exitZeroOption: '只报告，不以核验结果或无法核验的文件使 CI 失败（退出码总为 0；用法错误仍为 2）',
  validateDescription: '校验核验表、配置方案和学校文件（不进行核验）',
  checklistsDescription: '浏览内置核验表',
  checklistsListDescription: '列出所有核验表和配置方案',
  checklistsShowDescription: '显示一张核验表的全部核验项',
  checklistIdArgument: '核验表编号',
  listFormatOption: '输出格式',
  internalError: 'reopen-audit：内部错误',
  interviewDescription: '在学校现场逐项核验：每答一项立即保存到学校文件，中断后再次运行从第一个未作答项继续',
  schoolFileArgument: '学校文件（不存在时先询问学校基本情况并新建）',
  reviewOption: '已作答的核验项也逐一显示，以便复核修改',
  sectionOption: '只核验这一章节（章节编号，或 核验表/章节），可重复',
  interviewChecklistOption: '只核验这张核验表（编号或文件路径），可重复；新建学校文件时即以这些核验表核验',
  interviewExitCodesHelp: `
退出码：
  0    具备开学条件
  1    不具备开学条件或核验未完成
  2    用法错误、标准输入不是终端，或学校文件有错误
  130  按 Ctrl-C 中断（已作答的内容均已保存）
`,
  initDescription: '生成可填写的学校文件模板：列出适用的核验项，附核验要求和填写说明（注释）',
  initFileArgument: '要生成的学校文件',
  typeOption: '学校类型，决定列出哪些核验项',
  boardingOption: '寄宿制学校（列出宿舍等核验项）',
  canteenOption: '有学生食堂（列出食堂核验项）',
  studentsOption: '在校学生数（用于计算物资等要求）',
  staffOption: '教职员工数（用于计算物资等要求）',
  levelOption: '核验层级',
  forceOption: '覆盖已有文件',
  initProfileOption: '使用的配置方案（编号或文件路径），记入模板的 audit.profile',
  initChecklistOption: '不用配置方案、直接使用的核验表（编号或文件路径），可重复；记入模板的 audit.checklists',
  auditLevelOption: '本批应为哪一级核验：self（学校自查）| county（县级评估）| city（市级复核）| province（省级抽查）；audit.level 不同的学校文件作为输入错误报告（定位到 audit.level，退出码 2），不予核验',
  compareDescription: '整改复核：比较同一所学校整改前后的两个学校文件（或两份 audit --format json 报告），列出已整改、仍未整改、新增不符合、新适用的核验项和答案变化，以及逾期未整改项；两个目录按学校编号配对后汇总',
  compareBeforeArgument: '整改前：学校文件、JSON 报告或目录',
  compareAfterArgument: '整改后：学校文件、JSON 报告或目录',
  compareFormatOption: '输出格式：text | markdown | json；可写作 格式:路径 并重复使用',
  compareExitCodesHelp: `
退出码：
  0  没有仍不符合、新增不符合或未复核的核验项（整改完成）
  1  至少有一项仍不符合、新增不符合或未复核，或整改前有不符合项的学校没有整改后的文件
  2  用法错误，或有文件无法读取、校验，或两个文件不是同一所学校
`,
  titles: { 'Usage:': '用法：', 'Options:': '选项：', 'Commands:': '命令：', 'Arguments:': '参数：', 'Global Options:': '全局选项：' } as Record<string, string>,
  translateCommanderError(message: string): string {
    const m = message.replace(/^error: /, '');
    let out = m;
    let r: RegExpExecArray | null;
    if ((r = /^unknown option '([^']+)'(?:\n?\(Did you mean (.+)\?\))?/.exec(m))) out = `未知选项 ${r[1]}${r[2] ? `，您是不是想用 ${r[2]}？` : ''}`;
    else if ((r = /^unknown command '([^']+)'(?:\n?\(Did you mean (.+)\?\))?/.exec(m))) out = `未知命令 ${r[1]}${r[2] ? `，您是不是想用 ${r[2]}？` : ''}`;
    else if ((r = /^missing required argument '([^']+)'/.exec(m))) out = `缺少参数 ${r[1]}`;
    else if ((r = /^option '([^']+)' argument missing/.exec(m))) out = `选项 ${r[1]} 缺少取值`;
    else if ((r = /^option '([^']+)' argument '([^']+)' is invalid\. Allowed choices are (.+)\./.exec(m))) out = `选项 ${r[1]} 的取值 ${r[2]} 无效，可选：${r[3]}`;
    else if ((r = /^too many arguments/.exec(m))) out = '参数过多';
    return `reopen-audit：${out}（使用 --help 查看用法）`;
  },
};

type CliText = typeof zh;

const en: CliText = {
  programUsage: '[options] [command]',
  optionsWord: '[options]',
  commandWord: '[command]',
  choicesWord: 'choices',
  defaultWord: 'default',
  programDescription: 'School reopening-readiness audits against YAML checklists',
  versionOption: 'show the version',
  helpOption: 'show help',
  helpCommand: 'show help for a command',
  langOption: 'output language: zh (Chinese) or en (English); REOPEN_AUDIT_LANG sets the default',
  noColorOption: 'no colour (NO_COLOR in the environment does the same)',
  debugOption: 'show debugging detail (stack traces) on errors',
  exitCodesHelp: exitCodes.en,
  auditDescription: 'audit one or more school files (directories are searched recursively for *.yaml / *.yml)',
  pathsArgument: 'files, directories or glob patterns',
  formatOption: 'output format: text | markdown | html | pdf | xlsx | json | junit | csv | csv-items | github | sarif | summary; optionally format:path (pdf and xlsx need one); repeat to write several reports in one run',
  profileOption: 'profile to use (id or file path); overrides the school file',
  checklistOption: "checklist to use (id or file path), repeatable; replaces the profile's checklists",
  paramOption: 'override a parameter, e.g. --param stock_days=7; repeatable',
  jobsOption: 'number of worker threads (default: the number of CPU cores)',
  outDirOption: 'write one report per school into this folder, plus an index (Markdown and index.md unless --out-dir-format says otherwise)',
  outDirFormatOption: 'the format of the --out-dir reports: markdown (.md and index.md) or html (.html and index.html)',
  browserOption: 'the Chromium-family browser that prints PDF (default: the REOPEN_AUDIT_BROWSER environment variable, then the usual install locations)',
  failuresOnlyOption: 'per-school output lists only schools not READY and items not passed (summaries and totals still cover every school)',
  summaryOnlyOption: 'only summaries and totals, no per-school output',
  cacheOption: 'keep each school file\'s outcome (keyed by its path and bytes) and reuse it for files unchanged since, with byte-identical outputs; any change to checklists, profiles, options, outputs or the tool starts afresh',
  cacheLocationOption: 'cache folder (default: .reopen-audit-cache in the current directory; safe to delete at any time)',
  exitZeroOption: 'report, never fail the job: exit 0 whatever the verdicts or bad files (usage errors still exit 2)',
  validateDescription: 'validate checklists, profiles and school files without auditing',
  checklistsDescription: 'browse the built-in checklists',
  checklistsListDescription: 'list the checklists and profiles',
  checklistsShowDescription: 'show every item of a checklist',
  checklistIdArgument: 'checklist id',
  listFormatOption: 'output format',
  internalError: 'reopen-audit: internal error',
  interviewDescription: 'audit a school on site, item by item: every answer is saved to the school file at once; run it again to resume at the first unanswered item',
  schoolFileArgument: 'school file (if it does not exist, the school profile is asked for and the file created)',
  reviewOption: 'also show answered items, to review and change them',
  sectionOption: 'walk only this section (section id, or checklist/section); repeatable',
  interviewChecklistOption: 'walk only this checklist (id or file path); repeatable; a new school file is audited against these checklists',
  interviewExitCodesHelp: `
Exit codes:
  0    READY
  1    NOT READY or INCOMPLETE
  2    usage error, standard input is not a terminal, or the school file has errors
  130  interrupted with Ctrl-C (every answer given is saved)
`,
  initDescription: 'write a fill-in school file: the items that apply, with requirements and how to answer as comments',
  initFileArgument: 'the school file to write',
  typeOption: 'school type; decides which items are listed',
  boardingOption: 'boarding school (lists dormitory items)',
  canteenOption: 'has a student canteen (lists canteen items)',
  studentsOption: 'number of students (for computed requirements such as supplies)',
  staffOption: 'number of staff (for computed requirements such as supplies)',
  levelOption: 'audit level',
  forceOption: 'overwrite an existing file',
  initProfileOption: 'profile to use (id or file path); recorded as audit.profile in the template',
  initChecklistOption: 'checklists to use instead of a profile (id or file path), repeatable; recorded as audit.checklists in the template',
  auditLevelOption: 'the level this batch must be: self | county | city | province; a school file whose audit.level differs is reported as an input error (located at audit.level, exit 2) and not audited',
  compareDescription: 'rectification follow-up (整改复核): compare two school files (or two JSON reports from audit --format json) of the same school: items fixed, still failing, newly failing, newly applicable, answers changed, overdue rectifications; two directories are paired by school id and summarised',
  compareBeforeArgument: 'before: a school file, a JSON report or a directory',
  compareAfterArgument: 'after: a school file, a JSON report or a directory',
  compareFormatOption: 'output format: text | markdown | json; optionally format:path; repeatable',
  compareExitCodesHelp: `
Exit codes:
  0  nothing still fails, newly fails or is left unchecked (rectified)
  1  an item still fails, newly fails or was not re-checked, or a school with failures before has no after file
  2  usage error, a file that cannot be read or validated, or two files of different schools
`,
  titles: {},
  translateCommanderError(message: string): string {
    return `reopen-audit: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)`;
  },
};

export function cliText(lang: Lang): CliText {
  return lang === 'en' ? en : zh;
}
