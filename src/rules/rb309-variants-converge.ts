/**
 * Every variant is another way to the same place: every server on the target build, the
 * functional level raised once, the pool updated once. A variant that ends elsewhere has lost a
 * step.
 */
import { defineRule } from './engine.js';
import type { ClusterModel } from './state/model.js';

function summary(m: ClusterModel): Record<string, string> {
  const updated = m.nodes.filter((n) => n.os === 'new').length;
  return {
    'servers on the target build': updated === m.nodes.length ? 'all' : updated === 0 ? 'none' : 'some',
    'functional level raised': `${m.cluster.functionalLevelRaises}x`,
    'storage pool updated': `${m.cluster.poolUpdates}x`,
  };
}

function describe(s: Record<string, string>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export default defineRule({
  meta: {
    id: 'RB309',
    name: 'variants-converge',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require every variant to end in the same state: target build everywhere, functional level raised once, pool updated once.',
  },
  messages: {
    diverges: 'Unexpected final state of variant `{{variant}}` ({{actual}}), expected the same final state as variant `{{reference}}` ({{expected}})',
    twice: 'Unexpected second {{what}} at `{{step}}`, expected it once: it was already done at `{{first}}`',
  },
  check({ plans, traces }, context) {
    const firstPath = plans.map((plan) => traces.find((t) => t.plan.variant.id === plan.variant.id)).filter((t) => t !== undefined);
    const reference = firstPath[0];
    if (reference) {
      const expected = summary(reference.final);
      for (const trace of firstPath.slice(1)) {
        const actual = summary(trace.final);
        if (describe(actual) !== describe(expected)) {
          context.report({
            messageId: 'diverges',
            data: { variant: trace.plan.variant.id, actual: describe(actual), reference: reference.plan.variant.id, expected: describe(expected) },
            span: trace.plan.variant.span,
          });
        }
      }
    }
    for (const trace of traces) {
      for (const [what, steps] of [
        ['raise of the functional level', trace.final.cluster.functionalLevelRaisedBy],
        ['storage pool update', trace.final.cluster.poolUpdatedBy],
      ] as const) {
        const [first, second] = steps;
        if (first && second) context.report({ messageId: 'twice', data: { what, step: second.id, first: first.id }, span: second.span, step: second });
      }
    }
  },
});
