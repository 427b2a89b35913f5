/** `<ClusterName>`-style placeholders copied from documentation samples. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB509',
    name: 'placeholder',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Disallow documentation placeholders such as `<node>` in commands; use a value or a runbook parameter.',
  },
  'placeholder',
);
