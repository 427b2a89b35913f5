// Generates synthetic runbooks of a given number of steps, shaped like the bundled one: checks on
// the orchestrator, CAU scans and runs, per-node rolling phases (drain, wait for the drain and for
// storage, resume), an offline variant with parallel per-node phases, and irreversible
// post-installation steps.
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

const UP = "@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.State -ne 'Up' }).Count -eq 0";
const ON_TARGET = '[int](Get-CimInstance -ComputerName $Node -ClassName Win32_OperatingSystem).BuildNumber -eq $TargetBuild';
const check = (id) => ({ id, title: `Check ${id}`, check: '$PSVersionTable.PSVersion.Major -ge 5', failMessage: 'Use PowerShell 5.1.' });

/** One repetition of the procedure's middle: 14 steps over both variants, valid under every rule (test/bench-generate.test.ts). */
function block(n) {
  return [
    { id: `checks-${n}`, title: `Checks ${n}`, scope: 'orchestrator', steps: [check(`ps-${n}`), { id: `nodes-up-${n}`, title: 'Every node is up', check: UP }, { id: `window-${n}`, title: 'Plan the window', manual: ['Agree the window.', 'Take a backup.'], record: ['Window'] }] },
    { id: `scan-${n}`, title: `Scan ${n}`, scope: 'cluster', variants: ['rolling'], steps: [{ id: `scan-updates-${n}`, title: 'Scan', cau: { action: 'scan', plugin: 'Microsoft.WindowsUpdatePlugin' } }] },
    {
      id: `rolling-${n}`, title: `Rolling ${n}`, scope: 'each-node', variants: ['rolling'],
      steps: [
        { id: `drain-${n}`, title: 'Drain', run: 'Suspend-ClusterNode -Name $Node -Cluster $ClusterName -Drain', verify: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Paused'" },
        { id: `drained-${n}`, title: 'Drain complete', wait: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'", timeoutMinutes: 30, onTimeout: 'A role could not be moved off the server.' },
        { id: `update-${n}`, title: 'Update', reboots: true, manual: 'Run SConfig option 6.3 on the node.', verify: ON_TARGET },
        { id: `repair-${n}`, title: 'Storage repair', wait: "@(Get-StorageJob -CimSession $ClusterName | Where-Object { $_.JobState -ne 'Completed' }).Count -eq 0", timeoutMinutes: 240, intervalSeconds: 30 },
        { id: `resume-${n}`, title: 'Resume', run: 'Resume-ClusterNode -Name $Node -Cluster $ClusterName -Failback Immediate', verify: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Up'" },
      ],
    },
    { id: `stop-${n}`, title: `Stop ${n}`, scope: 'cluster', variants: ['offline'], steps: [{ id: `stop-cluster-${n}`, title: 'Stop the cluster', run: 'Stop-Cluster -Cluster $ClusterName -Force', verify: "@(Get-ClusterNode -Cluster $ClusterName -ErrorAction SilentlyContinue | Where-Object { $_.State -eq 'Up' }).Count -eq 0" }] },
    {
      id: `offline-${n}`, title: `Offline ${n}`, scope: 'each-node', variants: ['offline'], parallel: { throttle: 8 },
      steps: [
        { id: `disable-${n}`, title: 'Disable the cluster service', run: 'Set-Service -ComputerName $Node -Name ClusSvc -StartupType Disabled', verify: "(Get-Service -ComputerName $Node -Name ClusSvc).StartType -eq 'Disabled'" },
        { id: `apply-${n}`, title: 'Apply the update', reboots: true, manual: 'Install the update at the console and restart.', verify: ON_TARGET },
        { id: `enable-${n}`, title: 'Enable the cluster service', run: 'Set-Service -ComputerName $Node -Name ClusSvc -StartupType Automatic', verify: "(Get-Service -ComputerName $Node -Name ClusSvc).StartType -eq 'Automatic'" },
      ],
    },
    { id: `start-${n}`, title: `Start ${n}`, scope: 'cluster', variants: ['offline'], steps: [{ id: `start-cluster-${n}`, title: 'Start the cluster', run: 'Start-Cluster -Name $ClusterName', verify: UP }] },
  ];
}
const BLOCK_STEPS = 14;

const validate = { id: 'validate', title: 'Validate', scope: 'cluster', steps: [{ id: 'test-cluster', title: 'Validate the cluster', run: 'Test-Cluster -Cluster $ClusterName' }] };
const post = {
  id: 'post', title: 'Post-installation', scope: 'cluster',
  steps: [
    { id: 'all-on-target', title: 'Every node on target', effects: ['verify.nodes-on-target'], check: "@(Get-ClusterNode -Cluster $ClusterName | Where-Object { $_.State -ne 'Up' -or [int](Get-CimInstance -ComputerName $_.Name -ClassName Win32_OperatingSystem).BuildNumber -ne $TargetBuild }).Count -eq 0" },
    { id: 'level', title: 'Functional level', irreversible: { reason: 'No rollback afterwards.' }, run: 'Update-ClusterFunctionalLevel -Cluster $ClusterName -Force', verify: '(Get-Cluster -Name $ClusterName).ClusterFunctionalLevel -ge 11' },
    { id: 'pool', title: 'Storage pool', irreversible: { reason: 'No rollback afterwards.' }, run: 'Update-StoragePool -FriendlyName $StoragePoolName -CimSession $ClusterName -Confirm:$false', verify: "@(Get-StoragePool -CimSession $ClusterName -IsPrimordial $false | Where-Object { $_.HealthStatus -ne 'Healthy' }).Count -eq 0" },
  ],
};

/** A valid runbook of exactly `steps` steps (at least 4): validation, repeated blocks, filler checks, post-installation. */
export function generateRunbook(steps) {
  const doc = { ...header(steps), phases: [validate] };
  const blocks = Math.max(0, Math.floor((steps - 4) / BLOCK_STEPS));
  for (let i = 1; i <= blocks; i++) doc.phases.push(...block(i));
  const filler = steps - 4 - blocks * BLOCK_STEPS;
  if (filler > 0) doc.phases.push({ id: 'final-checks', title: 'Final checks', scope: 'orchestrator', steps: Array.from({ length: filler }, (_, i) => check(`final-${i + 1}`)) });
  // Without an update block nothing brings the servers to the target build, so the irreversible
  // steps would rightly be refused; a small runbook ends with checks instead.
  doc.phases.push(blocks > 0 ? post : { ...post, steps: post.steps.map((s) => check(s.id)) });
  return doc;
}

export function generateYaml(steps) {
  return YAML.stringify(generateRunbook(steps), { lineWidth: 0 });
}
