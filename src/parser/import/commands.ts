/**
 * Commands found in a how-to -> commands a runbook can run: prompts and sample output split off,
 * placeholders turned into parameters, `Get-Credential` prompts turned into a credential parameter,
 * and the command catalog's unambiguous corrections applied (misspelled or split cmdlet names,
 * en dashes, a parameter name with a single close match). Every change is a finding; changes an
 * author must confirm carry a review marker.
 */
import { checkScript } from '../../rules/commands/check.js';
import type { ImportFinding } from './report.js';

export interface ParameterDraft {
  type: 'string' | 'credential';
  required: boolean;
  description: string;
}

export interface CommandContext {
  /** Line of the command's first line in the how-to. */
  line: number;
  parameters: Map<string, ParameterDraft>;
  /** Records a finding; `review` asks for a marker in the draft at the step. */
  note(finding: Omit<ImportFinding, 'line'> & { line?: number }, review: boolean): void;
}

const PROMPT = /^\s*(?:\[[^\]]+\]:\s*)?PS [^>\n]*>\s?(.*)$/;
const NODE_PLACEHOLDER = /^(?:target\s*)?(?:node|server|computer)\s*(?:name)?$/i;
const INTERACTIVE = /\b(Enter-PSSession|Read-Host)\b/i;

/** The cleaned command, or undefined when nothing runnable is left. */
export function cleanCommand(text: string, ctx: CommandContext): string | undefined {
  let command = splitPrompts(text, ctx);
  if (command === undefined) return undefined;
  command = credentialPrompts(command, ctx);
  command = gluedPlaceholders(command, ctx);
  command = placeholders(command, ctx);
  command = sampleClusterNames(command, ctx);
  command = catalogFixes(command, ctx);
  const interactive = INTERACTIVE.exec(command);
  if (interactive) {
    ctx.note(
      {
        category: 'guessed',
        message: `\`${interactive[1]}\` is interactive: a generated script cannot use it. Run the commands it leads to with \`-ComputerName\`, \`-Cluster\` or \`-CimSession\` instead, or make the step manual`,
      },
      true,
    );
  }
  command = command
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return command === '' ? undefined : command;
}

/** Console transcripts: `PS C:\>` lines are commands, the other lines their output. */
function splitPrompts(text: string, ctx: CommandContext): string | undefined {
  const lines = text.split('\n');
  const prompted = lines.map((l) => PROMPT.exec(l));
  if (!prompted.some(Boolean)) return text;
  const commands = prompted.filter((m): m is RegExpExecArray => m !== null).map((m) => m[1]!.trimEnd()).filter((c) => c !== '');
  const output = lines.filter((l, i) => !prompted[i] && l.trim() !== '').length;
  if (output > 0) {
    ctx.note(
      {
        category: 'defect',
        message: `Command mixed with its sample output: kept the ${commands.length} prompt line(s) (${commands.map((c) => `\`${c}\``).join(', ')}) and dropped ${output} line(s) of output`,
      },
      true,
    );
  } else {
    ctx.note({ category: 'inferred', message: 'Removed the `PS C:\\>` prompts in front of the commands' }, false);
  }
  return commands.length > 0 ? commands.join('\n') : undefined;
}

function credentialPrompts(text: string, ctx: CommandContext): string {
  const m = /^[ \t]*\$(\w+)\s*=\s*Get-Credential\b[^\n]*\n?/im.exec(text);
  if (!m) return text;
  const variable = m[1]!;
  if (!ctx.parameters.has('Credential')) {
    ctx.parameters.set('Credential', { type: 'credential', required: false, description: 'An administrator account on every server of the cluster. Prompted for when not passed; never stored.' });
  }
  ctx.note(
    { category: 'inferred', message: `\`$${variable} = Get-Credential\` became the \`credential\` parameter \`Credential\` (prompted for once, never stored); \`$${variable}\` now reads \`$Credential\`` },
    false,
  );
  return text.replace(m[0], '').replace(new RegExp(`\\$${variable}\\b`, 'g'), '$Credential');
}

/** `-Node<node>`: a parameter name glued to its placeholder value. */
function gluedPlaceholders(text: string, ctx: CommandContext): string {
  return text.replace(/(-[A-Za-z]+)<([^<>\n]+)>/g, (whole, name: string, value: string) => {
    ctx.note({ category: 'defect', message: `\`${whole}\`: the parameter \`${name}\` is glued to its value \`<${value}>\`; separated them` }, true);
    return `${name} <${value}>`;
  });
}

function placeholders(text: string, ctx: CommandContext): string {
  return text.replace(/(["']?)<([A-Za-z][\w .-]*)>\1/g, (whole, _quote: string, inner: string) => {
    if (NODE_PLACEHOLDER.test(inner.trim())) {
      ctx.note(
        { category: 'inferred', message: `Placeholder \`${whole}\` is the server being worked on: it became \`$Node\`, so the step runs in a per-server phase` },
        true,
      );
      return '$Node';
    }
    const name = pascalCase(inner);
    if (!ctx.parameters.has(name)) {
      ctx.parameters.set(name, { type: 'string', required: true, description: `The value the how-to writes as \`<${inner}>\`.` });
    }
    ctx.note({ category: 'inferred', message: `Placeholder \`${whole}\` became the required string parameter \`${name}\` (\`$${name}\`)` }, true);
    return `$${name}`;
  });
}

/** `-ClusterName Cluster1`: an example name where the reader's cluster belongs. */
function sampleClusterNames(text: string, ctx: CommandContext): string {
  return text.replace(/(-(?:ClusterName|Cluster))(\s+)(["']?)([A-Za-z0-9][\w.-]*)\3(?=\s|$|\))/g, (whole, name: string, space: string, _q: string, value: string) => {
    if (!ctx.parameters.has('ClusterName')) {
      ctx.parameters.set('ClusterName', { type: 'string', required: true, description: 'Name of the cluster to work on.' });
    }
    ctx.note({ category: 'guessed', message: `\`${whole}\` names an example cluster: replaced \`${value}\` with \`$ClusterName\`` }, true);
    return `${name}${space}$ClusterName`;
  });
}

/**
 * Corrections the command catalog makes unambiguous: a cmdlet name that differs from a known one only
 * in dashes, spaces or case (`Get-Storage-Job`, `Update-ClusterFunctional Level`), and en dashes.
 * A closer guess that changes a word (`Stop-Service` -> `Set-Service`, `-Node` -> `-Name`) could change
 * what the command does, so it is reported for an author and not applied.
 */
function catalogFixes(text: string, ctx: CommandContext): string {
  const { findings } = checkScript(text);
  const edits: Array<{ start: number; end: number; replacement: string }> = [];
  for (const f of findings) {
    const written = text.slice(f.range.start, f.range.end);
    const suggestion = suggestionOf(f.message);
    if (f.kind === 'misspelled-command' && suggestion && sameLetters(written, suggestion)) {
      ctx.note({ category: 'defect', message: `Misspelled cmdlet \`${written}\`: the catalog knows \`${suggestion}\`; corrected` }, true);
      edits.push({ start: f.range.start, end: f.range.end, replacement: suggestion });
    } else if (f.kind === 'en-dash') {
      ctx.note({ category: 'defect', message: `Parameter \`${written}\` written with an en dash (text pasted from a document); replaced it with \`-\`` }, true);
      edits.push({ start: f.range.start, end: f.range.start + 1, replacement: '-' });
    } else {
      const hint = suggestion ? ' (not applied: it changes a word, check it against the cmdlet reference)' : '';
      ctx.note({ category: 'defect', message: `${f.message}${hint}, in \`${firstLine(text)}\`` }, true);
    }
  }
  let fixed = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) fixed = fixed.slice(0, e.start) + e.replacement + fixed.slice(e.end);
  return fixed;
}

/** Misspelled cmdlet names in prose (`running \`Get-Storage-Job\``), corrected when only dashes, spaces or case differ. */
export function fixMentions(text: string, ctx: CommandContext): string {
  return text.replace(/`([A-Za-z]+-[A-Za-z][\w -]*)`/g, (whole, mention: string) => {
    const misspelled = checkScript(mention).findings.find((f) => f.kind === 'misspelled-command');
    const suggestion = misspelled && suggestionOf(misspelled.message);
    if (!suggestion) return whole;
    if (!sameLetters(mention, suggestion)) {
      ctx.note({ category: 'defect', message: `Unknown cmdlet \`${mention}\` in the text; the catalog's closest is \`${suggestion}\` (not applied)` }, true);
      return whole;
    }
    ctx.note({ category: 'defect', message: `Misspelled cmdlet \`${mention}\` in the text: the catalog knows \`${suggestion}\`; corrected` }, true);
    return `\`${suggestion}\``;
  });
}

function suggestionOf(message: string): string | undefined {
  return /\b(?:did you mean|expected) `([^`]+)`/.exec(message)?.[1];
}

function sameLetters(a: string, b: string): boolean {
  const letters = (s: string) => s.replace(/[-\s\u2013\u2014]/g, '').toLowerCase();
  return letters(a) === letters(b);
}

export function pascalCase(words: string): string {
  const name = words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w === w.toUpperCase() ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join('');
  return /^[A-Za-z]/.test(name) ? name.slice(0, 64) : `Value${name}`.slice(0, 64);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
