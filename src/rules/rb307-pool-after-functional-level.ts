/** Update-StoragePool belongs after Update-ClusterFunctionalLevel (rolling-upgrade procedure, step 5). */
import { defineRule } from './engine.js';
import { forEachAppliedEffect } from './helpers.js';

export default defineRule({
  meta: {
    id: 'RB307',
    name: 'pool-after-functional-level',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require the storage pool to be updated only after the cluster functional level is raised.',
  },
  messages: {
    early: 'Unexpected `Update-StoragePool` in `{{step}}` before the cluster functional level is raised, expected `Update-ClusterFunctionalLevel` earlier on every path',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      forEachAppliedEffect(trace, (effect, before, event) => {
        if (effect.name === 'cluster.update-pool' && before.cluster.functionalLevelRaises === 0) {
          context.report({ messageId: 'early', data: { step: event.step.id }, span: effect.span, step: event.step });
        }
      });
    }
  },
});
