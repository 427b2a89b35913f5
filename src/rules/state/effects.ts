/**
 * The vocabulary of effects on cluster state. docs/effects.md documents every name; a test keeps
 * the two in step. Authors declare effects the command catalog cannot infer with `effects:` on a step.
 */

export const EFFECTS = {
  'node.drain': 'The server is paused and its roles are moved to other servers (Suspend-ClusterNode -Drain -Wait).',
  'node.drain-start': 'The server is paused and its roles start moving to other servers; the drain goes on after the command returns (Suspend-ClusterNode -Drain without -Wait).',
  'node.drain-complete': 'A drain of the server that was started has completed (a wait or check on its DrainStatus being Completed).',
  'node.pause': 'The server is paused without moving its roles (Suspend-ClusterNode without -Drain).',
  'node.resume': 'The server leaves maintenance and takes roles again (Resume-ClusterNode).',
  'node.reboot': 'The server restarts (Restart-Computer, or a step with `reboots: true`).',
  'node.update-os': 'The server is brought to the target operating-system build.',
  'node.verify-os': 'The server is verified to run the target build.',
  'node.clussvc-disable': 'The cluster service (ClusSvc) is set to start Disabled on the server.',
  'node.clussvc-enable': 'The cluster service (ClusSvc) is set back to start Automatic on the server.',
  'cluster.stop': 'The cluster is stopped (Stop-Cluster); the storage pool goes offline.',
  'cluster.start': 'The cluster is started (Start-Cluster).',
  'cluster.disks-offline': 'The cluster shared volumes (virtual disks) are taken offline.',
  'cluster.disks-online': 'The cluster shared volumes (virtual disks) are brought back online.',
  'cluster.raise-functional-level': 'The cluster functional level is raised (Update-ClusterFunctionalLevel). Irreversible.',
  'cluster.update-pool': 'The storage pool version is updated (Update-StoragePool). Irreversible.',
  'vm.update-version': 'Virtual machine configuration versions are upgraded (Update-VMVersion). Irreversible.',
  'storage.repair-complete': 'Storage repair jobs have completed (a wait on Get-StorageJob).',
  'validate.cluster': 'The cluster was validated (Test-Cluster).',
  'validate.cau': 'The Cluster-Aware Updating setup was validated (Test-CauSetup).',
  'verify.nodes-on-target': 'Every server was verified to be Up and on the target build.',
  'verify.orchestrator-outside-cluster': 'The machine running the script was verified not to be a server of the cluster.',
  'cau.quality-update': 'A Cluster-Aware Updating run installs quality updates; CAU drains, restarts and resumes each server itself.',
  'cau.feature-update': 'A Cluster-Aware Updating run with the RollingUpgradePlugin brings every server to the target build, one at a time.',
  'config.change': 'A configuration change that is not part of the cluster state model (firewall rules, remoting, services other than ClusSvc).',
} as const;

export type KnownEffect = keyof typeof EFFECTS;

/** Author-declared pairs: `pair.open.<name>` must be followed by `pair.close.<name>` on every path. */
export const PAIR_OPEN = 'pair.open.';
export const PAIR_CLOSE = 'pair.close.';

export type EffectName = KnownEffect | `pair.open.${string}` | `pair.close.${string}`;

export function isKnownEffect(name: string): name is EffectName {
  return name in EFFECTS || (name.startsWith(PAIR_OPEN) && name.length > PAIR_OPEN.length) || (name.startsWith(PAIR_CLOSE) && name.length > PAIR_CLOSE.length);
}

/** Effects whose step cannot be undone. */
export const IRREVERSIBLE_EFFECTS: ReadonlySet<string> = new Set(['cluster.raise-functional-level', 'cluster.update-pool', 'vm.update-version']);

/** Effects that take a server out of service or change the cluster. */
export const DISRUPTIVE_EFFECTS: ReadonlySet<string> = new Set([
  'node.drain',
  'node.drain-start',
  'node.pause',
  'node.reboot',
  'node.update-os',
  'node.clussvc-disable',
  'cluster.stop',
  'cluster.disks-offline',
  'cluster.raise-functional-level',
  'cluster.update-pool',
  'vm.update-version',
  'cau.feature-update',
]);

/** Effects that take a server out of service: the model counts it down from then on (pause, drain), or while the step runs (restart, update). */
export const TAKES_NODE_DOWN: ReadonlySet<string> = new Set(['node.drain', 'node.drain-start', 'node.pause', 'node.reboot', 'node.update-os']);

/** Effects that only read or assert state. */
export const READ_ONLY_EFFECTS: ReadonlySet<string> = new Set([
  'storage.repair-complete',
  'node.drain-complete',
  'validate.cluster',
  'validate.cau',
  'verify.nodes-on-target',
  'verify.orchestrator-outside-cluster',
  'node.verify-os',
]);
