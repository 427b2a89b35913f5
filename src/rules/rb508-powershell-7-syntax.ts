/** Syntax that only PowerShell 6 or 7 understands; the servers run Windows PowerShell 5.1. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB508',
    name: 'powershell-7-syntax',
    band: 'commands',
    defaultSeverity: 'error',
    description: 'Disallow syntax that Windows PowerShell 5.1 rejects or reads differently (&&, ||, ternary, ??, ?., clean blocks, `e, 0b literals, ...).',
  },
  'ps7-syntax',
);
