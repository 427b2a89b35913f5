/**
 * Property: whatever text a runbook holds in its free-text fields, the generated script parses in
 * PowerShell with no error, holds each value as a constant string byte-exact, calls no command the
 * plain runbook's script does not, prints the values it shows at run time unchanged, and executes
 * none of it; and the run profile gives back each plug-in argument exactly through Import-Clixml.
 *
 * All cases run in one pwsh process (test/property/check-values.ps1); a failure names the case and
 * the seed that reproduces it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emitCauProfiles } from '../../src/emitters/cau-profile/index.js';
import { emitVariant } from '../../src/emitters/index.js';
import { emitPowerShell } from '../../src/emitters/powershell/index.js';
import { planAll } from '../../src/model/plan.js';
import { runRules } from '../../src/rules/index.js';
import { describeWithPwsh, type PwshResult } from '../powershell/pwsh.js';
import {
  CANARY,
  hexContains,
  PLUGIN_ARGUMENT_NAMES,
  plainTexts,
  propertySeed,
  propsRunbook,
  reproduce,
  sampleTexts,
  utf16Hex,
  type RunbookTexts,
} from './hostile-text.js';

const NUM_RUNS = Number.parseInt(process.env.RUNBOOKC_PROPERTY_RUNS ?? '100', 10);

function runPwsh(pwsh: string, args: readonly string[]): Promise<PwshResult> {
  return new Promise((resolve, reject) => {
    execFile(
      pwsh,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', 'test/property/check-values.ps1', ...args],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

interface CaseResult {
  parseErrors: string[];
  constants: string[];
  commands: string[];
  runError: string;
  canaryCalls: number;
  output: string;
  profileArguments: string[];
  profileError: string;
}

/** Values the script holds as data (parameters, prompts, messages): each must be a constant string in it. */
function scriptData(t: RunbookTexts): Array<[string, string]> {
  return [
    ['parameter default', t.parameterDefault],
    ['string[] default 1', t.arrayDefault[0]],
    ['string[] default 2', t.arrayDefault[1]],
    ['variant title', t.variantTitle],
    ['phase title', t.phaseTitle],
    ...t.stepTitles.map((v, i): [string, string] => [`step title ${i + 1}`, v]),
    ['irreversible reason', t.irreversibleReason],
    ['instruction 1', t.instructions[0]],
    ['instruction 2', t.instructions[1]],
    ['confirm prompt', t.prompt],
    ['failMessage', t.failMessage],
    ['onTimeout', t.onTimeout],
  ];
}

/** Values a -WhatIf run prints: each must appear in the output exactly. */
function whatIfShown(t: RunbookTexts): Array<[string, string]> {
  return [
    ['variant title', t.variantTitle],
    ['phase title', t.phaseTitle],
    ...t.stepTitles.map((v, i): [string, string] => [`step title ${i + 1}`, v]),
    ['irreversible reason', t.irreversibleReason],
  ];
}

describeWithPwsh('property: runbook text in the generated script and run profile', (pwsh) => {
  const seed = propertySeed();
  const samples = sampleTexts(seed, NUM_RUNS);
  let dir: string;
  let baseline: CaseResult;
  let results: CaseResult[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbookc-props-'));
    const cases = [plainTexts(), ...samples].map((texts, index) => {
      const caseDir = join(dir, `case-${index}`);
      let script = '';
      let profile = '';
      for (const plan of planAll(propsRunbook(texts))) {
        for (const f of emitVariant(plan, [emitCauProfiles, emitPowerShell])) {
          const target = join(caseDir, f.path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, f.content);
          if (f.path.endsWith('.ps1')) script = target;
          if (f.path.endsWith('.xml')) profile = target;
        }
      }
      return { script, profile, argumentNames: PLUGIN_ARGUMENT_NAMES };
    });
    // Two pwsh processes, each with half of the cases, share the machine's cores.
    const chunks = [cases.filter((_, i) => i % 2 === 0), cases.filter((_, i) => i % 2 === 1)];
    const outputs = await Promise.all(
      chunks.map(async (chunk, n) => {
        const casesPath = join(dir, `cases-${n}.json`);
        const outPath = join(dir, `results-${n}.json`);
        writeFileSync(casesPath, JSON.stringify(chunk));
        const run = await runPwsh(pwsh, ['-CasesPath', casesPath, '-OutPath', outPath]);
        if (run.status !== 0) throw new Error(`check-values.ps1 failed (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
        return JSON.parse(readFileSync(outPath, 'utf8')) as CaseResult[];
      }),
    );
    const all = cases.map((_, i) => outputs[i % 2]![Math.floor(i / 2)]!);
    [baseline, ...results] = all;
    console.log(`property (PowerShell): ${samples.length} cases, seed ${seed}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the base runbook passes the rules with any text in it', () => {
    for (const [i, texts] of [plainTexts(), ...samples].entries()) {
      const errors = runRules(propsRunbook(texts), { profile: 'safe' }).filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.message), reproduce(seed, i - 1)).toEqual([]);
    }
  });

  it('the plain runbook is a working baseline', () => {
    expect(baseline.parseErrors).toEqual([]);
    expect(baseline.runError).toBe('');
    expect(baseline.commands).not.toContain(CANARY);
    expect(results).toHaveLength(samples.length);
  });

  it('every script parses with no error and runs -WhatIf without executing any of its text', () => {
    for (const [i, r] of results.entries()) {
      const at = `${reproduce(seed, i)}: ${JSON.stringify(samples[i])}`;
      expect(r.parseErrors, at).toEqual([]);
      expect(r.runError, at).toBe('');
      expect(r.canaryCalls, at).toBe(0);
      // Text never becomes a command: the script calls exactly what the plain runbook's script calls.
      expect(r.commands, at).toEqual(baseline.commands);
    }
  });

  it('every value the script holds as data is a constant string in it, byte-exact', () => {
    for (const [i, r] of results.entries()) {
      const constants = new Set(r.constants);
      for (const [field, value] of scriptData(samples[i]!)) {
        expect(constants.has(utf16Hex(value)), `${reproduce(seed, i)}: ${field} ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('a -WhatIf run prints titles and the irreversible reason exactly as written', () => {
    for (const [i, r] of results.entries()) {
      for (const [field, value] of whatIfShown(samples[i]!)) {
        expect(hexContains(r.output, utf16Hex(value)), `${reproduce(seed, i)}: ${field} ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('Import-Clixml gives back every plug-in argument exactly', () => {
    for (const [i, r] of results.entries()) {
      const at = `${reproduce(seed, i)}: ${JSON.stringify(samples[i]!.pluginArguments)}`;
      expect(r.profileError, at).toBe('');
      expect(r.profileArguments, at).toEqual(samples[i]!.pluginArguments.map(utf16Hex));
    }
  });
});
