/**
 * Nothing that takes a server or the cluster out of service happens before the cluster (or the
 * CAU setup) has been validated: Test-Cluster or Test-CauSetup, or a step declaring
 * `validate.cluster` / `validate.cau`. A CAU quality-update run does not count as such a change:
 * CAU checks the cluster's readiness itself and the procedure installs those updates first.
 */
import { defineRule } from './engine.js';
import { DISRUPTIVE_EFFECTS } from './state/effects.js';

export default defineRule({
  meta: {
    id: 'RB306',
    name: 'validate-before-change',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require validation (Test-Cluster or Test-CauSetup) before the first step that takes a server or the cluster out of service.',
  },
  messages: {
    unvalidated:
      'Unexpected `{{step}}` ({{effect}}) before the cluster is validated, expected `Test-Cluster` or `Test-CauSetup` (or a step with `effects: [validate.cluster]`) earlier on every path',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      first: for (const event of trace.events) {
        for (const { effect, before } of event.applied) {
          if (!DISRUPTIVE_EFFECTS.has(effect.name)) continue;
          if (!before.cluster.validated) context.report({ messageId: 'unvalidated', data: { step: event.step.id, effect: `\`${effect.name}\`` }, span: effect.span, step: event.step });
          break first;
        }
      }
    }
  },
});
