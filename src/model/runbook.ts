/**
 * The intermediate representation (IR): the one shape every stage speaks.
 *
 * Parsers (YAML, Markdown) produce it, rules read it, emitters render views of it.
 * Nothing downstream of a parser ever sees YAML or Markdown syntax, only these types.
 * Every node keeps the source span it came from so that diagnostics and generated
 * comments can point back at the runbook.
 */

/** A place in a runbook source file. Lines and columns are 1-based. */
export interface SourceSpan {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type ParameterType = 'string' | 'int' | 'bool' | 'string[]' | 'credential';

/**
 * A parameter of the generated script. Credentials are a type of their own: they are
 * prompted for (or passed as a PSCredential) and never have a default or a stored value.
 */
export interface Parameter {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
  default?: string | number | boolean | string[];
  /** A .NET regular expression the value must match (strings and string arrays). */
  pattern?: string;
  /** The only values allowed (strings). */
  allowed?: string[];
  /** Inclusive bounds (integers). */
  minimum?: number;
  maximum?: number;
  span: SourceSpan;
}

/** An alternative path through the procedure; each compiles to its own script and checklist. */
export interface Variant {
  id: string;
  title: string;
  description: string;
  span: SourceSpan;
}

/**
 * Where a phase runs:
 * - `orchestrator`: once, on the admin machine that runs the script;
 * - `cluster`: once for the whole cluster (commands target it with -Cluster/-ClusterName);
 * - `each-node`: a loop over the cluster's nodes, one at a time unless `parallel` is set.
 */
export type PhaseScope = 'orchestrator' | 'cluster' | 'each-node';

export interface Phase {
  id: string;
  title: string;
  description: string;
  scope: PhaseScope;
  /** Variant ids this phase belongs to; empty means every variant. */
  variants: string[];
  /** For `each-node` phases that act on all nodes at once: how many nodes at a time. */
  parallel?: { throttle: number };
  steps: Step[];
  span: SourceSpan;
}

/** A fragment of PowerShell written by the runbook author, with where it was written. */
export interface Command {
  text: string;
  span: SourceSpan;
  /**
   * Where each line of `text` starts in the source file, when the parser can tell (plain and block
   * scalars, fenced code). Lets a diagnostic point at a token inside a multi-line command; without
   * it, diagnostics point at `span`.
   */
  lines?: Array<{ line: number; column: number }>;
}

/** A rule waived for one step, with the author's reason. */
export interface Waiver {
  rule: string;
  reason: string;
  span: SourceSpan;
}

export type StepKind = 'run' | 'manual' | 'wait' | 'check' | 'confirm' | 'cau';

interface StepBase {
  id: string;
  title: string;
  description: string;
  /** Variant ids this step belongs to (within its phase); empty means every variant of the phase. */
  variants: string[];
  /** Where the step's commands execute: the machine running the script, or the node in a per-node loop. */
  runOn: 'orchestrator' | 'node';
  /** Set when the step cannot be undone; the reason is shown at its gate and in the checklist. */
  irreversible?: { reason: string };
  /** The step restarts the node it acts on. */
  reboots: boolean;
  /** Effects on cluster state the command catalog cannot infer, e.g. `node.drain`. */
  effects: string[];
  /** Asserted after the step; the step fails when it does not hold. */
  verify?: Command;
  /** "Already done?" probe: when it holds before the step runs, a rerun skips the step. */
  probe?: Command;
  /** What the operator writes down on the checklist (time, initials, evidence). */
  record: string[];
  /** Only run when this bool parameter is true. */
  when?: string;
  /** Stores the command's output in a script variable of this name for later steps (e.g. a value read before a change). */
  capture?: string;
  retries: number;
  timeoutSeconds?: number;
  waivers: Waiver[];
  span: SourceSpan;
}

/** Runs PowerShell. */
export interface RunStep extends StepBase {
  kind: 'run';
  command: Command;
}

/** Instructions to a person, with an optional verification of the outcome. */
export interface ManualStep extends StepBase {
  kind: 'manual';
  instructions: string[];
}

/** Polls a condition until it holds, with an interval and a timeout. */
export interface WaitStep extends StepBase {
  kind: 'wait';
  until: Command;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Told to the operator when the wait times out: what to check. */
  onTimeout: string;
}

/** An assertion that stops the run when it is false. */
export interface CheckStep extends StepBase {
  kind: 'check';
  assert: Command;
  /** Told to the operator when the check fails. */
  failMessage: string;
}

/** A human gate: the run stops unless the operator agrees. */
export interface ConfirmStep extends StepBase {
  kind: 'confirm';
  prompt: string;
}

export interface CauPlugin {
  name: string;
  /** Plug-in arguments; CAU takes them as strings. Key order is kept. */
  arguments: Array<{ name: string; value: string }>;
}

/** A Cluster-Aware Updating scan (Invoke-CauScan) or updating run (Invoke-CauRun). */
export interface CauStep extends StepBase {
  kind: 'cau';
  action: 'scan' | 'run';
  plugins: CauPlugin[];
  /** Invoke-CauRun / Invoke-CauScan options by parameter name, in source order. */
  options: Array<{ name: string; value: number | boolean | string }>;
}

export type Step = RunStep | ManualStep | WaitStep | CheckStep | ConfirmStep | CauStep;

export interface Runbook {
  id: string;
  title: string;
  version: string;
  summary: string;
  /** The document the procedure comes from (a URL or a path), for reviewers. */
  sourceDocument?: string;
  /** What the cluster tolerates: nodes that may be down at once in rolling variants. */
  cluster: { maxNodesDown: number };
  parameters: Parameter[];
  variants: Variant[];
  phases: Phase[];
  /** True for a draft produced by `runbookc import`; drafts never build into runnable scripts. */
  draft: boolean;
  span: SourceSpan;
}
