/** Parameters that no single parameter set takes together, and arguments no position takes. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB504',
    name: 'parameter-set',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require parameters that belong to one parameter set, and no more positional arguments than the set takes.',
  },
  'parameter-set',
);
