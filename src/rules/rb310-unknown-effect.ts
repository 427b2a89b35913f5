/** Declared effects must come from the vocabulary in docs/effects.md, or they change nothing. */
import { closest } from '../util/closest.js';
import { defineRule } from './engine.js';
import { forEachStep } from './helpers.js';
import { EFFECTS, isKnownEffect } from './state/effects.js';

export default defineRule({
  meta: {
    id: 'RB310',
    name: 'unknown-effect',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require declared effects to be names from the effect vocabulary (docs/effects.md) or `pair.open.<name>` / `pair.close.<name>`.',
  },
  messages: {
    unknown: 'Unknown effect `{{effect}}` on step `{{step}}`, expected {{expected}}',
  },
  check({ runbook }, context) {
    forEachStep(runbook, ({ step }) => {
      for (const effect of step.effects) {
        if (isKnownEffect(effect)) continue;
        const near = closest(effect, Object.keys(EFFECTS));
        context.report({
          messageId: 'unknown',
          data: { effect, step: step.id, expected: near ? `\`${near}\`` : 'a name from docs/effects.md or `pair.open.<name>` / `pair.close.<name>`' },
          span: step.span,
          step,
        });
      }
    });
  },
});
