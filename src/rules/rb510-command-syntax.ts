/** PowerShell that does not parse: an unterminated string, an unclosed bracket. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB510',
    name: 'command-syntax',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Require commands that parse: closed strings, brackets, braces and comments.',
  },
  'command-syntax',
);
