/**
 * A server that restarts or is updated while the cluster runs must be drained first, or its roles
 * go down with it. CAU steps are exempt: Cluster-Aware Updating drains each server itself. A drain
 * started without `-Wait` counts once something has waited for it to complete (a wait, check or
 * verification on its DrainStatus): until then roles may still be moving off the server.
 */
import { defineRule } from './engine.js';
import { forEachAppliedEffect } from './helpers.js';

export default defineRule({
  meta: {
    id: 'RB301',
    name: 'drain-before-reboot',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require a server to be drained (or the cluster stopped) before a step restarts or updates it.',
  },
  messages: {
    notDrained:
      'Unexpected `{{step}}` that {{what}} a server that is {{status}} while the cluster runs, expected `Suspend-ClusterNode -Drain` on it first (rolling update) or the cluster stopped (offline update)',
    stillDraining:
      "Unexpected `{{step}}` that {{what}} a server whose drain (`{{drain}}`, without `-Wait`) may still be moving its roles, expected a `wait` step until `(Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'` before it",
  },
  check({ traces }, context) {
    for (const trace of traces) {
      forEachAppliedEffect(trace, (effect, before, event) => {
        if (event.step.kind === 'cau') return;
        if (effect.name !== 'node.reboot' && effect.name !== 'node.update-os') return;
        if (!before.cluster.running) return;
        const notDrained = event.nodes.map((i) => before.nodes[i]!).filter((n) => n.status !== 'drained');
        if (notDrained.length === 0) return;
        const what = effect.name === 'node.reboot' ? 'restarts' : 'updates';
        const first = notDrained[0]!;
        if (first.status === 'draining') {
          context.report({ messageId: 'stillDraining', data: { step: event.step.id, what, drain: first.downBy?.id ?? '?' }, span: effect.span, step: event.step });
          return;
        }
        context.report({
          messageId: 'notDrained',
          data: { step: event.step.id, what, status: first.status === 'paused' ? 'paused but not drained' : 'not drained' },
          span: effect.span,
          step: event.step,
        });
      });
    }
  },
});
