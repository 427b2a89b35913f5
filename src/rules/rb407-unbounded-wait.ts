/**
 * Some commands wait without a limit of their own (`Suspend-ClusterNode -Wait`,
 * `Restart-Computer -Wait` without `-Timeout`, `Wait-Job` without `-Timeout`,
 * `Get-CauRun -WaitForCompletion`). A step that runs one needs `timeoutMinutes`.
 */
import { findCmdlet, findKnownName } from './catalog/catalog.js';
import { checkScript } from './commands/check.js';
import type { CommandAst } from './commands/parse.js';
import { defineRule } from './engine.js';
import { forEachStep } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

const has = (cmd: CommandAst, name: string, min = 3) =>
  cmd.elements.find((e) => e.kind === 'parameter' && e.name.length >= Math.min(min, name.length) && name.toLowerCase().startsWith(e.name.toLowerCase()));

function unboundedWait(cmd: CommandAst): string | undefined {
  const name = findCmdlet(cmd.name)?.name ?? findKnownName(cmd.name)?.name ?? cmd.name;
  switch (name) {
    case 'Suspend-ClusterNode':
      return has(cmd, 'Wait', 4) ? '`Suspend-ClusterNode -Wait`' : undefined;
    case 'Restart-Computer':
      return has(cmd, 'Wait', 4) && !has(cmd, 'Timeout') && !has(cmd, 'TimeoutSec') ? '`Restart-Computer -Wait` without `-Timeout`' : undefined;
    case 'Get-CauRun':
      return has(cmd, 'WaitForCompletion', 8) ? '`Get-CauRun -WaitForCompletion`' : has(cmd, 'WaitForStart', 8) ? '`Get-CauRun -WaitForStart`' : undefined;
    case 'Wait-Job':
    case 'Wait-Process':
    case 'Wait-Event':
      return has(cmd, 'Timeout') ? undefined : `\`${name}\` without \`-Timeout\``;
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'RB407',
    name: 'unbounded-wait',
    band: 'safety',
    defaultSeverity: 'warning',
    description: 'Require a step timeout on steps that run a command which waits without a limit of its own.',
  },
  messages: {
    unbounded: 'Unexpected {{what}} in `{{step}}` without a step timeout, expected `timeoutMinutes` on the step so that a hung wait stops the run',
  },
  check({ runbook }, context) {
    forEachStep(runbook, ({ step }) => {
      if (step.kind !== 'run' || step.timeoutSeconds !== undefined) return;
      for (const cmd of checkScript(step.command.text).parsed.commands) {
        const what = unboundedWait(cmd);
        if (what) context.report({ messageId: 'unbounded', data: { what, step: step.id }, span: spanIn(step.command, cmd.nameRange), step });
      }
    });
  },
});
