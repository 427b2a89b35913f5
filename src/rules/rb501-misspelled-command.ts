/** A command name that is a typo of a known cmdlet, or a cmdlet name split by a space. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB501',
    name: 'misspelled-command',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require command names that exist; a near miss of a known cmdlet is reported with the cmdlet it most likely means.',
  },
  'misspelled-command',
);
