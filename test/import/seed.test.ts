import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunbookFile, checkRunbook } from '../../src/compile.js';
import { emitRunbook } from '../../src/emit.js';
import { importHowTo } from '../../src/parser/import/index.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { checkScript } from '../../src/rules/commands/check.js';

const SEED = 'test/fixtures/import/upgrade-22h2-to-23h2.md';
const work = mkdtempSync(join(tmpdir(), 'runbookc-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const imported = importHowTo(readFileSync(SEED, 'utf8'), SEED, 'draft.md');
const defects = imported.report.findings.filter((f) => f.category === 'defect');

/**
 * What an author does with the draft after reading the report: the edits its review markers and its
 * checks on the draft ask for (values the how-to leaves out, parameter names from the cmdlet
 * reference, gates and verifications the rules require, phases restricted to the variant they belong
 * to, the post-installation phase moved after every way of updating, the sample commands the
 * SConfig section repeats removed, a wait for the storage repair the CAU updating run leaves behind), then the markers and the draft flag deleted.
 */
function resolveDraft(draft: string): string {
  const edits: Array<[string, string]> = [
    ["running XXXX or higher", "running build 20349 or higher"],
    ["Enter-PSSession -ComputerName $ComputerIP -Credential $Credential", "Invoke-Command -ComputerName $ComputerIP -Credential $Credential -ScriptBlock { $env:COMPUTERNAME }"],
    ["Suspend-ClusterNode -Node $Node -Drain", "Suspend-ClusterNode -Name $Node -Drain"],
    // The how-to's own look at Get-ClusterGroup is the person waiting for the drain to finish (RB301).
    ["<!-- id: check-suspend-using-get-clustergroup-nothing -->", "<!-- id: check-suspend-using-get-clustergroup-nothing, effects: [node.drain-complete] -->"],
    ["Resume-ClusterNode -Node $Node -Failback\n", "Resume-ClusterNode -Name $Node -Failback Immediate\n"],
    ["<!-- id: install-feature-updates-using-powershell-on, scope: each-node -->", "<!-- id: install-feature-updates-using-powershell-on, scope: each-node, variants: [main] -->"],
    ["<!-- id: install-feature-updates-using-powershell, scope: cluster -->", "<!-- id: install-feature-updates-using-powershell, scope: cluster, variants: [main] -->"],
    ["<!-- id: check-on-the-status-of-an-updating-run, scope: cluster -->", "<!-- id: check-on-the-status-of-an-updating-run, scope: cluster, variants: [main] -->"],
    ["arguments:\n  WuConnected: \"true\"\noptions:\n  EnableFirewallRules: true\n", "arguments:\n  WuConnected: \"true\"\noptions:\n  EnableFirewallRules: true\n  MaxFailedNodes: 0\n"],
    ["### You'll need a separate server", "### This machine is outside the cluster\n<!-- id: outside-the-cluster -->\n\n```powershell check\n@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.Name -eq $env:COMPUTERNAME }).Count -eq 0\n```\n\n### You'll need a separate server"],
    ["### Update the cluster functional level\n", "### Every server is Up on the new build\n<!-- id: nodes-on-target, effects: [verify.nodes-on-target] -->\n\n```powershell check\n@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.State -ne 'Up' }).Count -eq 0\n```\n\n### Update the cluster functional level\n"],
    ["<!-- id: update-the-storage-pool -->\n\n", "<!-- id: update-the-storage-pool -->\n\n> [!WARNING]\n> A storage pool with the new version cannot be returned to the earlier version.\n\n"],
    ["<!-- id: run-the-sconfig-option-6-3-on-the-target-node -->", "<!-- id: run-the-sconfig-option-6-3-on-the-target-node, reboots: true, effects: [node.update-os] -->"],
    ["<!-- id: apply-the-windows-server-cumulative-update-and -->", "<!-- id: apply-the-windows-server-cumulative-update-and, effects: [node.update-os] -->"],
    ["<!-- id: stop-the-cluster-to-take-the-storage-pool -->", "<!-- id: stop-the-cluster-to-take-the-storage-pool, effects: [cluster.stop] -->"],
    ["<!-- id: start-the-cluster -->", "<!-- id: start-the-cluster, effects: [cluster.start] -->"],
    ["<!-- id: after-the-target-node-has-rebooted -->\n\n1. After the target node has rebooted, wait for the storage repair jobs to complete by running `Get-StorageJob` until there are no storage jobs or all storage jobs are completed.\n", "<!-- id: after-the-target-node-has-rebooted, timeoutMinutes: 240 -->\n\n```powershell wait\n@(Get-StorageJob -CimSession $ClusterName | Where-Object { $_.JobState -ne 'Completed' }).Count -eq 0\n```\n"],
    ["id: perform-a-fast-offline-update-of-all-servers-in-3\nscope: cluster\n", "id: perform-a-fast-offline-update-of-all-servers-in-3\nscope: each-node\nparallel:\n  throttle: 16\n"],
    ["## Install feature updates using PowerShell (on every server)", "### Wait for storage repair after the updating run\n<!-- id: repair-after-updating-run, timeoutMinutes: 240 -->\n\n```powershell wait\n@(Get-StorageJob -CimSession $ClusterName | Where-Object { $_.JobState -ne 'Completed' }).Count -eq 0\n```\n\n## Install feature updates using PowerShell (on every server)"],
    ["### Check for updates using PowerShell\n<!-- id: check-for-updates-using-powershell -->", "### Validate the cluster\n<!-- id: validate-first -->\n\n```powershell\nTest-Cluster -Cluster $ClusterName\n```\n\n### Check for updates using PowerShell\n<!-- id: check-for-updates-using-powershell -->"],
  ];
  let text = draft.replace(/<!-- review: [^\n]*-->\n\n/g, '').replace('draft: true\n', '');
  for (const [from, to] of edits) {
    expect(text, `the draft should contain ${JSON.stringify(from)}`).toContain(from);
    text = text.replace(from, to);
  }
  const section = (start: string, end: string) => [text.indexOf(start), text.indexOf(end)] as const;
  const [repeated, offline] = section('## When all the nodes are upgraded', '## Perform a fast, offline update');
  text = text.slice(0, repeated) + text.slice(offline);
  const [post, sconfig] = section('## Post-installation steps', '## Perform a manual feature update');
  return text.slice(0, post) + text.slice(sconfig) + '\n' + text.slice(post, sconfig);
}

describe('importing the seed how-to', () => {
  it('names the defects of the seed document where they are', () => {
    const at = (line: number, pattern: RegExp) => defects.find((f) => f.line === line && pattern.test(f.message));
    expect(at(239, /Misspelled cmdlet `Get-Storage-Job`.*`Get-StorageJob`/)).toBeDefined();
    expect(at(245, /Misspelled cmdlet `Update-ClusterFunctional Level`.*`Update-ClusterFunctionalLevel`/)).toBeDefined();
    expect(at(197, /Code fence .*PowerShell.* is never closed.*Closed it after line 198/)).toBeDefined();
    expect(at(233, /`-Node<node>`: the parameter `-Node` is glued/)).toBeDefined();
    expect(at(233, /Unknown parameter `-Node` of `Suspend-ClusterNode`, did you mean `-Name`\? \(not applied/)).toBeDefined();
    expect(at(55, /Placeholder `XXXX`/)).toBeDefined();
    // Every defect in the report is one a reader can find: it carries a review marker in the draft.
    for (const f of defects) expect(f.draftLine, f.message).toBeGreaterThan(0);
  });

  it('reports placeholders turned into parameters, steps without a command and sections taken for alternatives', () => {
    const messages = imported.report.findings.map((f) => `${f.category} ${f.message}`);
    expect(messages).toContain('inferred Placeholder `<ClusterName>` became the required string parameter `ClusterName` (`$ClusterName`)');
    expect(messages.some((m) => /^inferred Step `Run the SCONFIG option 6\.3 on the target node` has no command/.test(m))).toBe(true);
    expect(messages.some((m) => /^guessed Section `Perform a fast, offline update of all servers in a cluster` looks like another way/.test(m))).toBe(true);
    expect(messages.some((m) => /^unmapped `\[!INCLUDE\]` of `\.\.\/\.\.\/includes\/hci-applies-to-23h2-22h2\.md`/.test(m))).toBe(true);
    expect(messages.some((m) => /^unmapped Sample output \(`Console` block\) with 3 prompt line/.test(m))).toBe(true);
    expect(imported.reportText).toContain('## Defects in the source document');
  });

  it('writes a draft that says what the how-to does, marked as a draft', () => {
    const { document, diagnostics } = parseMarkdownRunbook(imported.draft, 'draft.md');
    expect(diagnostics.every((d) => d.ruleId === 'RB114' && d.severity === 'warning')).toBe(true);
    expect(diagnostics).toHaveLength(imported.report.findings.filter((f) => f.review !== undefined).length);
    const data = document!.data as { draft: boolean; phases: Array<{ scope: string; steps: Array<Record<string, unknown>> }> };
    expect(data.draft).toBe(true);
    const steps = data.phases.flatMap((p) => p.steps);
    const functionalLevel = steps.find((s) => s.title === 'Update the cluster functional level')!;
    expect(functionalLevel.run).toBe('Update-ClusterFunctionalLevel');
    expect((functionalLevel.irreversible as { reason: string }).reason).toMatch(/can't roll back/);
    expect(steps.find((s) => s.title === 'Run Suspend-ClusterNode')!.run).toBe('Suspend-ClusterNode -Node $Node -Drain');
    expect(steps.find((s) => s.title === 'Run Update-ClusterFunctionalLevel')!.run).toBe('Update-ClusterFunctionalLevel');
    expect(data.phases.find((p) => p.steps.some((s) => s.title === 'Run Suspend-ClusterNode'))!.scope).toBe('each-node');
    // CAU commands become cau steps, with the options the command gave and without -Force.
    expect(steps.find((s) => s.title === 'Install operating system updates using PowerShell')!.cau).toEqual({
      action: 'run',
      plugin: 'Microsoft.WindowsUpdatePlugin',
      options: { MaxFailedNodes: 1, MaxRetriesPerNode: 3, RequireAllNodesOnline: true, EnableFirewallRules: true },
    });
    expect(steps.find((s) => s.title === 'Check for the feature update')!.cau).toEqual({
      action: 'scan',
      plugin: 'Microsoft.RollingUpgradePlugin',
      arguments: { WuConnected: 'true' },
    });
  });

  it('lists what runbookc check finds in the draft, so the report asks for every edit', () => {
    const errors = imported.report.checks.filter((c) => c.severity === 'error').map((c) => c.ruleId);
    for (const id of ['RB304', 'RB309', 'RB401', 'RB402', 'RB403', 'RB503']) expect(errors).toContain(id);
    expect(imported.reportText).toContain('## Checks on the draft');
  });

  it('never builds the draft as imported', async () => {
    const file = join(work, 'as-imported.md');
    writeFileSync(file, imported.draft);
    const checked = await checkRunbook(file);
    // Every error is one the report already lists under its checks on the draft.
    for (const d of checked.diagnostics.filter((x) => x.severity === 'error')) {
      expect(imported.report.checks.some((c) => c.ruleId === d.ruleId && c.line === d.line && c.message === d.message), d.message).toBe(true);
    }
    expect(emitRunbook(checked.runbook!).diagnostics.map((d) => d.ruleId)).toEqual(['RB601']);
  });

  it('refuses unresolved review markers once the draft flag is removed', async () => {
    const file = join(work, 'flag-only.md');
    writeFileSync(file, imported.draft.replace('draft: true\n', ''));
    const checked = await checkRunbook(file);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((d) => d.ruleId))).toEqual(new Set(['RB114']));
  });

  it('compiles after the edits the report asks for', async () => {
    const file = join(work, 'resolved.md');
    writeFileSync(file, resolveDraft(imported.draft));
    const result = await buildRunbookFile(file, { outDir: join(work, 'out') });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.written.length).toBeGreaterThan(0);
    expect(result.runbook!.draft).toBe(false);
    for (const step of result.runbook!.phases.flatMap((p) => p.steps)) {
      if (step.kind === 'run') expect(checkScript(step.command.text).findings, step.command.text).toEqual([]);
    }
  });

  it('is deterministic', () => {
    const again = importHowTo(readFileSync(SEED, 'utf8'), SEED, 'draft.md');
    expect(again.draft).toBe(imported.draft);
    expect(again.reportText).toBe(imported.reportText);
  });
});
