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
import { spanIn } from './position.js';

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

/** Every PowerShell fragment of a step: what it runs, asserts, polls, verifies and probes. */
export function commandsOf(step: Step): Command[] {
  const out: Command[] = [];
  if (step.kind === 'run') out.push(step.command);
  if (step.kind === 'check') out.push(step.assert);
  if (step.kind === 'wait') out.push(step.until);
  if (step.verify) out.push(step.verify);
  if (step.probe) out.push(step.probe);
  return out;
}

interface CommandFindingAt {
  step: Step;
  command: Command;
  finding: CommandFinding;
}

/** The findings of the command checker over the whole runbook, by kind, in runbook order (read here only). */
const commandFindingsByKind: (runbook: Runbook) => ReadonlyMap<CommandFindingKind, readonly CommandFindingAt[]> = perRunbook((runbook) => {
  const byKind = new Map<CommandFindingKind, CommandFindingAt[]>();
  for (const { step, commands } of stepsWithPhase(runbook)) {
    for (const { command, checked } of commands) {
      for (const finding of checked.findings) {
        let list = byKind.get(finding.kind);
        if (!list) byKind.set(finding.kind, (list = []));
        list.push({ step, command, finding });
      }
    }
  }
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

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
