/**
 * The CLI is bundled (scripts/bundle-cli.mjs) into dist/cli.js and chunks that load on demand. These
 * tests run the bundle as a user does and look at the files Node actually loaded: a command must not
 * pay for code it does not use (remark for YAML input, Handlebars for `check`, the browser without
 * `--pdf`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REGISTER = join(process.cwd(), 'test/support/load-trace/register.mjs');
const CLI = join(process.cwd(), 'dist/cli.js');
const YAML_RUNBOOK = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const MD_RUNBOOK = 'runbooks/azure-stack-hci-22h2-to-23h2.md';
const out = mkdtempSync(join(tmpdir(), 'runbookc-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The text of every module file `runbookc <args>` loaded, after checking that it succeeded. */
function loadedModules(...args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', REGISTER, CLI, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const urls = [...r.stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((m) => m[1]!);
  expect(urls).toContain(`file://${CLI}`);
  return urls.filter((u) => !u.startsWith(`file://${join(process.cwd(), 'test')}`)).map((u) => readFileSync(fileURLToPath(u), 'utf8'));
}

/** The Node built-in modules `runbookc <args>` loaded (process.moduleLoadList), after checking that it succeeded. */
function loadedBuiltins(...args: string[]): string[] {
  const probe = `
    process.on('exit', () => process.stderr.write('\\nBUILTINS=' + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));
    process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...process.argv.slice(1)];
    import(${JSON.stringify(CLI)});
  `;
  const r = spawnSync(process.execPath, ['-e', probe, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(/BUILTINS=(.*)$/.exec(r.stderr)![1]!) as string[];
}

// Strings only the code of each dependency contains (error messages and names of its own).
const REMARK = /micromark|mdast-util-from-markdown/;
const HANDLEBARS = /Handlebars|registerHelper/;
const BROWSER = /playwright/;
/** The `yaml` package, which writes YAML for `convert`; reading uses js-yaml. */
const YAML_PACKAGE = /Symbol\.for\("yaml\.document"\)/;

describe('the bundled CLI loads what a command needs and nothing more', () => {
  it('checks a YAML runbook without remark, Handlebars or the browser', () => {
    const modules = loadedModules('check', YAML_RUNBOOK);
    expect(modules.filter((m) => REMARK.test(m) || HANDLEBARS.test(m) || BROWSER.test(m))).toEqual([]);
  });

  it('checks a Markdown runbook written in the fast reader’s subset without remark or the `yaml` package', () => {
    expect(loadedModules('check', MD_RUNBOOK).filter((m) => REMARK.test(m) || YAML_PACKAGE.test(m))).toEqual([]);
  });

  it('loads remark for a Markdown runbook with a link, which only remark reads (the trace sees a chunk being loaded)', () => {
    const withLink = join(out, 'with-link.md');
    writeFileSync(withLink, readFileSync(MD_RUNBOOK, 'utf8').replace('\n## ', '\nSee [the Learn article](https://learn.microsoft.com/azure-stack/hci/).\n\n## '));
    expect(loadedModules('check', withLink).some((m) => REMARK.test(m))).toBe(true);
  });

  it('checks and builds without node:child_process, which commander would load for subcommands that are programs', () => {
    const check = loadedBuiltins('check', YAML_RUNBOOK);
    expect(check).toContain('fs');
    expect(check).not.toContain('child_process');
    expect(loadedBuiltins('build', YAML_RUNBOOK, '--out', out)).not.toContain('child_process');
  });

  it('builds a YAML runbook with Handlebars but without remark or the browser', () => {
    const modules = loadedModules('build', YAML_RUNBOOK, '--out', out);
    expect(modules.some((m) => HANDLEBARS.test(m))).toBe(true);
    expect(modules.filter((m) => REMARK.test(m) || BROWSER.test(m))).toEqual([]);
  });
});
