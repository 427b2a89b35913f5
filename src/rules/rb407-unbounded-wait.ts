/**
 * Some commands wait without a limit of their own (`Suspend-ClusterNode -Wait`,
 * `Restart-Computer -Wait` without `-Timeout`, `Wait-Job` without `-Timeout`,
 * `Get-CauRun -WaitForCompletion`). The generated script cannot stop a command that runs in its
 * own session, so `timeoutMinutes` on a `run` step is a limit the checklist shows the operator,
 * not one the script enforces (docs/powershell-runtime.md): such a command needs a bound the
 * script does enforce, its own timeout parameter or a `wait` step, which the script polls and
 * stops at its `timeoutMinutes`.
 */
import { findCmdlet, findKnownName } from './catalog/catalog.js';
import { parameterGiven, type CommandAst } from './commands/parse.js';
import { defineRule } from './engine.js';
import { forEachCommand, forEachStep } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

/** A command that waits without a limit: how to name it, and the bound the script can enforce instead. */
interface UnboundedWait {
  what: string;
  bound: string;
}

function unboundedWait(cmd: CommandAst): UnboundedWait | undefined {
  const name = findCmdlet(cmd.name)?.name ?? findKnownName(cmd.name)?.name ?? cmd.name;
  switch (name) {
    case 'Suspend-ClusterNode':
      return parameterGiven(cmd, 'Wait', 4)
        ? { what: '`Suspend-ClusterNode -Wait`', bound: "the drain started without `-Wait`, then a `wait` step until `(Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'`" }
        : undefined;
    case 'Restart-Computer':
      return parameterGiven(cmd, 'Wait', 4) && !parameterGiven(cmd, 'Timeout') && !parameterGiven(cmd, 'TimeoutSec') ? { what: '`Restart-Computer -Wait` without `-Timeout`', bound: '`-Timeout` (seconds) on the command' } : undefined;
    case 'Get-CauRun':
      if (parameterGiven(cmd, 'WaitForCompletion', 8)) return { what: '`Get-CauRun -WaitForCompletion`', bound: 'a `wait` step that polls `Get-CauRun` until the run has ended' };
      return parameterGiven(cmd, 'WaitForStart', 8) ? { what: '`Get-CauRun -WaitForStart`', bound: 'a `wait` step that polls `Get-CauRun` until the run has started' } : undefined;
    case 'Wait-Job':
    case 'Wait-Process':
    case 'Wait-Event':
      return parameterGiven(cmd, 'Timeout') ? undefined : { what: `\`${name}\` without \`-Timeout\``, bound: '`-Timeout` (seconds) on the command' };
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
    description: 'Require a bound the generated script enforces on commands that wait without a limit of their own.',
  },
  messages: {
    unbounded:
      'Unexpected {{what}} in `{{step}}`, which can wait indefinitely: the script cannot stop a command while it runs (`timeoutMinutes` bounds how long a `wait` step polls, and on other steps is only shown to the operator). Expected {{bound}}',
  },
  check({ runbook }, context) {
    // Every fragment of a step, not only what a run step runs: a check, a verification or a probe
    // that waits without a limit hangs the run as surely, and so does one poll of a wait step.
    forEachStep(runbook, (entry) => {
      forEachCommand(entry, (command, { parsed }) => {
        for (const cmd of parsed.commands) {
          const found = unboundedWait(cmd);
          if (found) context.report({ messageId: 'unbounded', data: { what: found.what, bound: found.bound, step: entry.step.id }, span: spanIn(command, cmd.nameRange), step: entry.step });
        }
      });
    });
  },
});
