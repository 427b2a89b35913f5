/**
 * Checks the commands of one PowerShell fragment against the command catalog.
 *
 * The result is a list of findings by kind; each RB5xx rule reports the findings of its kind.
 * Results are cached by text: the same command is checked once however many variants run it.
 */
import {
  COMMON_PARAMETERS,
  allCommandNames,
  findCmdlet,
  findKnownName,
  isMandatoryEnforced,
  isSwitch,
  parametersOf,
  type CatalogCmdlet,
  type CatalogParameter,
  type CatalogParameterSet,
} from '../catalog/catalog.js';
import { closest } from '../../util/closest.js';
import { findStructureProblem, REFUSED_COMMAND_REASON } from '../../powershell/structure.js';
import { compareOrdinal } from '../../util/compare.js';
import { parsePowerShell, type ArgValue, type CommandAst, type CommandElement, type ParsedScript, type Ps7SyntaxKind, type TextRange } from './parse.js';

export type CommandFindingKind =
  | 'misspelled-command'
  | 'unknown-command'
  | 'unknown-parameter'
  | 'parameter-set'
  | 'missing-mandatory'
  | 'parameter-value'
  | 'en-dash'
  | 'ps7-syntax'
  | 'placeholder'
  | 'command-syntax';

export interface CommandFinding {
  kind: CommandFindingKind;
  message: string;
  range: TextRange;
}

export interface CheckedScript {
  parsed: ParsedScript;
  findings: CommandFinding[];
}

const cache = new Map<string, CheckedScript>();

export function checkScript(text: string): CheckedScript {
  let result = cache.get(text);
  if (!result) {
    result = check(text);
    cache.set(text, result);
  }
  return result;
}

const PS7_SYNTAX: Record<Ps7SyntaxKind, { what: string; instead: string }> = {
  'pipeline-chain': { what: 'a pipeline chain operator', instead: 'a separate statement with `if ($?) { ... }`' },
  ternary: { what: 'the ternary operator', instead: '`if (...) { ... } else { ... }`' },
  'null-coalescing': { what: 'the null-coalescing operator', instead: '`if ($null -ne $a) { $a } else { $b }`' },
  'null-coalescing-assignment': { what: 'the null-coalescing assignment', instead: '`if ($null -eq $a) { $a = $b }`' },
  'null-conditional-member': { what: 'null-conditional member access', instead: 'an explicit `$null` test' },
  'null-conditional-index': { what: 'null-conditional indexing', instead: 'an explicit `$null` test' },
  'clean-block': { what: 'a `clean` block', instead: '`end` with `try { ... } finally { ... }`' },
  'background-operator': { what: 'the background operator', instead: '`Start-Job`' },
  'escape-e': { what: 'the `` `e `` escape', instead: '`[char]27`' },
  'escape-u': { what: 'the `` `u{} `` escape', instead: '`[char]0xNNNN`' },
  'binary-literal': { what: 'a binary literal', instead: 'a decimal or `0x` literal' },
  'numeric-suffix': { what: 'a numeric type suffix', instead: 'a cast such as `[byte]10`' },
  'leading-pipe': { what: 'a pipeline continued by `|` at the start of a line', instead: 'the `|` at the end of the line before' },
};

function check(text: string): CheckedScript {
  const parsed = parsePowerShell(text);
  const findings: CommandFinding[] = [];
  for (const p of parsed.problems) findings.push({ kind: 'command-syntax', message: p.message, range: p.range });
  // What PowerShell parses but the script generator refuses to wrap (a lone `]` in a bareword):
  // reported here, so that `check` says what `build` would refuse.
  const unwrappable = parsed.problems.length === 0 ? findStructureProblem(text) : undefined;
  if (unwrappable) findings.push({ kind: 'command-syntax', message: `${unwrappable.message}: ${REFUSED_COMMAND_REASON}`, range: { start: unwrappable.index, end: unwrappable.index + 1 } });
  for (const s of parsed.ps7Syntax) {
    const info = PS7_SYNTAX[s.kind];
    findings.push({
      kind: 'ps7-syntax',
      message: `Unexpected \`${s.text}\` (${info.what}, PowerShell 7 only), expected ${info.instead}: generated scripts run on Windows PowerShell 5.1`,
      range: s.range,
    });
  }
  for (const p of parsed.placeholders) {
    findings.push({
      kind: 'placeholder',
      message: `Unexpected placeholder \`${p.text}\`, expected a value or a runbook parameter such as \`$ClusterName\` or \`$Node\``,
      range: p.range,
    });
  }
  const defined = new Set([...text.matchAll(/\bfunction\s+([\w-]+)/gi)].map((m) => m[1]!.toLowerCase()));
  for (const cmd of parsed.commands) {
    if (defined.has(cmd.name.toLowerCase())) continue;
    checkCommand(cmd, findings);
  }
  findings.sort((a, b) => a.range.start - b.range.start || compareOrdinal(a.kind, b.kind));
  return { parsed, findings };
}

function isExternal(cmd: CommandAst): boolean {
  if (cmd.invocationOperator && cmd.name.startsWith('$')) return true;
  return /[\\/]/.test(cmd.name) || /\.(exe|ps1|cmd|bat|com|msc)$/i.test(cmd.name) || cmd.name.startsWith('$') || cmd.name.startsWith('{');
}

function checkCommand(cmd: CommandAst, findings: CommandFinding[]): void {
  if (isExternal(cmd) || cmd.name === '') return;
  for (const el of cmd.elements) {
    if (el.kind === 'parameter' && el.dash !== '-') {
      findings.push({
        kind: 'en-dash',
        message: `Unexpected \`${el.dash}${el.name}\` written with ${dashName(el.dash)}, expected \`-${el.name}\`: PowerShell accepts it, but it is a sign of text pasted from a document and breaks in other tools`,
        range: { start: el.range.start, end: el.range.start + 1 + el.name.length },
      });
    }
  }
  const cmdlet = findCmdlet(cmd.name);
  if (cmdlet) {
    checkParameters(cmd, cmdlet, findings);
    return;
  }
  if (findKnownName(cmd.name)) return;

  const first = cmd.elements[0];
  if (first && first.kind === 'argument' && first.value.kind === 'bareword') {
    const joined = cmd.name + first.value.value;
    const known = findCmdlet(joined) ?? findKnownName(joined);
    if (known) {
      findings.push({
        kind: 'misspelled-command',
        message: `Unexpected space in \`${cmd.name} ${first.value.value}\`, expected \`${known.name}\``,
        range: { start: cmd.nameRange.start, end: first.range.end },
      });
      return;
    }
  }
  const suggestion = likelyMeant(cmd.name);
  if (suggestion) {
    findings.push({ kind: 'misspelled-command', message: `Unknown command \`${cmd.name}\`, did you mean \`${suggestion}\`?`, range: cmd.nameRange });
    return;
  }
  findings.push({
    kind: 'unknown-command',
    message: `Unknown command \`${cmd.name}\`: it is not in runbookc's command catalog, so its parameters are not checked`,
    range: cmd.nameRange,
  });
}

/**
 * PowerShell's approved verbs (Get-Verb; PowerShell/PowerShell: src/System.Management.Automation/utils/Verbs.cs).
 * `Get-NetFirewallRule` is a real cmdlet, not a typo of `Set-NetFirewallRule`: a suggestion never
 * swaps one approved verb for another.
 */
const APPROVED_VERBS = new Set(
  (
    'add approve assert backup block build checkpoint clear close compare complete compress confirm connect convert convertfrom convertto copy debug deny deploy disable ' +
    'disconnect dismount edit enable enter exit expand export find format get grant group hide import initialize install invoke join limit lock measure merge mount move new ' +
    'open optimize out ping pop protect publish push read receive redo register remove rename repair request reset resize resolve restart restore resume revoke save search ' +
    'select send set show skip split start step stop submit suspend switch sync test trace unblock undo uninstall unlock unprotect unpublish unregister update use wait watch write'
  ).split(' '),
);

function likelyMeant(name: string): string | undefined {
  const suggestion = closest(name, allCommandNames());
  if (!suggestion) return undefined;
  const verb = name.split('-')[0]!.toLowerCase();
  const suggestedVerb = suggestion.split('-')[0]!.toLowerCase();
  if (name.includes('-') && verb !== suggestedVerb && APPROVED_VERBS.has(verb)) return undefined;
  return suggestion;
}

function dashName(dash: string): string {
  return dash === '\u2013' ? 'an en dash' : dash === '\u2014' ? 'an em dash' : 'a horizontal bar';
}

interface Resolved {
  param?: CatalogParameter;
  common?: (typeof COMMON_PARAMETERS)[number];
  ambiguous?: string[];
}

function resolveParameter(name: string, params: Map<string, CatalogParameter>): Resolved {
  const lower = name.toLowerCase();
  const exact = params.get(lower) ?? [...params.values()].find((p) => p.aliases?.some((a) => a.toLowerCase() === lower));
  if (exact) return { param: exact };
  const common = COMMON_PARAMETERS.find((c) => c.name.toLowerCase() === lower || c.aliases.some((a) => a.toLowerCase() === lower));
  if (common) return { common };
  // PowerShell accepts any unambiguous prefix of a parameter name (aliases are matched whole).
  const matches = new Map<string, { param?: CatalogParameter; common?: (typeof COMMON_PARAMETERS)[number] }>();
  for (const p of params.values()) if (p.name.toLowerCase().startsWith(lower)) matches.set(p.name, { param: p });
  for (const c of COMMON_PARAMETERS) if (c.name.toLowerCase().startsWith(lower)) matches.set(c.name, { common: c });
  if (matches.size === 1) return [...matches.values()][0]!;
  if (matches.size > 1) return { ambiguous: [...matches.keys()].sort() };
  return {};
}

function suggestParameter(name: string, cmdlet: CatalogCmdlet, params: Map<string, CatalogParameter>): string | undefined {
  const names = [...params.values()].map((p) => p.name);
  const near = closest(name, names);
  if (near) return near;
  // `Suspend-ClusterNode -Node`: the noun's own object is the cmdlet's -Name.
  const nounWords = cmdlet.name.split('-')[1]?.match(/[A-Z][a-z]*/g) ?? [];
  if (params.has('name') && nounWords.some((w) => w.toLowerCase() === name.toLowerCase())) return 'Name';
  return undefined;
}

function constantValues(value: ArgValue): string[] | undefined {
  if (value.kind === 'bareword') return [value.value];
  if (value.kind === 'string' && !value.expandable) return [value.value];
  if (value.kind === 'string') return undefined;
  if (value.kind === 'array') {
    const all: string[] = [];
    for (const item of value.items) {
      const v = constantValues(item);
      if (!v) return undefined;
      all.push(...v);
    }
    return all;
  }
  return undefined;
}

interface Bound {
  name: string;
  element: CommandElement;
}

function checkParameters(cmd: CommandAst, cmdlet: CatalogCmdlet, findings: CommandFinding[]): void {
  const params = parametersOf(cmdlet);
  const elements = cmd.elements;
  const bound: Bound[] = [];
  const positional: Array<{ value: ArgValue; range: TextRange }> = [];
  let splatted = false;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (el.kind === 'argument') {
      if (el.value.kind === 'splat') splatted = true;
      else positional.push({ value: el.value, range: el.range });
      continue;
    }
    const r = resolveParameter(el.name, params);
    const next = elements[i + 1];
    if (!r.param && !r.common) {
      if (r.ambiguous) {
        findings.push({
          kind: 'unknown-parameter',
          message: `Ambiguous parameter \`-${el.name}\` of \`${cmdlet.name}\`, expected one of ${r.ambiguous.map((n) => `\`-${n}\``).join(', ')} in full`,
          range: nameRange(el),
        });
      } else {
        const suggestion = suggestParameter(el.name, cmdlet, params);
        findings.push({
          kind: 'unknown-parameter',
          message: suggestion
            ? `Unknown parameter \`-${el.name}\` of \`${cmdlet.name}\`, did you mean \`-${suggestion}\`?`
            : `Unknown parameter \`-${el.name}\` of \`${cmdlet.name}\`, expected one of ${[...params.values()].map((p) => `\`-${p.name}\``).join(', ')}`,
          range: nameRange(el),
        });
      }
      // Without knowing the parameter, assume a following argument is its value.
      if (!el.colonValue && next && next.kind === 'argument') i++;
      continue;
    }
    const canonical = r.param ? r.param.name : r.common!.name;
    const takesValue = r.param ? !isSwitch(r.param) : !r.common!.switch;
    const validValues = r.param ? r.param.validValues : r.common!.validValues;
    let value: ArgValue | undefined = el.colonValue;
    if (takesValue && !value) {
      if (next && next.kind === 'argument' && next.value.kind !== 'splat') {
        value = next.value;
        i++;
      } else {
        findings.push({
          kind: 'parameter-value',
          message: `Unexpected ${next ? `\`${next.kind === 'parameter' ? next.dash + next.name : 'splat'}\`` : 'end of command'} after \`-${el.name}\`, expected ${
            validValues ? `a value: one of ${validValues.map((v) => `\`${v}\``).join(', ')}` : `a value of type \`${r.param?.type ?? 'String'}\``
          }`,
          range: nameRange(el),
        });
      }
    }
    if (value && validValues) {
      const values = constantValues(value);
      const accepted = new Set(validValues.map((v) => v.toLowerCase()));
      for (const v of values ?? []) {
        for (const part of v.split(',').map((s) => s.trim())) {
          if (!accepted.has(part.toLowerCase())) {
            const near = closest(part, validValues);
            findings.push({
              kind: 'parameter-value',
              message: `Unexpected value \`${part}\` for \`-${canonical}\`, expected one of ${validValues.map((x) => `\`${x}\``).join(', ')}${near ? ` (did you mean \`${near}\`?)` : ''}`,
              range: value.range,
            });
          }
        }
      }
    }
    if (r.param) bound.push({ name: r.param.name, element: el });
  }
  if (splatted) return;

  // Parameter sets that take every named parameter given.
  const names = [...new Set(bound.map((b) => b.name))];
  const sets = cmdlet.parameterSets.filter((s) => names.every((n) => inSet(s, n) || n === 'Confirm'));
  if (sets.length === 0) {
    const pair = conflictingPair(cmdlet, names);
    findings.push({
      kind: 'parameter-set',
      message: pair
        ? `Unexpected \`-${pair[1]}\` together with \`-${pair[0]}\`: no parameter set of \`${cmdlet.name}\` takes both, expected one of ${cmdlet.parameterSets.map((s) => `\`${s.name}\``).join(', ')}`
        : `Unexpected combination of parameters for \`${cmdlet.name}\`, expected the parameters of one set: ${cmdlet.parameterSets.map((s) => `\`${s.name}\``).join(', ')}`,
      range: cmd.nameRange,
    });
    return;
  }

  // Positional arguments bind to the unbound positional parameters of the chosen set, in order.
  const fits = sets.map((s) => {
    const open = s.parameters.filter((p) => p.position !== undefined && !names.includes(p.name)).sort((a, b) => a.position! - b.position!);
    const byPosition = open.slice(0, positional.length).map((p) => p.name);
    return { set: s, capacity: open.length, bound: new Set([...names, ...byPosition]) };
  });
  const capacity = Math.max(...fits.map((f) => f.capacity));
  if (positional.length > capacity && !cmd.hasPipelineInput) {
    const extra = positional[capacity]!;
    findings.push({
      kind: 'parameter-set',
      message: `Unexpected argument \`${textOf(extra.value)}\`: \`${cmdlet.name}\` takes ${capacity === 0 ? 'no positional argument here' : `at most ${capacity} positional argument${capacity === 1 ? '' : 's'} here`}, expected a named parameter`,
      range: extra.range,
    });
    return;
  }
  if (cmd.hasPipelineInput) return;
  const viable = fits.filter((f) => f.capacity >= positional.length);
  const missingPerSet = viable.map((f) => ({
    set: f.set,
    missing: f.set.parameters.filter((p) => p.mandatory && !f.bound.has(p.name) && isMandatoryEnforced(cmdlet.name, p.name)),
  }));
  if (missingPerSet.length > 0 && missingPerSet.every((m) => m.missing.length > 0)) {
    const chosen = missingPerSet.find((m) => m.set.isDefault) ?? missingPerSet[0]!;
    const list = chosen.missing.map((p) => `\`-${p.name}\``).join(', ');
    findings.push({
      kind: 'missing-mandatory',
      message: `Unexpected \`${cmdlet.name}\` without ${list}, expected ${chosen.missing.length === 1 ? 'it' : 'them'} (mandatory${cmdlet.parameterSets.length > 1 ? ` in parameter set \`${chosen.set.name}\`` : ''}); PowerShell would stop and prompt for ${chosen.missing.length === 1 ? 'it' : 'them'}`,
      range: cmd.nameRange,
    });
  }
}

function inSet(set: CatalogParameterSet, name: string): boolean {
  return set.parameters.some((p) => p.name === name);
}

function conflictingPair(cmdlet: CatalogCmdlet, names: string[]): [string, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (!cmdlet.parameterSets.some((s) => inSet(s, names[i]!) && inSet(s, names[j]!))) return [names[i]!, names[j]!];
    }
  }
  return undefined;
}

function nameRange(el: CommandElement & { kind: 'parameter' }): TextRange {
  return { start: el.range.start, end: el.range.start + 1 + el.name.length };
}

function textOf(value: ArgValue): string {
  if (value.kind === 'bareword' || value.kind === 'string') return value.value;
  if (value.kind === 'number') return value.text;
  if (value.kind === 'variable') return `$${value.name}`;
  return '...';
}
