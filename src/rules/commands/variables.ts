/**
 * What a PowerShell command does with variables: the ones it reads without setting them itself,
 * and the ones it sets. Read by the rules on variables (RB511 unknown-variable, RB512
 * per-node-capture), once per command text.
 */
import type { ArgValue, CommandArgument, CommandAst, ParsedScript, VariableUse } from './parse.js';

/**
 * Variables every PowerShell session sets (about_Automatic_Variables, about_Preference_Variables).
 * Lower case: PowerShell's variable names are case-insensitive.
 */
const ALWAYS_SET = new Set(
  [
    // automatic
    '$', '?', '^', '_', 'args', 'ConsoleFileName', 'EnabledExperimentalFeatures', 'Error', 'Event', 'EventArgs', 'EventSubscriber',
    'ExecutionContext', 'false', 'foreach', 'HOME', 'Host', 'input', 'IsCoreCLR', 'IsLinux', 'IsMacOS', 'IsWindows', 'LASTEXITCODE',
    'Matches', 'MyInvocation', 'NestedPromptLevel', 'null', 'PID', 'PROFILE', 'PSBoundParameters', 'PSCmdlet', 'PSCommandPath',
    'PSCulture', 'PSDebugContext', 'PSEdition', 'PSHOME', 'PSItem', 'PSScriptRoot', 'PSSenderInfo', 'PSUICulture', 'PSVersionTable',
    'PWD', 'Sender', 'ShellId', 'StackTrace', 'switch', 'this', 'true',
    // preferences
    'ConfirmPreference', 'DebugPreference', 'ErrorActionPreference', 'ErrorView', 'FormatEnumerationLimit', 'InformationPreference',
    'LogCommandHealthEvent', 'LogCommandLifecycleEvent', 'LogEngineHealthEvent', 'LogEngineLifecycleEvent', 'LogProviderHealthEvent',
    'LogProviderLifecycleEvent', 'MaximumHistoryCount', 'OFS', 'OutputEncoding', 'ProgressPreference', 'PSDefaultParameterValues',
    'PSEmailServer', 'PSModuleAutoLoadingPreference', 'PSNativeCommandArgumentPassing', 'PSNativeCommandUseErrorActionPreference',
    'PSSessionApplicationName', 'PSSessionConfigurationName', 'PSSessionOption', 'PSStyle', 'Transcript', 'VerbosePreference',
    'WarningPreference', 'WhatIfPreference',
    // Windows PowerShell 5.1 only (the scripts' target): capacity and error-view settings
    'MaximumAliasCount', 'MaximumDriveCount', 'MaximumErrorCount', 'MaximumFunctionCount', 'MaximumVariableCount',
    'ReportErrorShowExceptionClass', 'ReportErrorShowInnerException', 'ReportErrorShowSource', 'ReportErrorShowStackTrace',
  ].map((name) => name.toLowerCase()),
);

/** Common parameters and cmdlets that set a variable named by a bare word (`-OutVariable result`). */
const SETS_BY_NAME = /^(OutVariable|ov|ErrorVariable|ev|WarningVariable|wv|InformationVariable|iv|PipelineVariable|pv)$/i;
const VARIABLE_CMDLETS = /^(Set-Variable|New-Variable|set|sv|nv)$/i;

/** What a script does with variables, by name in lower case: the same for every command with its text. */
export interface ScriptVariables {
  /** Each variable the script reads and does not set itself, at its first use, that may be unknown. */
  reads: ReadonlyArray<{ name: string; use: VariableUse }>;
  sets: ReadonlySet<string>;
  /** It dot-sources a script, which may set any variable. */
  dotSources: boolean;
}

/** Kept per parsed script: the command checker gives every command with the same text the same one. */
const scriptVariables = new WeakMap<ParsedScript, ScriptVariables>();

export function variablesOf(parsed: ParsedScript): ScriptVariables {
  let found = scriptVariables.get(parsed);
  if (!found) {
    const sets = namesSetBy(parsed.variables, parsed.commands);
    const reads: Array<{ name: string; use: VariableUse }> = [];
    const seen = new Set<string>();
    for (const use of parsed.variables) {
      const name = use.name.toLowerCase();
      // `$env:X`, `$script:X`, `$using:X`, `${C:\file}`: scoped names and drives are not checked.
      if (name.includes(':') || ALWAYS_SET.has(name) || sets.has(name) || seen.has(name)) continue;
      seen.add(name);
      reads.push({ name, use });
    }
    found = { reads, sets, dotSources: parsed.commands.some((c) => c.invocationOperator === '.') };
    scriptVariables.set(parsed, found);
  }
  return found;
}

/** Names the command sets itself: assignments, loop and parameter variables, `-OutVariable name`, `Set-Variable -Name name`. */
function namesSetBy(variables: readonly VariableUse[], commands: readonly CommandAst[]): Set<string> {
  const names = new Set<string>();
  for (const v of variables) if (v.sets) names.add(v.name.toLowerCase());
  for (const cmd of commands) {
    const isVariableCmdlet = VARIABLE_CMDLETS.test(cmd.name);
    cmd.elements.forEach((e, i) => {
      if (e.kind === 'parameter') {
        const named = e.colonValue ?? (cmd.elements[i + 1]?.kind === 'argument' ? (cmd.elements[i + 1] as CommandArgument).value : undefined);
        const word = literal(named);
        if (word && (SETS_BY_NAME.test(e.name) || (isVariableCmdlet && /^n(a(me?)?)?$/i.test(e.name)))) names.add(word.toLowerCase());
      } else if (isVariableCmdlet && i === 0) {
        // `New-Variable result 5`: the name is the first positional argument.
        const word = literal(e.value);
        if (word) names.add(word.toLowerCase());
      }
    });
  }
  return names;
}

function literal(value: ArgValue | undefined): string | undefined {
  if (value?.kind === 'bareword') return value.value;
  if (value?.kind === 'string' && !value.expandable) return value.value;
  return undefined;
}
