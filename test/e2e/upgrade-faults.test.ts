/**
 * End to end, when things go wrong: a node that does not come back, storage repair that never
 * finishes, a CAU run with more failed nodes than allowed, an operator who answers no. Each run must
 * stop with a message that says where and why, before anything irreversible (asserted from the call
 * log), and leave a state the checklist can explain (asserted node by node).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeWithPwsh } from '../powershell/pwsh.js';
import {
  buildBundledRunbook,
  calls,
  CLUSTER,
  describeRun,
  IRREVERSIBLE_CMDLETS,
  runScenario,
  SOURCE_BUILD,
  TARGET_BUILD,
  unsafeDrains,
  type Built,
  type Run,
} from './harness.js';

/** One pwsh process per scenario; generous because CI machines may be shared and slow. */
const SCENARIO_TIMEOUT = 300_000;

/** Node name -> "build/state", for the state a stopped run leaves behind. */
function nodeSummary(run: Run): Record<string, string> {
  return Object.fromEntries(run.state.nodes.map((n) => [n.name, `${n.build}/${n.state}`]));
}

/** Exit codes of a stopped script (docs/powershell-runtime.md). */
const STEP_FAILED = 1;
const DECLINED = 2;

/** What every stopped run must show: a clear stop with its exit code, nothing irreversible, no disabled cluster service. */
function expectSafeStop(run: Run, message: string, exitCode: number): void {
  const why = describeRun(run);
  expect(run.failure, why).not.toBeNull();
  expect(run.failure, why).toContain(message);
  expect(run.exitCode, why).toBe(exitCode);
  expect(run.stdout, why).toContain('STOPPED: ');
  expect(run.stdout, why).not.toContain('COMPLETED:');
  expect(calls(run, ...IRREVERSIBLE_CMDLETS), why).toEqual([]);
  expect(run.state.cluster.functionalLevelRaises).toBe(0);
  expect(run.state.pool.updates).toBe(0);
  expect(run.operator.filter((o) => o.kind === 'gate' && o.answer === CLUSTER), why).toEqual([]);
  expect(run.state.nodes.filter((n) => n.clusSvcStartType !== 'Automatic').map((n) => n.name)).toEqual([]);
  expect(unsafeDrains(run)).toEqual([]);
  expect(run.state.violations, why).toEqual([]);
}

describeWithPwsh('end to end: faults stop the run before anything irreversible', (pwsh) => {
  let built: Built;
  beforeAll(async () => {
    built = await buildBundledRunbook();
  });

  it('sconfig-manual: a node that does not come back from the feature update stops the run at its verification', () => {
    const run = runScenario(pwsh, built, 'sconfig-manual', { nodeCount: 4, qualityUpdatesPending: false, neverReturn: ['NODE2'] });
    expectSafeStop(run, 'step sconfig-feature-update/sconfig-update on NODE2', STEP_FAILED);
    expect(run.failure).toContain('Connecting to remote server NODE2 failed');
    // NODE1 finished and was resumed; NODE2 is drained and down; the rest were never touched.
    expect(nodeSummary(run)).toEqual({
      NODE1: `${TARGET_BUILD}/Up`,
      NODE2: `${TARGET_BUILD}/Down`,
      NODE3: `${SOURCE_BUILD}/Up`,
      NODE4: `${SOURCE_BUILD}/Up`,
    });
    expect(calls(run, 'Suspend-ClusterNode').map((e) => e.target)).toEqual(['NODE1', 'NODE2']);
  }, SCENARIO_TIMEOUT);

  it('cau-rolling: a node that does not come back fails the CAU run, which stops the script', () => {
    const run = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 4, neverReturn: ['NODE2'] });
    expectSafeStop(run, 'step install-os-updates/run-os-updates', STEP_FAILED);
    expect(run.failure).toContain('MaxFailedNodes (1) exceeded');
    const summary = nodeSummary(run);
    expect(summary.NODE2).toBe(`${SOURCE_BUILD}/Down`);
    expect(Object.entries(summary).filter(([n, s]) => n !== 'NODE2' && !s.endsWith('/Up'))).toEqual([]);
    // Only quality updates ran: no node got the feature update.
    expect(run.state.nodes.every((n) => n.build === SOURCE_BUILD)).toBe(true);
    expect(run.state.cauRuns.map((r) => r.status)).toEqual(['Failed']);
  }, SCENARIO_TIMEOUT);

  it('sconfig-manual: storage repair that never finishes times out before the next node is drained', () => {
    const run = runScenario(pwsh, built, 'sconfig-manual', { nodeCount: 4, qualityUpdatesPending: false, storageJobsNeverFinish: true });
    expectSafeStop(run, 'step sconfig-feature-update/storage-repair on NODE1', STEP_FAILED);
    expect(run.failure).toContain('timed out after 14400 s: Storage repair is still running');
    // The runbook's 240 minutes of 30-second polls, on the simulated clock.
    expect(run.state.clockSeconds).toBeGreaterThanOrEqual(14400);
    expect(calls(run, 'Suspend-ClusterNode').map((e) => e.target)).toEqual(['NODE1']);
    expect(nodeSummary(run)).toEqual({
      NODE1: `${TARGET_BUILD}/Paused`,
      NODE2: `${SOURCE_BUILD}/Up`,
      NODE3: `${SOURCE_BUILD}/Up`,
      NODE4: `${SOURCE_BUILD}/Up`,
    });
    expect(run.state.storageJobs.every((j) => j.jobState === 'Running')).toBe(true);
  }, SCENARIO_TIMEOUT);

  it('sconfig-manual: a drain that cannot finish times out before anyone is asked to update the server', () => {
    const run = runScenario(pwsh, built, 'sconfig-manual', { nodeCount: 4, qualityUpdatesPending: false, drainNeverFinishes: ['NODE1'] });
    expectSafeStop(run, 'step sconfig-feature-update/drain-complete on NODE1', STEP_FAILED);
    expect(run.failure).toContain('timed out after 3600 s: The drain has not finished in an hour: a role could not be moved off the server.');
    // The drain was started without -Wait (a drain with -Wait would have waited inside the command, with no limit).
    expect(calls(run, 'Suspend-ClusterNode').map((e) => `${e.target} wait=${e.parameters.Wait}`)).toEqual(['NODE1 wait=False']);
    // The hour of 30-second polls, on the simulated clock; the VM that could not move still runs on NODE1.
    expect(run.state.clockSeconds).toBeGreaterThanOrEqual(3600);
    expect(run.state.groups.filter((g) => g.ownerNode === 'NODE1' && g.groupType === 'VirtualMachine').map((g) => g.state)).toEqual(['Online']);
    // Nobody was told to install the feature update, and nothing restarted.
    expect(run.operator.filter((o) => o.step === 'sconfig-update')).toEqual([]);
    expect(calls(run, 'NodeRestart')).toEqual([]);
    expect(nodeSummary(run)).toEqual({
      NODE1: `${SOURCE_BUILD}/Paused`,
      NODE2: `${SOURCE_BUILD}/Up`,
      NODE3: `${SOURCE_BUILD}/Up`,
      NODE4: `${SOURCE_BUILD}/Up`,
    });
  }, SCENARIO_TIMEOUT);

  it('cau-rolling: a CAU run with more failed nodes than MaxFailedNodes stops the script', () => {
    const run = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 4, cauFailNodes: ['NODE3', 'NODE4'] });
    expectSafeStop(run, 'step install-os-updates/run-os-updates', STEP_FAILED);
    expect(run.failure).toContain('MaxFailedNodes (1) exceeded: 2 node(s) failed');
    // CAU resumed the failed nodes: everything is Up on the old build, nothing paused.
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${SOURCE_BUILD}/Up`));
    expect(calls(run, 'Invoke-CauRun').map((e) => e.outcome)).toEqual(['started', 'failed']);
  }, SCENARIO_TIMEOUT);

  it('cau-rolling: a CAU run that fails on fewer servers than MaxFailedNodes allows still stops the script, naming them', () => {
    const run = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 4, cauFailNodes: ['NODE3'] });
    expectSafeStop(run, 'step install-os-updates/run-os-updates', STEP_FAILED);
    expect(run.failure).toContain('the CAU updating run finished with status PartiallyFailed: NODE3 Failed (the plug-in failed to install the update)');
    // CAU itself went on (one failure is within MaxFailedNodes 1); the script does not: no feature update starts.
    expect(calls(run, 'Invoke-CauRun').map((e) => e.outcome)).toEqual(['started', 'partiallyfailed']);
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${SOURCE_BUILD}/Up`));
  }, SCENARIO_TIMEOUT);

  it('cau-rolling: the operator answering no at the functional-level gate stops the run with every node upgraded', () => {
    const run = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 4, declineGate: ['update-functional-level'] });
    expectSafeStop(run, "expected the cluster name; the irreversible step was not started", DECLINED);
    expect(run.failure).toContain('step post-installation/update-functional-level');
    expect(run.operator.filter((o) => o.kind === 'gate').map((o) => `${o.step}=${o.answer}`)).toEqual(['update-functional-level=no']);
    // Still reversible: every node on 23H2 and Up, functional level and pool as before.
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${TARGET_BUILD}/Up`));
  }, SCENARIO_TIMEOUT);

  it('sconfig-manual: the operator answering no at a confirm step stops the run before any drain', () => {
    const run = runScenario(pwsh, built, 'sconfig-manual', { nodeCount: 4, qualityUpdatesPending: false, declineGate: ['review-validation'] });
    expectSafeStop(run, 'step validate-cluster/review-validation', DECLINED);
    expect(run.failure).toContain("the operator answered 'no', expected 'yes'");
    expect(calls(run, 'Suspend-ClusterNode')).toEqual([]);
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${SOURCE_BUILD}/Up`));
  }, SCENARIO_TIMEOUT);

  it('the operator answering no at the pool gate stops after the functional level, before the pool', () => {
    const run = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 2, declineGate: ['update-storage-pool'] });
    const why = describeRun(run);
    expect(run.failure, why).toContain('step post-installation/update-storage-pool');
    expect(run.exitCode, why).toBe(DECLINED);
    expect(calls(run, 'Update-ClusterFunctionalLevel').map((e) => e.outcome)).toEqual(['raised']);
    expect(calls(run, 'Update-StoragePool')).toEqual([]);
    expect(run.state.pool.updates).toBe(0);
  }, SCENARIO_TIMEOUT);

  it('sconfig-manual with quality updates pending waits for the storage repair the CAU run leaves behind before the first drain', () => {
    // Regression: install-os-updates restarts every node with CAU, and CAU does not wait for the
    // repair after the last node; without the runbook's wait the first drain was refused
    // (ERROR_CLUSTER_SPACE_DEGRADED).
    const run = runScenario(pwsh, built, 'sconfig-manual', { nodeCount: 4 });
    expect(run.failure, describeRun(run)).toBeNull();
    expect(run.stdout).not.toContain('ERROR_CLUSTER_SPACE_DEGRADED');
    expect(unsafeDrains(run)).toEqual([]);
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${TARGET_BUILD}/Up`));
  }, SCENARIO_TIMEOUT);

  it('sconfig-manual: after the node that did not come back is repaired, a rerun resumes from the journal and completes', () => {
    const run = runScenario(pwsh, built, 'sconfig-manual', {
      nodeCount: 4,
      qualityUpdatesPending: false,
      neverReturn: ['NODE2'],
      reruns: [{ recoverNodes: ['NODE2'] }],
    });
    const why = describeRun(run);
    expect(run.failures[0], why).toContain('step sconfig-feature-update/sconfig-update on NODE2');
    expect(run.failures[1], why).toBeNull();
    expect(run.exitCodes, why).toEqual([STEP_FAILED, 0]);
    expect(Object.values(nodeSummary(run))).toEqual(Array(4).fill(`${TARGET_BUILD}/Up`));
    // Work finished before the stop is not done again: each node drained once, NODE1 updated once.
    expect(calls(run, 'Suspend-ClusterNode').map((e) => e.target)).toEqual(['NODE1', 'NODE2', 'NODE3', 'NODE4']);
    expect(run.operator.filter((o) => o.step === 'sconfig-update').map((o) => o.node)).toEqual(['NODE1', 'NODE2', 'NODE2', 'NODE3', 'NODE4']);
    expect(unsafeDrains(run)).toEqual([]);
    expect(calls(run, 'Update-ClusterFunctionalLevel').map((e) => e.outcome)).toEqual(['raised']);
    expect(calls(run, 'Update-StoragePool').map((e) => e.outcome)).toEqual(['updated']);
  }, SCENARIO_TIMEOUT);

  it('a failed prerequisite stops the run before anything changes: cluster not registered in Azure, no clustering tools', () => {
    const unregistered = runScenario(pwsh, built, 'cau-rolling', { nodeCount: 2, registrationStatus: 'NotYet' });
    expectSafeStop(unregistered, 'step prerequisites/registered-in-azure', STEP_FAILED);
    expect(unregistered.failure).toContain('Register the cluster in Azure');
    expect(unregistered.log, describeRun(unregistered)).toEqual([]);

    const noTools = runScenario(pwsh, built, 'offline', { nodeCount: 2, failoverClustersToolsInstalled: false });
    expectSafeStop(noTools, 'step prerequisites/cluster-module-available', STEP_FAILED);
    expect(noTools.failure).toContain('Install the Failover Clustering tools');
    expect(noTools.log, describeRun(noTools)).toEqual([]);
  }, SCENARIO_TIMEOUT);
});
