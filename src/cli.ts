#!/usr/bin/env node
/**
 * The runbookc command line: commander wiring only. Every command calls the public API and
 * turns its result into output and an exit code (0 clean, 1 runbook errors, 2 usage/internal).
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { buildRunbookFile, checkRunbook, type BuildOptions } from './compile.js';
import type { PaperFormat } from './emitters/checklist/pdf.js';
import { formatJson, formatText, hasErrors, type Diagnostic } from './diagnostics.js';
import { ALL_RULE_META, explainRule, findRuleMeta, type ProfileName } from './rules/index.js';
import { formatSarif } from './sarif.js';
import { BUILD_HELP, builtSummary, HELP_EXAMPLES, importedSummary, importRefusedMessage, rebuiltMessage, watchingMessage } from './cli/messages.js';

const EXIT_OK = 0;
const EXIT_RUNBOOK_ERRORS = 1;
const EXIT_USAGE = 2;

type Format = 'text' | 'json' | 'sarif';

function report(diagnostics: Diagnostic[], format: Format): void {
  if (format === 'json') {
    process.stdout.write(formatJson(diagnostics));
    return;
  }
  if (format === 'sarif') {
    process.stdout.write(formatSarif(diagnostics, { rules: ALL_RULE_META, toolVersion: process.env.npm_package_version ?? '0.1.0' }));
    return;
  }
  if (diagnostics.length > 0) process.stderr.write(formatText(diagnostics, { color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR }));
}

const formatOption = () => new Option('--format <format>', 'diagnostics format').choices(['text', 'json', 'sarif']).default('text');
const profileOption = () =>
  new Option('--profile <profile>', 'rule profile: min (parse and schema), safe (adds ordering, safety, commands), strict (warnings become errors)')
    .choices(['min', 'safe', 'strict'])
    .default('safe');

function program(): Command {
  const cli = new Command('runbookc')
    .description('Compile runbooks (YAML or Markdown) into PowerShell scripts, CAU run profiles and printable checklists.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .addHelpText('after', HELP_EXAMPLES)
    .showHelpAfterError('(run runbookc --help for usage)')
    .exitOverride();

  cli
    .command('check')
    .description('validate runbooks (schema, ordering and safety rules) without writing anything')
    .argument('<runbook...>', 'runbook files (.yaml, .yml or .md)')
    .addOption(formatOption())
    .addOption(profileOption())
    .option('--dump-ir', 'print the intermediate representation of each valid runbook as JSON')
    .action(async (files: string[], options: { format: Format; profile: ProfileName; dumpIr?: boolean }) => {
      const all: Diagnostic[] = [];
      for (const file of files) {
        const result = await checkRunbook(file, { profile: options.profile });
        all.push(...result.diagnostics);
        if (options.dumpIr && result.runbook) process.stdout.write(JSON.stringify(result.runbook, null, 2) + '\n');
      }
      report(all, options.format);
      process.exitCode = hasErrors(all) ? EXIT_RUNBOOK_ERRORS : EXIT_OK;
    });

  cli
    .command('build')
    .description('validate runbooks and write their scripts, run profiles, checklists and manifest')
    .argument('<runbook...>', 'runbook files (.yaml, .yml or .md)')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--variant <id>', 'build only this variant')
    .option('-w, --watch', 'rebuild each runbook when it changes, until interrupted')
    .option('--pdf', 'also print each HTML checklist to PDF (needs /usr/bin/chromium)')
    .addOption(new Option('--paper <size>', 'paper size of the PDF checklists').choices(['A4', 'Letter']).default('A4'))
    .addOption(formatOption())
    .addOption(profileOption())
    .addHelpText('after', BUILD_HELP)
    .action(async (files: string[], options: { out: string; variant?: string; format: Format; profile: ProfileName; watch?: boolean; pdf?: boolean; paper: PaperFormat }) => {
      const buildOptions: BuildOptions = {
        outDir: options.out,
        profile: options.profile,
        ...(options.variant ? { variant: options.variant } : {}),
        ...(options.pdf ? { pdf: true, paper: options.paper } : {}),
      };
      const all: Diagnostic[] = [];
      const summaries: string[] = [];
      for (const file of files) {
        const result = await buildRunbookFile(file, buildOptions);
        all.push(...result.diagnostics);
        if (result.runbook && result.written.length > 0) summaries.push(builtSummary(file, result.written.length, options.out, result.runbook.id));
      }
      report(all, options.format);
      if (options.format === 'text') for (const line of summaries) process.stdout.write(line + '\n');
      process.exitCode = hasErrors(all) ? EXIT_RUNBOOK_ERRORS : EXIT_OK;
      if (options.watch) await watchUntilInterrupted(files, buildOptions, options.format);
    });

  cli
    .command('explain')
    .description('explain a rule: why it exists, a problematic runbook and the correct one')
    .argument('<rule>', 'rule id (RB301) or name (drain-before-reboot)')
    .action((rule: string) => {
      const known = findRuleMeta(rule) !== undefined;
      (known ? process.stdout : process.stderr).write(explainRule(rule));
      process.exitCode = known ? EXIT_OK : EXIT_USAGE;
      });

  cli
    .command('convert')
    .description('convert a runbook between YAML and Markdown (through the IR; only a runbook without errors)')
    .argument('<runbook>', 'runbook file (.yaml, .yml or .md)')
    .addOption(new Option('--to <syntax>', 'target syntax (default: the other one)').choices(['yaml', 'markdown']))
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .addOption(formatOption())
    .action(async (file: string, options: { to?: 'yaml' | 'markdown'; out?: string; format: Format }) => {
      // Loaded on demand: converting to Markdown brings remark along.
      const { convertRunbookFile, otherSyntax } = await import('./convert/index.js');
      const to = options.to ?? otherSyntax(file) ?? 'markdown';
      const result = await convertRunbookFile(file, to);
      report(result.diagnostics, options.format);
      if (result.text === undefined) {
        process.exitCode = EXIT_RUNBOOK_ERRORS;
        return;
      }
      if (options.out) await writeFile(options.out, result.text, 'utf8');
      else process.stdout.write(result.text);
      process.exitCode = EXIT_OK;
    });

  cli
    .command('import')
    .description('turn a Learn-style how-to (Markdown) into a Markdown runbook draft and an import report')
    .argument('<how-to>', 'the how-to document (.md)')
    .option('-o, --out <file>', 'the draft runbook (default: <name>.runbook.md)')
    .option('--report <file>', 'the import report (default: <draft name>.import-report.md)')
    .option('--force', 'replace the draft and report when they exist')
    .addOption(formatOption())
    .action(async (file: string, options: { out?: string; report?: string; force?: boolean; format: Format }) => {
      const { importHowToFile } = await import('./parser/import/file.js');
      const result = await importHowToFile(file, { ...(options.out ? { draft: options.out } : {}), ...(options.report ? { report: options.report } : {}), force: options.force ?? false });
      report(result.diagnostics, options.format);
      if (!result.report) {
        process.exitCode = EXIT_RUNBOOK_ERRORS;
        return;
      }
      if (result.refused.length > 0) {
        process.stderr.write(importRefusedMessage(result.refused));
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.stdout.write(importedSummary(file, result.written, result.report));
      process.exitCode = EXIT_OK;
    });

  cli
    .command('diff')
    .description('compare two versions of a runbook step by step, per variant, as Markdown for review')
    .argument('<old>', 'the runbook before the change')
    .argument('<new>', 'the runbook after the change')
    .addOption(formatOption())
    .action(async (oldFile: string, newFile: string, options: { format: Format }) => {
      // Loaded on demand: the diff renders with Handlebars, which `check` never needs.
      const { diffRunbookFiles } = await import('./diff/index.js');
      const result = await diffRunbookFiles(oldFile, newFile);
      report(result.diagnostics, options.format);
      if (result.markdown !== undefined) process.stdout.write(result.markdown);
      process.exitCode = hasErrors(result.diagnostics) ? EXIT_RUNBOOK_ERRORS : EXIT_OK;
    });

  return cli;
}

async function watchUntilInterrupted(files: string[], buildOptions: BuildOptions, format: Format): Promise<void> {
  const { watchRunbooks } = await import('./watch.js');
  const stop = watchRunbooks(files, buildOptions, {
    built(file, result, ms) {
      report(result.diagnostics, format);
      process.stdout.write(rebuiltMessage(file, result.written.length, ms, hasErrors(result.diagnostics)));
    },
    failed(file, error) {
      process.stderr.write(`runbookc: internal error while rebuilding ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  });
  process.stdout.write(watchingMessage(files.length));
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  stop();
  process.exitCode = EXIT_OK;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are commander's way of stopping after printing.
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`runbookc: internal error: ${message}\n`);
    if (process.env.RUNBOOKC_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    process.stderr.write('Nothing was written. Please report this with the runbook that caused it.\n');
    process.exitCode = EXIT_USAGE;
  }
}

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function written(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.destroyed || stream.writableLength === 0) done();
    else stream.write('', () => done());
  });
}

// A reader that stops reading (`runbookc check --dump-ir ... | head`) closes the pipe. What is left to
// print then has no reader, which says nothing about the runbook: the command goes on, prints no
// stack trace, and exits with its own code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

await main(process.argv);
// A process left to end by itself first frees its heap page by page (about 12 ms after checking a
// 10,000-step runbook, bench/RESULTS.md); process.exit leaves the memory to the operating system.
// Writes to a pipe are asynchronous on POSIX, so the exit waits until what the command printed is out.
await Promise.all([written(process.stdout), written(process.stderr)]);
process.exit();
