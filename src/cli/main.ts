/**
 * The command-line shell: commander wiring, language, exit codes. Commands live in their
 * own modules and are loaded only when run, so `--version` and `--help` stay light.
 */
import { Command, CommanderError, Option } from 'commander';
import { cliText, type ExitCodes, type Lang } from './text.js';
import { toolVersion } from '../version.js';
import { stdoutOutcome, watchStdout } from './stdout.js';
import type { GlobalOptions } from './options.js';
import { commandMessage } from './shared.js';

export const EXIT = { ok: 0, notReady: 1, error: 2 } as const;

/** The language, read before commander so even its own messages come out right. */
export function detectLang(argv: string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--lang') return argv[i + 1] === 'en' ? 'en' : 'zh';
    if (arg.startsWith('--lang=')) return arg.slice(7) === 'en' ? 'en' : 'zh';
  }
  const env = process.env.REOPEN_AUDIT_LANG;
  return env === 'en' ? 'en' : 'zh';
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Wrapping by display width, for help only: it loads a grapheme segmenter and the Unicode
 * width tables (tens of milliseconds), which a run that shows no help never needs.
 */
let wrap: typeof import('../report/wrap.js') | undefined;
/** Help asked for in a case mayShowHelp() did not foresee: thrown before any of it is written, and the run starts again. */
class HelpNeedsWrapping extends Error {}
const wrapping = (): typeof import('../report/wrap.js') => {
  if (wrap === undefined) throw new HelpNeedsWrapping('help before src/report/wrap.js was loaded');
  return wrap;
};

const COMMANDS = new Set(['audit', 'validate', 'checklists', 'interview', 'init', 'compare']);

/**
 * Whether commander may print help for these arguments: asked for (`-h`, `--help`,
 * `help`), or no command named (help on standard error, exit 2). Anything else runs a
 * command or stops with a one-line usage error.
 */
export function mayShowHelp(argv: string[]): boolean {
  if (argv.some((a) => a === '-h' || a === '--help' || a === 'help')) return true;
  return !argv.some((a) => COMMANDS.has(a));
}

function globals(cmd: Command): GlobalOptions {
  const opts = cmd.optsWithGlobals() as { lang?: string; color?: boolean; debug?: boolean };
  return { lang: opts.lang === 'en' ? 'en' : 'zh', color: opts.color !== false, debug: opts.debug === true };
}

/**
 * Commander's help, with its fixed English words translated and descriptions wrapped by
 * display width (commander breaks only at spaces and counts a Chinese character as one
 * column, so a Chinese description ran past the edge of an 80-column terminal).
 */
function helpConfig(T: ReturnType<typeof cliText>) {
  return {
    styleTitle: (title: string) => T.titles[title] ?? title,
    displayWidth: (text: string) => wrapping().stringWidth(text),
    boxWrap: (text: string, width: number) => wrapping().wrapText(text, width).join('\n'),
    subcommandTerm: (cmd: Command) =>
      [cmd.name(), cmd.options.length > 0 ? T.optionsWord : '', ...cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))]
        .filter(Boolean)
        .join(' ')
        .replace('[command]', T.commandWord),
    commandUsage: (cmd: Command) => {
      const names = [] as string[];
      for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
      return `${names.join(' ')} ${cmd.usage().replace('[options]', T.optionsWord).replace('[command]', T.commandWord)}`;
    },
    optionDescription: (option: Option) => {
      const extra: string[] = [];
      if (option.argChoices) extra.push(`${T.choicesWord}${T.colon}${option.argChoices.join(T.listSeparator)}`);
      if (option.defaultValue !== undefined && !(Array.isArray(option.defaultValue) && option.defaultValue.length === 0) && !option.negate) {
        extra.push(`${T.defaultWord}${T.colon}${String(option.defaultValue)}`);
      }
      return extra.length > 0 ? `${option.description}${T.parenthesis(extra.join(T.clauseSeparator))}` : option.description;
    },
  };
}

/** Help's width: the terminal's, or 80 when it is piped (commander's own choice). */
const helpWidth = () => (process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80);

/** An exit-code table under the help, each meaning wrapped with a hanging indent. */
function exitCodesText(title: string, codes: ExitCodes): () => string {
  return () => {
    const w = Math.max(...codes.map(([code]) => code.length)) + 2;
    const lines = codes.flatMap(([code, meaning]) => wrapping().wrapHanging(`  ${code.padEnd(w)}`, meaning, helpWidth()));
    return `\n${title}\n${lines.join('\n')}\n`;
  };
}

export function buildProgram(lang: Lang): Command {
  const T = cliText(lang);
  const program = new Command('reopen-audit');
  // Set before the subcommands are added: commander copies these settings into them.
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (message, write) => write(`${T.translateCommanderError(message)}\n`),
  });
  program
    .description(T.programDescription)
    .version(toolVersion(), '-V, --version', T.versionOption)
    .helpOption('-h, --help', T.helpOption)
    .helpCommand('help [command]', T.helpCommand)
    .addOption(new Option('--lang <lang>', T.langOption).choices(['zh', 'en']).default(lang))
    .option('--no-color', T.noColorOption)
    .option('--debug', T.debugOption)
    .addHelpText('after', exitCodesText(T.exitCodesTitle, T.exitCodesHelp))
    .usage(T.programUsage)
    .configureHelp(helpConfig(T))
    .showSuggestionAfterError(true)
    .exitOverride();

  const inherit = (cmd: Command) =>
    cmd
      .usage(cmd.usage().replace('[options]', T.optionsWord))
      .helpOption('-h, --help', T.helpOption)
      .configureHelp(helpConfig(T))
      .exitOverride();

  inherit(
    program
      .command('audit')
      .description(T.auditDescription)
      .argument('<paths...>', T.pathsArgument)
      .option('-f, --format <format[:path]>', T.formatOption, collect, [])
      .option('-p, --profile <id|file>', T.profileOption)
      .option('-c, --checklist <id|file>', T.checklistOption, collect, [])
      .option('--param <name=value>', T.paramOption, collect, [])
      .option('-j, --jobs <n>', T.jobsOption)
      .option('--out-dir <dir>', T.outDirOption)
      .addOption(new Option('--out-dir-format <format>', T.outDirFormatOption).choices(['markdown', 'html']).default('markdown'))
      .option('--browser <path>', T.browserOption)
      .option('--failures-only', T.failuresOnlyOption)
      .option('--summary-only', T.summaryOnlyOption)
      .option('--exit-zero', T.exitZeroOption)
      .option('--cache', T.cacheOption)
      .option('--cache-location <dir>', T.cacheLocationOption)
      .addOption(new Option('--level <level>', T.auditLevelOption).choices(['self', 'county', 'city', 'province']))
      .option('--roster <file>', T.rosterOption)
      .addOption(new Option('--require-level <level>', T.requireLevelOption).choices(['self', 'county', 'city', 'province']))
      .addHelpText('after', exitCodesText(T.exitCodesTitle, T.exitCodesHelp)),
  ).action(async (paths: string[], _opts, cmd: Command) => {
    const { runAudit } = await import('./audit.js');
    program.setOptionValue('exitCode', await runAudit(paths, cmd.opts(), globals(cmd)));
  });

  inherit(
    program
      .command('validate')
      .description(T.validateDescription)
      .argument('<paths...>', T.pathsArgument)
      .option('-p, --profile <id|file>', T.profileOption)
      .option('-c, --checklist <id|file>', T.checklistOption, collect, []),
  ).action(async (paths: string[], _opts, cmd: Command) => {
    const { runValidate } = await import('./validate.js');
    program.setOptionValue('exitCode', await runValidate(paths, cmd.opts(), globals(cmd)));
  });

  const checklists = inherit(program.command('checklists').description(T.checklistsDescription));
  inherit(
    checklists
      .command('list', { isDefault: true })
      .description(T.checklistsListDescription)
      .addOption(new Option('-f, --format <format>', T.listFormatOption).choices(['text', 'json']).default('text')),
  ).action(async (_opts, cmd: Command) => {
    const { runChecklistsList } = await import('./checklists.js');
    program.setOptionValue('exitCode', await runChecklistsList(cmd.opts(), globals(cmd)));
  });
  inherit(
    checklists
      .command('show')
      .description(T.checklistsShowDescription)
      .argument('<id>', T.checklistIdArgument)
      .addOption(new Option('-f, --format <format>', T.listFormatOption).choices(['text', 'markdown', 'json']).default('text')),
  ).action(async (id: string, _opts, cmd: Command) => {
    const { runChecklistsShow } = await import('./checklists.js');
    program.setOptionValue('exitCode', await runChecklistsShow(id, cmd.opts(), globals(cmd)));
  });

  inherit(
    program
      .command('interview')
      .description(T.interviewDescription)
      .argument('<school.yaml>', T.schoolFileArgument)
      .option('--review', T.reviewOption)
      .option('-s, --section <id>', T.sectionOption, collect, [])
      .option('-c, --checklist <id|file>', T.interviewChecklistOption, collect, [])
      .option('-p, --profile <id|file>', T.profileOption)
      .option('--param <name=value>', T.paramOption, collect, [])
      .addHelpText('after', exitCodesText(T.exitCodesTitle, T.interviewExitCodesHelp)),
  ).action(async (file: string, _opts, cmd: Command) => {
    const { runInterview } = await import('./interview.js');
    program.setOptionValue('exitCode', await runInterview(file, cmd.opts(), globals(cmd)));
  });

  inherit(
    program
      .command('init')
      .description(T.initDescription)
      .argument('<school.yaml>', T.initFileArgument)
      .addOption(new Option('-t, --type <type>', T.typeOption).choices(['kindergarten', 'primary', 'junior', 'senior', 'nine_year', 'complete_secondary', 'twelve_year', 'vocational', 'special']))
      .option('--boarding', T.boardingOption)
      .option('--canteen', T.canteenOption)
      .option('--students <n>', T.studentsOption)
      .option('--staff <n>', T.staffOption)
      .addOption(new Option('--level <level>', T.levelOption).choices(['self', 'county', 'city', 'province']).default('self'))
      .option('-p, --profile <id|file>', T.initProfileOption)
      .option('-c, --checklist <id|file>', T.initChecklistOption, collect, [])
      .option('--force', T.forceOption)
      .option('--roster', T.initRosterOption),
  ).action(async (file: string, _opts, cmd: Command) => {
    const { runInit } = await import('./init.js');
    program.setOptionValue('exitCode', await runInit(file, cmd.opts(), globals(cmd)));
  });

  inherit(
    program
      .command('compare')
      .description(T.compareDescription)
      .argument('<before>', T.compareBeforeArgument)
      .argument('<after>', T.compareAfterArgument)
      .option('-f, --format <format[:path]>', T.compareFormatOption, collect, [])
      .option('-p, --profile <id|file>', T.profileOption)
      .option('-c, --checklist <id|file>', T.checklistOption, collect, [])
      .option('--param <name=value>', T.paramOption, collect, [])
      .addHelpText('after', exitCodesText(T.exitCodesTitle, T.compareExitCodesHelp)),
  ).action(async (before: string, after: string, _opts, cmd: Command) => {
    const { runCompare } = await import('./compare.js');
    program.setOptionValue('exitCode', await runCompare(before, after, cmd.opts(), globals(cmd)));
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const code = await run(argv);
  const lang = detectLang(argv);
  const stdout = await stdoutOutcome();
  if (stdout === undefined) return code;
  if ('failed' in stdout) {
    process.stderr.write(commandMessage(lang, 'cli.stdoutFailed', { reason: stdout.failed }));
    return EXIT.error;
  }
  process.stderr.write(commandMessage(lang, 'cli.stdoutClosed'));
  return code;
}

async function run(argv: string[]): Promise<number> {
  // `reopen-audit … | head` closes the pipe early: the reader's choice, not an error.
  watchStdout();
  const lang = detectLang(argv);
  const T = cliText(lang);
  const program = buildProgram(lang);
  if (mayShowHelp(argv)) wrap ??= await import('../report/wrap.js');
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof HelpNeedsWrapping) {
      wrap = await import('../report/wrap.js');
      return run(argv);
    }
    if (error instanceof CommanderError) {
      // Asked-for help (`--help`, `help [command]`) and the version are successes; help shown
      // because no command was given (commander's exit code 1), and everything else
      // commander rejects, is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
      return EXIT.error;
    }
    const debug = argv.includes('--debug');
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${T.internalError}: ${message}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    return EXIT.error;
  }
  const code = program.getOptionValue('exitCode') as number | undefined;
  return code ?? EXIT.ok;
}
