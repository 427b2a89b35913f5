/**
 * The simulated cluster's own tests: parameter binding as strict as the real cmdlets, and the state
 * machine the end-to-end tests rely on (drain/resume, storage repair, functional level, pool, the
 * offline path, Cluster-Aware Updating, remoting, the operator, the clock). One pwsh process runs
 * every case (test/powershell/SimCluster/selftest.ps1) and prints what each case observed.
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWithPwsh, lastJsonLine, runPwshFile } from './pwsh.js';

interface Observation {
  value: any;
  error: string | null;
  errorId: string | null;
}

const SELFTEST = join(import.meta.dirname, 'SimCluster', 'selftest.ps1');

describeWithPwsh('SimCluster', (pwsh) => {
  let cases: Record<string, Observation>;

  beforeAll(() => {
    const result = runPwshFile(pwsh, SELFTEST);
    cases = lastJsonLine<Record<string, Observation>>(result);
  });

  /** The value a case observed; fails with the case's own error when it threw. */
  function observed(name: string): any {
    const c = cases[name];
    expect(c, `case ${name} did not run`).toBeDefined();
    expect(c!.error, `case ${name} threw`).toBeNull();
    return c!.value;
  }

  it('rejects parameters the real cmdlets do not have, as binding errors', () => {
    const b = observed('binding');
    expect(b.suspendNode.errorId).toBe('NamedParameterNotFound,Suspend-ClusterNode');
    expect(b.getClusterNodeNode.errorId).toBe('NamedParameterNotFound,Get-ClusterNode');
    expect(b.failbackWithoutValue.errorId).toBe('MissingArgument,Resume-ClusterNode');
    expect(b.failbackBadValue.errorId).toBe('ParameterArgumentValidationError,Resume-ClusterNode');
    expect(b.poolWithoutName.errorId).toBe('MissingMandatoryParameter,Update-StoragePool');
    expect(b.startupTypeBad.errorId).toBe('ParameterArgumentTransformationError,Set-Service');
    expect(b.stopVmString.errorId).toBe('MismatchedPSTypeName,Stop-VM');
    expect(b.firewallEnabledBad.errorId).toBe('ParameterArgumentValidationError,Set-NetFirewallRule');
    // Invoke-CauScan has no -Force, although a documentation example splats one.
    expect(b.cauScanForce.errorId).toBe('NamedParameterNotFound,Invoke-CauScan');
    // Windows PowerShell 5.1 signatures: no Start-Sleep -Duration, no Read-Host -MaskInput.
    expect(b.sleepDuration.errorId).toBe('NamedParameterNotFound,Start-Sleep');
    expect(b.readHostMaskInput.errorId).toBe('NamedParameterNotFound,Read-Host');
    expect(b.credentialNoArgs).toBe('CONTOSO\\hci-admin');
  });

  it('drains a node onto the others and fails its roles back only with -Failback Immediate', () => {
    const d = observed('drain-resume');
    expect(d.groupsBefore).toEqual(['Cluster Group', 'Available Storage', 'VM-NODE1-1']);
    expect(d.drained.state).toBe('Paused');
    expect(d.drained.onlineOnNode).toBe(0);
    expect(d.drained.ownerNameProperty).not.toBe('NODE1');
    expect(d.groupsAfterFailback).toEqual(d.groupsBefore);
    expect(d.node2OwnsAfterNoFailback).toBe(0);
    expect(d.states).toBe('NODE1=Up,NODE2=Up,NODE3=Up,NODE4=Up');
    expect(d.log).toEqual([
      'Suspend-ClusterNode NODE1 ok',
      'Resume-ClusterNode NODE1 ok',
      'Suspend-ClusterNode NODE2 ok',
      'Resume-ClusterNode NODE2 ok',
    ]);
  });

  it('upgrades a node when the operator is done with SConfig, and refuses the next drain until storage repair completes', () => {
    const s = observed('storage-gates-drain');
    expect(s.answer).toBe('done');
    expect(s.afterReboot).toEqual({ build: 25398, state: 'Paused' });
    expect(s.whileRepairing.message).toContain('ERROR_CLUSTER_SPACE_DEGRADED');
    // Three polls after the restart: Running, Running, then Completed.
    expect(s.runningPerPoll).toEqual([2, 2, 0, 0, 0]);
    expect(s.afterRepair).toBeNull();
    expect(s.node2).toBe('Paused');
  });

  it('keeps storage jobs running forever under the never-finish fault', () => {
    const s = observed('storage-never-finishes');
    expect(s.running).toBe(2);
    expect(s.poolHealth).toBe('Warning');
    expect(s.diskHealth).toBe('Warning');
  });

  it('leaves a node that never comes back Down and unreachable, and blocks draining another', () => {
    const n = observed('node-never-returns');
    expect(n.state).toBe('Down');
    expect(n.cim.errorId).toBe('CannotConnect,Get-CimInstance');
    expect(n.cimSilent).toBe(0);
    expect(n.resume.message).toContain('is down');
    expect(n.drainOther.message).toContain('ERROR_CLUSTER_SPACE_DEGRADED');
  });

  it('raises the functional level once, only with every node Up on the target build, and updates the pool only after it', () => {
    const f = observed('functional-level');
    expect(f.oldBuild.errorId).toBe('UpdateClusterFunctionalLevelFailed,Update-ClusterFunctionalLevel');
    expect(f.oldBuild.message).toContain('20349');
    expect(f.poolTooEarly.message).toContain('functional level');
    expect(f.paused.message).toContain("'NODE4' is Paused");
    expect(f.prompt.errorId).toBe('SimWouldPrompt,Update-ClusterFunctionalLevel');
    expect(f.after).toBeGreaterThan(f.before);
    expect(f.raises).toBe(1);
    expect(f.poolPrompt.errorId).toBe('SimWouldPrompt,Update-StoragePool');
    expect(f.poolWrongName.message).toContain("'S2D on other'");
    expect(f.poolAfter).toBeGreaterThan(f.poolBefore);
    expect(f.poolUpdates).toBe(1);
    // Waits cost no real time: per node, poll (3 -> 2 steps left), one 30 s wait (2 -> 1), poll (done).
    expect(f.clock).toBe(120);
    expect(f.now).toBe('2026-01-05T22:02:00');
  });

  it('fails cluster cmdlets while the cluster is stopped and starts only nodes whose cluster service is not disabled', () => {
    const o = observed('offline');
    expect(o.csvStates).toBe('Offline');
    expect(o.noForce.errorId).toBe('SimWouldPrompt,Stop-Cluster');
    expect(o.stopped.getNode.errorId).toBe('ClusterServiceNotRunning,Get-ClusterNode');
    expect(o.stopped.getNodeSilent).toBe(0);
    expect(o.stopped.remoteToCluster.errorId).toBe('CannotConnect,Invoke-Command');
    expect(o.stopped.storageViaCluster.errorId).toBe('CannotConnect,Get-StorageJob');
    expect(o.startType).toBe('Disabled');
    expect(o.startDisabled.errorId).toBe('ClusterQuorumNotAchieved,Start-Cluster');
    expect(o.startOneDisabled.message).toContain('NODE4');
    expect(o.states).toBe('NODE1=Up,NODE2=Up,NODE3=Up,NODE4=Down');
    expect(o.volumesWhileCsvOffline).toBe(0);
  });

  it('runs a rolling upgrade with CAU one node at a time', () => {
    const c = observed('cau-rolling');
    expect(c.scanTitles).toBe('Azure Stack HCI, version 23H2');
    expect(c.status).toBe('Succeeded');
    expect(c.builds).toBe(25398);
    expect(c.states).toBe('NODE1=Up,NODE2=Up,NODE3=Up,NODE4=Up');
    expect(c.drains).toBe(4);
    expect(c.drainsWhileOthersNotUp).toBe(0);
    expect(c.getCauRun).toBe('RunNotInProgress');
    expect(c.reportStatus).toBe('Succeeded');
  });

  it('leaves builds alone with the Windows Update plug-in', () => {
    const c = observed('cau-windows-update');
    expect(c.status).toBe('Succeeded');
    expect(c.builds).toBe(20349);
    expect(c.reboots).toEqual([1, 1, 1, 1]);
  });

  it('stops a CAU run at one failure more than MaxFailedNodes', () => {
    const c = observed('cau-too-many-failures');
    expect(c.error.errorId).toBe('UpdatingRunFailed,Invoke-CauRun');
    expect(c.error.message).toContain('MaxFailedNodes (1) exceeded');
    expect(c.run.status).toBe('Failed');
    expect(c.run.nodeResults.map((r: any) => r.node)).toEqual(['NODE1', 'NODE2']);
    expect(c.builds).toBe('NODE1=20349,NODE2=20349,NODE3=20349,NODE4=20349');
    expect(c.states).toBe('NODE1=Up,NODE2=Up,NODE3=Up,NODE4=Up');
    const p = observed('cau-partial');
    expect(p.status).toBe('PartiallyFailed');
    expect(p.failed).toEqual(['NODE3']);
  });

  it('fails a CAU run whose node does not come back, leaving that node Down', () => {
    const c = observed('cau-never-returns');
    expect(c.error.message).toContain('MaxFailedNodes (0) exceeded');
    expect(c.states).toBe('NODE1=Up,NODE2=Down,NODE3=Up,NODE4=Up');
    expect(c.run.nodeResults.map((r: any) => `${r.node}:${r.status}`)).toEqual(['NODE1:Succeeded', 'NODE2:Failed']);
  });

  it('cancels CAU runs that would prompt, lack firewall rules, or find a node not online', () => {
    const c = observed('cau-preconditions');
    expect(c.noForce.errorId).toBe('SimWouldPrompt,Invoke-CauRun');
    expect(c.noFirewall.message).toContain('-EnableFirewallRules');
    expect(c.notOnline.message).toContain('RequireAllNodesOnline: node(s) NODE3');
    expect(c.noWu.errorId).toBe('PluginArgumentInvalid,Invoke-CauScan');
    expect(c.runs).toBe(2);
  });

  it('runs remote script blocks on the node: $env:COMPUTERNAME, -ArgumentList, $using:, isolation, errors', () => {
    const r = observed('remoting');
    expect(r.viaCluster).toBe('NODE1');
    expect(r.args).toBe('x+y on NODE2');
    expect(r.using).toBe('using NODE3');
    expect(r.isolated).toBe(true);
    expect(r.fanOut).toEqual(['NODE1', 'NODE2', 'NODE4']);
    expect(r.nodeScoped).toBe('NODE4');
    expect(r.registration).toBe('Registered');
    expect(r.registrationLocal.errorId).toBe('NotAnHciNode,Get-AzureStackHCI');
    expect(r.firewallState).toEqual(['NODE2']);
    expect(r.remoteThrow.message).toBe('remote failure');
    expect(r.remoteThrowSilent).toBe(0);
    expect(r.missingUsing.errorId).toBe('UsingVariableIsUndefined,Invoke-Command');
    expect(r.unknownHost.errorId).toBe('CannotConnect,Invoke-Command');
    expect(r.orchestrator).toBe('MGMT01');
    expect(r.orchestratorOs).toContain('Windows Server 2022');
    expect(r.module).toBe(1);
  });

  it('answers prompts by the contract and records every answer', () => {
    const o = observed('operator');
    expect(o.confirm).toBe('yes');
    expect(o.manual).toBe('done');
    expect(o.declined).toBe('no');
    expect(o.badPrompt.errorId).toBe('SimPromptContract,Read-Host');
    expect(o.unknownStep.errorId).toBe('SimUnknownStep,Read-Host');
    expect(o.scripted).toBe('scripted answer');
    expect(o.gate).toBe('hci-cluster1');
    expect(o.violations).toBe(2);
    expect(o.transcript).toEqual([
      'review-validation|confirm|yes',
      'plan-window|manual|done',
      'update-functional-level|gate|no',
      '||(none: prompt does not follow the contract)',
      'no-such-step||(none: unknown step)',
      'update-functional-level|gate|scripted answer',
      'update-functional-level|gate|hci-cluster1',
    ]);
  });

  it('advances a simulated clock instead of sleeping', () => {
    const c = observed('clock');
    expect(c.elapsed).toBe(30.5);
    expect(c.given).toBe(2020);
    expect(c.sleeps).toBe(2);
  });
});
