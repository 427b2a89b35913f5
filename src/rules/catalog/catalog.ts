/**
 * The command catalog: what runbookc knows about the cmdlets runbooks call.
 *
 * `cmdlet-catalog.json` is the project's reference catalog (parameter sets, types, positions,
 * aliases, valid values, each entry with its source). `cmdlet-supplement.json` adds the few core
 * cmdlets the bundled runbook uses that the catalog lacks, and a names-only list of common cmdlets
 * whose parameters are not checked.
 */
import catalogJson from './cmdlet-catalog.json' with { type: 'json' };
import supplementJson from './cmdlet-supplement.json' with { type: 'json' };

export interface CatalogParameter {
  name: string;
  type: string;
  mandatory: boolean;
  position?: number;
  aliases?: string[];
  validValues?: string[];
}

export interface CatalogParameterSet {
  name: string;
  isDefault: boolean;
  parameters: CatalogParameter[];
}

export interface CatalogCmdlet {
  module: string;
  name: string;
  parameterSets: CatalogParameterSet[];
  supportsShouldProcess: boolean;
  source: { repo: string; path: string; commit?: string; url: string };
  notes?: string[];
}

/** A command known by name only: it exists, but its parameters are not checked. */
export interface KnownName {
  module: string;
  name: string;
  aliases: string[];
}

/** about_CommonParameters (Windows PowerShell 5.1): accepted by every cmdlet, with their aliases. */
export const COMMON_PARAMETERS: ReadonlyArray<{ name: string; aliases: string[]; switch: boolean; validValues?: string[] }> = [
  { name: 'Verbose', aliases: ['vb'], switch: true },
  { name: 'Debug', aliases: ['db'], switch: true },
  { name: 'ErrorAction', aliases: ['ea'], switch: false, validValues: ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend'] },
  { name: 'WarningAction', aliases: ['wa'], switch: false, validValues: ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend'] },
  { name: 'InformationAction', aliases: ['infa'], switch: false, validValues: ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend'] },
  { name: 'ErrorVariable', aliases: ['ev'], switch: false },
  { name: 'WarningVariable', aliases: ['wv'], switch: false },
  { name: 'InformationVariable', aliases: ['iv'], switch: false },
  { name: 'OutVariable', aliases: ['ov'], switch: false },
  { name: 'OutBuffer', aliases: ['ob'], switch: false },
  { name: 'PipelineVariable', aliases: ['pv'], switch: false },
];

interface SupplementFile {
  cmdlets: CatalogCmdlet[];
  namesOnly: KnownName[];
  mandatoryNotEnforced: Array<{ cmdlet: string; parameter: string; reason: string }>;
}

const supplement = supplementJson as unknown as SupplementFile;
const cmdlets: CatalogCmdlet[] = [...(catalogJson as unknown as CatalogCmdlet[]), ...supplement.cmdlets];

const byName = new Map<string, CatalogCmdlet>();
for (const c of cmdlets) byName.set(c.name.toLowerCase(), c);

const namesOnly = new Map<string, KnownName>();
for (const n of supplement.namesOnly) {
  namesOnly.set(n.name.toLowerCase(), n);
  for (const a of n.aliases) namesOnly.set(a.toLowerCase(), n);
}

const notEnforced = new Set(supplement.mandatoryNotEnforced.map((m) => `${m.cmdlet}/${m.parameter}`.toLowerCase()));

export function findCmdlet(name: string): CatalogCmdlet | undefined {
  return byName.get(name.toLowerCase());
}

export function findKnownName(name: string): KnownName | undefined {
  return namesOnly.get(name.toLowerCase());
}

/** Every command name runbookc can suggest: catalog cmdlets and the names-only list. */
export function allCommandNames(): string[] {
  return [...cmdlets.map((c) => c.name), ...supplement.namesOnly.map((n) => n.name)];
}

export function allCmdlets(): readonly CatalogCmdlet[] {
  return cmdlets;
}

export function isMandatoryEnforced(cmdlet: string, parameter: string): boolean {
  return !notEnforced.has(`${cmdlet}/${parameter}`.toLowerCase());
}

export function isSwitch(p: Pick<CatalogParameter, 'type'>): boolean {
  return /SwitchParameter$/.test(p.type);
}

/**
 * The parameters of a cmdlet by name, across its sets, plus -WhatIf/-Confirm when it supports
 * ShouldProcess. A cmdlet documented with -WhatIf alone (Update-ClusterFunctionalLevel) also takes
 * -Confirm: PowerShell adds both for any cmdlet that declares SupportsShouldProcess.
 */
export function parametersOf(cmdlet: CatalogCmdlet): Map<string, CatalogParameter> {
  const map = new Map<string, CatalogParameter>();
  for (const set of cmdlet.parameterSets) for (const p of set.parameters) if (!map.has(p.name.toLowerCase())) map.set(p.name.toLowerCase(), p);
  if (map.has('whatif') && !map.has('confirm')) map.set('confirm', { name: 'Confirm', type: 'SwitchParameter', mandatory: false, aliases: ['cf'] });
  return map;
}
