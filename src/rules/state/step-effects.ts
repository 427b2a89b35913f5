/**
 * The effects of a step: declared by the author (`effects:`), carried by the known commands it runs,
 * and implied by its kind (a CAU run, a wait on storage jobs, `reboots: true`).
 */
import type { Command, SourceSpan, Step } from '../../model/runbook.js';
import { findCmdlet, findKnownName } from '../catalog/catalog.js';
import { checkScript } from '../commands/check.js';
import { parameterGiven, type ArgValue, type CommandAst, type ParsedScript, type TextRange } from '../commands/parse.js';
import { spanIn } from '../../powershell/command-span.js';
import { isKnownEffect, type EffectName } from './effects.js';

export interface EffectUse {
  name: EffectName;
  /** Where the effect comes from: the command that has it, or the step. */
  span: SourceSpan;
  origin: 'declared' | 'command' | 'step';
  /** For effects of a command: its name, for messages. */
  command?: string;
}

/** Effects of the cmdlets of the catalog that change cluster state. Keys are catalog names. */
export const COMMAND_EFFECTS: Readonly<Record<string, (cmd: CommandAst) => EffectName[]>> = {
  // Without -Wait the cmdlet returns once the drain has started; the roles go on moving after it.
  'Suspend-ClusterNode': (cmd) => (parameterGiven(cmd, 'Drain') || parameterGiven(cmd, 'ForceDrain') ? [parameterGiven(cmd, 'Wait') ? 'node.drain' : 'node.drain-start'] : ['node.pause']),
  'Resume-ClusterNode': () => ['node.resume'],
  'Stop-Cluster': () => ['cluster.stop'],
  'Start-Cluster': () => ['cluster.start'],
  'Set-Service': (cmd) => {
    if ((argumentOf(cmd, 'Name', ['ServiceName', 'SN'], 0) ?? '').toLowerCase() !== 'clussvc') return ['config.change'];
    const startup = (argumentOf(cmd, 'StartupType', ['StartMode', 'SM', 'ST']) ?? '').toLowerCase();
    if (startup === 'disabled') return ['node.clussvc-disable'];
    if (startup === 'automatic') return ['node.clussvc-enable'];
    return ['config.change'];
  },
  'Stop-ClusterResource': (cmd) => (feedsFrom(cmd, 'Get-ClusterSharedVolume') ? ['cluster.disks-offline'] : ['config.change']),
  'Start-ClusterResource': (cmd) => (feedsFrom(cmd, 'Get-ClusterSharedVolume') ? ['cluster.disks-online'] : ['config.change']),
  'Update-ClusterFunctionalLevel': () => ['cluster.raise-functional-level'],
  'Update-StoragePool': () => ['cluster.update-pool'],
  'Update-VMVersion': () => ['vm.update-version'],
  'Restart-Computer': () => ['node.reboot'],
  'Invoke-CauRun': (cmd) => cauRunEffects(argumentOf(cmd, 'CauPluginName', [], 1) ?? 'Microsoft.WindowsUpdatePlugin', cauArgumentsOf(cmd)),
  'Test-Cluster': () => ['validate.cluster'],
  'Test-CauSetup': () => ['validate.cau'],
};

/** Verbs of commands that change something, for commands the table above does not know. */
const CHANGING_VERBS = new Set(['set', 'enable', 'disable', 'install', 'uninstall', 'remove', 'new', 'add', 'register', 'unregister', 'move', 'rename', 'clear', 'reset', 'restart', 'stop', 'start', 'suspend', 'resume', 'update', 'repair', 'initialize', 'format', 'mount', 'dismount']);

export function cauRunEffects(plugin: string, args: ReadonlyArray<{ name: string; value: string }>): EffectName[] {
  if (plugin.toLowerCase() !== 'microsoft.rollingupgradeplugin') return ['cau.quality-update'];
  const raise = args.some((a) => a.name.toLowerCase() === 'updateclusterfunctionallevel' && a.value.trim().toLowerCase() === 'true');
  return raise ? ['cau.feature-update', 'cluster.raise-functional-level'] : ['cau.feature-update'];
}

const cache = new WeakMap<object, EffectUse[]>();

export function effectsOfStep(step: Step): EffectUse[] {
  let effects = cache.get(step);
  if (!effects) {
    effects = computeEffects(step);
    cache.set(step, effects);
  }
  return effects;
}

function computeEffects(step: Step): EffectUse[] {
  const out: EffectUse[] = [];
  for (const name of step.effects) {
    if (isKnownEffect(name)) out.push({ name, span: step.span, origin: 'declared' });
  }
  switch (step.kind) {
    case 'run':
      out.push(...commandEffects(step.command));
      break;
    case 'wait':
      if (/\bGet-StorageJob\b/i.test(step.until.text)) out.push({ name: 'storage.repair-complete', span: step.until.span, origin: 'step' });
      if (assertsDrainCompleted(step.until.text)) out.push({ name: 'node.drain-complete', span: step.until.span, origin: 'step' });
      break;
    case 'check':
      if (assertsOrchestratorOutside(step.assert.text)) out.push({ name: 'verify.orchestrator-outside-cluster', span: step.assert.span, origin: 'step' });
      if (assertsDrainCompleted(step.assert.text)) out.push({ name: 'node.drain-complete', span: step.assert.span, origin: 'step' });
      for (const e of commandEffects(step.assert)) if (e.name.startsWith('validate.')) out.push(e);
      break;
    case 'cau':
      if (step.action === 'run') {
        const plugin = step.plugins[0];
        for (const name of cauRunEffects(plugin?.name ?? 'Microsoft.WindowsUpdatePlugin', plugin?.arguments ?? [])) out.push({ name, span: step.span, origin: 'step' });
      }
      break;
    default:
      break;
  }
  // A verification runs after the step's command: one that asserts the drain completed ends it.
  if (step.kind !== 'check' && step.verify && assertsDrainCompleted(step.verify.text)) out.push({ name: 'node.drain-complete', span: step.verify.span, origin: 'step' });
  if (step.reboots && step.kind !== 'cau' && !out.some((e) => e.name === 'node.reboot')) out.push({ name: 'node.reboot', span: step.span, origin: 'step' });
  // A step whose verification asserts the target build brings its server(s) to that build.
  if (step.kind !== 'check' && step.verify && assertsTargetBuild(step.verify.text) && !out.some((e) => e.name === 'cau.feature-update')) {
    if (!out.some((e) => e.name === 'node.update-os')) out.push({ name: 'node.update-os', span: step.verify.span, origin: 'step' });
    out.push({ name: 'node.verify-os', span: step.verify.span, origin: 'step' });
  }
  return dedupe(out);
}

/** A step without effects; the lists are only read. */
const NO_EFFECTS: EffectUse[] = Object.freeze([]) as unknown as EffectUse[];

/**
 * Drops an effect that repeats an earlier one of the same name at the same place (lists are
 * short). The result is copied to its exact size: every step's list is kept for the whole check,
 * and a list grown by push keeps room for 17 entries.
 */
function dedupe(effects: EffectUse[]): EffectUse[] {
  if (effects.length === 0) return NO_EFFECTS;
  const out: EffectUse[] = [];
  for (const e of effects) {
    if (!out.some((k) => k.name === e.name && k.span.line === e.span.line && k.span.column === e.span.column)) out.push(e);
  }
  return out.slice();
}

export function commandEffects(command: Command): EffectUse[] {
  const out: EffectUse[] = [];
  for (const { name, nameRange, command: commandName } of effectsOfScript(checkScript(command.text).parsed)) {
    out.push({ name, span: spanIn(command, nameRange), origin: 'command', command: commandName });
  }
  return out;
}

/** An effect of a command of a script, without its place in the runbook. */
interface ScriptEffect {
  name: EffectName;
  nameRange: TextRange;
  command: string;
}

/**
 * The effects of a parsed script depend on its text only, and the checker gives every command with
 * the same text the same parsed script: they are found once per text (the same drain or resume
 * command is often run in many steps), and placed in the runbook for each command.
 */
const scriptEffects = new WeakMap<ParsedScript, readonly ScriptEffect[]>();

function effectsOfScript(parsed: ParsedScript): readonly ScriptEffect[] {
  let effects = scriptEffects.get(parsed);
  if (effects) return effects;
  const found: ScriptEffect[] = [];
  for (const cmd of parsed.commands) {
    if (parameterGiven(cmd, 'WhatIf')) continue;
    const cmdlet = findCmdlet(cmd.name);
    // Names-only commands (New-Object, Start-Sleep, Write-Output, ...) change nothing the model tracks.
    if (!cmdlet && findKnownName(cmd.name)) continue;
    const table = cmdlet ? COMMAND_EFFECTS[cmdlet.name] : undefined;
    const names = table ? table(cmd) : CHANGING_VERBS.has(cmd.name.split('-')[0]!.toLowerCase()) && cmd.name.includes('-') ? (['config.change'] as EffectName[]) : [];
    for (const name of names) found.push({ name, nameRange: cmd.nameRange, command: cmdlet?.name ?? cmd.name });
  }
  effects = found;
  scriptEffects.set(parsed, effects);
  return effects;
}

/** `BuildNumber ... $TargetBuild`: the assertion the bundled runbook (and its authors) use for "on the target build". */
export function assertsTargetBuild(text: string): boolean {
  return /BuildNumber/i.test(text) && /\$TargetBuild\b/i.test(text);
}

/** `DrainStatus ... Completed`: a condition that holds once a started drain has moved every role. */
export function assertsDrainCompleted(text: string): boolean {
  return /\bDrainStatus\b/i.test(text) && /\bCompleted\b/i.test(text);
}

/** A check that compares this machine's name with the cluster's servers. */
export function assertsOrchestratorOutside(text: string): boolean {
  return /\$env:COMPUTERNAME\b/i.test(text) && /\bGet-ClusterNode\b/i.test(text);
}


/** The constant value of a named (or positional) argument, when it is a literal. */
function argumentOf(cmd: CommandAst, name: string, aliases: string[], position?: number): string | undefined {
  const names = [name, ...aliases].map((n) => n.toLowerCase());
  const els = cmd.elements;
  let positionalIndex = 0;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    if (el.kind === 'parameter') {
      const hit = names.some((n) => n === el.name.toLowerCase()) || name.toLowerCase().startsWith(el.name.toLowerCase()) && el.name.length >= 3;
      const value = el.colonValue ?? (els[i + 1]?.kind === 'argument' ? (els[i + 1] as { value: ArgValue }).value : undefined);
      if (!el.colonValue && els[i + 1]?.kind === 'argument') i++;
      if (hit) return constant(value);
      continue;
    }
    if (position !== undefined && positionalIndex === position) return constant(el.value);
    positionalIndex++;
  }
  return undefined;
}

function constant(value: ArgValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'bareword') return value.value;
  if (value.kind === 'string' && !value.expandable) return value.value;
  return undefined;
}

function cauArgumentsOf(cmd: CommandAst): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const el of cmd.elements) {
    const value = el.kind === 'argument' ? el.value : el.colonValue;
    if (value?.kind !== 'hashtable') continue;
    for (const entry of value.entries) {
      const v = constant(entry.value);
      if (entry.key !== undefined && v !== undefined) out.push({ name: entry.key, value: v });
    }
  }
  return out;
}

function feedsFrom(cmd: CommandAst, source: string): boolean {
  return cmd.pipeline.some((c) => c.pipelinePosition < cmd.pipelinePosition && c.name.toLowerCase() === source.toLowerCase());
}
