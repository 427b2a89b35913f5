/**
 * Behaviour of a generated script under pwsh, against stand-in cluster commands: the gates, the
 * operator prompt contract, -WhatIf, when/probe/verify/capture/retries, per-node loops, remote
 * steps and the run-profile hash check. One pwsh run executes every scenario.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runbook } from '../../src/model/runbook.js';
import cauCmdlets from '../fixtures/catalog-subset.json' with { type: 'json' };
import { cmd, param, phase, resetSpans, runbook, STANDARD_PARAMETERS, step } from '../fixtures/ir-builder.js';
import { emitScripts } from '../powershell/generated.js';
import { describeWithPwsh, lastJsonLine, runPwshFile } from '../powershell/pwsh.js';
import { standInFunction, type CatalogEntry } from '../powershell/stand-in.js';

function behaviourRunbook(): Runbook {
  resetSpans();
  return runbook(
    [
      phase('pre', 'orchestrator', [
        step.check('ok', '$true', 'never fails'),
        step.run('read', 'Get-Level', { capture: 'LevelBefore' }),
        step.confirm('go', 'Proceed?'),
      ]),
      phase('cluster', 'cluster', [
        step.cau('scan', 'scan'),
        step.cau('update', 'run', { options: [{ name: 'MaxFailedNodes', value: 0 }, { name: 'StopAfter', value: '02:00:00' }] }),
        step.run('raise', 'Set-Level -Value ($LevelBefore + 1)', {
          irreversible: { reason: 'Levels only go up.' },
          probe: cmd('(Get-Level) -ge 2'),
          verify: cmd('(Get-Level) -gt $LevelBefore'),
        }),
        step.run('optional', "Add-Call 'optional'", { when: 'DoOptional' }),
        step.run('flaky', 'Invoke-Flaky', { retries: 1 }),
      ]),
      phase('nodes', 'each-node', [
        step.run('drain', "Add-Call ('drain ' + $Node)"),
        step.manual('console', ['Do the thing at the console.'], { verify: cmd('$true') }),
        step.run('remote', "Add-Call ('remote ' + $Node + ' ' + $ClusterName + ' ' + $DoOptional)", { runOn: 'node' }),
        step.wait('ready', 'Test-Ready -Node $Node', { intervalSeconds: 1, timeoutSeconds: 5 }),
      ]),
      phase('together', 'each-node', [
        step.run('everywhere', "Add-Call ('everywhere ' + $Node + ' ' + $ClusterName)", { runOn: 'node', verify: cmd("Add-Call ('verify ' + $Node)\n$true") }),
        step.run('each', "Add-Call ('each ' + $Node)"),
      ], { parallel: { throttle: 8 } }),
    ],
    { id: 'behaviour', parameters: [...STANDARD_PARAMETERS, param('DoOptional', 'bool', { default: false })] },
  );
}

interface Outcome {
  name: string;
  error: string;
  /** The script's exit code (what pwsh -File exits with). */
  exitCode: number | null;
  prompts: string[];
  calls: string[];
  output: string[];
  level: number;
  journal: string;
}

interface Journal {
  schema: string;
  runbook: string;
  variant: string;
  scriptSha256: string;
  cluster: string;
  outcome: string;
  captures: Record<string, unknown>;
  steps: Record<string, { status: string; attempts: number; startedAt: string; endedAt: string; detail: string; evidence: Array<Record<string, string>> }>;
}

describeWithPwsh('a generated script at run time', (pwsh) => {
  let dir: string;
  let outcomes: Map<string, Outcome>;
  let scriptSha256: string;
  let scriptPath = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbookc-run-'));
    for (const f of emitScripts(behaviourRunbook())) {
      const target = join(dir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
      if (f.path.endsWith('.ps1')) {
        scriptPath = target;
        scriptSha256 = createHash('sha256').update(f.content).digest('hex');
      }
    }
    const standIns = join(dir, 'stand-ins.ps1');
    writeFileSync(standIns, (cauCmdlets as unknown as CatalogEntry[]).filter((c) => c.name.startsWith('Invoke-Cau')).map(standInFunction).join('\n\n') + '\n');
    const result = runPwshFile(pwsh, 'test/powershell/run-scenarios.ps1', ['-ScriptPath', scriptPath, '-StandInPath', standIns]);
    outcomes = new Map(lastJsonLine<Outcome[]>(result).map((o) => [o.name, o]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (name: string): Outcome => {
    const o = outcomes.get(name);
    if (!o) throw new Error(`scenario ${name} did not run`);
    return o;
  };

  it('-WhatIf prints every step and changes nothing, asking nothing', () => {
    const o = get('whatif');
    expect(o.error).toBe('');
    expect(o.prompts).toEqual([]);
    expect(o.calls.filter((c) => !c.startsWith('Get-ClusterNode'))).toEqual([]);
    // Every step of every phase (two nodes), except the optional step, which is reported as skipped.
    expect(o.output.filter((l) => l.startsWith('What if: '))).toHaveLength(3 + 4 + 2 * 4 + 1 + 2);
    expect(o.output.some((l) => /^\s+Skipped\s+cluster\/optional\s+DoOptional is not set/.test(l))).toBe(true);
    expect(o.output).toContain('What if: run step (changes the cluster) (IRREVERSIBLE: Levels only go up.)');
    expect(o.output).toContain('WhatIf: nothing was changed.');
    expect(o.journal).toBe('');
  });

  it('a full run asks exactly the contract prompts and runs every step in order', () => {
    const o = get('full');
    expect(o.error).toBe('');
    expect(o.prompts).toEqual([
      'go: Proceed? Type yes to continue',
      'raise: This cannot be undone. Type the cluster name to continue',
      'console on NODE1: Type done when every instruction above is complete',
      'console on NODE2: Type done when every instruction above is complete',
    ]);
    expect(o.calls).toEqual([
      // The servers are listed once, when the run starts, before any phase.
      'Get-ClusterNode CLUSTER1',
      'Invoke-CauScan CauPluginName,ClusterName,Credential',
      'Invoke-CauRun CauPluginName,ClusterName,Credential,Force,MaxFailedNodes,StopAfter',
      'Set-Level 2',
      'optional',
      'flaky 1',
      'sleep 15',
      'flaky 2',
      'drain NODE1',
      'Invoke-Command NODE1',
      'remote NODE1 CLUSTER1 True',
      'poll NODE1',
      'sleep 1',
      'poll NODE1',
      'drain NODE2',
      'Invoke-Command NODE2',
      'remote NODE2 CLUSTER1 True',
      'poll NODE2',
      'sleep 1',
      'poll NODE2',
      // The parallel phase: one Invoke-Command over every node, verified on each node, then a loop.
      'Invoke-Command NODE1,NODE2 throttle 8',
      'everywhere SIMNODE CLUSTER1',
      'verify NODE1',
      'verify NODE2',
      'each NODE1',
      'each NODE2',
    ]);
    expect(o.level).toBe(2);
    expect(o.output).toContain('COMPLETED: every step finished.');
    expect(o.output).toContain('-- Step nodes/console on NODE2: Title of console');
  });

  it('an irreversible step does not start unless the cluster name is typed, whatever -Force or -Confirm say', () => {
    for (const name of ['gate-wrong-answer', 'gate-empty-with-confirm-false']) {
      const o = get(name);
      expect(o.error, name).toMatch(/^step cluster\/raise failed: the operator answered '.*', expected the cluster name; the irreversible step was not started$/);
      expect(o.calls.some((c) => c.startsWith('Set-Level')), name).toBe(false);
      expect(o.level, name).toBe(1);
      expect(o.output, name).toContain('IRREVERSIBLE: step cluster/raise will now: Title of raise');
      expect(o.output.some((l) => l.startsWith('STOPPED: step cluster/raise')), name).toBe(true);
    }
  });

  it('a confirm step stops the run on anything but yes', () => {
    const o = get('confirm-no');
    expect(o.error).toMatch(/^step pre\/go failed: the operator answered 'no', expected 'yes'; the run stops here$/);
    // Only the start-of-run listing of the servers: nothing was changed.
    expect(o.calls).toEqual(['Get-ClusterNode CLUSTER1']);
  });

  it('a manual step stops the run on anything but done', () => {
    const o = get('manual-not-done');
    expect(o.prompts[2]).toBe('console on NODE1: Type done when every instruction above is complete');
    expect(o.error).toMatch(/^step nodes\/console on NODE1 failed: the operator answered 'later', expected 'done'/);
    expect(o.calls).toContain('drain NODE1');
    expect(o.calls).not.toContain('Invoke-Command NODE1');
  });

  it('a probe that holds skips the step (and its gate) on a rerun; when skips unset optional steps', () => {
    const o = get('already-raised');
    expect(o.error).toBe('');
    expect(o.prompts.some((p) => p.startsWith('raise:'))).toBe(false);
    expect(o.calls.some((c) => c.startsWith('Set-Level'))).toBe(false);
    expect(o.calls).not.toContain('optional');
    expect(o.calls).toContain('remote NODE1 CLUSTER1 False');
    expect(o.output.some((l) => /^\s+AlreadyDone\s+cluster\/raise/.test(l))).toBe(true);
    expect(o.output.some((l) => /^\s+Skipped\s+cluster\/optional\s+DoOptional is not set/.test(l))).toBe(true);
  });

  it('a verification that does not hold fails the step and names it', () => {
    const o = get('verify-fails');
    expect(o.error).toMatch(/^step cluster\/raise failed: the step ran but its verification does not hold: \(Get-Level\) -gt \$LevelBefore$/);
    expect(o.calls).not.toContain('optional');
  });

  it('a run profile changed after the build is refused before CAU is called', () => {
    const o = get('profile-tampered');
    expect(o.error).toMatch(/^step cluster\/scan failed: the run profile .*cluster\.scan\.xml has SHA-256 [0-9A-F]{64}, expected [0-9a-f]{64}: it changed after the build$/);
    expect(o.calls.some((c) => c.startsWith('Invoke-CauScan'))).toBe(false);
  });

  it('exits with a code that says why the run stopped: 0 completed, 1 a step failed, 2 the operator declined, 3 refused', () => {
    const expected: Record<string, number> = {
      whatif: 0,
      full: 0,
      'already-raised': 0,
      'resume-2-carries-on': 0,
      'verify-fails': 1,
      'gate-wrong-answer': 2,
      'gate-empty-with-confirm-false': 2,
      'confirm-no': 2,
      'manual-not-done': 2,
      'resume-1-stops-at-gate': 2,
      'profile-tampered': 3,
      'journal-other-cluster': 3,
      'journal-other-script': 3,
      'journal-not-json': 3,
    };
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, get(name).exitCode]))).toEqual(expected);
    // The stop's message is written to the error stream after the summary, as the last thing the run prints.
    const stopped = get('confirm-no').output;
    expect(stopped.at(-1)).toBe(get('confirm-no').error);
    expect(stopped.findIndex((l) => l.startsWith('STOPPED: '))).toBeLessThan(stopped.length - 1);
  });

  it('run with pwsh -File, as a pipeline runs it, the process exits with the code and writes the stop to stderr', () => {
    // -WhatIf asks for no credential and changes nothing; it still refuses a journal that is not its own.
    const journal = join(dir, 'foreign.journal.json');
    writeFileSync(journal, '{"schema":"runbookc-journal/1","steps":{');
    const run = (...args: string[]) => runPwshFile(pwsh, scriptPath, ['-ClusterName', 'CLUSTER1', ...args]);
    const refused = run('-JournalPath', journal, '-WhatIf');
    expect(refused.status, refused.stderr).toBe(3);
    expect(refused.stdout).toContain('STOPPED: the journal ');
    expect(refused.stderr).toContain('is not a JSON object; it was not written by a runbookc script, move it away to start over');
    const planned = run('-JournalPath', join(dir, 'none.journal.json'), '-WhatIf');
    expect(planned.status, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('WhatIf: nothing was changed.');
  });

  it('journals every step atomically, bound to the script hash and the cluster, without secrets', () => {
    const o = get('full');
    const journal = JSON.parse(o.journal) as Journal;
    expect(journal).toMatchObject({ schema: 'runbookc-journal/1', runbook: 'behaviour', variant: 'default', scriptSha256, cluster: 'CLUSTER1', outcome: 'Completed' });
    expect(journal.captures).toEqual({ LevelBefore: 1 });
    expect(Object.keys(journal.steps)).toEqual([
      'pre/ok', 'pre/read', 'pre/go', 'cluster/scan', 'cluster/update', 'cluster/raise', 'cluster/optional', 'cluster/flaky',
      'nodes/drain on NODE1', 'nodes/console on NODE1', 'nodes/remote on NODE1', 'nodes/ready on NODE1',
      'nodes/drain on NODE2', 'nodes/console on NODE2', 'nodes/remote on NODE2', 'nodes/ready on NODE2',
      'together/everywhere on every node', 'together/each on NODE1', 'together/each on NODE2',
    ]);
    for (const entry of Object.values(journal.steps)) {
      expect(entry.status).toBe('Done');
      expect(Date.parse(entry.endedAt)).toBeGreaterThanOrEqual(Date.parse(entry.startedAt));
    }
    expect(journal.steps['cluster/flaky']!.attempts).toBe(2);
    expect(journal.steps['cluster/raise']!.attempts).toBe(1);
    const evidence = journal.steps['nodes/console on NODE2']!.evidence;
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ Step: 'console', Node: 'NODE2', Answer: 'DONE' });
    expect(evidence[0]!.By).not.toBe('');
    expect(Date.parse(evidence[0]!.At)).not.toBeNaN();
    expect(journal.steps['cluster/raise']!.evidence[0]).toMatchObject({ Answer: 'cluster1', Question: 'This cannot be undone. Type the cluster name to continue' });
    expect(o.journal).not.toMatch(/SecureString|Password|operator/i);
  });

  it('a rerun resumes at the first unfinished step, restoring captured values', () => {
    const first = get('resume-1-stops-at-gate');
    expect(first.error).toMatch(/^step cluster\/raise failed: /);
    const journal = JSON.parse(first.journal) as Journal;
    expect(journal.outcome).toBe('Stopped');
    expect(journal.steps['cluster/raise']!.status).toBe('Failed');
    expect(journal.steps['cluster/update']!.status).toBe('Done');

    const second = get('resume-2-carries-on');
    expect(second.error).toBe('');
    expect(second.prompts[0]).toBe('raise: This cannot be undone. Type the cluster name to continue');
    expect(second.calls.some((c) => c.startsWith('Invoke-Cau'))).toBe(false);
    // $LevelBefore came from the journal (1), so the raise targets 2.
    expect(second.calls).toContain('Set-Level 2');
    expect(second.output.filter((l) => /^\s+DoneEarlier\s/.test(l))).toHaveLength(5);
    expect((JSON.parse(second.journal) as Journal).steps['cluster/raise']!.attempts).toBe(1);

    const third = get('resume-3-all-done');
    expect(third.error).toBe('');
    expect(third.prompts).toEqual([]);
    expect(third.calls.filter((c) => !c.startsWith('Get-ClusterNode'))).toEqual([]);
  });

  it('refuses a journal of another cluster or another script, or one that is not JSON, and leaves it as it was', () => {
    expect(get('journal-other-cluster').error).toMatch(/^the journal .*behaviour\.default\.journal\.json is for cluster CLUSTER1, not CLUSTER9; move it away or pass -JournalPath$/);
    expect(get('journal-other-cluster').calls).toEqual([]);
    expect(get('journal-other-script').error).toMatch(/^the journal .* was written by another script \(SHA-256 0000, this script [0-9a-f]{64}\); move it away to start over$/);
    expect(get('journal-not-json').error).toMatch(/^the journal .*behaviour\.default\.journal\.json is not a JSON object; it was not written by a runbookc script, move it away to start over$/);
    // Dot-sourced, the refusal is a terminating error instead of an exit, which would have ended the
    // runner (the session) before the scenario's result was written.
    const dotSourced = get('journal-not-json-dot-sourced');
    expect(dotSourced.error).toBe(get('journal-not-json').error);
    expect(dotSourced.exitCode).toBeNull();
    // A refused journal is left as it was, so that the next attempt is refused too.
    expect(get('journal-other-script').journal).toBe('{"schema":"runbookc-journal/1","scriptSha256":"0000","cluster":"CLUSTER1","steps":{},"captures":{}}');
    expect(get('journal-not-json').journal).toBe('{"schema":"runbookc-journal/1","steps":{"cluster/look":');
    for (const name of ['journal-other-script', 'journal-not-json']) expect(get(name).calls, name).toEqual([]);
  });
});
