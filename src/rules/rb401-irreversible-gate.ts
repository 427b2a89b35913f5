/**
 * Raising the functional level, updating the storage pool and upgrading VM versions cannot be
 * undone. The step must be marked `irreversible` (with the reason), which gates it behind an
 * explicit confirmation in the script and marks the point of no return on the checklist.
 */
import { defineRule } from './engine.js';
import { forEachStep } from './helpers.js';
import { IRREVERSIBLE_EFFECTS } from './state/effects.js';
import { effectsOfStep } from './state/step-effects.js';

const WHAT: Record<string, string> = {
  'cluster.raise-functional-level': 'raise of the cluster functional level',
  'cluster.update-pool': 'storage pool update',
  'vm.update-version': 'VM configuration version upgrade',
};

export default defineRule({
  meta: {
    id: 'RB401',
    name: 'irreversible-gate',
    band: 'safety',
    defaultSeverity: 'error',
    description: 'Require every irreversible step (functional level, storage pool, VM version, a CAU run that raises the level) to be marked `irreversible`, which gates it behind a confirmation.',
  },
  messages: {
    ungated:
      'Unexpected irreversible {{what}} in `{{step}}` without a gate, expected `irreversible: { reason: ... }` on the step so that the operator confirms it before it runs',
  },
  check({ runbook }, context) {
    forEachStep(runbook, ({ step }) => {
      if (step.irreversible) return;
      for (const effect of effectsOfStep(step)) {
        if (IRREVERSIBLE_EFFECTS.has(effect.name)) {
          context.report({ messageId: 'ungated', data: { what: WHAT[effect.name]!, step: step.id }, span: effect.span, step });
        }
      }
    });
  },
});
