/**
 * Generated scripts for the PowerShell tests: every variant of the bundled runbook plus the
 * hand-built fixtures, emitted the way the pipeline does (profiles first, so the script can embed
 * their hashes), written to a temporary folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { emitCauProfiles } from '../../src/emitters/cau-profile/index.js';
import { emitVariant } from '../../src/emitters/index.js';
import { emitPowerShell } from '../../src/emitters/powershell/index.js';
import type { OutputFile } from '../../src/emitters/types.js';
import { loadRunbook } from '../../src/index.js';
import { planAll } from '../../src/model/plan.js';
import type { Runbook } from '../../src/model/runbook.js';
import { everyKindRunbook, phase, resetSpans, runbook, step } from '../fixtures/ir-builder.js';

export const BUNDLED_RUNBOOK = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';

export function emitScripts(rb: Runbook): OutputFile[] {
  return planAll(rb).flatMap((plan) => [...emitVariant(plan, [emitCauProfiles, emitPowerShell])]);
}

/** A runbook whose author commands and texts are full of characters that break naive generators. */
export function hostileTextRunbook(): Runbook {
  resetSpans();
  const nasty = "it's \u2019; Remove-Item C:\\ -Recurse; \u2019 $(Get-Date) `n \"q\" #> <# --% \u2014Force caf\u00E9";
  return runbook(
    [
      phase('hostile', 'cluster', [
        step.check('quoted', "'caf\u00E9' -eq ('caf' + [char]0x00E9)", nasty, { title: nasty }),
        step.confirm('ask', nasty),
        step.manual('do', [nasty, "line\nbreak'@\n'@"]),
        step.wait('poll', '$true', { onTimeout: nasty }),
        step.run('multi', "$x = @'\nkeep  indentation\n  exactly\n'@\n$x.Length", { capture: 'Kept' }),
      ], { title: nasty }),
    ],
    { summary: `Summary with ${nasty}`, id: 'hostile' },
  );
}

export interface WrittenScripts {
  dir: string;
  scripts: string[];
  files: Map<string, OutputFile>;
}

export async function writeAllScripts(): Promise<WrittenScripts> {
  const { runbook: bundled, diagnostics } = await loadRunbook(BUNDLED_RUNBOOK);
  if (!bundled) throw new Error(`${BUNDLED_RUNBOOK} did not load: ${JSON.stringify(diagnostics)}`);
  const dir = mkdtempSync(join(tmpdir(), 'runbookc-ps-'));
  const files = new Map<string, OutputFile>();
  const scripts: string[] = [];
  for (const rb of [bundled, everyKindRunbook(), hostileTextRunbook()]) {
    for (const f of emitScripts(rb)) {
      const target = join(dir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
      files.set(target, f);
      if (f.path.endsWith('.ps1')) scripts.push(target);
    }
  }
  return { dir, scripts, files };
}
