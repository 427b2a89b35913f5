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
  functionalLevelRaises: Step[];
  poolUpdates: Step[];
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
      functionalLevelRaises: [],
      poolUpdates: [],
      repairing: false,
      validated: false,
      orchestratorChecked: false,
      openPairs: {},
    },
  };
}

/** A copy that shares the (frozen) step objects but nothing mutable. */
export function cloneModel(m: ClusterModel): ClusterModel {
  return {
    nodes: m.nodes.map((n) => ({ ...n, openPairs: { ...n.openPairs } })),
    cluster: { ...m.cluster, functionalLevelRaises: [...m.cluster.functionalLevelRaises], poolUpdates: [...m.cluster.poolUpdates], openPairs: { ...m.cluster.openPairs } },
  };
}

/** Servers out of service: paused, drained, or restarting now. */
export function nodesDown(m: ClusterModel, restarting: readonly number[] = []): number {
  return m.nodes.filter((n, i) => n.status !== 'up' || restarting.includes(i)).length;
}

/**
 * Applies one effect. `nodes` are the servers a node effect applies to (the loop's current server,
 * or every server for a step that acts on the whole cluster); `pairScope` says whether
 * author-declared pairs are tracked per server (per-node phases) or for the cluster.
 */
export function applyEffect(m: ClusterModel, effect: EffectName, step: Step, nodes: readonly number[], pairScope: 'node' | 'cluster'): void {
  const each = (f: (n: NodeState) => void) => nodes.forEach((i) => f(m.nodes[i]!));
  if (effect.startsWith(PAIR_OPEN) || effect.startsWith(PAIR_CLOSE)) {
    const open = effect.startsWith(PAIR_OPEN);
    const name = effect.slice(open ? PAIR_OPEN.length : PAIR_CLOSE.length);
    const targets = pairScope === 'node' ? nodes.map((i) => m.nodes[i]!.openPairs) : [m.cluster.openPairs];
    for (const pairs of targets) {
      if (open) pairs[name] = step;
      else delete pairs[name];
    }
    return;
  }
  switch (effect) {
    case 'node.drain':
      each((n) => {
        n.status = 'drained';
        n.downBy = step;
      });
      break;
    case 'node.pause':
      each((n) => {
        if (n.status === 'up') {
          n.status = 'paused';
          n.downBy = step;
        }
      });
      break;
    case 'node.resume':
      each((n) => {
        n.status = 'up';
        delete n.downBy;
      });
      break;
    case 'node.reboot':
      if (m.cluster.running) startRepair(m, step);
      break;
    case 'node.update-os':
      each((n) => {
        n.os = 'new';
        n.verified = false;
      });
      if (m.cluster.running) startRepair(m, step);
      break;
    case 'node.verify-os':
      each((n) => {
        if (n.os === 'new') n.verified = true;
      });
      break;
    case 'verify.nodes-on-target':
      // Only servers the runbook has updated pass; the model does not let a check stand in for an update.
      m.nodes.forEach((n) => {
        if (n.os === 'new') n.verified = true;
      });
      break;
    case 'node.clussvc-disable':
      each((n) => {
        n.clusSvc = 'disabled';
        n.clusSvcDisabledBy = step;
      });
      break;
    case 'node.clussvc-enable':
      each((n) => {
        n.clusSvc = 'automatic';
        delete n.clusSvcDisabledBy;
      });
      break;
    case 'cluster.stop':
      m.cluster.running = false;
      m.cluster.stoppedBy = step;
      break;
    case 'cluster.start':
      m.cluster.running = true;
      delete m.cluster.stoppedBy;
      break;
    case 'cluster.disks-offline':
      m.cluster.disksOnline = false;
      m.cluster.disksOfflineBy = step;
      break;
    case 'cluster.disks-online':
      m.cluster.disksOnline = true;
      delete m.cluster.disksOfflineBy;
      break;
    case 'cluster.raise-functional-level':
      m.cluster.functionalLevelRaises.push(step);
      break;
    case 'cluster.update-pool':
      m.cluster.poolUpdates.push(step);
      break;
    case 'storage.repair-complete':
      m.cluster.repairing = false;
      delete m.cluster.repairStartedBy;
      break;
    case 'validate.cluster':
    case 'validate.cau':
      m.cluster.validated = true;
      break;
    case 'verify.orchestrator-outside-cluster':
      m.cluster.orchestratorChecked = true;
      break;
    case 'cau.feature-update':
      m.nodes.forEach((n) => {
        n.os = 'new';
        n.verified = false;
      });
      // CAU does not drain the next server while a clustered space is degraded (Invoke-CauRun
      // -SuspendClusterNodeTimeoutMinutes), so no repair is left pending for the runbook to wait on.
      m.cluster.repairing = false;
      break;
    case 'cau.quality-update':
      m.cluster.repairing = false;
      break;
    case 'vm.update-version':
    case 'config.change':
      break;
  }
}

function startRepair(m: ClusterModel, step: Step): void {
  m.cluster.repairing = true;
  m.cluster.repairStartedBy = step;
}
