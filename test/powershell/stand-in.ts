/**
 * Stand-in PowerShell functions with the real parameter signature of a cmdlet from the cmdlet
 * catalog (parameter sets, types, positions, mandatory flags, valid values). Splatting a run profile
 * into one proves that every key binds to a parameter and every value converts to its type, without
 * the ClusterAwareUpdating module (which does not exist on Linux).
 */
import { psString } from '../../src/emitters/powershell/quote.js';

export interface CatalogParameter {
  name: string;
  type: string;
  mandatory: boolean;
  position?: number;
  validValues?: string[];
}

export interface CatalogEntry {
  name: string;
  parameterSets: Array<{ name: string; isDefault: boolean; parameters: CatalogParameter[] }>;
  supportsShouldProcess: boolean;
}

const TYPES: Record<string, string> = {
  String: '[string]',
  'String[]': '[string[]]',
  Int32: '[int]',
  SwitchParameter: '[switch]',
  TimeSpan: '[timespan]',
  PSCredential: '[pscredential]',
  'Hashtable[]': '[hashtable[]]',
  FailbackType: '[string]',
  RebootType: '[string]',
};

export function standInFunction(entry: CatalogEntry): string {
  const byName = new Map<string, { type: string; validValues?: string[]; uses: Array<{ set: string; p: CatalogParameter }> }>();
  for (const set of entry.parameterSets) {
    for (const p of set.parameters) {
      if (entry.supportsShouldProcess && (p.name === 'WhatIf' || p.name === 'Confirm')) continue;
      const type = TYPES[p.type];
      if (type === undefined) throw new Error(`No stand-in type for ${entry.name} -${p.name} ${p.type}`);
      const known = byName.get(p.name) ?? { type, validValues: p.validValues, uses: [] };
      known.uses.push({ set: set.name, p });
      byName.set(p.name, known);
    }
  }
  const defaultSet = entry.parameterSets.find((s) => s.isDefault)?.name ?? '__AllParameterSets';
  const params = [...byName.entries()].map(([name, info]) => {
    const attrs = info.uses.map(({ set, p }) => {
      const parts = [`ParameterSetName = ${psString(set)}`];
      if (p.mandatory) parts.push('Mandatory = $true');
      if (p.position !== undefined) parts.push(`Position = ${p.position}`);
      return `        [Parameter(${parts.join(', ')})]`;
    });
    if (info.validValues) attrs.push(`        [ValidateSet(${info.validValues.map(psString).join(', ')})]`);
    return `${attrs.join('\n')}\n        ${info.type}$${name}`;
  });
  const binding = `[CmdletBinding(DefaultParameterSetName = ${psString(defaultSet)}${entry.supportsShouldProcess ? ', SupportsShouldProcess' : ''})]`;
  return [`function ${entry.name} {`, `    ${binding}`, '    param(', params.join(',\n'), '    )', '    return $PSBoundParameters', '}'].join('\n');
}
