/** A parameter the cmdlet does not have, or an abbreviation that matches several. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB503',
    name: 'unknown-command-parameter',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require parameter names the cmdlet has, by full name, alias or an unambiguous abbreviation.',
  },
  'unknown-parameter',
);
