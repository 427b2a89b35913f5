/**
 * The PowerShell emitter: one standalone script per variant, for Windows PowerShell 5.1 (and 7).
 *
 * The script is ASCII when every author command is; otherwise it is written UTF-8 with a BOM,
 * because Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page. Lines end in LF.
 */
import type { VariantPlan } from '../../model/plan.js';
import { scriptPath } from '../layout.js';
import type { EmitContext, OutputFile } from '../types.js';
import { renderScript } from './render.js';
import { buildScriptView } from './view-model.js';

const UTF8_BOM = '\uFEFF';

export function emitPowerShell(plan: VariantPlan, ctx: EmitContext): OutputFile[] {
  const text = renderScript(buildScriptView(plan, ctx));
  const content = /^[\x00-\x7F]*$/.test(text) ? text : UTF8_BOM + text;
  return [{ path: scriptPath(plan.runbook, plan.variant), content }];
}
