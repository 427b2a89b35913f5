/**
 * A reviewer's diff of two runbooks at the plan level, per variant: steps added, removed or moved;
 * what changed in the steps both have (scope, irreversibility, gates, commands, ...); and where the
 * point of no return went. Pure: IR in, a description of the differences out.
 *
 * A step is identified by its phase id and step id. A step whose id is in another phase than before
 * is reported as moved between phases; a step that keeps its phase but changes position relative
 * to the steps around it (outside the longest common order) is reported as moved.
 */
import { planAll, type VariantPlan } from '../model/plan.js';
import type { Parameter, Phase, Runbook, Step } from '../model/runbook.js';

export interface StepRef {
  phaseId: string;
  stepId: string;
  /** "phase.step" numbering within the variant, as the checklist shows it. */
  number: string;
  title: string;
  kind: Step['kind'];
  irreversible: boolean;
  /** A confirm step, or a check: the run stops there unless it holds. */
  gate: boolean;
}

export type ChangeArea = 'scope' | 'irreversibility' | 'gate' | 'command' | 'other';

export interface FieldChange {
  field: string;
  area: ChangeArea;
  before: string;
  after: string;
  /** Shown as a line diff of PowerShell rather than inline values. */
  isCode: boolean;
}

export interface StepChange {
  before: StepRef;
  after: StepRef;
  changes: FieldChange[];
}

export interface StepMove {
  before: StepRef;
  after: StepRef;
  betweenPhases: boolean;
}

export interface PhaseChange {
  phaseId: string;
  title: string;
  changes: FieldChange[];
}

export interface PlanDiff {
  variantId: string;
  variantTitle: string;
  phasesAdded: Array<{ id: string; title: string }>;
  phasesRemoved: Array<{ id: string; title: string }>;
  phaseChanges: PhaseChange[];
  stepsAdded: StepRef[];
  stepsRemoved: StepRef[];
  stepsMoved: StepMove[];
  stepChanges: StepChange[];
  pointOfNoReturn: { before: StepRef | null; after: StepRef | null; changed: boolean };
}

export interface ParameterChange {
  name: string;
  changes: FieldChange[];
}

export interface RunbookDiff {
  runbookId: string;
  title: string;
  versionBefore: string;
  versionAfter: string;
  header: FieldChange[];
  variantsAdded: Array<{ id: string; title: string }>;
  variantsRemoved: Array<{ id: string; title: string }>;
  parametersAdded: string[];
  parametersRemoved: string[];
  parameterChanges: ParameterChange[];
  plans: PlanDiff[];
}

const key = (phaseId: string, stepId: string): string => `${phaseId}/${stepId}`;

function refs(plan: VariantPlan): StepRef[] {
  return plan.phases.flatMap((phase, p) =>
    phase.steps.map((step, s) => ({
      phaseId: phase.id,
      stepId: step.id,
      number: `${p + 1}.${s + 1}`,
      title: step.title,
      kind: step.kind,
      irreversible: step.irreversible !== undefined,
      gate: step.kind === 'confirm' || step.kind === 'check',
    })),
  );
}

/** Longest common subsequence of two key lists (steps are few; quadratic is fine). */
function commonOrder(a: string[], b: string[]): Set<string> {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function change(field: string, area: ChangeArea, before: string, after: string, isCode = false): FieldChange[] {
  return before === after ? [] : [{ field, area, before, after, isCode }];
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** What a step runs, as one text per command-like field, so that any edit shows as a line diff. */
function commandFields(step: Step): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  switch (step.kind) {
    case 'run':
      fields.push(['command', step.command.text]);
      break;
    case 'check':
      fields.push(['check', step.assert.text]);
      break;
    case 'wait':
      fields.push(['wait until', step.until.text]);
      break;
    case 'cau':
      fields.push(['CAU action', step.action]);
      fields.push(['CAU plug-ins', step.plugins.map((p) => `${p.name} ${p.arguments.map((a) => `${a.name}=${a.value}`).join(' ')}`.trim()).join('\n')]);
      fields.push(['CAU options', step.options.map((o) => `${o.name}=${String(o.value)}`).join('\n')]);
      break;
    case 'manual':
      fields.push(['instructions', step.instructions.map((line, i) => `${i + 1}. ${line}`).join('\n')]);
      break;
    case 'confirm':
      break;
  }
  fields.push(['verify', step.verify?.text ?? '']);
  fields.push(['already-done probe', step.probe?.text ?? '']);
  return fields;
}

function stepChanges(before: Step, after: Step, phaseBefore: Phase, phaseAfter: Phase): FieldChange[] {
  const out: FieldChange[] = [];
  out.push(...change('kind', 'command', before.kind, after.kind));
  out.push(...change('title', 'other', before.title, after.title));
  out.push(...change('runs on', 'scope', before.runOn, after.runOn));
  out.push(...change('phase scope', 'scope', phaseScope(phaseBefore), phaseScope(phaseAfter)));
  out.push(...change('irreversible', 'irreversibility', before.irreversible ? 'yes' : 'no', after.irreversible ? 'yes' : 'no'));
  if (before.irreversible && after.irreversible) {
    out.push(...change('irreversible reason', 'irreversibility', before.irreversible.reason, after.irreversible.reason));
  }
  out.push(...change('only when', 'gate', text(before.when), text(after.when)));
  if (before.kind === 'confirm' && after.kind === 'confirm') out.push(...change('confirmation prompt', 'gate', before.prompt, after.prompt));
  if (before.kind === 'check' && after.kind === 'check') out.push(...change('message when the check fails', 'other', before.failMessage, after.failMessage));
  if (before.kind === 'wait' && after.kind === 'wait') {
    out.push(...change('wait interval (s)', 'command', String(before.intervalSeconds), String(after.intervalSeconds)));
    out.push(...change('on timeout', 'other', before.onTimeout, after.onTimeout));
  }
  out.push(...change('timeout (s)', 'command', text(before.timeoutSeconds), text(after.timeoutSeconds)));
  out.push(...change('retries', 'command', String(before.retries), String(after.retries)));
  out.push(...change('restarts the server', 'scope', before.reboots ? 'yes' : 'no', after.reboots ? 'yes' : 'no'));
  const beforeCommands = new Map(commandFields(before));
  for (const [field, value] of commandFields(after)) {
    const area: ChangeArea = field === 'check' ? 'gate' : 'command';
    out.push(...change(field, area, beforeCommands.get(field) ?? '', value, true));
    beforeCommands.delete(field);
  }
  for (const [field, value] of beforeCommands) out.push(...change(field, 'command', value, '', true));
  out.push(...change('captured as', 'other', text(before.capture), text(after.capture)));
  out.push(...change('effects', 'other', before.effects.join(', '), after.effects.join(', ')));
  out.push(...change('record', 'other', before.record.join('; '), after.record.join('; ')));
  out.push(...change('description', 'other', before.description, after.description));
  out.push(...change('waived rules', 'gate', before.waivers.map((w) => w.rule).join(', '), after.waivers.map((w) => w.rule).join(', ')));
  return out;
}

function phaseScope(phase: Phase): string {
  return phase.parallel ? `${phase.scope} (parallel, ${phase.parallel.throttle} at once)` : phase.scope;
}

export function diffPlans(before: VariantPlan, after: VariantPlan): PlanDiff {
  const oldRefs = refs(before);
  const newRefs = refs(after);
  const oldByKey = new Map(oldRefs.map((r) => [key(r.phaseId, r.stepId), r]));
  const newByKey = new Map(newRefs.map((r) => [key(r.phaseId, r.stepId), r]));
  const stepOf = (plan: VariantPlan, r: StepRef): { phase: Phase; step: Step } => {
    const phase = plan.phases.find((p) => p.id === r.phaseId)!;
    return { phase, step: phase.steps.find((s) => s.id === r.stepId)! };
  };

  let added = newRefs.filter((r) => !oldByKey.has(key(r.phaseId, r.stepId)));
  let removed = oldRefs.filter((r) => !newByKey.has(key(r.phaseId, r.stepId)));
  const moved: StepMove[] = [];
  const pairs: Array<[StepRef, StepRef]> = [];

  // Same step id, other phase: moved between phases (when the id is unambiguous on both sides).
  for (const a of [...added]) {
    const candidates = removed.filter((r) => r.stepId === a.stepId);
    if (candidates.length !== 1 || added.filter((x) => x.stepId === a.stepId).length !== 1) continue;
    const r = candidates[0]!;
    moved.push({ before: r, after: a, betweenPhases: true });
    pairs.push([r, a]);
    added = added.filter((x) => x !== a);
    removed = removed.filter((x) => x !== r);
  }

  const common = oldRefs.filter((r) => newByKey.has(key(r.phaseId, r.stepId))).map((r) => key(r.phaseId, r.stepId));
  const commonNew = newRefs.filter((r) => oldByKey.has(key(r.phaseId, r.stepId))).map((r) => key(r.phaseId, r.stepId));
  const inOrder = commonOrder(common, commonNew);
  for (const k of commonNew) {
    const pair: [StepRef, StepRef] = [oldByKey.get(k)!, newByKey.get(k)!];
    pairs.push(pair);
    if (!inOrder.has(k)) moved.push({ before: pair[0], after: pair[1], betweenPhases: false });
  }
  moved.sort((x, y) => compareNumbers(x.after.number, y.after.number));

  const changes: StepChange[] = [];
  for (const [b, a] of pairs) {
    const old = stepOf(before, b);
    const now = stepOf(after, a);
    const fields = stepChanges(old.step, now.step, old.phase, now.phase);
    if (fields.length > 0) changes.push({ before: b, after: a, changes: fields });
  }
  changes.sort((x, y) => compareNumbers(x.after.number, y.after.number));

  const oldPhases = new Map(before.phases.map((p) => [p.id, p]));
  const newPhases = new Map(after.phases.map((p) => [p.id, p]));
  const phaseChanges: PhaseChange[] = [];
  for (const phase of after.phases) {
    const old = oldPhases.get(phase.id);
    if (!old) continue;
    const fields = [
      ...change('title', 'other', old.title, phase.title),
      ...change('scope', 'scope', phaseScope(old), phaseScope(phase)),
      ...change('description', 'other', old.description, phase.description),
    ];
    if (fields.length > 0) phaseChanges.push({ phaseId: phase.id, title: phase.title, changes: fields });
  }

  const firstIrreversible = (rs: StepRef[]): StepRef | null => rs.find((r) => r.irreversible) ?? null;
  const ponrBefore = firstIrreversible(oldRefs);
  const ponrAfter = firstIrreversible(newRefs);
  return {
    variantId: after.variant.id,
    variantTitle: after.variant.title,
    phasesAdded: after.phases.filter((p) => !oldPhases.has(p.id)).map((p) => ({ id: p.id, title: p.title })),
    phasesRemoved: before.phases.filter((p) => !newPhases.has(p.id)).map((p) => ({ id: p.id, title: p.title })),
    phaseChanges,
    stepsAdded: added,
    stepsRemoved: removed,
    stepsMoved: moved,
    stepChanges: changes,
    pointOfNoReturn: {
      before: ponrBefore,
      after: ponrAfter,
      // The step that is the point of no return, not its number (an insertion before it renumbers it).
      changed: ponrBefore?.phaseId !== ponrAfter?.phaseId || ponrBefore?.stepId !== ponrAfter?.stepId,
    },
  };
}

function compareNumbers(a: string, b: string): number {
  const [ap, as] = a.split('.').map(Number);
  const [bp, bs] = b.split('.').map(Number);
  return ap! - bp! || as! - bs!;
}

function parameterFields(p: Parameter): Array<[string, ChangeArea, string]> {
  return [
    ['type', 'other', p.type],
    ['required', 'other', p.required ? 'yes' : 'no'],
    ['default', 'gate', text(p.default)],
    ['pattern', 'gate', text(p.pattern)],
    ['allowed values', 'gate', (p.allowed ?? []).join(', ')],
    ['minimum', 'gate', text(p.minimum)],
    ['maximum', 'gate', text(p.maximum)],
    ['description', 'other', p.description],
  ];
}

export function diffRunbooks(before: Runbook, after: Runbook): RunbookDiff {
  const oldPlans = new Map(planAll(before).map((p) => [p.variant.id, p]));
  const newPlans = planAll(after);
  const oldParams = new Map(before.parameters.map((p) => [p.name, p]));
  const newParams = new Map(after.parameters.map((p) => [p.name, p]));
  const parameterChanges: ParameterChange[] = [];
  for (const p of after.parameters) {
    const old = oldParams.get(p.name);
    if (!old) continue;
    const oldFields = new Map(parameterFields(old).map(([f, , v]) => [f, v]));
    const fields = parameterFields(p).flatMap(([f, area, v]) => change(f, area, oldFields.get(f) ?? '', v));
    if (fields.length > 0) parameterChanges.push({ name: p.name, changes: fields });
  }
  return {
    runbookId: after.id,
    title: after.title,
    versionBefore: before.version,
    versionAfter: after.version,
    header: [
      ...change('runbook id', 'other', before.id, after.id),
      ...change('title', 'other', before.title, after.title),
      ...change('nodes down at once', 'scope', String(before.cluster.maxNodesDown), String(after.cluster.maxNodesDown)),
      ...change('source document', 'other', text(before.sourceDocument), text(after.sourceDocument)),
    ],
    variantsAdded: newPlans.filter((p) => !oldPlans.has(p.variant.id)).map((p) => ({ id: p.variant.id, title: p.variant.title })),
    variantsRemoved: [...oldPlans.values()]
      .filter((p) => !newPlans.some((n) => n.variant.id === p.variant.id))
      .map((p) => ({ id: p.variant.id, title: p.variant.title })),
    parametersAdded: after.parameters.filter((p) => !oldParams.has(p.name)).map((p) => p.name),
    parametersRemoved: before.parameters.filter((p) => !newParams.has(p.name)).map((p) => p.name),
    parameterChanges,
    plans: newPlans.filter((p) => oldPlans.has(p.variant.id)).map((p) => diffPlans(oldPlans.get(p.variant.id)!, p)),
  };
}
