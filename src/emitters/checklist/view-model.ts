/**
 * The checklist's view model: everything the HTML and Markdown templates show, decided here, flat.
 * Templates only loop over these fields and test the booleans; every field is always present
 * (null, false or empty) because the templates render in Handlebars strict mode.
 */
import type { Parameter, Phase, Runbook, Step } from '../../model/runbook.js';
import { isDeepFrozen } from '../../model/immutable.js';
import { planAll, type VariantPlan } from '../../model/plan.js';
import { checklistPath, profileFileName, profilePath, scriptPath, variantDir } from '../layout.js';
import type { EmitContext } from '../types.js';
import { cauCommandLine } from './cau-command.js';
import { diagramMermaid, diagramSvg, type DiagramMermaid, type DiagramSvg } from './diagram.js';
import { oneWayOperationsOf } from './rollback.js';

/** Blank rows of a per-node matrix: the number of servers is only known on the day. */
export const MATRIX_ROWS = 8;

/**
 * PowerShell as printed: the text (Markdown fences it whole) and its lines (HTML gives each line a
 * hanging indent, so that a line the printer wraps is visibly one line).
 */
export interface CodeView {
  text: string;
  lines: string[];
}

export function code(text: string): CodeView {
  const normalised = text.replace(/\r\n?/g, '\n');
  return { text: normalised, lines: normalised.split('\n') };
}

/**
 * Runbook prose, split at `backtick` spans so that both formats show those as code (the HTML as
 * <code>, the Markdown as a code span) instead of printing the backticks.
 */
export type Prose = Array<{ text: string; code: boolean }>;

export function prose(value: string): Prose {
  // Blanks at the ends are trimmed: `**  x **` is not bold in Markdown, so a title starting or ending
  // with a blank would print its asterisks and could pair them with markup further on.
  const text = value.trim();
  // Most prose has no code span: one piece, without running the search.
  if (!text.includes('`')) return [{ text, code: false }];
  const parts: Prose = [];
  let last = 0;
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), code: false });
    parts.push({ text: m[1]!, code: true });
    last = m.index + m[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), code: false });
  return parts;
}

export interface ParameterView {
  name: string;
  type: string;
  required: boolean;
  hasDefault: boolean;
  defaultValue: string;
  /** Pattern, allowed values or bounds, as text; empty when unconstrained. */
  constraint: string;
  hasConstraint: boolean;
  description: Prose;
  /** Credentials get no write-in value: the password is never written down. */
  isCredential: boolean;
}

export interface FileView {
  /** Relative to the variant folder, as the operator has it. */
  name: string;
  sha256: string;
  isScript: boolean;
}

export interface RecordView {
  label: string;
  /** Unique per step, for the HTML input's id. */
  id: string;
  /** The list's last item: no separator after it. */
  isLast: boolean;
}

export interface StepView {
  number: string;
  anchor: string;
  title: string;
  description: Prose;
  hasDescription: boolean;
  kind: Step['kind'];
  kindLabel: string;
  isManual: boolean;
  isConfirm: boolean;
  /** Manual and confirm steps: a person acts or decides, the script does not. */
  isHumanStep: boolean;
  runsOnNode: boolean;
  runOnLabel: string;
  runCommand: CodeView | null;
  checkCommand: CodeView | null;
  failMessage: Prose | null;
  waitCommand: CodeView | null;
  waitInterval: string | null;
  waitTimeout: string | null;
  onTimeout: Prose | null;
  cauCommand: CodeView | null;
  cauProfile: string | null;
  cauProfileSha256: string | null;
  confirmPrompt: string | null;
  instructions: Prose[];
  hasInstructions: boolean;
  verifyCommand: CodeView | null;
  probeCommand: CodeView | null;
  whenParameter: string | null;
  timeLimit: string | null;
  retries: number;
  hasRetries: boolean;
  reboots: boolean;
  captureVariable: string | null;
  irreversibleReason: string | null;
  isIrreversible: boolean;
  /** The POINT OF NO RETURN banner goes before this step (the plan's first irreversible step). */
  pointOfNoReturnBefore: boolean;
  /** What the banner says is still possible: the variant's rollback view, on that step only. */
  rollback: RollbackView | null;
  /** Rolling back is still possible when this step starts. */
  beforePointOfNoReturn: boolean;
  record: RecordView[];
  hasRecord: boolean;
  /** The step's header checkbox; per-node steps are ticked in the phase matrix instead. */
  hasCheckbox: boolean;
  checkboxId: string;
}

export interface MatrixColumnView {
  number: string;
  title: string;
  record: RecordView[];
  hasRecord: boolean;
  isIrreversible: boolean;
  isHumanStep: boolean;
}

export interface MatrixCellView {
  id: string;
  /** The cell's row, as MatrixRowView.rowNumber. */
  rowNumber: number;
  stepNumber: string;
  stepTitle: string;
}

export interface MatrixRowView {
  rowNumber: number;
  serverFieldId: string;
  cells: MatrixCellView[];
}

/** What the start of the checklist (the contents) shows of a phase. */
export interface PhaseSummaryView {
  number: number;
  anchor: string;
  title: string;
  stepCount: number;
  containsPointOfNoReturn: boolean;
  /** Phase-level manual/confirm counts, so a reader scanning headings sees where a person acts. */
  humanStepCount: number;
  hasHumanSteps: boolean;
}

export interface PhaseView extends PhaseSummaryView {
  id: string;
  description: Prose;
  hasDescription: boolean;
  scopeLabel: string;
  isPerNode: boolean;
  isParallel: boolean;
  steps: StepView[];
  matrixColumns: MatrixColumnView[];
  matrixRows: MatrixRowView[];
  /** Blank rows of the matrix (MATRIX_ROWS). */
  matrixRowCount: number;
  beforePointOfNoReturn: boolean;
  /** Some step of the variant is irreversible (the phase then says whether rolling back is still possible). */
  variantHasPointOfNoReturn: boolean;
}

export interface IrreversibleStepView {
  number: string;
  anchor: string;
  title: string;
  reason: string;
  whenParameter: string | null;
}

export interface RollbackView {
  /** False when the variant has no irreversible step: rolling back stays possible to the end. */
  hasPointOfNoReturn: boolean;
  pointOfNoReturnNumber: string;
  pointOfNoReturnTitle: string;
  pointOfNoReturnAnchor: string;
  /** True until a step raising the cluster functional level has run. */
  functionalLevelNotRaised: boolean;
  storagePoolNotUpdated: boolean;
  vmVersionsUnchanged: boolean;
  /** Some steps before the point of no return restart servers (they were upgraded in place). */
  serversUpgradedBefore: boolean;
  irreversibleSteps: IrreversibleStepView[];
  /** Irreversible steps whose effect is not one of the recognised operations: told by their reason. */
  otherIrreversibleSteps: IrreversibleStepView[];
}

export interface SignOffRole {
  role: string;
  id: string;
}

/** Everything the checklist shows but its phases: what the start and the end of the checklist print. */
export interface ChecklistHeadView {
  runbookId: string;
  title: string;
  version: string;
  summary: Prose;
  sourceDocument: string | null;
  isDraft: boolean;
  variantId: string;
  variantTitle: string;
  variantDescription: Prose;
  variantCount: number;
  otherVariants: Array<{ id: string; title: string }>;
  hasOtherVariants: boolean;
  maxNodesDown: number;
  /** File names as the operator sees them in the variant folder. */
  scriptName: string;
  htmlName: string;
  pdfName: string;
  markdownName: string;
  parameters: ParameterView[];
  files: FileView[];
  hasFiles: boolean;
  /** A PowerShell block that compares every file's SHA-256 with the value printed here. */
  hashCheckCommand: CodeView;
  /** The contents: every phase, without its steps. */
  phases: PhaseSummaryView[];
  stepCount: number;
  humanStepCount: number;
  rollback: RollbackView;
  diagram: DiagramSvg;
  mermaid: DiagramMermaid;
  matrixRowCount: number;
  signOff: SignOffRole[];
}

export interface ChecklistView extends ChecklistHeadView {
  phases: PhaseView[];
}

/** Where the first irreversible step is, by position in the plan. */
interface IrreversibleStep {
  phase: Phase;
  step: Step;
  number: string;
  phaseIndex: number;
  stepIndex: number;
}

/**
 * A checklist's views, for rendering it a phase at a time: the head at once, each phase's view
 * when asked (it is built again at each call). A large checklist's phase views are then never all
 * in memory (10,000 steps are some 100,000 objects).
 */
export interface ChecklistViews {
  head: ChecklistHeadView;
  phaseCount: number;
  phase(index: number): PhaseView;
}

export function checklistViews(plan: VariantPlan, ctx: EmitContext): ChecklistViews {
  const { runbook, variant } = plan;
  const folder = `${variantDir(runbook, variant)}/`;
  const relative = (path: string): string => (path.startsWith(folder) ? path.slice(folder.length) : path);

  const irreversible: IrreversibleStep[] = plan.phases.flatMap((phase, p) =>
    phase.steps.flatMap((step, s) => (step.irreversible ? [{ phase, step, number: `${p + 1}.${s + 1}`, phaseIndex: p, stepIndex: s }] : [])),
  );
  const first = irreversible[0];

  const phases: PhaseSummaryView[] = plan.phases.map((phase, p) => {
    const humanStepCount = phase.steps.filter(isHumanStep).length;
    return {
      number: p + 1,
      anchor: `phase-${p + 1}`,
      title: phase.title,
      stepCount: phase.steps.length,
      containsPointOfNoReturn: first !== undefined && first.phaseIndex === p,
      humanStepCount,
      hasHumanSteps: humanStepCount > 0,
    };
  });

  const files = filesOf(plan, ctx, relative);
  const everyPlan = everyPlanOf(runbook);
  const head: ChecklistHeadView = {
    runbookId: runbook.id,
    title: runbook.title,
    version: runbook.version,
    summary: prose(runbook.summary),
    sourceDocument: runbook.sourceDocument ?? null,
    isDraft: runbook.draft,
    variantId: variant.id,
    variantTitle: variant.title,
    variantDescription: prose(variant.description),
    variantCount: runbook.variants.length,
    otherVariants: runbook.variants.filter((v) => v.id !== variant.id).map((v) => ({ id: v.id, title: v.title })),
    hasOtherVariants: runbook.variants.length > 1,
    maxNodesDown: runbook.cluster.maxNodesDown,
    scriptName: relative(scriptPath(runbook, variant)),
    htmlName: relative(checklistPath(runbook, variant, 'html')),
    pdfName: relative(checklistPath(runbook, variant, 'pdf')),
    markdownName: relative(checklistPath(runbook, variant, 'md')),
    parameters: runbook.parameters.map(parameterView),
    files,
    hasFiles: files.length > 0,
    hashCheckCommand: code(hashCheckCommand(files)),
    phases,
    stepCount: plan.phases.reduce((n, phase) => n + phase.steps.length, 0),
    humanStepCount: phases.reduce((n, phase) => n + phase.humanStepCount, 0),
    rollback: rollbackView(plan, irreversible),
    diagram: diagramSvg(plan, everyPlan),
    mermaid: diagramMermaid(plan, everyPlan),
    matrixRowCount: MATRIX_ROWS,
    signOff: [
      { role: 'Prepared by', id: 'signoff-prepared' },
      { role: 'Reviewed by', id: 'signoff-reviewed' },
      { role: 'Approved by (change board)', id: 'signoff-approved' },
      { role: 'Carried out by', id: 'signoff-operator' },
    ],
  };
  return { head, phaseCount: plan.phases.length, phase: (p) => phaseView(plan, p, phases[p]!, first, head.rollback, ctx) };
}

/**
 * The plans of every variant, which the diagram of each variant's checklist shows: computed once per
 * runbook rather than once per checklist. Kept only for a deeply frozen runbook (every IR built from
 * a file), which cannot change after they are computed.
 */
const everyPlanByRunbook = new WeakMap<Runbook, VariantPlan[]>();

function everyPlanOf(runbook: Runbook): VariantPlan[] {
  if (!isDeepFrozen(runbook)) return planAll(runbook);
  let plans = everyPlanByRunbook.get(runbook);
  if (!plans) {
    plans = planAll(runbook);
    everyPlanByRunbook.set(runbook, plans);
  }
  return plans;
}

/** The whole view at once (for tests and small checklists; a build renders with checklistViews). */
export function buildChecklistView(plan: VariantPlan, ctx: EmitContext): ChecklistView {
  const views = checklistViews(plan, ctx);
  return { ...views.head, phases: Array.from({ length: views.phaseCount }, (_, p) => views.phase(p)) };
}

function isHumanStep(step: Step): boolean {
  return step.kind === 'manual' || step.kind === 'confirm';
}

function phaseView(plan: VariantPlan, p: number, summary: PhaseSummaryView, first: IrreversibleStep | undefined, rollback: RollbackView, ctx: EmitContext): PhaseView {
  const phase = plan.phases[p]!;
  const steps = phase.steps.map((step, s) => {
    const isFirst = first !== undefined && first.phaseIndex === p && first.stepIndex === s;
    // Rolling back is possible up to and including the first irreversible step.
    const before = first === undefined || p < first.phaseIndex || (p === first.phaseIndex && s <= first.stepIndex);
    return stepView(plan.runbook, plan, phase, step, `${p + 1}.${s + 1}`, isFirst ? rollback : null, before, ctx);
  });
  const isPerNode = phase.scope === 'each-node';
  // The summary's fields one by one: spreading it (`...summary`) made this object several times slower to build.
  return {
    number: summary.number,
    anchor: summary.anchor,
    title: summary.title,
    stepCount: summary.stepCount,
    containsPointOfNoReturn: summary.containsPointOfNoReturn,
    humanStepCount: summary.humanStepCount,
    hasHumanSteps: summary.hasHumanSteps,
    id: phase.id,
    description: prose(phase.description),
    hasDescription: phase.description.trim() !== '',
    scopeLabel: scopeLabel(phase),
    isPerNode,
    isParallel: isPerNode && phase.parallel !== undefined,
    steps,
    matrixColumns: isPerNode
      ? steps.map((s) => ({
          number: s.number,
          title: s.title,
          record: s.record,
          hasRecord: s.hasRecord,
          isIrreversible: s.isIrreversible,
          isHumanStep: s.isHumanStep,
        }))
      : [],
    matrixRows: isPerNode ? matrixRows(p + 1, steps) : [],
    matrixRowCount: MATRIX_ROWS,
    beforePointOfNoReturn: first === undefined || p < first.phaseIndex,
    variantHasPointOfNoReturn: first !== undefined,
  };
}

function stepView(
  runbook: Runbook,
  plan: VariantPlan,
  phase: Phase,
  step: Step,
  number: string,
  /** The variant's rollback view when the POINT OF NO RETURN banner goes before this step. */
  rollbackAtPointOfNoReturn: RollbackView | null,
  beforePointOfNoReturn: boolean,
  ctx: EmitContext,
): StepView {
  const anchor = `step-${number.replace('.', '-')}`;
  const profile = step.kind === 'cau' ? profileFileName(phase, step) : null;
  const profileHash =
    step.kind === 'cau' ? (ctx.sha256.get(profilePath(runbook, plan.variant, phase, step)) ?? null) : null;
  const perNode = phase.scope === 'each-node';
  const isManual = step.kind === 'manual';
  const isConfirm = step.kind === 'confirm';
  return {
    number,
    anchor,
    title: step.title,
    description: prose(step.description),
    hasDescription: step.description.trim() !== '',
    kind: step.kind,
    kindLabel: step.kind === 'cau' ? `CAU ${step.action}` : step.kind,
    isManual,
    isConfirm,
    isHumanStep: isManual || isConfirm,
    runsOnNode: step.runOn === 'node',
    runOnLabel: runOnLabel(phase, step),
    runCommand: step.kind === 'run' ? code(step.command.text) : null,
    checkCommand: step.kind === 'check' ? code(step.assert.text) : null,
    failMessage: step.kind === 'check' && step.failMessage.trim() !== '' ? prose(step.failMessage) : null,
    waitCommand: step.kind === 'wait' ? code(step.until.text) : null,
    waitInterval: step.kind === 'wait' ? duration(step.intervalSeconds) : null,
    waitTimeout: step.kind === 'wait' ? duration(step.timeoutSeconds) : null,
    onTimeout: step.kind === 'wait' && step.onTimeout.trim() !== '' ? prose(step.onTimeout) : null,
    cauCommand: step.kind === 'cau' ? code(cauCommandLine(step)) : null,
    cauProfile: profile,
    cauProfileSha256: profileHash,
    confirmPrompt: step.kind === 'confirm' ? step.prompt : null,
    instructions: step.kind === 'manual' ? step.instructions.map(prose) : [],
    hasInstructions: step.kind === 'manual' && step.instructions.length > 0,
    verifyCommand: step.verify ? code(step.verify.text) : null,
    probeCommand: step.probe ? code(step.probe.text) : null,
    whenParameter: step.when ?? null,
    timeLimit: step.kind !== 'wait' && step.timeoutSeconds !== undefined ? duration(step.timeoutSeconds) : null,
    retries: step.retries,
    hasRetries: step.retries > 0,
    reboots: step.reboots,
    captureVariable: step.capture ?? null,
    irreversibleReason: step.irreversible?.reason ?? null,
    isIrreversible: step.irreversible !== undefined,
    pointOfNoReturnBefore: rollbackAtPointOfNoReturn !== null,
    rollback: rollbackAtPointOfNoReturn,
    beforePointOfNoReturn,
    record: step.record.map((label, i) => ({ label, id: `${anchor}-record-${i + 1}`, isLast: i === step.record.length - 1 })),
    hasRecord: step.record.length > 0,
    hasCheckbox: !perNode,
    checkboxId: `${anchor}-done`,
  };
}

function matrixRows(phaseNumber: number, steps: StepView[]): MatrixRowView[] {
  return Array.from({ length: MATRIX_ROWS }, (_, r) => ({
    rowNumber: r + 1,
    serverFieldId: `phase-${phaseNumber}-server-${r + 1}`,
    cells: steps.map((s) => ({ id: `${s.anchor}-server-${r + 1}`, rowNumber: r + 1, stepNumber: s.number, stepTitle: s.title })),
  }));
}

function scopeLabel(phase: Phase): string {
  switch (phase.scope) {
    case 'orchestrator':
      return 'Once, on the machine that runs the script';
    case 'cluster':
      return 'Once, for the whole cluster';
    case 'each-node':
      return phase.parallel
        ? `Every server at the same time (up to ${phase.parallel.throttle} at once)`
        : 'Each server in turn, one at a time';
  }
}

function runOnLabel(phase: Phase, step: Step): string {
  if (step.kind === 'manual' || step.kind === 'confirm') {
    return phase.scope === 'each-node' ? 'A person, for the server' : 'A person';
  }
  if (step.runOn === 'node') return 'On the server, over PowerShell remoting';
  return phase.scope === 'each-node' ? 'On the machine running the script, for the server' : 'On the machine running the script';
}

/** Seconds as the largest readable units: `30 s`, `4 min`, `4 h`, `1 h 30 min`. */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  if (s > 0 || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

function parameterView(p: Parameter): ParameterView {
  const constraints: string[] = [];
  if (p.pattern !== undefined) constraints.push(`matches ${p.pattern}`);
  if (p.allowed !== undefined) constraints.push(`one of ${p.allowed.join(', ')}`);
  if (p.minimum !== undefined) constraints.push(`at least ${p.minimum}`);
  if (p.maximum !== undefined) constraints.push(`at most ${p.maximum}`);
  const defaultValue =
    p.default === undefined ? '' : Array.isArray(p.default) ? p.default.join(', ') : String(p.default);
  return {
    name: p.name,
    type: p.type,
    required: p.required,
    hasDefault: p.default !== undefined,
    defaultValue,
    constraint: constraints.join('; '),
    hasConstraint: constraints.length > 0,
    description: prose(p.description),
    isCredential: p.type === 'credential',
  };
}

/** The script first, then every other file of the variant (run profiles), by name. */
function filesOf(plan: VariantPlan, ctx: EmitContext, relative: (path: string) => string): FileView[] {
  const folder = `${variantDir(plan.runbook, plan.variant)}/`;
  const script = scriptPath(plan.runbook, plan.variant);
  const checklists = new Set((['md', 'html', 'pdf'] as const).map((f) => checklistPath(plan.runbook, plan.variant, f)));
  return [...ctx.sha256.entries()]
    .filter(([path]) => path.startsWith(folder) && !checklists.has(path))
    .map(([path, sha256]) => ({ name: relative(path), sha256: sha256.toUpperCase(), isScript: path === script }))
    .sort((a, b) => Number(b.isScript) - Number(a.isScript) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A PowerShell block to paste in the variant folder. File names are built from schema-validated ids
 * (layout.ts); anything else is refused rather than printed into a command.
 */
function hashCheckCommand(files: FileView[]): string {
  // Name and hash on separate lines so that neither wraps on paper; PowerShell allows the break after `=`.
  const lines = ['$expected = [ordered]@{'];
  for (const f of files) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(f.name) || !/^[0-9A-F]{64}$/.test(f.sha256)) {
      throw new Error(`Cannot print a hash check for \`${f.name}\`: unexpected file name or hash`);
    }
    lines.push(`  '${f.name}' =`, `    '${f.sha256}'`);
  }
  lines.push(
    '}',
    'foreach ($name in $expected.Keys) {',
    '  $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $PWD $name)).Hash',
    "  if ($actual -eq $expected[$name]) { 'OK        ' + $name } else { 'MISMATCH  ' + $name }",
    '}',
  );
  return lines.join('\n');
}

function rollbackView(plan: VariantPlan, irreversible: IrreversibleStep[]): RollbackView {
  const first = irreversible[0];
  const operations = new Set(irreversible.flatMap((i) => oneWayOperationsOf(i.step)));
  const toView = (i: { step: Step; number: string }): IrreversibleStepView => ({
    number: i.number,
    anchor: `step-${i.number.replace('.', '-')}`,
    title: i.step.title,
    reason: i.step.irreversible?.reason ?? '',
    whenParameter: i.step.when ?? null,
  });
  const beforeFirst: Step[] = [];
  for (const phase of plan.phases) {
    for (const step of phase.steps) {
      if (first && step === first.step) break;
      beforeFirst.push(step);
    }
    if (first && phase === first.phase) break;
  }
  return {
    hasPointOfNoReturn: first !== undefined,
    pointOfNoReturnNumber: first?.number ?? '',
    pointOfNoReturnTitle: first?.step.title ?? '',
    pointOfNoReturnAnchor: first ? `step-${first.number.replace('.', '-')}` : '',
    functionalLevelNotRaised: operations.has('functional-level'),
    storagePoolNotUpdated: operations.has('storage-pool'),
    vmVersionsUnchanged: operations.has('vm-version'),
    // Servers on the previous version can rejoin until the functional level is raised (cau.md 4.11).
    serversUpgradedBefore: operations.has('functional-level') && beforeFirst.some((s) => s.reboots),
    irreversibleSteps: irreversible.map(toView),
    otherIrreversibleSteps: irreversible.filter((i) => oneWayOperationsOf(i.step).length === 0).map(toView),
  };
}
