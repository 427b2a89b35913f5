/**
 * `runbookc convert`: a runbook in one syntax -> the same runbook in the other, through the IR.
 * Only a runbook without errors is converted, so the output always means what the input meant.
 */
import { loadRunbook } from '../compile.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
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
  const { runbookToMarkdown } = await import('./markdown.js');
  return { text: runbookToMarkdown(runbook), diagnostics };
}
