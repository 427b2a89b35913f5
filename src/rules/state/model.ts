/**
 * The abstract state of a cluster while a runbook runs, and how each effect changes it.
 *
 * The model knows only what the ordering and safety rules need: per server whether it is up,
 * paused or drained, whether its OS is the old or the new build (and verified), and how its
 * cluster service starts; for the cluster whether it runs, whether its disks are online, how often
 * the functional level and the pool were raised, and whether storage is still repairing.
 */
import type { Step } from '../../model/runbook.js';
import type { EffectName } from './effects.js';
import { PAIR_CLOSE, PAIR_OPEN } from './effects.js';

export interface NodeState {
  status: 'up' | 'paused' | 'drained';
  os: 'old' | 'new';
  /** Verified on the target build since its OS last changed. */
  verified: boolean;
  clusSvc: 'automatic' | 'disabled';
  /** The step that paused or drained the server, while it is not up. */
  downBy?: Step;
  clusSvcDisabledBy?: Step;
  /** Author-declared pairs opened on this server: pair name -> opening step. */
  openPairs: Record<string, Step>;
}

export interface ClusterState {
  running: boolean;
  stoppedBy?: Step;
  disksOnline: boolean;
  disksOfflineBy?: Step;
  /** How often the functional level was raised, and the first two steps that did it (enough to report a repeat). */
  functionalLevelRaises: number;
  functionalLevelRaisedBy: Step[];
  poolUpdates: number;
  poolUpdatedBy: Step[];
  /** A server came back while the cluster ran, and no wait for the storage jobs has followed. */
  repairing: boolean;
  repairStartedBy?: Step;
  validated: boolean;
  orchestratorChecked: boolean;
  /** Author-declared pairs opened at cluster level. */
  openPairs: Record<string, Step>;
}

export interface ClusterModel {
  nodes: NodeState[];
  cluster: ClusterState;
}

export function initialModel(nodeCount: number): ClusterModel {
  return {
    nodes: Array.from({ length: nodeCount }, () => ({ status: 'up' as const, os: 'old' as const, verified: false, clusSvc: 'automatic' as const, openPairs: {} })),
    cluster: {
      running: true,
      disksOnline: true,
      functionalLevelRaises: 0,
      functionalLevelRaisedBy: [],
      poolUpdates: 0,
      poolUpdatedBy: [],
      repairing: false,
      validated: false,
      orchestratorChecked: false,
      openPairs: {},
    },
  };
}

/** Servers out of service: paused, drained, or restarting now. */
export function nodesDown(m: ClusterModel, restarting: readonly number[] = []): number {
  let down = 0;
  for (let i = 0; i < m.nodes.length; i++) if (m.nodes[i]!.status !== 'up' || restarting.includes(i)) down++;
  return down;
}

/**
 * The model after one effect. Models are never changed in place: unchanged servers and the
 * unchanged cluster are shared with the previous model, so a trace can keep every intermediate
 * model at little cost. `nodes` are the servers a node effect applies to (the loop's current
 * server, or every server for a step that acts on the whole cluster); `pairScope` says whether
 * author-declared pairs are tracked per server (per-node phases) or for the cluster.
 */
export function applyEffect(m: ClusterModel, effect: EffectName, step: Step, nodes: readonly number[], pairScope: 'node' | 'cluster'): ClusterModel {
  const each = (f: (n: NodeState) => NodeState): ClusterModel => eachOf(m, nodes, f);
  const all = (f: (n: NodeState) => NodeState): ClusterModel => ({ ...m, nodes: m.nodes.map(f) });
  const cluster = (patch: Partial<ClusterState>): ClusterModel => ({ ...m, cluster: { ...m.cluster, ...patch } });

  if (effect.startsWith(PAIR_OPEN) || effect.startsWith(PAIR_CLOSE)) {
    const open = effect.startsWith(PAIR_OPEN);
    const name = effect.slice(open ? PAIR_OPEN.length : PAIR_CLOSE.length);
    const update = (pairs: Record<string, Step>) => {
      const copy = { ...pairs };
      if (open) copy[name] = step;
      else delete copy[name];
      return copy;
    };
    return pairScope === 'node' ? each((n) => ({ ...n, openPairs: update(n.openPairs) })) : cluster({ openPairs: update(m.cluster.openPairs) });
  }
  switch (effect) {
    case 'node.drain':
      return each((n) => ({ ...n, status: 'drained', downBy: step }));
    case 'node.pause':
      return each((n) => (n.status === 'up' ? { ...n, status: 'paused', downBy: step } : n));
    case 'node.resume':
      return each((n) => ({ ...(without(n, 'downBy') as unknown as NodeState), status: 'up' }));
    case 'node.reboot':
      return m.cluster.running ? cluster({ repairing: true, repairStartedBy: step }) : m;
    case 'node.update-os': {
      const updated = each((n) => ({ ...n, os: 'new', verified: false }));
      return m.cluster.running ? { ...updated, cluster: { ...updated.cluster, repairing: true, repairStartedBy: step } } : updated;
    }
    case 'node.verify-os':
      return each((n) => (n.os === 'new' ? { ...n, verified: true } : n));
    case 'verify.nodes-on-target':
      // Only servers the runbook has updated pass; the model does not let a check stand in for an update.
      return all((n) => (n.os === 'new' ? { ...n, verified: true } : n));
    case 'node.clussvc-disable':
      return each((n) => ({ ...n, clusSvc: 'disabled', clusSvcDisabledBy: step }));
    case 'node.clussvc-enable':
      return each((n) => ({ ...(without(n, 'clusSvcDisabledBy') as unknown as NodeState), clusSvc: 'automatic' }));
    case 'cluster.stop':
      return cluster({ running: false, stoppedBy: step });
    case 'cluster.start':
      return { ...m, cluster: { ...(without(m.cluster, 'stoppedBy') as unknown as ClusterState), running: true } };
    case 'cluster.disks-offline':
      return cluster({ disksOnline: false, disksOfflineBy: step });
    case 'cluster.disks-online':
      return { ...m, cluster: { ...(without(m.cluster, 'disksOfflineBy') as unknown as ClusterState), disksOnline: true } };
    case 'cluster.raise-functional-level':
      return cluster({
        functionalLevelRaises: m.cluster.functionalLevelRaises + 1,
        functionalLevelRaisedBy: m.cluster.functionalLevelRaisedBy.length < 2 ? [...m.cluster.functionalLevelRaisedBy, step] : m.cluster.functionalLevelRaisedBy,
      });
    case 'cluster.update-pool':
      return cluster({
        poolUpdates: m.cluster.poolUpdates + 1,
        poolUpdatedBy: m.cluster.poolUpdatedBy.length < 2 ? [...m.cluster.poolUpdatedBy, step] : m.cluster.poolUpdatedBy,
      });
    case 'storage.repair-complete':
      return { ...m, cluster: { ...(without(m.cluster, 'repairStartedBy') as unknown as ClusterState), repairing: false } };
    case 'validate.cluster':
    case 'validate.cau':
      return cluster({ validated: true });
    case 'verify.orchestrator-outside-cluster':
      return cluster({ orchestratorChecked: true });
    case 'cau.feature-update': {
      // CAU does not drain the next server while a clustered space is degraded (Invoke-CauRun
      // -SuspendClusterNodeTimeoutMinutes), but nothing waits for the repair that follows the last
      // server's restart: the run leaves storage repairing, as a manual restart does.
      const updated = all((n) => ({ ...n, os: 'new', verified: false }));
      return { ...updated, cluster: { ...updated.cluster, repairing: true, repairStartedBy: step } };
    }
    case 'cau.quality-update':
      return { ...m, cluster: { ...m.cluster, repairing: true, repairStartedBy: step } };
    case 'vm.update-version':
    case 'config.change':
      return m;
  }
  return m;
}

/** The model with `f` applied to the servers `nodes`; the other servers are shared. */
function eachOf(m: ClusterModel, nodes: readonly number[], f: (n: NodeState) => NodeState): ClusterModel {
  const next = m.nodes.slice();
  for (let i = 0; i < next.length; i++) if (nodes.includes(i)) next[i] = f(next[i]!);
  return { ...m, nodes: next };
}

/**
 * A copy of `o` without `key`, in the same property order. Copied property by property: a
 * `delete` would turn the copy, and every model copied from it later, into a slow dictionary object.
 */
function without<K extends keyof NodeState | keyof ClusterState>(o: object, key: K): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k in o) if (k !== key) copy[k] = (o as Record<string, unknown>)[k];
  return copy;
}
