/** A mandatory parameter left out: PowerShell would stop the script and prompt for it. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB505',
    name: 'missing-mandatory-parameter',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require the mandatory parameters of the parameter set a command uses.',
  },
  'missing-mandatory',
);
