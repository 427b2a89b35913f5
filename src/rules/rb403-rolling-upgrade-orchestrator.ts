/**
 * A RollingUpgradePlugin run restarts every server of the cluster, so it must be driven from a
 * machine outside the cluster (running Windows Server 2022), and the script must check that it is.
 */
import { defineRule } from './engine.js';
import { forEachEvent } from './helpers.js';

export default defineRule({
  meta: {
    id: 'RB403',
    name: 'rolling-upgrade-orchestrator',
    band: 'safety',
    defaultSeverity: 'error',
    description: 'Require a RollingUpgradePlugin run to start from the orchestrator, after a check that the orchestrator is not a server of the cluster.',
  },
  messages: {
    onNode: 'Unexpected RollingUpgradePlugin run `{{step}}` on a cluster server ({{where}}), expected it to run once from the orchestrator outside the cluster',
    unchecked:
      'Unexpected RollingUpgradePlugin run `{{step}}` without a check that this machine is outside the cluster, expected a `check` comparing `$env:COMPUTERNAME` with `Get-ClusterNode` (or `effects: [verify.orchestrator-outside-cluster]`) before it',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      forEachEvent(trace, (event) => {
        const run = event.applied.find((a) => a.effect.name === 'cau.feature-update');
        if (!run) return;
        const where = event.phase.scope === 'each-node' ? `per-node phase \`${event.phase.id}\`` : event.step.runOn === 'node' ? '`runOn: node`' : undefined;
        if (where) context.report({ messageId: 'onNode', data: { step: event.step.id, where }, span: run.effect.span, step: event.step });
        else if (!run.before.cluster.orchestratorChecked) context.report({ messageId: 'unchecked', data: { step: event.step.id }, span: run.effect.span, step: event.step });
      });
    }
  },
});
