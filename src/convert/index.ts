/**
 * `runbookc convert`: a runbook in one syntax -> the same runbook in the other, through the IR.
 * Only a runbook without errors is converted, so the output always means what the input meant.
 */
import { loadRunbook } from '../compile.js';
import { diagnosticAt, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { Runbook } from '../model/runbook.js';
import type { SpellingPath } from './markdown.js';
import { EMIT_CODES } from '../parser/codes.js';
import { syntaxOf, type RunbookSyntax } from '../parser/read.js';

export interface ConvertResult {
  text?: string;
  diagnostics: Diagnostic[];
}

/** The other syntax: Markdown for a YAML runbook, YAML for a Markdown one. */
export function otherSyntax(file: string): RunbookSyntax | undefined {
  const syntax = syntaxOf(file);
  return syntax === undefined ? undefined : syntax === 'yaml' ? 'markdown' : 'yaml';
}

export async function convertRunbookFile(file: string, to: RunbookSyntax): Promise<ConvertResult> {
  const { runbook, diagnostics } = await loadRunbook(file);
  if (!runbook || hasErrors(diagnostics)) return { diagnostics };
  if (to === 'yaml') {
    const { runbookToYaml } = await import('./yaml.js');
    return { text: runbookToYaml(runbook), diagnostics };
  }
  // Loaded only when Markdown is written: it brings remark along.
  const { NotSpellableInMarkdown, runbookToMarkdown, spellingPathParts } = await import('./markdown.js');
  try {
    return { text: runbookToMarkdown(runbook), diagnostics };
  } catch (e) {
    if (!(e instanceof NotSpellableInMarkdown)) throw e;
    return { diagnostics: [...diagnostics, ...notSpellable(runbook, e.paths.map(spellingPathParts))] };
  }
}

/** One diagnostic per value that does not read back from Markdown, at the phase or step that holds it. */
function notSpellable(runbook: Runbook, paths: SpellingPath[]): Diagnostic[] {
  if (paths.length === 0) return [diagnosticAt(EMIT_CODES.notSpellableInMarkdown, runbook.span, NOT_SPELLABLE)];
  return paths.map(({ phase, step, key }) => {
    const holder = phase === undefined ? undefined : step === undefined ? runbook.phases[phase] : runbook.phases[phase]?.steps[step];
    const of = holder ? ` of ${step === undefined ? 'phase' : 'step'} \`${holder.id}\`` : '';
    return diagnosticAt(EMIT_CODES.notSpellableInMarkdown, holder?.span ?? runbook.span, `Unexpected \`${key}\`${of} that does not read back the same from Markdown, ${NOT_SPELLABLE_EXPECTED}`);
  });
}

const NOT_SPELLABLE = 'Unexpected values that keep reading back differently from Markdown, expected values Markdown can hold; the runbook stays in YAML until they are changed';
const NOT_SPELLABLE_EXPECTED = 'expected a value Markdown can hold (a title without a line break, spaces at its ends or a closing ` #`); the runbook stays in YAML until it is changed';
