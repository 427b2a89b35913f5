import { describe, expect, it } from 'vitest';
import { planAll, planVariant } from '../../src/model/plan.js';
import type { Runbook } from '../../src/model/runbook.js';
import { cauCommandLine } from '../../src/emitters/checklist/cau-command.js';
import { buildChecklistView, duration, MATRIX_ROWS, prose, type ChecklistView } from '../../src/emitters/checklist/view-model.js';
import { profilePath, scriptPath } from '../../src/emitters/layout.js';
import { loadBundledRunbook } from '../fixtures/load-bundled.js';
import { hostileRunbook } from '../fixtures/hostile-runbook.js';

const runbook = loadBundledRunbook();

function hashesFor(rb: Runbook, variantId: string): Map<string, string> {
  const plan = planAll(rb).find((p) => p.variant.id === variantId)!;
  const sha = new Map<string, string>([[scriptPath(rb, plan.variant), 'a'.repeat(64)]]);
  for (const phase of plan.phases) {
    for (const step of phase.steps) {
      if (step.kind === 'cau') sha.set(profilePath(rb, plan.variant, phase, step), 'b'.repeat(64));
    }
  }
  return sha;
}

function view(variantId: string, rb: Runbook = runbook): ChecklistView {
  const plan = planAll(rb).find((p) => p.variant.id === variantId)!;
  return buildChecklistView(plan, { sha256: hashesFor(rb, variantId) });
}

const steps = (v: ChecklistView) => v.phases.flatMap((p) => p.steps);

describe('checklist view model (bundled runbook)', () => {
  it.each(['cau-rolling', 'sconfig-manual', 'offline'])('%s: one point of no return, before the functional level is raised', (id) => {
    const v = view(id);
    const banners = steps(v).filter((s) => s.pointOfNoReturnBefore);
    expect(banners.map((s) => s.title)).toEqual(['Update the cluster functional level']);
    expect(v.rollback.hasPointOfNoReturn).toBe(true);
    expect(v.rollback.pointOfNoReturnNumber).toBe(banners[0]!.number);
    // Every irreversible step is marked, and only those.
    expect(steps(v).filter((s) => s.isIrreversible).map((s) => s.title)).toEqual([
      'Update the cluster functional level',
      'Update the storage pool',
      'Upgrade the VM configuration versions (optional)',
    ]);
    // Rolling back is possible up to and including the start of the first irreversible step, not after.
    const flags = steps(v).map((s) => s.beforePointOfNoReturn);
    const firstIndex = steps(v).indexOf(banners[0]!);
    expect(flags.slice(0, firstIndex + 1).every(Boolean)).toBe(true);
    expect(flags.slice(firstIndex + 1).some(Boolean)).toBe(false);
    expect(v.phases.at(-1)!.containsPointOfNoReturn).toBe(true);
    expect(v.phases.slice(0, -1).every((p) => p.beforePointOfNoReturn)).toBe(true);
  });

  it('derives what rolling back still means from the irreversible steps', () => {
    const r = view('cau-rolling').rollback;
    expect(r.functionalLevelNotRaised).toBe(true);
    expect(r.storagePoolNotUpdated).toBe(true);
    expect(r.vmVersionsUnchanged).toBe(true);
    // The rolling upgrade restarts servers before the point of no return; they can still go back.
    expect(r.serversUpgradedBefore).toBe(true);
    // All three are recognised operations, so none needs the author's reason as a separate item.
    expect(r.otherIrreversibleSteps).toEqual([]);
    expect(r.irreversibleSteps.find((s) => s.title.startsWith('Upgrade the VM'))!.whenParameter).toBe('UpdateVMVersions');
  });

  it('has no point of no return when no step is irreversible', () => {
    const rb = loadBundledRunbook();
    for (const phase of rb.phases) for (const step of phase.steps) delete step.irreversible;
    const v = view('offline', rb);
    expect(v.rollback.hasPointOfNoReturn).toBe(false);
    expect(steps(v).some((s) => s.pointOfNoReturnBefore)).toBe(false);
    expect(v.rollback.serversUpgradedBefore).toBe(false);
  });

  it('lists the script first, then the run profiles, with upper-case hashes and a Get-FileHash check', () => {
    const v = view('cau-rolling');
    expect(v.files[0]).toEqual({ name: 'azure-stack-hci-22h2-to-23h2.cau-rolling.ps1', sha256: 'A'.repeat(64), isScript: true });
    const names = v.files.slice(1).map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('profiles/cau-feature-update.run-feature-update.xml');
    for (const f of v.files) {
      expect(v.hashCheckCommand.text).toContain(`  '${f.name}' =\n    '${f.sha256}'`);
    }
    expect(v.hashCheckCommand.text).toContain('Get-FileHash -Algorithm SHA256 -LiteralPath');
    // Files of other variants are not listed.
    const other = view('offline');
    expect(other.files.map((f) => f.name)).toEqual(['azure-stack-hci-22h2-to-23h2.offline.ps1', 'profiles/scan-updates.scan-os-updates.xml']);
  });

  it('refuses to print a hash check for a file name that is not built from ids', () => {
    const plan = planAll(runbook)[0]!;
    const sha = new Map([[`${runbook.id}/${plan.variant.id}/evil'; Remove-Item x; '.ps1`, 'c'.repeat(64)]]);
    expect(() => buildChecklistView(plan, { sha256: sha })).toThrow(/unexpected file name/);
  });

  it('shows a CAU step as its Invoke-CauScan / Invoke-CauRun command line and profile file', () => {
    const run = steps(view('cau-rolling')).find((s) => s.title.startsWith('Run the feature update'))!;
    expect(run.kindLabel).toBe('CAU run');
    expect(run.cauProfile).toBe('profiles/cau-feature-update.run-feature-update.xml');
    expect(run.cauProfileSha256).toBe('b'.repeat(64));
    expect(run.cauCommand!.text).toBe(
      "Invoke-CauRun -ClusterName $ClusterName -Credential $Credential -CauPluginName 'Microsoft.RollingUpgradePlugin'" +
        " -CauPluginArguments @{ 'WuConnected' = 'true' } -MaxFailedNodes 0 -RequireAllNodesOnline -EnableFirewallRules",
    );
    const scan = steps(view('offline')).find((s) => s.kind === 'cau')!;
    expect(scan.cauCommand!.text).toBe(
      "Invoke-CauScan -ClusterName $ClusterName -Credential $Credential -CauPluginName 'Microsoft.WindowsUpdatePlugin'",
    );
  });

  it('quotes runbook values in the CAU command line and refuses odd option names', () => {
    const plan = planVariant(hostileRunbook(), hostileRunbook().variants[0]!);
    const step = plan.phases[0]!.steps.find((s) => s.kind === 'cau')!;
    if (step.kind !== 'cau') throw new Error('fixture');
    expect(cauCommandLine(step)).toBe(
      "Invoke-CauRun -ClusterName $ClusterName -Credential $Credential -CauPluginName 'Plugin''; Remove-Item C:\\ -Recurse; '''" +
        " -CauPluginArguments @{ ('Arg' + [char]0x2019) = ('it''s \"quoted\" ' + [char]0x2019 + 'too' + [char]0x2019) }" +
        ' -MaxFailedNodes 0 -RequireAllNodesOnline',
    );
    step.options.push({ name: 'X; Remove-Item', value: true });
    expect(() => cauCommandLine(step)).toThrow(/not a parameter name/);
  });

  it('lays out per-node phases as a matrix: a row per server, a column per step', () => {
    const v = view('sconfig-manual');
    const perNode = v.phases.find((p) => p.isPerNode)!;
    expect(perNode.scopeLabel).toBe('Each server in turn, one at a time');
    expect(perNode.matrixColumns.map((c) => c.number)).toEqual(perNode.steps.map((s) => s.number));
    expect(perNode.matrixRows).toHaveLength(MATRIX_ROWS);
    expect(perNode.matrixRows[2]!.cells).toHaveLength(perNode.steps.length);
    expect(perNode.steps.every((s) => !s.hasCheckbox)).toBe(true);
    const manual = perNode.matrixColumns.find((c) => c.isHumanStep)!;
    expect(manual.record.map((r) => r.label)).toEqual(['OS build after the restart']);
    for (const phase of v.phases.filter((p) => !p.isPerNode)) {
      expect(phase.matrixRows).toEqual([]);
      expect(phase.steps.every((s) => s.hasCheckbox)).toBe(true);
    }
    const parallel = view('offline').phases.find((p) => p.isParallel)!;
    expect(parallel.scopeLabel).toBe('Every server at the same time (up to 16 at once)');
  });

  it('shows waits with interval and timeout, manual instructions in order, and conditions', () => {
    const all = steps(view('sconfig-manual'));
    const wait = all.find((s) => s.kind === 'wait')!;
    expect([wait.waitInterval, wait.waitTimeout]).toEqual(['30 s', '4 h']);
    expect(wait.onTimeout![0]!.text).toMatch(/^Storage repair is still running/);
    const manual = all.find((s) => s.title.startsWith('Install the feature update with SConfig'))!;
    expect(manual.isHumanStep).toBe(true);
    expect(manual.reboots).toBe(true);
    expect(manual.instructions).toHaveLength(3);
    expect(manual.instructions[1]![0]!.text).toMatch(/^In SConfig, choose option 6/);
    expect(all.find((s) => s.whenParameter !== null)!.whenParameter).toBe('UpdateVMVersions');
    expect(all.find((s) => s.captureVariable !== null)!.captureVariable).toBe('FunctionalLevelBefore');
  });

  it('never offers a write-in value for a credential', () => {
    const params = view('offline').parameters;
    expect(params.find((p) => p.name === 'Credential')!.isCredential).toBe(true);
    expect(params.filter((p) => p.isCredential)).toHaveLength(1);
    expect(params.find((p) => p.name === 'SourceBuild')).toMatchObject({ hasDefault: true, defaultValue: '20349', constraint: 'at least 1' });
  });

  it('shows backtick spans in runbook prose as code', () => {
    expect(prose('as `Get-StoragePool -IsPrimordial $false` shows it')).toEqual([
      { text: 'as ', code: false },
      { text: 'Get-StoragePool -IsPrimordial $false', code: true },
      { text: ' shows it', code: false },
    ]);
    expect(prose('no code')).toEqual([{ text: 'no code', code: false }]);
    expect(prose('')).toEqual([{ text: '', code: false }]);
    expect(prose('an ` unpaired tick')).toEqual([{ text: 'an ` unpaired tick', code: false }]);
    const storagePool = view('offline').parameters.find((p) => p.name === 'StoragePoolName')!;
    expect(storagePool.description.filter((p) => p.code).map((p) => p.text)).toEqual(['Get-StoragePool -IsPrimordial $false']);
  });

  it('formats durations in readable units', () => {
    expect([duration(30), duration(240), duration(14400), duration(5400), duration(0), duration(3725)]).toEqual([
      '30 s',
      '4 min',
      '4 h',
      '1 h 30 min',
      '0 s',
      '1 h 2 min 5 s',
    ]);
  });

  it('draws the diagram with every phase, the variant\'s own solid and numbered', () => {
    const v = view('sconfig-manual');
    const current = v.diagram.boxes.filter((b) => b.current);
    expect(current).toHaveLength(v.phases.length);
    expect(current.map((b) => b.lines.map((l) => l.text).join(' ')).join('\n')).toContain('5. Perform a manual feature update');
    expect(v.diagram.columns.filter((c) => c.current)).toHaveLength(1);
    expect(v.diagram.arrows).toHaveLength(v.phases.length - 1);
    for (const box of v.diagram.boxes) {
      expect(box.x + box.width).toBeLessThanOrEqual(v.diagram.width);
      expect(box.y + box.height).toBeLessThanOrEqual(v.diagram.height);
    }
    expect(v.mermaid.nodes).toHaveLength(runbook.phases.length);
    expect(v.mermaid.nodes.filter((n) => n.current)).toHaveLength(v.phases.length);
    // The edge from the shared validation phase goes three ways, one per variant.
    const fromValidate = v.mermaid.edges.filter((e) => e.from === 'p5');
    expect(fromValidate.map((e) => e.label).sort()).toEqual(['cau-rolling', 'offline', 'sconfig-manual']);
  });
});
