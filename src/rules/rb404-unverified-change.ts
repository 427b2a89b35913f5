/** A step that changes something says how to tell it worked (`verify`), so a failure stops the run there. */
import { defineRule } from './engine.js';
import { forEachStep } from './helpers.js';
import { READ_ONLY_EFFECTS } from './state/effects.js';
import { effectsOfStep } from './state/step-effects.js';

export default defineRule({
  meta: {
    id: 'RB404',
    name: 'unverified-change',
    band: 'safety',
    defaultSeverity: 'warning',
    description: 'Require a `verify` condition on every step that changes state.',
  },
  messages: {
    noVerify: 'Unexpected state-changing step `{{step}}` ({{effect}}) without `verify`, expected a condition that holds only when the change worked',
  },
  check({ runbook }, context) {
    forEachStep(runbook, ({ step }) => {
      if (step.verify || step.kind === 'check' || step.kind === 'wait' || step.kind === 'confirm') return;
      const changes = effectsOfStep(step).filter((e) => !READ_ONLY_EFFECTS.has(e.name));
      // Name the change that matters most: a cluster-state effect before a generic configuration change.
      const change = changes.find((e) => e.name !== 'config.change') ?? changes[0];
      if (change) context.report({ messageId: 'noVerify', data: { step: step.id, effect: change.command ? `\`${change.command}\`` : `\`${change.name}\`` }, span: step.span, step });
    });
  },
});
