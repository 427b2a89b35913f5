/** A wait that never times out hangs the maintenance window; every `wait` step has a timeout longer than its interval. */
import { defineRule } from './engine.js';
import { forEachStep } from './helpers.js';

export default defineRule({
  meta: {
    id: 'RB405',
    name: 'wait-timeout',
    band: 'safety',
    defaultSeverity: 'error',
    description: 'Require every `wait` step to have a positive timeout longer than its polling interval.',
  },
  messages: {
    noTimeout: 'Unexpected `wait` step `{{step}}` without a timeout, expected `timeoutMinutes` and an `onTimeout` message',
    intervalTooLong: 'Unexpected polling interval of {{interval}} s in `{{step}}`, expected it shorter than the timeout ({{timeout}} s)',
  },
  check({ runbook }, context) {
    forEachStep(runbook, ({ step }) => {
      if (step.kind !== 'wait') return;
      if (!(step.timeoutSeconds > 0)) context.report({ messageId: 'noTimeout', data: { step: step.id }, span: step.span, step });
      else if (step.intervalSeconds >= step.timeoutSeconds) {
        context.report({ messageId: 'intervalTooLong', data: { step: step.id, interval: step.intervalSeconds, timeout: step.timeoutSeconds }, span: step.span, step });
      }
    });
  },
});
