/** A parameter without its value, or a value outside the parameter's enumeration. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB506',
    name: 'parameter-value',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require a value after every parameter that takes one, and one of the valid values for enumerated parameters.',
  },
  'parameter-value',
);
