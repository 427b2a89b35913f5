/**
 * The PowerShell emitter: one standalone script per variant, for Windows PowerShell 5.1 (and 7).
 *
 * The script is ASCII when every author command is; otherwise it is written UTF-8 with a BOM,
 * because Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page. Lines end in LF.
 */
import type { VariantPlan } from '../../model/plan.js';
import type { Command, Step } from '../../model/runbook.js';
import { RenderedText } from '../../util/rendered-text.js';
import { scriptPath } from '../layout.js';
import type { EmitContext, OutputFile, RenderedFile } from '../types.js';
import { wholeFile } from '../whole-file.js';
import { renderScriptPieces } from './render.js';
import { scriptViews } from './view-model.js';

const UTF8_BOM = '\uFEFF';

const ASCII = /^[\x00-\x7F]*$/;

/**
 * The script of one variant, rendered a phase at a time as it is written. Whether it needs a BOM
 * is known before its first byte: every value but an author command reaches the script quoted or
 * converted to ASCII (quote.ts) and the templates are ASCII (a test checks), so the script is ASCII
 * exactly when every author command is. Each piece is checked all the same: a piece that is not
 * ASCII in a script without a BOM is an error, never a script that Windows PowerShell misreads.
 */
export function powerShellFiles(plan: VariantPlan, ctx: EmitContext): RenderedFile[] {
  const views = scriptViews(plan, ctx);
  const ascii = plan.phases.every((phase) => phase.steps.every((step) => authorCommandsOf(step).every((c) => ASCII.test(c.text))));
  const path = scriptPath(plan.runbook, plan.variant);
  function* pieces(): Generator<string> {
    if (!ascii) yield UTF8_BOM;
    for (const piece of renderScriptPieces(views)) {
      if (ascii && !ASCII.test(piece)) throw new Error(`internal error: \`${path}\` has a character outside ASCII but no author command has`);
      yield piece;
    }
  }
  return [{ path, content: new RenderedText(pieces) }];
}

/** The script of one variant, its text whole. */
export function emitPowerShell(plan: VariantPlan, ctx: EmitContext): OutputFile[] {
  return powerShellFiles(plan, ctx).map(wholeFile);
}

function authorCommandsOf(step: Step): Command[] {
  const commands: Command[] = [];
  if (step.probe) commands.push(step.probe);
  if (step.verify) commands.push(step.verify);
  if (step.kind === 'run') commands.push(step.command);
  else if (step.kind === 'check') commands.push(step.assert);
  else if (step.kind === 'wait') commands.push(step.until);
  return commands;
}
