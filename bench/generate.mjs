// Generates synthetic runbooks of a given number of steps, shaped like the bundled one: checks on
// the orchestrator, CAU scans and runs, per-node rolling phases (drain, wait for storage, resume),
// an offline variant with parallel per-node phases, and irreversible post-installation steps.
import YAML from 'yaml';

const header = (steps) => ({
  runbook: `bench-${steps}`,
  title: `Synthetic runbook with ${steps} steps`,
  version: '1.0.0',
  summary: 'A generated runbook for measuring runbookc.',
  cluster: { maxNodesDown: 1 },
  parameters: {
    ClusterName: { type: 'string', required: true, description: 'Cluster to act on.', pattern: '^[A-Za-z0-9-]+$' },
    Credential: { type: 'credential', description: 'Administrator account.' },
    TargetBuild: { type: 'int', default: 25398, minimum: 1, description: 'Target OS build.' },
    StoragePoolName: { type: 'string', default: 'S2D on cluster', description: 'Storage pool.' },
  },
  variants: {
    rolling: { title: 'Rolling', description: 'One node at a time.' },
    offline: { title: 'Offline', description: 'All nodes at once.' },
  },
});

/** Blocks of steps, repeated until the runbook has `steps` steps (the last block is cut to fit). */
function blocks(i) {
  const n = `${i}`;
  return [
    {
      id: `checks-${n}`, title: `Checks ${n}`, scope: 'orchestrator',
      steps: [
        { id: `ps-version-${n}`, title: 'PowerShell version', check: '$PSVersionTable.PSVersion.Major -ge 5', failMessage: 'Use PowerShell 5.1.' },
        { id: `nodes-up-${n}`, title: 'Every node is up', check: "@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.State -ne 'Up' }).Count -eq 0" },
        { id: `window-${n}`, title: 'Plan the window', manual: ['Agree the window.', 'Take a backup.'], record: ['Window'] },
      ],
    },
    {
      id: `cau-${n}`, title: `CAU ${n}`, scope: 'cluster', variants: ['rolling'],
      steps: [
        { id: `validate-${n}`, title: 'Validate', run: 'Test-CauSetup -ClusterName $ClusterName -Credential $Credential' },
        { id: `scan-${n}`, title: 'Scan', cau: { action: 'scan', plugin: 'Microsoft.WindowsUpdatePlugin' } },
        { id: `run-${n}`, title: 'Run', cau: { action: 'run', plugin: 'Microsoft.WindowsUpdatePlugin', options: { MaxFailedNodes: 1, MaxRetriesPerNode: 3, RequireAllNodesOnline: true } }, verify: "@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.State -ne 'Up' }).Count -eq 0" },
      ],
    },
    {
      id: `rolling-${n}`, title: `Rolling ${n}`, scope: 'each-node', variants: ['rolling'],
      steps: [
        { id: `drain-${n}`, title: 'Drain', run: 'Suspend-ClusterNode -Name $Node -Cluster $ClusterName -Drain -Wait', verify: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Paused'" },
        { id: `update-${n}`, title: 'Update', reboots: true, manual: 'Run SConfig option 6.3 on the node.', verify: '[int](Get-CimInstance -ComputerName $Node -ClassName Win32_OperatingSystem).BuildNumber -eq $TargetBuild' },
        { id: `repair-${n}`, title: 'Storage repair', wait: "@(Get-StorageJob -CimSession $ClusterName | Where-Object { $_.JobState -ne 'Completed' }).Count -eq 0", timeoutMinutes: 240, intervalSeconds: 30 },
        { id: `resume-${n}`, title: 'Resume', run: 'Resume-ClusterNode -Name $Node -Cluster $ClusterName -Failback Immediate', verify: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Up'" },
      ],
    },
    {
      id: `offline-${n}`, title: `Offline ${n}`, scope: 'each-node', variants: ['offline'], parallel: { throttle: 8 },
      steps: [
        { id: `disable-${n}`, title: 'Disable the cluster service', run: 'Set-Service -ComputerName $Node -Name ClusSvc -StartupType Disabled' },
        { id: `enable-${n}`, title: 'Enable the cluster service', run: 'Set-Service -ComputerName $Node -Name ClusSvc -StartupType Automatic' },
      ],
    },
    {
      id: `post-${n}`, title: `Post ${n}`, scope: 'cluster',
      steps: [
        { id: `confirm-${n}`, title: 'Confirm', confirm: 'Is every node on the target build?' },
        { id: `level-${n}`, title: 'Functional level', irreversible: { reason: 'No rollback afterwards.' }, run: 'Update-ClusterFunctionalLevel -Cluster $ClusterName -Force' },
        { id: `pool-${n}`, title: 'Storage pool', irreversible: { reason: 'No rollback afterwards.' }, run: 'Update-StoragePool -FriendlyName $StoragePoolName -CimSession $ClusterName -Confirm:$false' },
        { id: `test-${n}`, title: 'Validate', run: 'Test-Cluster -Cluster $ClusterName' },
      ],
    },
  ];
}

export function generateRunbook(steps) {
  const doc = { ...header(steps), phases: [] };
  let count = 0;
  for (let i = 1; count < steps; i++) {
    for (const phase of blocks(i)) {
      if (count >= steps) break;
      const take = phase.steps.slice(0, steps - count);
      doc.phases.push({ ...phase, steps: take });
      count += take.length;
    }
  }
  return doc;
}

export function generateYaml(steps) {
  return YAML.stringify(generateRunbook(steps), { lineWidth: 0 });
}
