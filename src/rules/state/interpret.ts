/**
 * Runs a variant plan against the abstract cluster model, from start to end, on every path.
 *
 * A path is one assignment of the bool parameters that steps depend on (`when`). Per-node phases
 * are taken for every server of a model cluster: one server after the other, or all servers at
 * once for a phase with `parallel`. The result is a trace that ordering and safety rules read.
 */
import type { Phase, Step } from '../../model/runbook.js';
import type { VariantPlan } from '../../model/plan.js';
import { applyEffect, initialModel, nodesDown, type ClusterModel } from './model.js';
import { TAKES_NODE_DOWN } from './effects.js';
import { effectsOfStep, type EffectUse } from './step-effects.js';

/** One effect as it was applied, with the model just before it. */
export interface AppliedEffect {
  effect: EffectUse;
  before: ClusterModel;
}

export interface TraceEvent {
  step: Step;
  phase: Phase;
  /** The servers the step acts on: the loop's current server, or every server. */
  nodes: number[];
  /** The server of a one-at-a-time loop, when the step runs inside one. */
  loopNode?: number;
  /** Set for steps of an each-node phase that runs on several servers at once. */
  parallel?: { throttle: number };
  before: ClusterModel;
  applied: AppliedEffect[];
  /** Servers out of service while the step runs (the cluster running). */
  downDuring: number;
}

export interface Trace {
  plan: VariantPlan;
  /** The `when` parameters of this path; empty when no step depends on one. */
  valuation: Record<string, boolean>;
  nodeCount: number;
  events: TraceEvent[];
  final: ClusterModel;
}

/** At most this many `when` parameters are combined exhaustively; beyond it, all-true and all-false. */
const MAX_EXHAUSTIVE_CONDITIONS = 4;

/** A model cluster large enough that one-at-a-time and all-at-once differ, whatever the tolerance. */
export function modelNodeCount(plan: VariantPlan): number {
  return Math.max(3, plan.runbook.cluster.maxNodesDown + 2);
}

export function interpretPlan(plan: VariantPlan): Trace[] {
  const conditions = [...new Set(plan.phases.flatMap((p) => p.steps.map((s) => s.when).filter((w): w is string => w !== undefined)))].sort();
  // A step's effects do not depend on the path or on the server: found once, for every path.
  const effects = plan.phases.map((p) => p.steps.map(effectsOfStep));
  return valuations(conditions).map((valuation) => interpretPath(plan, effects, valuation));
}

function valuations(conditions: string[]): Array<Record<string, boolean>> {
  if (conditions.length === 0) return [{}];
  const all = (v: boolean) => Object.fromEntries(conditions.map((c) => [c, v]));
  if (conditions.length > MAX_EXHAUSTIVE_CONDITIONS) return [all(true), all(false)];
  const out: Array<Record<string, boolean>> = [];
  // All-true first: the path rules describe first when several paths share a finding.
  for (let mask = 0; mask < 1 << conditions.length; mask++) {
    out.push(Object.fromEntries(conditions.map((c, i) => [c, (mask & (1 << i)) === 0])));
  }
  return out;
}

/** The `applied` of every event whose step has no effect (traces are read-only). */
const NOTHING_APPLIED: AppliedEffect[] = Object.freeze([]) as unknown as AppliedEffect[];
const NO_NODES: readonly number[] = Object.freeze([]);

/** `effects[p][s]`: the effects of step s of phase p of the plan. */
function interpretPath(plan: VariantPlan, effects: ReadonlyArray<ReadonlyArray<readonly EffectUse[]>>, valuation: Record<string, boolean>): Trace {
  const nodeCount = modelNodeCount(plan);
  // Node lists are shared by the events that act on the same servers; traces are read-only.
  const everyNode = Object.freeze(Array.from({ length: nodeCount }, (_, i) => i)) as number[];
  const eachNode = everyNode.map((i) => Object.freeze([i]) as number[]);
  let model = initialModel(nodeCount);
  const events: TraceEvent[] = [];
  const runs = (s: Step) => s.when === undefined || valuation[s.when] === true;

  const runStep = (phase: Phase, step: Step, stepEffects: readonly EffectUse[], nodes: number[], loopNode?: number) => {
    const before = model;
    let applied = NOTHING_APPLIED;
    // Only effects that take a server down count: a resume that ends with others still down is not the cause.
    let downDuring = 0;
    if (stepEffects.length > 0) {
      // Sized up front: a list grown by push keeps room for 17 entries, and every event's list
      // lives as long as the trace.
      applied = new Array<AppliedEffect>(stepEffects.length);
      const pairScope = phase.scope === 'each-node' ? 'node' : 'cluster';
      let restarting = false;
      for (let i = 0; i < stepEffects.length; i++) {
        const effect = stepEffects[i]!;
        applied[i] = { effect, before: model };
        if (effect.name === 'node.reboot' || effect.name === 'node.update-os') restarting = true;
        model = applyEffect(model, effect.name, step, nodes, pairScope);
        if (TAKES_NODE_DOWN.has(effect.name) && model.cluster.running) downDuring = Math.max(downDuring, nodesDown(model, restarting ? nodes : NO_NODES));
      }
    }
    const event: TraceEvent = { step, phase, nodes, before, applied, downDuring };
    if (loopNode !== undefined) event.loopNode = loopNode;
    // The phase's own `{ throttle }`, shared by its events.
    if (phase.scope === 'each-node' && phase.parallel) event.parallel = phase.parallel;
    events.push(event);
  };

  for (let p = 0; p < plan.phases.length; p++) {
    const phase = plan.phases[p]!;
    const phaseEffects = effects[p]!;
    const steps: number[] = [];
    for (let s = 0; s < phase.steps.length; s++) if (runs(phase.steps[s]!)) steps.push(s);
    // Indexed loops: this runs for every step on every model server, mostly before the optimizing
    // compiler has caught up, where a for...of pays for the iterator protocol each time.
    if (phase.scope !== 'each-node') {
      for (let k = 0; k < steps.length; k++) runStep(phase, phase.steps[steps[k]!]!, phaseEffects[steps[k]!]!, everyNode);
    } else if (phase.parallel) {
      const batch = Math.min(phase.parallel.throttle, nodeCount);
      for (let first = 0; first < nodeCount; first += batch) {
        const nodes = first === 0 && batch === nodeCount ? everyNode : (Object.freeze(everyNode.slice(first, first + batch)) as number[]);
        for (let k = 0; k < steps.length; k++) runStep(phase, phase.steps[steps[k]!]!, phaseEffects[steps[k]!]!, nodes);
      }
    } else {
      for (let node = 0; node < nodeCount; node++) {
        for (let k = 0; k < steps.length; k++) runStep(phase, phase.steps[steps[k]!]!, phaseEffects[steps[k]!]!, eachNode[node]!, node);
      }
    }
  }
  return { plan, valuation, nodeCount, events, final: model };
}
