import type { Command, Step } from './runbook.js';

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
