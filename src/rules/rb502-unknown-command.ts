/** A command runbookc does not know: fine to use, but its parameters go unchecked. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB502',
    name: 'unknown-command',
    band: 'commands',
    defaultSeverity: 'info',
    description: 'Note commands that are not in the command catalog, whose parameters runbookc cannot check.',
  },
  'unknown-command',
);
