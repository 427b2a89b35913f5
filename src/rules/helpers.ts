/**
 * Small queries over the IR that several rules share.
 *
 * The rules read a deep-frozen IR (engine.ts), so what is derived from one runbook object stays
 * true for as long as that object lives. The queries that every rule would otherwise repeat are
 * therefore computed once per runbook object and kept in a WeakMap keyed on it; a runbook that is
 * not deep-frozen (isDeepFrozen) is never cached, and its queries are computed on every call.
 */
import { isDeepFrozen } from '../model/immutable.js';
import type { Command, Phase, Runbook, Step } from '../model/runbook.js';
import { checkScript, type CheckedScript, type CommandFinding, type CommandFindingKind } from './commands/check.js';
import type { RuleContext, RuleDefinition } from './engine.js';
import type { Trace, TraceEvent } from './state/interpret.js';
import type { ClusterModel } from './state/model.js';
import type { EffectUse } from './state/step-effects.js';
import type { VariableUse } from './commands/parse.js';
import { commandsOf } from '../model/step-commands.js';
import { spanIn } from '../powershell/command-span.js';

/** `compute(runbook)`, computed once per deep-frozen runbook object and shared by every caller. */
function perRunbook<T>(compute: (runbook: Runbook) => T): (runbook: Runbook) => T {
  const cache = new WeakMap<Runbook, T>();
  return (runbook) => {
    if (!isDeepFrozen(runbook)) return compute(runbook);
    let value = cache.get(runbook);
    if (value === undefined) {
      value = compute(runbook);
      cache.set(runbook, value);
    }
    return value;
  };
}

/** A PowerShell fragment of a step with the command checker's result for it. */
export interface CheckedCommand {
  command: Command;
  checked: CheckedScript;
}

export interface StepWithPhase {
  step: Step;
  phase: Phase;
  /** The step's fragments (`commandsOf`), each checked: several rules read them, each checks once. */
  commands: readonly CheckedCommand[];
}

/**
 * Every step with its phase and checked commands, in runbook order. The list and its entries are
 * frozen: every rule reads the same list. (The checker's results are shared by every command with
 * the same text, and are not changed by any reader.)
 */
export const stepsWithPhase: (runbook: Runbook) => readonly StepWithPhase[] = perRunbook((runbook) => {
  const out: StepWithPhase[] = [];
  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      const commands = commandsOf(step).map((command) => Object.freeze({ command, checked: checkScript(command.text) }));
      out.push(Object.freeze({ step, phase, commands: Object.freeze(commands) }));
    }
  }
  return Object.freeze(out);
});

/**
 * Calls `visit` for every step with its phase and checked commands (stepsWithPhase), in runbook
 * order. Rules walk the steps through this one indexed loop, as they walk trace events through
 * forEachEvent: a check walks the steps about ten times, mostly in code not yet optimized, where a
 * `for...of` over 10,000 entries (the iterator protocol) took 10-13 ms against 3 ms.
 */
export function forEachStep(runbook: Runbook, visit: (entry: StepWithPhase) => void): void {
  const steps = stepsWithPhase(runbook);
  for (let i = 0; i < steps.length; i++) visit(steps[i]!);
}

/** Calls `visit` for every checked command of a step, in order (an indexed loop, as in forEachStep). */
export function forEachCommand(entry: StepWithPhase, visit: (command: Command, checked: CheckedScript) => void): void {
  const commands = entry.commands;
  for (let i = 0; i < commands.length; i++) visit(commands[i]!.command, commands[i]!.checked);
}


interface CommandFindingAt {
  step: Step;
  command: Command;
  finding: CommandFinding;
}

/** The findings of the command checker over the whole runbook, by kind, in runbook order (read here only). */
const commandFindingsByKind: (runbook: Runbook) => ReadonlyMap<CommandFindingKind, readonly CommandFindingAt[]> = perRunbook((runbook) => {
  const byKind = new Map<CommandFindingKind, CommandFindingAt[]>();
  forEachStep(runbook, (entry) =>
    forEachCommand(entry, (command, checked) => {
      for (const finding of checked.findings) {
        let list = byKind.get(finding.kind);
        if (!list) byKind.set(finding.kind, (list = []));
        list.push({ step: entry.step, command, finding });
      }
    }),
  );
  return byKind;
});

/** Reports every finding of one kind of the command checker; one RB5xx rule per kind. */
export function reportCommandFindings(runbook: Runbook, kind: CommandFindingKind, context: RuleContext): void {
  for (const { step, command, finding } of commandFindingsByKind(runbook).get(kind) ?? []) {
    context.report({ messageId: 'finding', data: { message: finding.message }, span: spanIn(command, finding.range), step });
  }
}

export function commandRule(meta: RuleDefinition['meta'], kind: CommandFindingKind): RuleDefinition {
  return {
    meta,
    messages: { finding: '{{message}}' },
    check(input, context) {
      reportCommandFindings(input.runbook, kind, context);
    },
  };
}

/**
 * Calls `visit` for every effect applied on a path, in order, with the model just before it and
 * its event. Rules walk the traces through this one function rather than each with nested loops
 * of its own: a rule's loops run once, in a cold process mostly before V8 compiles them (and
 * `for...of` allocates an iterator for every list and a result for every item while it does),
 * where this shared loop is compiled early. A 10,000-step runbook applies some 20,000 effects
 * on each path.
 */
export function forEachAppliedEffect(trace: Trace, visit: (effect: EffectUse, before: ClusterModel, event: TraceEvent) => void): void {
  const events = trace.events;
  for (let e = 0; e < events.length; e++) {
    const event = events[e]!;
    const applied = event.applied;
    for (let a = 0; a < applied.length; a++) visit(applied[a]!.effect, applied[a]!.before, event);
  }
}

/** Calls `visit` for every event on a path, in order: the loop over events of forEachAppliedEffect, for rules that read events whole. */
export function forEachEvent(trace: Trace, visit: (event: TraceEvent) => void): void {
  const events = trace.events;
  for (let e = 0; e < events.length; e++) visit(events[e]!);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Whether `command` runs on the server rather than on the admin machine: a `runOn: node` step's command. */
export function isRemote(step: Step, command: Command): boolean {
  return step.kind === 'run' && step.runOn === 'node' && command === step.command;
}

/** A read of a captured value (`$<capture>`) by one of a step's commands. */
export interface CaptureRead {
  /** The capture's name in lower case. */
  name: string;
  use: VariableUse;
  command: Command;
}

/**
 * Walks every path in the order its steps run, and calls `visit` for each read in `reads` (keyed
 * by the step whose commands read it) with the event that last captured the read's name on that
 * path, or undefined when none has yet. A step's own capture counts for its own commands: it is
 * set before the step's verification runs.
 */
export function forEachCaptureRead(
  traces: readonly Trace[],
  reads: ReadonlyMap<Step, readonly CaptureRead[]>,
  visit: (read: CaptureRead, event: TraceEvent, capturedAt: TraceEvent | undefined, trace: Trace) => void,
): void {
  if (reads.size === 0) return;
  for (const trace of traces) {
    const lastCapture = new Map<string, TraceEvent>();
    forEachEvent(trace, (event) => {
      const own = event.step.capture?.toLowerCase();
      if (own !== undefined) lastCapture.set(own, event);
      const stepReads = reads.get(event.step);
      if (stepReads) for (const read of stepReads) visit(read, event, lastCapture.get(read.name), trace);
    });
  }
}
