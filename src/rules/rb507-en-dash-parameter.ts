/** `–Name` with an en dash: PowerShell accepts it, most other tools do not. */
import { commandRule } from './helpers.js';

export default commandRule(
  {
    id: 'RB507',
    name: 'en-dash-parameter',
    band: 'commands',
    defaultSeverity: 'warning',
    description: 'Prefer the ASCII hyphen in parameter names over en dashes, em dashes and horizontal bars pasted from documents.',
  },
  'en-dash',
);
