/**
 * A per-node phase with `parallel` works on several servers at once. That is right when the whole
 * cluster is down (the offline update) and wrong while it runs workloads.
 */
import { defineRule } from './engine.js';
import { forEachEvent } from './helpers.js';
import { TAKES_NODE_DOWN } from './state/effects.js';

export default defineRule({
  meta: {
    id: 'RB303',
    name: 'node-loop-concurrency',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require per-node phases that take servers down to run one server at a time (or as many as the cluster tolerates) unless the cluster is stopped.',
  },
  messages: {
    parallel:
      'Unexpected `{{step}}` taking down {{throttle}} servers at once (`parallel.throttle: {{throttle}}`) while the cluster runs, expected one server at a time (remove `parallel`), a throttle of at most {{max}} (`cluster.maxNodesDown`), or the cluster stopped first',
  },
  check({ runbook, traces }, context) {
    const max = runbook.cluster.maxNodesDown;
    for (const trace of traces) {
      forEachEvent(trace, (event) => {
        if (!event.parallel || event.parallel.throttle <= max) return;
        const hit = event.applied.find((a) => TAKES_NODE_DOWN.has(a.effect.name) && a.before.cluster.running);
        if (!hit) return;
        context.report({ messageId: 'parallel', data: { step: event.step.id, throttle: event.parallel.throttle, max }, span: hit.effect.span, step: event.step });
      });
    }
  },
});
