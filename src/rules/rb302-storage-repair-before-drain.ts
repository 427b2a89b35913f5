/**
 * After a server comes back, Storage Spaces Direct resynchronises its data. Draining the next
 * server before the repair jobs complete leaves some data with one copy fewer than it needs.
 */
import { defineRule } from './engine.js';
import { forEachAppliedEffect } from './helpers.js';

export default defineRule({
  meta: {
    id: 'RB302',
    name: 'storage-repair-before-drain',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require storage repair jobs to complete after a server returns and before the next server is drained.',
  },
  messages: {
    repairing:
      'Unexpected drain in `{{step}}` while storage may still be repairing after `{{previous}}`, expected a `wait` step until `Get-StorageJob` shows every job completed before it',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      forEachAppliedEffect(trace, (effect, before, event) => {
        if ((effect.name !== 'node.drain' && effect.name !== 'node.drain-start') || !before.cluster.running || !before.cluster.repairing) return;
        const previous = before.cluster.repairStartedBy;
        const report: Parameters<typeof context.report>[0] = { messageId: 'repairing', data: { step: event.step.id, previous: previous?.id ?? '?' }, span: effect.span, step: event.step };
        if (previous) report.related = { message: `The server restarted or was updated here (\`${previous.id}\`)`, span: previous.span };
        context.report(report);
      });
    }
  },
});
