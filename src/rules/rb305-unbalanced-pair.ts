/**
 * What a runbook takes down it must bring back, on every path: drain and resume, Stop-Cluster and
 * Start-Cluster, the cluster service disabled and set back to Automatic, disks offline and online,
 * and the pairs authors declare (`pair.open.<name>` / `pair.close.<name>`).
 */
import { defineRule } from './engine.js';
import { forEachAppliedEffect } from './helpers.js';
import { PAIR_CLOSE, PAIR_OPEN } from './state/effects.js';
import type { Step } from '../model/runbook.js';

export default defineRule({
  meta: {
    id: 'RB305',
    name: 'unbalanced-pair',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require paired actions to be balanced on every path: drain/resume, stop/start cluster, cluster service disabled/automatic, disks offline/online, declared pairs.',
  },
  messages: {
    notClosed: 'Unexpected {{what}} left by `{{step}}` at the end of the run, expected {{closer}} after it on every path{{path}}',
    closeWithoutOpen: 'Unexpected `{{effect}}` in `{{step}}` with no matching `{{open}}` before it, expected the pair opened first',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      const path = Object.entries(trace.valuation)
        .filter(([, v]) => !v)
        .map(([k]) => `\`${k}\` is false`);
      const pathNote = path.length > 0 ? ` (when ${path.join(' and ')})` : '';
      const report = (step: Step, what: string, closer: string) =>
        context.report({ messageId: 'notClosed', data: { what, step: step.id, closer, path: pathNote }, span: step.span, step });
      const final = trace.final;
      for (const node of final.nodes) {
        if (node.status !== 'up' && node.downBy) report(node.downBy, `${node.status} server`, '`Resume-ClusterNode`');
        if (node.clusSvcDisabledBy) report(node.clusSvcDisabledBy, 'cluster service set to Disabled', '`Set-Service -Name ClusSvc -StartupType Automatic`');
        for (const [name, step] of Object.entries(node.openPairs)) report(step, `open \`${PAIR_OPEN}${name}\` on a server`, `\`${PAIR_CLOSE}${name}\``);
      }
      if (!final.cluster.running && final.cluster.stoppedBy) report(final.cluster.stoppedBy, 'stopped cluster', '`Start-Cluster`');
      if (!final.cluster.disksOnline && final.cluster.disksOfflineBy) report(final.cluster.disksOfflineBy, 'offline virtual disks', '`Start-ClusterResource` on the cluster shared volumes');
      for (const [name, step] of Object.entries(final.cluster.openPairs)) report(step, `open \`${PAIR_OPEN}${name}\``, `\`${PAIR_CLOSE}${name}\``);

      forEachAppliedEffect(trace, (effect, before, event) => {
        if (!effect.name.startsWith(PAIR_CLOSE)) return;
        const name = effect.name.slice(PAIR_CLOSE.length);
        const open = event.phase.scope === 'each-node' ? event.nodes.every((i) => before.nodes[i]!.openPairs[name]) : before.cluster.openPairs[name];
        if (!open) context.report({ messageId: 'closeWithoutOpen', data: { effect: effect.name, step: event.step.id, open: PAIR_OPEN + name }, span: effect.span, step: event.step });
      });
    }
  },
});
