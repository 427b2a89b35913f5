/** The public API of runbookc. Kept small; a test pins the export list. */
export { buildRunbookFile, checkRunbook, loadRunbook, runbookFromDocument } from './compile.js';
export { emitRunbook } from './emit.js';
export type { BuildOptions, BuildResult, EmitOptions, LoadResult } from './compile.js';
export { formatJson, formatText, hasErrors } from './diagnostics.js';
export type { Diagnostic, RuleMeta, Severity } from './diagnostics.js';
export type { OutputFile } from './emitters/types.js';
export { planAll, planVariant, variantsOf } from './model/plan.js';
export type { VariantPlan } from './model/plan.js';
export type * from './model/runbook.js';
