/**
 * The Invoke-CauScan / Invoke-CauRun command line a CAU step is equivalent to. The script reads the
 * same settings from the step's run profile (Import-Clixml, then splatted); the checklist prints them
 * as one command so that a reviewer sees every setting and an operator can run it by hand.
 */
import type { CauStep } from '../../model/runbook.js';
import { psString as powershellString } from '../powershell/quote.js';

export function cauCommandLine(step: CauStep): string {
  const cmdlet = step.action === 'scan' ? 'Invoke-CauScan' : 'Invoke-CauRun';
  const parts = [cmdlet, '-ClusterName $ClusterName', '-Credential $Credential'];
  if (step.plugins.length > 0) {
    parts.push(`-CauPluginName ${step.plugins.map((p) => powershellString(p.name)).join(', ')}`);
    if (step.plugins.some((p) => p.arguments.length > 0)) {
      parts.push(`-CauPluginArguments ${step.plugins.map((p) => hashtable(p.arguments)).join(', ')}`);
    }
  }
  for (const option of step.options) {
    parts.push(optionArgument(option.name, option.value));
  }
  return parts.join(' ');
}

function hashtable(entries: ReadonlyArray<{ name: string; value: string }>): string {
  if (entries.length === 0) return '@{}';
  return `@{ ${entries.map((e) => `${powershellString(e.name)} = ${powershellString(e.value)}`).join('; ')} }`;
}

/** Option names are cmdlet parameter names; anything else is refused rather than printed. */
function optionArgument(name: string, value: number | boolean | string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`CAU option name \`${name}\` is not a parameter name`);
  }
  if (typeof value === 'boolean') return value ? `-${name}` : `-${name}:$false`;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? `-${name} ${value}` : `-${name} (${value})`;
  return `-${name} ${powershellString(value)}`;
}
