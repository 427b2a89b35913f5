/**
 * The point of no return comes only after every server is verified on the target build: a server
 * still on the old build can no longer join once the level is raised, and the upgrade cannot be
 * rolled back.
 */
import { defineRule } from './engine.js';
import { forEachAppliedEffect } from './helpers.js';
import { IRREVERSIBLE_EFFECTS } from './state/effects.js';

export default defineRule({
  meta: {
    id: 'RB402',
    name: 'verify-before-irreversible',
    band: 'safety',
    defaultSeverity: 'error',
    description: 'Require every server to be verified on the target build before an irreversible step.',
  },
  messages: {
    unverified:
      'Unexpected irreversible `{{effect}}` in `{{step}}` while {{count}} of {{total}} servers are not verified on the target build, expected every server updated and then verified (a `check` with `effects: [verify.nodes-on-target]`) before it{{advice}}',
  },
  check({ traces }, context) {
    for (const trace of traces) {
      forEachAppliedEffect(trace, (effect, before, event) => {
        if (!IRREVERSIBLE_EFFECTS.has(effect.name)) return;
        const unverified = before.nodes.filter((n) => n.os !== 'new' || !n.verified).length;
        if (unverified === 0) return;
        const viaCau = event.step.kind === 'cau';
        context.report({
          messageId: 'unverified',
          data: {
            effect: effect.name,
            step: event.step.id,
            count: unverified,
            total: before.nodes.length,
            advice: viaCau ? '; leave `UpdateClusterFunctionalLevel` off in the CAU run and raise the level in its own gated step' : '',
          },
          span: effect.span,
          step: event.step,
        });
      });
    }
  },
});
