/**
 * Small queries over the IR that several rules share.
 */
import type { Command, Phase, Runbook, Step } from '../model/runbook.js';
import { checkScript, type CommandFindingKind } from './commands/check.js';
import type { RuleContext, RuleDefinition } from './engine.js';
import { spanIn } from './position.js';

export function stepsWithPhase(runbook: Runbook): Array<{ step: Step; phase: Phase }> {
  return runbook.phases.flatMap((phase) => phase.steps.map((step) => ({ step, phase })));
}

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

/** Reports every finding of one kind of the command checker; one RB5xx rule per kind. */
export function reportCommandFindings(runbook: Runbook, kind: CommandFindingKind, context: RuleContext): void {
  for (const { step } of stepsWithPhase(runbook)) {
    for (const command of commandsOf(step)) {
      for (const finding of checkScript(command.text).findings) {
        if (finding.kind !== kind) continue;
        context.report({ messageId: 'finding', data: { message: finding.message }, span: spanIn(command, finding.range), step });
      }
    }
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
