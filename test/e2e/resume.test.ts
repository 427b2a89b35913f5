/**
 * End to end, when the run is cut short: the sconfig-manual script on a 2-node simulated cluster is
 * interrupted as each of its steps starts, in turn, and rerun with the same journal. Every rerun
 * must complete the upgrade with each state change made exactly once (asserted from the simulated
 * cluster's call log, not from the script's report). A script changed after the interruption must
 * refuse the journal; -WhatIf must change nothing. The credential's password is a marker that no
 * output or journal may contain. One pwsh process runs every case (test/e2e/run-interruptions.ps1).
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWithPwsh } from '../powershell/pwsh.js';
import { buildBundledRunbook, CLUSTER, IRREVERSIBLE_CMDLETS, nodeNames, POOL, runPwshRunner, TARGET_BUILD } from './harness.js';

const RUNNER = join(import.meta.dirname, 'run-interruptions.ps1');
const SECRET = 'Pa55-MARKER-7f3c91';
const NODES = nodeNames(2);

interface SimRun {
  failure: string | null;
  /** The script's exit code; null when PowerShell refused its parameters (nothing of it ran). */
  exitCode: number | null;
  stepsStarted: number;
  interrupted: boolean;
  output: string[];
}
interface Case {
  k: number;
  first: SimRun;
  second: SimRun;
  logSplit: number;
  log: Array<{ seq: number; cmdlet: string; target: string; outcome: string; source: string }>;
  operator: Array<{ step: string | null; node: string | null; kind: string | null; answer: string }>;
  nodes: string[];
  functionalLevelRaises: number;
  poolUpdates: number;
  violations: string[];
}
interface Result {
  cases: Case[];
  changed: { original: SimRun; changed: SimRun; callsAfterRefusal: string[]; journal: string | null };
  whatIf: { run: SimRun; log: string[]; operator: unknown[]; journalWritten: boolean; transcriptWritten: boolean };
  selection: {
    runs: Record<'onlyNodes' | 'onlyPost' | 'fromGate' | 'onlyOsUpdates' | 'onlyValidation' | 'onlyMedia' | 'rest', SimRun>;
    marks: Record<'onlyNodes' | 'onlyPost' | 'fromGate' | 'onlyOsUpdates' | 'onlyValidation' | 'onlyMedia' | 'rest', number>;
    invalid: SimRun;
    log: Case['log'];
    nodes: string[];
  };
  artefacts: Array<{ path: string; text: string | null }>;
}

/** Summary lines ("  Done         phase/step ...") of a run's output, as [outcome, label]. */
function summary(run: SimRun): Array<[string, string]> {
  const start = run.output.findIndex((l) => l.startsWith('Summary of '));
  if (start < 0) return [];
  return run.output
    .slice(start + 1)
    .map((l) => /^ {2}(\S+)\s+(.+?)(?: {2}.*)?$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!.trim()]);
}

function okCalls(c: Case, cmdlet: string): string[] {
  return c.log.filter((e) => e.cmdlet === cmdlet && !e.outcome.startsWith('failed')).map((e) => e.target);
}

describeWithPwsh('end to end: interrupted at every step, a rerun completes the upgrade once', (pwsh) => {
  let result: Result;
  beforeAll(async () => {
    const built = await buildBundledRunbook();
    result = runPwshRunner<Result>(
      pwsh,
      RUNNER,
      built.scripts['sconfig-manual']!,
      {
        clusterName: CLUSTER,
        nodeCount: 2,
        storageJobPolls: 3,
        qualityUpdatesPending: false,
        secretMarker: SECRET,
        stepKinds: built.stepKinds,
        scriptParameters: { ClusterName: CLUSTER, StoragePoolName: POOL },
      },
      { timeoutMs: 600_000, maxBuffer: 256 * 1024 * 1024 },
    );
  }, 600_000);

  it('interrupts the run at every one of its steps', () => {
    // The uninterrupted run of the last case started every step; one case per step.
    const steps = result.cases.at(-1)!.second.stepsStarted;
    expect(steps).toBeGreaterThan(20);
    expect(result.cases.map((c) => c.k)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    for (const c of result.cases) {
      expect(c.first.failure, `k=${c.k}`).toContain(`simulated interruption as step ${c.k} starts`);
      expect(c.first.output, `k=${c.k}`).toContain(`STOPPED: simulated interruption as step ${c.k} starts`);
      expect(c.first.exitCode, `k=${c.k}`).toBe(1);
    }
  });

  it('every rerun completes the upgrade, skipping exactly the steps the interrupted run finished', () => {
    for (const c of result.cases) {
      const why = `k=${c.k}\n${c.second.output.slice(-30).join('\n')}`;
      expect(c.second.failure, why).toBeNull();
      expect(c.second.exitCode, why).toBe(0);
      expect(c.second.output, why).toContain('COMPLETED: every step finished.');
      const finishedBefore = summary(c.first).filter(([o]) => o === 'Done' || o === 'AlreadyDone').map(([, l]) => l);
      const skippedNow = summary(c.second).filter(([o]) => o === 'DoneEarlier').map(([, l]) => l);
      expect(skippedNow, why).toEqual(finishedBefore);
      expect(c.nodes, why).toEqual(NODES.map((n) => `${n}:${TARGET_BUILD}:Up`));
      expect(c.violations, why).toEqual([]);
    }
  });

  it('makes every state change exactly once over the interrupted run and its rerun', () => {
    for (const c of result.cases) {
      const why = `k=${c.k}`;
      expect(c.functionalLevelRaises, why).toBe(1);
      expect(c.poolUpdates, why).toBe(1);
      expect(okCalls(c, 'Update-ClusterFunctionalLevel'), why).toEqual([CLUSTER]);
      expect(okCalls(c, 'Update-StoragePool'), why).toEqual([POOL]);
      expect(okCalls(c, 'Suspend-ClusterNode'), why).toEqual(NODES);
      expect(okCalls(c, 'Resume-ClusterNode'), why).toEqual(NODES);
      expect(okCalls(c, 'OperatorInstallsFeatureUpdate'), why).toEqual(NODES);
      // Each gate was passed once, with the cluster name.
      const gates = c.operator.filter((o) => o.kind === 'gate').map((o) => `${o.step}=${o.answer}`);
      expect(gates, why).toEqual([`update-functional-level=${CLUSTER}`, `update-storage-pool=${CLUSTER}`]);
    }
  });

  it('a script changed after the interruption refuses the journal before any step, and says how to start over', () => {
    const { original, changed, callsAfterRefusal, journal } = result.changed;
    expect(original.failure).toContain('simulated interruption as step 3 starts');
    expect(changed.failure).toMatch(/the journal .*journal-changed\.json was written by another script \(SHA-256 [0-9a-f]{64}, this script [0-9a-f]{64}\)/);
    expect(changed.failure).toContain('move it away to start over');
    expect(changed.exitCode).toBe(3);
    expect(changed.stepsStarted).toBe(0);
    expect(callsAfterRefusal.filter((c) => IRREVERSIBLE_CMDLETS.some((i) => c.startsWith(i)) || c.startsWith('Suspend-ClusterNode'))).toEqual([]);
    // The refused journal is left as it was: still the original's, with its steps, so that a second
    // attempt with the changed script is refused too, until the operator moves it away.
    const originalSha = /written by another script \(SHA-256 ([0-9a-f]{64})/.exec(changed.failure!)![1];
    const left = JSON.parse(journal!);
    expect(left.scriptSha256).toBe(originalSha);
    expect(left.outcome).toBe('Stopped');
    expect(Object.keys(left.steps).length).toBeGreaterThan(0);
  });

  it('-WhatIf changes nothing, asks nothing and writes no journal', () => {
    const { run, log, operator, journalWritten, transcriptWritten } = result.whatIf;
    expect(transcriptWritten).toBe(false);
    expect(run.failure).toBeNull();
    expect(run.output).toContain('WhatIf: nothing was changed.');
    expect(log).toEqual([]);
    expect(operator).toEqual([]);
    expect(journalWritten).toBe(false);
  });

  it('-OnlyPhase runs one phase; an irreversible step whose earlier steps were not run refuses, naming them', () => {
    const { runs, marks, log } = result.selection;
    const between = (from: number, to: number) => log.filter((e) => e.seq > from && e.seq <= to && !e.outcome.startsWith('failed'));
    // The per-node phase alone: both nodes drained, upgraded and resumed; nothing else ran.
    expect(runs.onlyNodes.failure, runs.onlyNodes.output.join('\n')).toBeNull();
    expect(runs.onlyNodes.output).toContain('COMPLETED: the selected steps finished (-OnlyPhase sconfig-feature-update); the others were not run.');
    const selected = summary(runs.onlyNodes);
    expect(selected.filter(([o]) => o !== 'NotSelected').every(([, l]) => l.startsWith('sconfig-feature-update/'))).toBe(true);
    expect(selected.filter(([o]) => o === 'NotSelected').length).toBeGreaterThan(5);
    expect(between(marks.onlyNodes, marks.onlyPost).filter((e) => e.cmdlet === 'Suspend-ClusterNode').map((e) => e.target)).toEqual(NODES);

    // The post-installation phase alone: the check passes, the gate is never asked, nothing irreversible runs.
    const refusal = runs.onlyPost.failure ?? '';
    expect(refusal).toContain('step post-installation/update-functional-level');
    expect(refusal).toContain('the irreversible step post-installation/update-functional-level was not started: the journal');
    // Exactly the earlier state-changing steps that never ran: not the per-node steps the previous
    // run recorded, not the check of this phase, which this run passed.
    expect(refusal).toMatch(
      /the journal \S+journal-selection\.json does not record as done prerequisites\/update-media-available, install-os-updates\/run-os-updates, validate-cluster\/test-cluster\. /,
    );
    expect(refusal).toContain('without -FromStep and -OnlyPhase, the script resumes at the first unfinished step');
    // Neither refused run asked a gate or made an irreversible call.
    const gateSteps = ['update-functional-level', 'update-storage-pool', 'update-vm-versions'];
    expect(between(marks.onlyPost, marks.onlyOsUpdates).filter((e) => IRREVERSIBLE_CMDLETS.includes(e.cmdlet) || (e.cmdlet === 'Read-Host' && gateSteps.includes(e.target)))).toEqual([]);

    // -FromStep straight to the pool gate: refused, naming the functional level step.
    expect(runs.fromGate.failure).toContain('the irreversible step post-installation/update-storage-pool was not started');
    expect(runs.fromGate.failure).toContain('post-installation/update-functional-level');
    expect([runs.onlyPost.exitCode, runs.fromGate.exitCode]).toEqual([3, 3]);
    expect(summary(runs.fromGate).filter(([o]) => o === 'NotSelected').length).toBeGreaterThan(10);

    // The missing steps, phase by phase; then the rest of the plan completes, each irreversible change once.
    for (const name of ['onlyOsUpdates', 'onlyValidation', 'onlyMedia'] as const) {
      expect(runs[name].failure, `${name}\n${runs[name].output.slice(-20).join('\n')}`).toBeNull();
    }
    expect(runs.rest.failure, runs.rest.output.slice(-30).join('\n')).toBeNull();
    expect(runs.rest.output).toContain('COMPLETED: the selected steps finished (-FromStep post-installation/all-nodes-on-target); the others were not run.');
    expect(log.filter((e) => e.cmdlet === 'Update-ClusterFunctionalLevel').map((e) => e.outcome)).toEqual(['raised']);
    expect(log.filter((e) => e.cmdlet === 'Update-StoragePool').map((e) => e.outcome)).toEqual(['updated']);
    expect(log.filter((e) => e.cmdlet === 'Suspend-ClusterNode').map((e) => e.target)).toEqual(NODES);
    expect(result.selection.nodes).toEqual(NODES.map((n) => `${n}:${TARGET_BUILD}:Up`));
  });

  it('-FromStep accepts only the steps of the script', () => {
    expect(result.selection.invalid.failure).toMatch(/Cannot validate argument on parameter 'FromStep'/);
    expect(result.selection.invalid.stepsStarted).toBe(0);
    expect(result.selection.invalid.exitCode).toBeNull();
  });

  it('keeps one transcript per journal, next to it, with every run appended', () => {
    const transcripts = result.artefacts.filter((a) => a.path.endsWith('.transcript.txt'));
    expect(transcripts).toHaveLength(result.cases.length);
    for (const [i, t] of transcripts.entries()) {
      const k = result.cases[i]!.k;
      expect(t.path).toMatch(new RegExp(`journal-${k}\\.transcript\\.txt$`));
      expect(t.text, t.path).toContain(`STOPPED: simulated interruption as step ${k} starts`);
      expect(t.text, t.path).toContain('COMPLETED: every step finished.');
      expect(t.text!.indexOf('STOPPED: simulated')).toBeLessThan(t.text!.indexOf('COMPLETED: every step finished.'));
      // The summary says where the journal and the transcript are.
      expect(result.cases[i]!.second.output).toContain(`Transcript: ${t.path}`);
      expect(result.cases[i]!.second.output).toContain(`Journal: ${t.path.replace(/\.transcript\.txt$/, '.json')} (a rerun resumes from it)`);
    }
  });

  it('never writes the credential into a journal, its backup, the transcript or the output', () => {
    const texts = result.artefacts.filter((a) => a.text !== null);
    expect(texts.length).toBeGreaterThan(2 * result.cases.length);
    for (const a of texts) expect(a.text, a.path).not.toContain(SECRET);
    for (const c of result.cases) {
      expect([...c.first.output, ...c.second.output].join('\n')).not.toContain(SECRET);
    }
  });
});
