/**
 * `Invoke-CauRun` / `Invoke-CauScan` commands of a how-to -> `cau` steps, so that the updating run
 * is driven through a run profile like the runbook's other CAU steps. Only a command whose every
 * parameter has a place in a `cau` step is converted; anything else stays a `run` step.
 */
import { parsePowerShell, type ArgValue, type CommandElement } from '../../rules/commands/parse.js';

export interface CauDraft {
  action: 'scan' | 'run';
  plugin: string;
  arguments?: Record<string, string>;
  options?: Record<string, number | boolean | string>;
}

const PLUGINS = ['Microsoft.WindowsUpdatePlugin', 'Microsoft.HotfixPlugin', 'Microsoft.RollingUpgradePlugin'];
const INTEGER_OPTIONS = ['MaxFailedNodes', 'MaxRetriesPerNode', 'RebootTimeoutMinutes', 'SuspendClusterNodeTimeoutMinutes'];
const SWITCH_OPTIONS = ['RequireAllNodesOnline', 'EnableFirewallRules', 'SeparateReboots', 'RunPluginsSerially', 'StopOnPluginFailure', 'ForceSelfUpdate'];
const STRING_OPTIONS = ['WarnAfter', 'StopAfter', 'PreUpdateScript', 'PostUpdateScript', 'ConfigurationName', 'FailbackMode', 'RebootMode'];
/** Given by the runbook itself (its cluster and credential), or meaningless in a script. */
const DROPPED_WITH_VALUE = ['ClusterName', 'Credential'];
const DROPPED_SWITCHES = ['Verbose', 'Force'];
const FORMATTING = /^(format-list|fl|format-table|ft|out-string|out-default)$/i;

export function cauFromCommand(text: string): { cau: CauDraft; dropped: string[] } | undefined {
  const parsed = parsePowerShell(text);
  if (parsed.problems.length > 0) return undefined;
  const [command, ...others] = parsed.commands;
  if (!command || !/^invoke-cau(run|scan)$/i.test(command.name)) return undefined;
  if (others.some((c) => !(c.pipeline.includes(command) && FORMATTING.test(c.name)))) return undefined;
  const cau: CauDraft = { action: /run$/i.test(command.name) ? 'run' : 'scan', plugin: '' };
  const options: Record<string, number | boolean | string> = {};
  const dropped: string[] = [];
  const elements = command.elements;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.kind !== 'parameter') return undefined;
    const name = canonical(element.name);
    const next = elements[i + 1];
    const value = element.colonValue ?? (next?.kind === 'argument' ? next.value : undefined);
    const takeValue = () => {
      if (!element.colonValue) i++;
    };
    if (name === 'CauPluginName') {
      const plugin = stringOf(value);
      if (!plugin) return undefined;
      cau.plugin = plugin;
      takeValue();
    } else if (name === 'CauPluginArguments') {
      if (value?.kind !== 'hashtable') return undefined;
      const args: Record<string, string> = {};
      for (const entry of value.entries) {
        const v = stringOf(entry.value);
        if (!entry.key || v === undefined) return undefined;
        args[entry.key] = v;
      }
      cau.arguments = args;
      takeValue();
    } else if (INTEGER_OPTIONS.includes(name)) {
      if (value?.kind !== 'number' || !/^\d+$/.test(value.text)) return undefined;
      options[name] = Number(value.text);
      takeValue();
    } else if (STRING_OPTIONS.includes(name)) {
      const v = stringOf(value);
      if (v === undefined) return undefined;
      options[name] = v;
      takeValue();
    } else if (SWITCH_OPTIONS.includes(name)) {
      if (element.colonValue) {
        if (element.colonValue.kind !== 'variable' || !/^(true|false)$/i.test(element.colonValue.name)) return undefined;
        options[name] = element.colonValue.name.toLowerCase() === 'true';
      } else {
        options[name] = true;
      }
    } else if (DROPPED_WITH_VALUE.includes(name)) {
      dropped.push(`-${name}`);
      takeValue();
    } else if (DROPPED_SWITCHES.includes(name)) {
      dropped.push(`-${name}`);
    } else {
      return undefined;
    }
  }
  if (!PLUGINS.includes(cau.plugin)) return undefined;
  if (Object.keys(options).length > 0) cau.options = options;
  if (others.length > 0) dropped.push(`| ${others.map((c) => c.name).join(' | ')}`);
  return { cau, dropped };
}

function canonical(name: string): string {
  const all = ['CauPluginName', 'CauPluginArguments', ...INTEGER_OPTIONS, ...SWITCH_OPTIONS, ...STRING_OPTIONS, ...DROPPED_WITH_VALUE, ...DROPPED_SWITCHES];
  return all.find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
}

function stringOf(value: ArgValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string' && !value.expandable) return value.value;
  if (value.kind === 'string' && !/[$`]/.test(value.value)) return value.value;
  if (value.kind === 'bareword') return value.value;
  if (value.kind === 'number') return value.text;
  return undefined;
}

export type { CommandElement };
