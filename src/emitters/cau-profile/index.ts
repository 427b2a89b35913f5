/**
 * The CAU run-profile emitter: one CLIXML hashtable per `cau` step of a variant.
 *
 * The generated script checks the profile's SHA-256, reads it with Import-Clixml and splats it
 * into Invoke-CauRun (action `run`) or Invoke-CauScan (action `scan`) together with -ClusterName
 * and -Credential, which a profile never holds. A splatted key that is not a parameter of the cmdlet
 * makes the call fail, so every key is checked here against the cmdlet's parameters, and every value
 * against the parameter's type.
 */
import type { VariantPlan } from '../../model/plan.js';
import type { CauStep } from '../../model/runbook.js';
import { profilePath } from '../layout.js';
import type { OutputFile } from '../types.js';
import { clixmlHashtable, durationFromClock, type ClixmlValue } from './clixml.js';

type OptionType = 'Int32' | 'Switch' | 'TimeSpan' | 'String';

/**
 * Options a profile may carry, by cmdlet, with the parameter's type (cmdlet-catalog.json,
 * Windows Server 2022 docset). ClusterName, Credential, Force, NodeOrder, WhatIf and Confirm are
 * supplied per run by the script, never by a profile. FailbackMode and RebootMode are enums; a
 * string converts to them when splatted.
 */
export const PROFILE_OPTIONS: Record<'run' | 'scan', Readonly<Record<string, OptionType>>> = {
  run: {
    MaxFailedNodes: 'Int32',
    MaxRetriesPerNode: 'Int32',
    RebootTimeoutMinutes: 'Int32',
    SuspendClusterNodeTimeoutMinutes: 'Int32',
    RequireAllNodesOnline: 'Switch',
    EnableFirewallRules: 'Switch',
    SeparateReboots: 'Switch',
    RunPluginsSerially: 'Switch',
    StopOnPluginFailure: 'Switch',
    ForceSelfUpdate: 'Switch',
    OsRollingUpgrade: 'Switch',
    AttemptSoftReboot: 'Switch',
    WarnAfter: 'TimeSpan',
    StopAfter: 'TimeSpan',
    PreUpdateScript: 'String',
    PostUpdateScript: 'String',
    ConfigurationName: 'String',
    FailbackMode: 'String',
    RebootMode: 'String',
  },
  scan: {
    RunPluginsSerially: 'Switch',
    StopOnPluginFailure: 'Switch',
    OsRollingUpgrade: 'Switch',
    AttemptSoftReboot: 'Switch',
    RebootMode: 'String',
  },
};

export const PROFILE_CMDLET: Record<'run' | 'scan', string> = { run: 'Invoke-CauRun', scan: 'Invoke-CauScan' };

function where(step: CauStep): string {
  return `${step.span.file}:${step.span.line}:${step.span.column}`;
}

function optionValue(step: CauStep, name: string, type: OptionType, value: number | boolean | string): ClixmlValue {
  const wrong = (expected: string) =>
    new Error(`${where(step)}: Unexpected value \`${JSON.stringify(value)}\` for CAU option \`${name}\`, expected ${expected}`);
  switch (type) {
    case 'Int32':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong('an integer');
      return { kind: 'I32', value };
    case 'Switch':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return { kind: 'B', value };
    case 'TimeSpan':
      if (typeof value !== 'string') throw wrong('a duration hh:mm:ss');
      return { kind: 'TS', value: durationFromClock(value) };
    case 'String':
      if (typeof value !== 'string') throw wrong('a string');
      return { kind: 'S', value };
  }
}

/** The profile's entries, in a fixed order: plug-ins first, then options in source order. */
export function profileEntries(step: CauStep): Array<[string, ClixmlValue]> {
  const allowed = PROFILE_OPTIONS[step.action];
  if (step.plugins.length === 0) throw new Error(`${where(step)}: Missing CAU plug-in, expected at least one`);
  const entries: Array<[string, ClixmlValue]> = [['CauPluginName', { kind: 'StringArray', value: step.plugins.map((p) => p.name) }]];
  // One hashtable per plug-in, in the same order, when any plug-in takes arguments (CAU pairs them by position).
  for (const plugin of step.plugins) {
    const names = new Set<string>();
    for (const a of plugin.arguments) {
      if (names.has(a.name.toLowerCase())) throw new Error(`${where(step)}: Duplicate argument \`${a.name}\` of plug-in \`${plugin.name}\` (names are case-insensitive)`);
      names.add(a.name.toLowerCase());
    }
  }
  if (step.plugins.some((p) => p.arguments.length > 0)) {
    entries.push([
      'CauPluginArguments',
      {
        kind: 'HashtableArray',
        value: step.plugins.map((p) => p.arguments.map((a): [string, ClixmlValue] => [a.name, { kind: 'S', value: a.value }])),
      },
    ]);
  }
  for (const option of step.options) {
    const type = allowed[option.name];
    if (type === undefined) {
      throw new Error(
        `${where(step)}: Unexpected CAU option \`${option.name}\` for ${PROFILE_CMDLET[step.action]}, expected one of ${Object.keys(allowed)
          .map((k) => `\`${k}\``)
          .join(', ')}`,
      );
    }
    entries.push([option.name, optionValue(step, option.name, type, option.value)]);
  }
  return entries;
}

export function emitCauProfiles(plan: VariantPlan): OutputFile[] {
  const files: OutputFile[] = [];
  for (const phase of plan.phases) {
    for (const step of phase.steps) {
      if (step.kind !== 'cau') continue;
      files.push({ path: profilePath(plan.runbook, plan.variant, phase, step), content: clixmlHashtable(profileEntries(step)) });
    }
  }
  return files;
}
