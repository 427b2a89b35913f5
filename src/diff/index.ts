/**
 * `runbookc diff <old> <new>`: a reviewer's diff of two versions of a runbook at the plan level,
 * in Markdown. Both files are loaded (parsed and validated against the schema) but not built.
 */
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { loadRunbook } from '../compile.js';
import { diffRunbooks } from './plan-diff.js';
import { renderDiffMarkdown } from './render.js';

export { diffPlans, diffRunbooks, type PlanDiff, type RunbookDiff } from './plan-diff.js';
export { renderDiffMarkdown } from './render.js';

export interface DiffResult {
  /** The Markdown diff; absent when either runbook has errors. */
  markdown?: string;
  diagnostics: Diagnostic[];
}

export async function diffRunbookFiles(oldFile: string, newFile: string): Promise<DiffResult> {
  const [before, after] = await Promise.all([loadRunbook(oldFile), loadRunbook(newFile)]);
  const diagnostics = [...before.diagnostics, ...after.diagnostics];
  if (!before.runbook || !after.runbook || hasErrors(diagnostics)) return { diagnostics };
  return { markdown: renderDiffMarkdown(diffRunbooks(before.runbook, after.runbook)), diagnostics };
}
