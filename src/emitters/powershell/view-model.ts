/**
 * IR -> the flat view the PowerShell templates render.
 *
 * Every decision about the generated script is made here: parameter declarations and validation
 * attributes, which steps pass through ShouldProcess, how runbook parameters reach a remote node,
 * which profile a CAU step loads and with which hash. The templates only lay these fields out.
 * Values reach the view as plain strings (quoted by the `ps` template helper) or as PsCode built
 * by quote.ts; author commands become PsCode through `authorCode`, the only place where text
 * from a runbook is passed through verbatim.
 */
import type { VariantPlan } from '../../model/plan.js';
import type { CauStep, Command, Parameter, Phase, Runbook, Step } from '../../model/runbook.js';
import { structureProblemOf } from '../../powershell/structure.js';
import { profileFileName, profilePath, scriptPath } from '../layout.js';
import type { EmitContext } from '../types.js';
import {
  assertIdentifier,
  psCode,
  psInt,
  psString,
  psStringArray,
  type PsCode,
} from './quote.js';
import { SCRIPT_PARAMETERS } from '../../model/script-parameters.js';

/** Private-use character the renderer uses to keep its indentation off author code; never allowed in it. */
export const VERBATIM_LINE_MARK = '\uE000';

/**
 * An author's command, verbatim. Its lines are never re-indented: indenting a line that continues a
 * multi-line string literal would change the string. Line endings are normalised to LF.
 */
export function authorCode(command: Command): PsCode {
  const text = command.text.replace(/\r\n|\r/g, '\n').replace(/\n+$/, '');
  const where = `${command.span.file}:${command.span.line}:${command.span.column}`;
  if (text.trim() === '') throw new Error(`${where}: Unexpected empty command, expected PowerShell`);
  if (text.includes(VERBATIM_LINE_MARK) || text.includes('\u0000')) {
    throw new Error(`${where}: Unexpected control character in a command, expected PowerShell source text`);
  }
  const problem = structureProblemOf(text);
  if (problem) {
    const line = command.span.line + problem.line - 1;
    throw new Error(`${command.span.file}:${line}:${problem.line === 1 ? command.span.column + problem.column - 1 : problem.column}: ${problem.message}`);
  }
  return psCode(text);
}

export interface ParameterView {
  name: string;
  help: string;
  /** Attribute lines, e.g. `[Parameter(Mandatory = $true)]`, `[ValidatePattern('...')]`. */
  attributes: PsCode[];
  /** `[int]$TargetBuild = 25398` */
  declaration: PsCode;
}

/**
 * A step an irreversible step depends on: it must be recorded done in the journal before the
 * irreversible step may start. `Once` for a step outside a per-node phase; `AllNodes` for a per-node
 * step of an earlier phase (or an earlier step-by-step step of the same parallel phase), on every
 * node; `ThisNode` for an earlier step of the same per-node loop, on the current node; `EveryNode`
 * for a step run on every node at once (journaled once, `on every node`).
 */
export interface RequirementView {
  key: string;
  mode: 'Once' | 'AllNodes' | 'ThisNode' | 'EveryNode';
  /** The step's `when` parameter: when it is not set, the step is not required. */
  whenName: string;
}

export interface StepView {
  /**
   * `Runbook step phase-id/step-id`, for the comment above the step. Outputs cite steps by id, never
   * by file, line and column: the id names the step in both runbook forms, in the journal and on the
   * checklist, and a runbook reformatted or converted to its other form builds the same bytes.
   */
  sourceComment: string;
  phaseId: string;
  id: string;
  title: string;
  kind: Step['kind'];
  inNodeLoop: boolean;
  /** State-changing steps ask ShouldProcess (and -WhatIf lists them as such). */
  changesState: boolean;
  whenName: string;
  irreversibleReason: string;
  /** For an irreversible step: the steps that must be recorded done before it starts. */
  requires: RequirementView[];
  hasRequires: boolean;
  probe: PsCode | null;
  verify: PsCode | null;
  verifyText: string;
  retries: number;
  capture: string;
  isRun: boolean;
  isCheck: boolean;
  isWait: boolean;
  isConfirm: boolean;
  isManual: boolean;
  isCau: boolean;
  runOnNode: boolean;
  /** A `runOn: node` step of a parallel phase: one Invoke-Command over all nodes. */
  parallelNodes: boolean;
  throttle: number;
  command: PsCode | null;
  assert: PsCode | null;
  failMessage: string;
  until: PsCode | null;
  intervalSeconds: number;
  timeoutSeconds: number;
  onTimeout: string;
  prompt: string;
  instructions: PsCode | null;
  cauRun: boolean;
  profileFile: string;
  profileSha256: string;
  script: ScriptConstantsView;
}

/** What every step reads of the whole script (the phase templates use no `@root`: see templates.ts). */
export interface ScriptConstantsView {
  clusterParameter: string;
  credentialParameter: string;
  remoteParamBlock: PsCode;
  remoteArguments: PsCode;
  remoteParamBlockAllNodes: PsCode;
  remoteArgumentsAllNodes: PsCode;
}

export interface PhaseView {
  id: string;
  /** 1-based position in the plan, for the progress bar. */
  number: number;
  /** Phases in the plan, for the progress bar. */
  phaseCount: number;
  title: string;
  /** `Phase03ValidateCluster`; the function is Invoke-<noun>. */
  functionNoun: string;
  eachNode: boolean;
  parallel: boolean;
  steps: StepView[];
}

/** Everything the script shows but its phase functions: what its start and its end print. */
export interface ScriptHeadView {
  help: {
    synopsis: string;
    description: string;
    examples: string[];
  };
  parameters: ParameterView[];
  runbookId: string;
  runbookVersion: string;
  variantId: string;
  variantTitle: string;
  scriptFile: string;
  /** The journal's default file name, next to the script. */
  journalFile: string;
  clusterParameter: string;
  credentialParameter: string;
  captures: string[];
  /**
   * The variant has per-node phases: the servers are listed when the run starts, while the cluster
   * still answers (a later phase may stop it), and kept in the journal for reruns.
   */
  listsNodes: boolean;
  /** `<phase-id>/<step-id>` of every step in plan order, and every phase id: the values -FromStep and -OnlyPhase accept. */
  stepKeys: string[];
  phaseIds: string[];
  /** `param($ClusterName, $TargetBuild, $Node)` and `@($ClusterName, $TargetBuild, $Node)` for remote steps. */
  remoteParamBlock: PsCode;
  remoteArguments: PsCode;
  /** The same without `$Node`, for a parallel Invoke-Command over every node (the node sets $Node itself). */
  remoteParamBlockAllNodes: PsCode;
  remoteArgumentsAllNodes: PsCode;
  /** The phase functions the end of the script calls, in order. */
  phases: PhaseCallView[];
  phaseCount: number;
}

export interface PhaseCallView {
  functionNoun: string;
}

export interface ScriptView extends ScriptHeadView {
  phases: PhaseView[];
}

/**
 * A script's views, for rendering it a phase at a time: the head at once, each phase's view when
 * asked (built again at each call), so that a large script's step views are never all in memory.
 */
export interface ScriptViews {
  head: ScriptHeadView;
  phaseCount: number;
  phase(index: number): PhaseView;
}

/** Names the runtime part of the script uses for its own functions' parameters and locals. */
const RESERVED_PREFIX = /^rb/i;

const CREDENTIAL_TYPE = '[System.Management.Automation.PSCredential]';

function where(span: { file: string; line: number; column: number }): string {
  return `${span.file}:${span.line}:${span.column}`;
}

function checkName(name: string, what: string, span: { file: string; line: number; column: number }): string {
  assertIdentifier(name, what);
  if (SCRIPT_PARAMETERS.some((p) => p.toLowerCase() === name.toLowerCase())) {
    throw new Error(`${where(span)}: Unexpected ${what} \`${name}\`, expected a name other than ${SCRIPT_PARAMETERS.map((p) => `\`${p}\``).join(', ')} (parameters of every generated script)`);
  }
  if (RESERVED_PREFIX.test(name)) {
    throw new Error(`${where(span)}: Unexpected ${what} \`${name}\`, expected a name that does not start with \`Rb\` (reserved for the script's runtime)`);
  }
  return name;
}

function parameterView(p: Parameter): ParameterView {
  const name = checkName(p.name, 'parameter name', p.span);
  const attributes: PsCode[] = [];
  if (p.required) attributes.push(psCode('[Parameter(Mandatory = $true)]'));
  if (p.pattern !== undefined) attributes.push(psCode(`[ValidatePattern(${psString(p.pattern)})]`));
  if (p.allowed !== undefined && p.allowed.length > 0) {
    attributes.push(psCode(`[ValidateSet(${p.allowed.map(psString).join(', ')})]`));
  }
  if (p.minimum !== undefined || p.maximum !== undefined) {
    const min = p.minimum !== undefined ? psInt(p.minimum).text : '[int]::MinValue';
    const max = p.maximum !== undefined ? psInt(p.maximum).text : '[int]::MaxValue';
    attributes.push(psCode(`[ValidateRange(${min}, ${max})]`));
  }
  let declaration: string;
  const hasDefault = p.default !== undefined && !p.required;
  switch (p.type) {
    case 'string':
      declaration = `[string]$${name}` + (hasDefault ? ` = ${psString(String(p.default))}` : '');
      break;
    case 'int':
      declaration = `[int]$${name}` + (hasDefault ? ` = ${psInt(Number(p.default)).text}` : '');
      break;
    case 'string[]':
      declaration = `[string[]]$${name}` + (hasDefault ? ` = ${psStringArray(p.default as string[]).text}` : '');
      break;
    case 'bool':
      // A bool that defaults to false is a [switch]; a switch that defaults to true cannot be turned
      // off without -Name:$false, so a bool defaulting to true stays a [bool] parameter.
      declaration = p.default === true ? `[bool]$${name} = $true` : `[switch]$${name}`;
      break;
    case 'credential':
      attributes.push(psCode(CREDENTIAL_TYPE));
      attributes.push(psCode('[System.Management.Automation.Credential()]'));
      declaration = `$${name}` + (p.required ? '' : ` = ${CREDENTIAL_TYPE}::Empty`);
      break;
  }
  return { name, help: p.description, attributes, declaration: psCode(declaration) };
}

/** `Phase03ValidateCluster`: the index keeps names unique whatever the ids and shows the order. */
function phaseFunctionNoun(index: number, phase: Phase): string {
  const pascal = phase.id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `Phase${String(index + 1).padStart(2, '0')}${assertIdentifier(pascal, 'phase id')}`;
}

function cauProfileHash(plan: VariantPlan, phase: Phase, step: CauStep, ctx: EmitContext): string {
  const path = profilePath(plan.runbook, plan.variant, phase, step);
  const hash = ctx.sha256.get(path);
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new Error(`No SHA-256 for the run profile \`${path}\`, expected the profiles to be emitted before the script`);
  }
  return hash;
}

function stepView(plan: VariantPlan, phase: Phase, step: Step, ctx: EmitContext, runbook: Runbook, script: ScriptConstantsView): StepView {
  const inNodeLoop = phase.scope === 'each-node';
  const parallelNodes = inNodeLoop && phase.parallel !== undefined && step.runOn === 'node';
  if (step.runOn === 'node' && !inNodeLoop) {
    throw new Error(`${where(step.span)}: Unexpected \`runOn: node\` in the ${phase.scope} phase \`${phase.id}\`, expected it only in each-node phases`);
  }
  if (step.when !== undefined) {
    const target = runbook.parameters.find((p) => p.name === step.when);
    if (target === undefined || target.type !== 'bool') {
      throw new Error(`${where(step.span)}: Unexpected \`when: ${step.when}\`, expected the name of a bool parameter`);
    }
  }
  const view: StepView = {
    sourceComment: `Runbook step ${phase.id}/${step.id}`,
    phaseId: phase.id,
    id: step.id,
    title: step.title,
    kind: step.kind,
    inNodeLoop: inNodeLoop && !parallelNodes,
    changesState: step.kind === 'run' || (step.kind === 'cau' && step.action === 'run'),
    whenName: step.when ?? '',
    irreversibleReason: step.irreversible?.reason ?? '',
    requires: [],
    hasRequires: false,
    probe: step.probe ? authorCode(step.probe) : null,
    verify: step.verify ? authorCode(step.verify) : null,
    verifyText: step.verify ? step.verify.text : '',
    retries: step.kind === 'run' ? step.retries : 0,
    capture: step.capture !== undefined ? checkName(step.capture, 'capture name', step.span) : '',
    isRun: step.kind === 'run',
    isCheck: step.kind === 'check',
    isWait: step.kind === 'wait',
    isConfirm: step.kind === 'confirm',
    isManual: step.kind === 'manual',
    isCau: step.kind === 'cau',
    runOnNode: step.runOn === 'node',
    parallelNodes,
    throttle: phase.parallel?.throttle ?? 1,
    command: null,
    assert: null,
    failMessage: '',
    until: null,
    intervalSeconds: 0,
    timeoutSeconds: 0,
    onTimeout: '',
    prompt: '',
    instructions: null,
    cauRun: false,
    profileFile: '',
    profileSha256: '',
    script,
  };
  switch (step.kind) {
    case 'run':
      view.command = authorCode(step.command);
      break;
    case 'check':
      view.assert = authorCode(step.assert);
      view.failMessage = step.failMessage;
      break;
    case 'wait':
      if (step.intervalSeconds < 1 || step.timeoutSeconds < step.intervalSeconds) {
        throw new Error(`${where(step.span)}: Unexpected wait of ${step.timeoutSeconds} s every ${step.intervalSeconds} s, expected an interval of at least 1 s within the timeout`);
      }
      view.until = authorCode(step.until);
      view.intervalSeconds = step.intervalSeconds;
      view.timeoutSeconds = step.timeoutSeconds;
      view.onTimeout = step.onTimeout;
      break;
    case 'confirm':
      view.prompt = step.prompt;
      break;
    case 'manual':
      view.instructions = psStringArray(step.instructions);
      break;
    case 'cau':
      if (step.runOn === 'node') {
        throw new Error(`${where(step.span)}: Unexpected \`runOn: node\` on a cau step, expected CAU to be driven from the orchestrator`);
      }
      view.cauRun = step.action === 'run';
      view.profileFile = profileFileName(phase, step);
      view.profileSha256 = cauProfileHash(plan, phase, step, ctx);
      break;
  }
  return view;
}

/** Steps whose effect an operator or a later step relies on: commands, CAU runs, manual work. */
function changesCluster(step: Step): boolean {
  return step.kind === 'run' || step.kind === 'manual' || (step.kind === 'cau' && step.action === 'run');
}

/**
 * What an irreversible step requires to be recorded done: every earlier state-changing step of the
 * plan, and every check of its own phase before it (such as "every node is on the target build").
 */
function requirementsOf(plan: VariantPlan, phaseIndex: number, stepIndex: number): RequirementView[] {
  const target = plan.phases[phaseIndex]!;
  const targetInLoop = target.scope === 'each-node' && !(target.parallel !== undefined && target.steps[stepIndex]!.runOn === 'node');
  const requires: RequirementView[] = [];
  plan.phases.forEach((phase, pi) => {
    if (pi > phaseIndex) return;
    phase.steps.forEach((step, si) => {
      if (pi === phaseIndex && si >= stepIndex) return;
      if (!changesCluster(step) && !(pi === phaseIndex && step.kind === 'check')) return;
      let mode: RequirementView['mode'] = 'Once';
      if (phase.scope === 'each-node') {
        if (phase.parallel !== undefined && step.runOn === 'node') mode = 'EveryNode';
        else if (pi === phaseIndex && targetInLoop && phase.parallel === undefined) mode = 'ThisNode';
        else mode = 'AllNodes';
      }
      requires.push({ key: `${phase.id}/${step.id}`, mode, whenName: step.when ?? '' });
    });
  });
  return requires;
}

function needsCluster(plan: VariantPlan): boolean {
  return plan.phases.some((p) => p.scope === 'each-node' || p.steps.some((s) => s.kind === 'cau' || s.irreversible !== undefined));
}

export function scriptViews(plan: VariantPlan, ctx: EmitContext): ScriptViews {
  const { runbook, variant } = plan;
  const parameters = runbook.parameters.map(parameterView);
  const seen = new Set<string>();
  for (const p of parameters) {
    if (seen.has(p.name.toLowerCase())) throw new Error(`Duplicate parameter \`${p.name}\` (PowerShell names are case-insensitive)`);
    seen.add(p.name.toLowerCase());
  }

  const clusterParam = runbook.parameters.find((p) => p.name === 'ClusterName' && p.type === 'string');
  if (needsCluster(plan) && clusterParam === undefined) {
    throw new Error(
      `${where(runbook.span)}: Missing string parameter \`ClusterName\`, expected it because the runbook has per-node phases, CAU steps or irreversible steps`,
    );
  }
  const credential = runbook.parameters.find((p) => p.type === 'credential');

  // Remote script blocks get every parameter except credentials, by value; switches as plain bools
  // (a deserialized SwitchParameter would always be truthy).
  const remote = runbook.parameters.filter((p) => p.type !== 'credential');
  const remoteArg = (p: Parameter) => (p.type === 'bool' && p.default !== true ? `$${p.name}.IsPresent` : `$${p.name}`);
  const names = remote.map((p) => `$${p.name}`);
  const args = remote.map(remoteArg);

  const captures: string[] = [];
  for (const phase of plan.phases) {
    for (const step of phase.steps) {
      if (step.capture !== undefined && !captures.includes(step.capture)) captures.push(step.capture);
    }
  }

  const scriptFile = scriptPath(runbook, variant).split('/').pop()!;
  const requiredArgs = runbook.parameters
    .filter((p) => p.required)
    .map((p) => ` -${p.name} <${p.name}>`)
    .join('');
  const examples = [
    `PS> .\\${scriptFile}${requiredArgs} -WhatIf\n\nPrints every step of the plan and changes nothing.`,
    `PS> .\\${scriptFile}${requiredArgs}\n\nRuns the procedure, asking before every state-changing step.`,
  ];

  const functionNouns = plan.phases.map((phase, i) => phaseFunctionNoun(i, phase));
  const constants: ScriptConstantsView = {
    clusterParameter: clusterParam ? clusterParam.name : '',
    credentialParameter: credential ? credential.name : '',
    remoteParamBlock: psCode(`param(${[...names, '$Node'].join(', ')})`),
    remoteArguments: psCode(`@(${[...args, '$Node'].join(', ')})`),
    remoteParamBlockAllNodes: psCode(`param(${names.join(', ')})`),
    remoteArgumentsAllNodes: psCode(`@(${args.join(', ')})`),
  };
  const head: ScriptHeadView = {
    help: {
      synopsis: runbook.summary,
      description: [
        `${runbook.title}`,
        `Variant: ${variant.title}. ${variant.description}`,
        '',
        `Generated by runbookc from runbook ${runbook.id} ${runbook.version}, variant ${variant.id}.` +
          (runbook.sourceDocument ? ` Source procedure: ${runbook.sourceDocument}` : ''),
        'Every step is printed with its id (phase/step), the name the runbook, the journal and the',
        'checklist give it. State-changing steps ask for confirmation (ConfirmImpact High; -Force or',
        '-Confirm:$false skips that). Irreversible steps always require typing the cluster name. The run',
        'stops at the first failure and prints a summary.',
      ].join('\n'),
      examples,
    },
    parameters,
    runbookId: runbook.id,
    runbookVersion: runbook.version,
    variantId: variant.id,
    variantTitle: variant.title,
    scriptFile,
    journalFile: scriptFile.replace(/\.ps1$/, '.journal.json'),
    clusterParameter: constants.clusterParameter,
    credentialParameter: constants.credentialParameter,
    captures,
    listsNodes: plan.phases.some((p) => p.scope === 'each-node'),
    stepKeys: plan.phases.flatMap((phase) => phase.steps.map((s) => `${phase.id}/${s.id}`)),
    phaseIds: plan.phases.map((phase) => phase.id),
    remoteParamBlock: constants.remoteParamBlock,
    remoteArguments: constants.remoteArguments,
    remoteParamBlockAllNodes: constants.remoteParamBlockAllNodes,
    remoteArgumentsAllNodes: constants.remoteArgumentsAllNodes,
    phaseCount: plan.phases.length,
    phases: functionNouns.map((functionNoun) => ({ functionNoun })),
  };
  const phase = (i: number): PhaseView => {
    const phase = plan.phases[i]!;
    return {
      id: phase.id,
      number: i + 1,
      phaseCount: plan.phases.length,
      title: phase.title,
      functionNoun: functionNouns[i]!,
      eachNode: phase.scope === 'each-node',
      parallel: phase.scope === 'each-node' && phase.parallel !== undefined,
      steps: phase.steps.map((s, si) => {
        const view = stepView(plan, phase, s, ctx, runbook, constants);
        if (s.irreversible !== undefined) {
          view.requires = requirementsOf(plan, i, si);
          view.hasRequires = view.requires.length > 0;
        }
        return view;
      }),
    };
  };
  return { head, phaseCount: plan.phases.length, phase };
}

/** The whole view at once (a build renders with scriptViews). */
export function buildScriptView(plan: VariantPlan, ctx: EmitContext): ScriptView {
  const views = scriptViews(plan, ctx);
  return { ...views.head, phases: Array.from({ length: views.phaseCount }, (_, i) => views.phase(i)) };
}
