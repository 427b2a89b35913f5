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
  /** `draining`: a drain was started (without `-Wait`) and nothing has waited for it to complete. */
  status: 'up' | 'paused' | 'draining' | 'drained';
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
    nodes: Array.from({ length: nodeCount }, () => copyNode({ status: 'up', os: 'old', verified: false, clusSvc: 'automatic', openPairs: {} })),
    cluster: copyCluster({
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
    }),
  };
}

const NONE: readonly number[] = Object.freeze([]);

/** Servers out of service: paused, drained, or restarting now. */
export function nodesDown(m: ClusterModel, restarting: readonly number[] = NONE): number {
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
 *
 * A runbook of 10,000 steps applies some 20,000 effects, and every model a trace keeps lives until
 * the rules have run: new states are made by `copyNode` and `copyCluster`, which give every copy
 * the same properties in the same order, and no closure is made per effect.
 */
export function applyEffect(m: ClusterModel, effect: EffectName, step: Step, nodes: readonly number[], pairScope: 'node' | 'cluster'): ClusterModel {
  if (effect.startsWith(PAIR_OPEN) || effect.startsWith(PAIR_CLOSE)) {
    const open = effect.startsWith(PAIR_OPEN);
    const name = effect.slice(open ? PAIR_OPEN.length : PAIR_CLOSE.length);
    if (pairScope === 'node') return eachOf(m, nodes, open ? 'pair.open' : 'pair.close', step, name);
    const cluster = copyCluster(m.cluster);
    cluster.openPairs = updatePairs(m.cluster.openPairs, open, name, step);
    return { nodes: m.nodes, cluster };
  }
  switch (effect) {
    case 'node.drain':
    case 'node.drain-start':
    case 'node.drain-complete':
    case 'node.pause':
    case 'node.resume':
    case 'node.verify-os':
    case 'node.clussvc-disable':
    case 'node.clussvc-enable':
      return eachOf(m, nodes, effect, step, '');
    case 'node.reboot':
      return m.cluster.running ? withRepairStarted(m.nodes, m.cluster, step) : m;
    case 'node.update-os': {
      const updated = eachOf(m, nodes, effect, step, '');
      return m.cluster.running ? withRepairStarted(updated.nodes, updated.cluster, step) : updated;
    }
    case 'verify.nodes-on-target':
      // Only servers the runbook has updated pass; the model does not let a check stand in for an update.
      return eachOf(m, 'all', 'node.verify-os', step, '');
    case 'cluster.stop':
      return withCluster(m, { running: false, stoppedBy: step });
    case 'cluster.start':
      return withCluster(m, { running: true, stoppedBy: undefined });
    case 'cluster.disks-offline':
      return withCluster(m, { disksOnline: false, disksOfflineBy: step });
    case 'cluster.disks-online':
      return withCluster(m, { disksOnline: true, disksOfflineBy: undefined });
    case 'cluster.raise-functional-level': {
      const cluster = copyCluster(m.cluster);
      cluster.functionalLevelRaises++;
      if (cluster.functionalLevelRaisedBy.length < 2) cluster.functionalLevelRaisedBy = [...cluster.functionalLevelRaisedBy, step];
      return { nodes: m.nodes, cluster };
    }
    case 'cluster.update-pool': {
      const cluster = copyCluster(m.cluster);
      cluster.poolUpdates++;
      if (cluster.poolUpdatedBy.length < 2) cluster.poolUpdatedBy = [...cluster.poolUpdatedBy, step];
      return { nodes: m.nodes, cluster };
    }
    case 'storage.repair-complete':
      return withCluster(m, { repairing: false, repairStartedBy: undefined });
    case 'validate.cluster':
    case 'validate.cau':
      return withCluster(m, { validated: true });
    case 'verify.orchestrator-outside-cluster':
      return withCluster(m, { orchestratorChecked: true });
    case 'cau.feature-update': {
      // CAU does not drain the next server while a clustered space is degraded (Invoke-CauRun
      // -SuspendClusterNodeTimeoutMinutes), but nothing waits for the repair that follows the last
      // server's restart: the run leaves storage repairing, as a manual restart does.
      const updated = eachOf(m, 'all', 'node.update-os', step, '');
      return withRepairStarted(updated.nodes, updated.cluster, step);
    }
    case 'cau.quality-update':
      return withRepairStarted(m.nodes, m.cluster, step);
    case 'vm.update-version':
    case 'config.change':
      return m;
  }
  return m;
}

type NodeEffect = 'node.drain' | 'node.drain-start' | 'node.drain-complete' | 'node.pause' | 'node.resume' | 'node.update-os' | 'node.verify-os' | 'node.clussvc-disable' | 'node.clussvc-enable' | 'pair.open' | 'pair.close';

/** The model with `effect` applied to the servers `nodes` (or every server); the other servers are shared. */
function eachOf(m: ClusterModel, nodes: readonly number[] | 'all', effect: NodeEffect, step: Step, pair: string): ClusterModel {
  let next: NodeState[] | undefined;
  for (let i = 0; i < m.nodes.length; i++) {
    if (nodes !== 'all' && !nodes.includes(i)) continue;
    const before = m.nodes[i]!;
    const after = changeNode(before, effect, step, pair);
    if (after === before) continue;
    next ??= m.nodes.slice();
    next[i] = after;
  }
  return { nodes: next ?? m.nodes, cluster: m.cluster };
}

/** One server after a node effect: a copy, or the same state when the effect leaves it as it is. */
function changeNode(n: NodeState, effect: NodeEffect, step: Step, pair: string): NodeState {
  switch (effect) {
    case 'node.drain':
      return withNode(n, { status: 'drained', downBy: step });
    case 'node.drain-start':
      return withNode(n, { status: 'draining', downBy: step });
    case 'node.drain-complete':
      return n.status === 'draining' ? withNode(n, { status: 'drained' }) : n;
    case 'node.pause':
      return n.status === 'up' ? withNode(n, { status: 'paused', downBy: step }) : n;
    case 'node.resume':
      return withNode(n, { status: 'up', downBy: undefined });
    case 'node.update-os':
      return withNode(n, { os: 'new', verified: false });
    case 'node.verify-os':
      return n.os === 'new' ? withNode(n, { verified: true }) : n;
    case 'node.clussvc-disable':
      return withNode(n, { clusSvc: 'disabled', clusSvcDisabledBy: step });
    case 'node.clussvc-enable':
      return withNode(n, { clusSvc: 'automatic', clusSvcDisabledBy: undefined });
    case 'pair.open':
    case 'pair.close': {
      const c = copyNode(n);
      c.openPairs = updatePairs(n.openPairs, effect === 'pair.open', pair, step);
      return c;
    }
  }
}

function withRepairStarted(nodes: NodeState[], from: ClusterState, step: Step): ClusterModel {
  const cluster = copyCluster(from);
  cluster.repairing = true;
  cluster.repairStartedBy = step;
  return { nodes, cluster };
}

function updatePairs(pairs: Record<string, Step>, open: boolean, name: string, step: Step): Record<string, Step> {
  const copy = { ...pairs };
  if (open) copy[name] = step;
  else delete copy[name];
  return copy;
}

/** A copy of a server's state with every property, in one order (a step not set is `undefined`). */
function copyNode(n: NodeState): NodeState {
  return { status: n.status, os: n.os, verified: n.verified, clusSvc: n.clusSvc, downBy: n.downBy, clusSvcDisabledBy: n.clusSvcDisabledBy, openPairs: n.openPairs };
}

/** A copy of a server's state with these fields changed. */
function withNode(n: NodeState, changes: Partial<NodeState>): NodeState {
  return Object.assign(copyNode(n), changes);
}

/** The model with these fields of the cluster changed, in a new cluster state (the old one stays with earlier events). */
function withCluster(m: ClusterModel, changes: Partial<ClusterState>): ClusterModel {
  return { nodes: m.nodes, cluster: Object.assign(copyCluster(m.cluster), changes) };
}

/** A copy of the cluster's state with every property, in one order (a step not set is `undefined`). */
function copyCluster(c: ClusterState): ClusterState {
  return {
    running: c.running,
    stoppedBy: c.stoppedBy,
    disksOnline: c.disksOnline,
    disksOfflineBy: c.disksOfflineBy,
    functionalLevelRaises: c.functionalLevelRaises,
    functionalLevelRaisedBy: c.functionalLevelRaisedBy,
    poolUpdates: c.poolUpdates,
    poolUpdatedBy: c.poolUpdatedBy,
    repairing: c.repairing,
    repairStartedBy: c.repairStartedBy,
    validated: c.validated,
    orchestratorChecked: c.orchestratorChecked,
    openPairs: c.openPairs,
  };
}
