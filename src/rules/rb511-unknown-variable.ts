/**
 * The generated script runs every command under `Set-StrictMode -Version 3.0`: reading a variable
 * that was never set stops the run at that step, in the maintenance window, with the cluster half
 * upgraded. A misspelled `$Nodes`, a `$Node` outside a per-node phase, or a variable set by an
 * earlier step's command (each step's command runs in its own scope) are all caught here instead.
 * A capture is set to `$null` when the script starts: read before the step that captures it, it
 * does not stop the run but gives the command `$null`, which is reported too. Whether a capture is
 * set is judged on every path the script can take (each variant, each combination of the `when`
 * parameters), in the order the steps run: a capture made only when a `when` parameter is set
 * leaves `$null` on the runs without it, where `-gt $LevelBefore` holds for any level.
 */
import type { VariantPlan } from '../model/plan.js';
import type { Trace } from './state/interpret.js';
import { SCRIPT_PARAMETERS } from '../model/script-parameters.js';
import type { Runbook, Step } from '../model/runbook.js';
import { closest } from '../util/closest.js';
import type { VariableUse } from './commands/parse.js';
import { variablesOf } from './commands/variables.js';
import { defineRule, type RuleContext } from './engine.js';
import { forEachCaptureRead, forEachCommand, forEachStep, isRemote, type CaptureRead } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

/** The generated script's own parameters, which its local steps see as variables. */
const SCRIPT_PARAMETER_NAMES = new Set(SCRIPT_PARAMETERS.map((n) => n.toLowerCase()));

export default defineRule({
  meta: {
    id: 'RB511',
    name: 'unknown-variable',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require every variable a command reads to be set when it runs: a runbook parameter, `$Node` in a per-node phase, a capture of an earlier step, a PowerShell automatic variable or one the command sets itself.',
  },
  messages: {
    unknown:
      'Unexpected variable `${{name}}` in step `{{step}}`: it is not set when the command runs, and the script stops there (Set-StrictMode), expected {{expected}}{{hint}}',
    beforeCapture:
      'Unexpected `${{name}}` in step `{{step}}` before step `{{capturedBy}}` captures it, expected it read after that step: until then the script holds `$null` in it',
    capturedOnlyWhen:
      'Unexpected `${{name}}` in step `{{step}}` on a run without `-{{when}}`: step `{{capturedBy}}`, which captures it, runs only with `-{{when}}`, and the script holds `$null` in it on such a run; expected the reading step under the same `when: {{when}}`, or the value captured on every run',
  },
  check({ runbook, plans, traces }, context) {
    const parameters = new Set(runbook.parameters.map((p) => p.name.toLowerCase()));
    const remoteParameters = new Set(runbook.parameters.filter((p) => p.type !== 'credential').map((p) => p.name.toLowerCase()));
    const captures = new Set<string>();
    /** Every capture, and the first step that captures it: the script sets each to `$null` at its start. */
    const capturedBy = new Map<string, Step>();
    forEachStep(runbook, ({ step }) => {
      const name = step.capture?.toLowerCase();
      if (name !== undefined && !capturedBy.has(name)) capturedBy.set(name, step);
    });
    /** The variants a step runs in where no step captures `name`: their scripts never set it. */
    const notCapturedIn = variantsWithout(plans);
    /** Variables the commands of earlier steps set, and the first step that sets each. */
    const setEarlier = new Map<string, string>();
    /** Reads of a capture by each step's local commands, judged on every path once the steps are read. */
    const captureReads = new Map<Step, CaptureRead[]>();
    forEachStep(runbook, (entry) => {
      const { step, phase } = entry;
      // A step's own capture is set before its verification runs.
      if (step.capture) captures.add(step.capture.toLowerCase());
      const inNodeLoop = phase.scope === 'each-node';
      let setHere: Array<ReadonlySet<string>> | undefined;
      forEachCommand(entry, (command, checked) => {
        const { reads, sets, dotSources } = variablesOf(checked.parsed);
        if (sets.size > 0) (setHere ??= []).push(sets);
        // A dot-sourced script (`. .\lib.ps1`) may set any variable: such a command is not checked.
        if (dotSources) return;
        const remote = isRemote(step, command);
        for (let r = 0; r < reads.length; r++) {
          const { name, use } = reads[r]!;
          // A remote command gets the runbook's parameters but credentials, and `$Node` (docs/powershell-runtime.md).
          const known = remote
            ? remoteParameters.has(name) || name === 'node'
            : parameters.has(name) || SCRIPT_PARAMETER_NAMES.has(name) || (inNodeLoop && name === 'node');
          if (known) continue;
          const capturing = remote ? undefined : capturedBy.get(name);
          // A capture is set (to `$null` until its step runs) in the script of every variant that has a step capturing it.
          const missing = capturing ? notCapturedIn(step, name) : [];
          if (capturing && missing.length === 0) {
            let reads = captureReads.get(step);
            if (!reads) captureReads.set(step, (reads = []));
            reads.push({ name, use, command });
            continue;
          }
          const hint = capturing
            ? `; no step of variant ${missing.map((v) => `\`${v}\``).join(', ')} captures it`
            : hintFor(use, runbook, [...capturedBy.values()], remote, inNodeLoop, setEarlier.get(name));
          context.report({
            messageId: 'unknown',
            data: { name: use.name, step: step.id, expected: expectedText(remote, inNodeLoop, captures.size > 0), hint },
            span: spanIn(command, use.range),
            step,
          });
        }
      });
      if (setHere) for (const sets of setHere) for (const name of sets) if (!setEarlier.has(name)) setEarlier.set(name, step.id);
    });
    reportReadsBeforeCapture(traces, captureReads, context);
  },
});

/**
 * Reports each read of a capture that some path reaches before any step of that path has captured
 * it: once per read, on the first such path (traces come all-true first).
 */
function reportReadsBeforeCapture(traces: readonly Trace[], captureReads: ReadonlyMap<Step, readonly CaptureRead[]>, context: RuleContext): void {
  const reported = new Set<CaptureRead>();
  forEachCaptureRead(traces, captureReads, (read, { step }, capturedAt, trace) => {
    if (capturedAt || reported.has(read)) return;
    reported.add(read);
    const span = spanIn(read.command, read.use.range);
    const skipped = capturingStepSkipped(trace, step, read.name);
    if (skipped) {
      context.report({ messageId: 'capturedOnlyWhen', data: { name: read.use.name, step: step.id, when: skipped.when!, capturedBy: skipped.id }, span, step });
    } else {
      const capturing = capturingSteps(trace, read.name)[0]!;
      context.report({ messageId: 'beforeCapture', data: { name: read.use.name, step: step.id, capturedBy: capturing.id }, span, step });
    }
  });
}

/** The steps of a path's plan that capture `name`, in plan order (whether or not the path runs them). */
function capturingSteps(trace: Trace, name: string): Step[] {
  return trace.plan.phases.flatMap((phase) => phase.steps.filter((s) => s.capture?.toLowerCase() === name));
}

/** A step before `reader` in the plan that captures `name` but does not run on this path: its `when` parameter is not set. */
function capturingStepSkipped(trace: Trace, reader: Step, name: string): Step | undefined {
  const order = trace.plan.phases.flatMap((phase) => phase.steps);
  const readerAt = order.indexOf(reader);
  return order.find((s, i) => i < readerAt && s.capture?.toLowerCase() === name && s.when !== undefined && trace.valuation[s.when] !== true);
}

/**
 * For a step and a capture name, the ids of the variants the step runs in whose steps never capture
 * that name (worked out from the plans on first use: most runbooks read no capture at all).
 */
function variantsWithout(plans: readonly VariantPlan[]): (step: Step, name: string) => string[] {
  let variantsOfStep: Map<Step, string[]> | undefined;
  const capturingVariants = new Map<string, Set<string>>();
  return (step, name) => {
    if (!variantsOfStep) {
      variantsOfStep = new Map();
      for (const plan of plans) {
        for (const phase of plan.phases) {
          for (const s of phase.steps) {
            let ids = variantsOfStep.get(s);
            if (!ids) variantsOfStep.set(s, (ids = []));
            ids.push(plan.variant.id);
            const captured = s.capture?.toLowerCase();
            if (captured === undefined) continue;
            let variants = capturingVariants.get(captured);
            if (!variants) capturingVariants.set(captured, (variants = new Set()));
            variants.add(plan.variant.id);
          }
        }
      }
    }
    return (variantsOfStep.get(step) ?? []).filter((v) => !capturingVariants.get(name)?.has(v));
  };
}

function expectedText(remote: boolean, inNodeLoop: boolean, anyCapture: boolean): string {
  if (remote) return 'a runbook parameter (not a credential) or `$Node` (the command runs on the server, with `runOn: node`), or a variable the command sets itself';
  const parts = ['a runbook parameter'];
  if (inNodeLoop) parts.push('`$Node`');
  if (anyCapture) parts.push('a capture of this or an earlier step');
  parts.push('a variable the command sets itself (each step runs in its own scope)');
  return parts.slice(0, -1).join(', ') + (parts.length > 2 ? ', or ' : ' or ') + parts[parts.length - 1];
}

/** The end of the message: why the variable is not set, or what it was probably meant to be. `capturing`: every capturing step. */
function hintFor(use: VariableUse, runbook: Runbook, capturing: readonly Step[], remote: boolean, inNodeLoop: boolean, setBy: string | undefined): string {
  const name = use.name.toLowerCase();
  if (name === 'node' && !inNodeLoop) return '; `$Node` is set only in a phase with `scope: each-node`';
  if (setBy) return `; step \`${setBy}\` sets it, but its scope ends with it: have that step output the value and name it with \`capture\``;
  const captures = capturing.map((s) => s.capture!);
  if (remote && captures.some((c) => c.toLowerCase() === name)) return '; a capture does not reach a `runOn: node` command, which runs on the server';
  // The names a command of this kind may read, as the runbook spells them.
  const parameters = runbook.parameters.filter((p) => !remote || p.type !== 'credential').map((p) => p.name);
  const suggestion = closest(use.name, [...parameters, ...(remote ? [] : captures), ...(inNodeLoop ? ['Node'] : [])]);
  return suggestion ? `; did you mean \`$${suggestion}\`?` : '';
}
