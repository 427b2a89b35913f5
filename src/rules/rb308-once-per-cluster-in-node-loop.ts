/**
 * Steps that act on the whole cluster (stopping it, raising its functional level, a CAU run,
 * validation) run once. Inside a per-node phase they would run once per server.
 */
import { findCmdlet } from './catalog/catalog.js';
import { defineRule } from './engine.js';
import { forEachCommand, forEachStep } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';
import { effectsOfStep } from './state/step-effects.js';

const CLUSTER_EFFECTS = /^(cluster\.|validate\.|cau\.)/;
/** Cluster-wide cmdlets without an effect in the state model. */
const CLUSTER_CMDLETS = new Set(['Invoke-CauScan', 'Add-CauClusterRole', 'Set-CauClusterRole', 'Stop-CauRun']);

export default defineRule({
  meta: {
    id: 'RB308',
    name: 'once-per-cluster-in-node-loop',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Disallow once-per-cluster steps (Stop-Cluster, Update-ClusterFunctionalLevel, Update-StoragePool, CAU runs, validation) inside per-node phases.',
  },
  messages: {
    inLoop: 'Unexpected once-per-cluster {{what}} in `{{step}}` inside the per-node phase `{{phase}}`, expected it in a phase with `scope: cluster`',
  },
  check({ runbook }, context) {
    forEachStep(runbook, (entry) => {
      const { step, phase } = entry;
      if (phase.scope !== 'each-node') return;
      if (step.kind === 'cau') {
        context.report({ messageId: 'inLoop', data: { what: `CAU ${step.action}`, step: step.id, phase: phase.id }, span: step.span, step });
        return;
      }
      for (const effect of effectsOfStep(step)) {
        if (CLUSTER_EFFECTS.test(effect.name)) {
          context.report({ messageId: 'inLoop', data: { what: effect.command ? `\`${effect.command}\`` : `\`${effect.name}\``, step: step.id, phase: phase.id }, span: effect.span, step });
        }
      }
      forEachCommand(entry, (command, checked) => {
        for (const cmd of checked.parsed.commands) {
          const name = findCmdlet(cmd.name)?.name;
          if (name && CLUSTER_CMDLETS.has(name)) context.report({ messageId: 'inLoop', data: { what: `\`${name}\``, step: step.id, phase: phase.id }, span: spanIn(command, cmd.nameRange), step });
        }
      });
    });
  },
});
