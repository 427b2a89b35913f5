/**
 * What an irreversible step makes impossible, recognised from its commands, so that the checklist can
 * say what rolling back still means before the point of no return. Only operations whose one-way
 * nature is documented are recognised; anything else is described by the author's own reason.
 */
import type { Step } from '../../model/runbook.js';

export type OneWayOperation = 'functional-level' | 'storage-pool' | 'vm-version';

const ONE_WAY_CMDLETS: ReadonlyArray<{ pattern: RegExp; operation: OneWayOperation }> = [
  { pattern: /(^|[^\w-])Update-ClusterFunctionalLevel(?![\w-])/i, operation: 'functional-level' },
  { pattern: /(^|[^\w-])Update-StoragePool(?![\w-])/i, operation: 'storage-pool' },
  { pattern: /(^|[^\w-])Update-VMVersion(?![\w-])/i, operation: 'vm-version' },
];

/** The step's own PowerShell (what it runs; not its probe or verification, which only read). */
function actingCommands(step: Step): string[] {
  switch (step.kind) {
    case 'run':
      return [step.command.text];
    default:
      return [];
  }
}

export function oneWayOperationsOf(step: Step): OneWayOperation[] {
  const found = new Set<OneWayOperation>();
  for (const text of actingCommands(step)) {
    for (const { pattern, operation } of ONE_WAY_CMDLETS) {
      if (pattern.test(text)) found.add(operation);
    }
  }
  // The rolling-upgrade plug-in raises the functional level itself when asked to (cau.md 3.3).
  if (step.kind === 'cau' && step.action === 'run') {
    const raises = step.plugins.some((p) =>
      p.arguments.some((a) => a.name.toLowerCase() === 'updateclusterfunctionallevel' && a.value.toLowerCase() === 'true'),
    );
    if (raises) found.add('functional-level');
  }
  return [...found];
}
