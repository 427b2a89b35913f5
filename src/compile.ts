/**
 * The pipeline, in one direction: read -> parse -> schema -> IR -> rules -> emit -> write.
 * Each stage stops the pipeline when it reports errors; nothing is emitted from an invalid runbook.
 */
import { hasErrors, type Diagnostic } from './diagnostics.js';
import type { OutputFile } from './emitters/types.js';
import type { PaperFormat } from './emitters/checklist/pdf.js';
import type { EmitOptions } from './emit.js';
import type { Runbook } from './model/runbook.js';
import { buildRunbook as buildIr } from './parser/build-ir.js';
import { readRunbook } from './parser/read.js';
import type { SourceDocument } from './parser/source-document.js';
import { runRules, type ProfileName } from './rules/index.js';
import { validateAgainstSchema } from './schema/validate.js';

export interface LoadResult {
  runbook?: Runbook;
  diagnostics: Diagnostic[];
}

/** Schema validation and IR building for a parsed document of either syntax. */
export function runbookFromDocument(document: SourceDocument): LoadResult {
  const schemaDiagnostics = validateAgainstSchema(document);
  if (schemaDiagnostics.length > 0) return { diagnostics: schemaDiagnostics };
  return buildIr(document);
}

/** Reads and parses a runbook file into the IR, with every parse and schema problem positioned. */
export async function loadRunbook(file: string): Promise<LoadResult> {
  const { document, diagnostics } = await readRunbook(file);
  if (!document) return { diagnostics };
  const built = runbookFromDocument(document);
  return { ...built, diagnostics: [...diagnostics, ...built.diagnostics] };
}

/** Everything `runbookc check` reports for one file. */
export interface CheckOptions {
  /** The rule profile (`min`, `safe`, `strict`); `safe` when absent. */
  profile?: ProfileName;
}

export async function checkRunbook(file: string, options: CheckOptions = {}): Promise<LoadResult> {
  const loaded = await loadRunbook(file);
  if (!loaded.runbook || hasErrors(loaded.diagnostics)) return loaded;
  return { runbook: loaded.runbook, diagnostics: [...loaded.diagnostics, ...runRules(loaded.runbook, { profile: options.profile ?? 'safe' })] };
}

export type { EmitOptions } from './emit.js';

export interface BuildOptions extends EmitOptions, CheckOptions {
  outDir: string;
  /** Also print every HTML checklist to PDF with headless chromium. */
  pdf?: boolean;
  paper?: PaperFormat;
}

export interface BuildResult {
  runbook?: Runbook;
  diagnostics: Diagnostic[];
  /** Paths written, relative to outDir; empty when the build failed. */
  written: string[];
}

/** `runbookc build` for one file: check, emit, then write atomically (all or nothing). */
export async function buildRunbookFile(file: string, options: BuildOptions): Promise<BuildResult> {
  const checked = await checkRunbook(file, options);
  if (!checked.runbook || hasErrors(checked.diagnostics)) return { ...checked, written: [] };
  // The emitters (Handlebars and the templates) and the writer (with node:crypto, whose ES module
  // facade alone costs tens of milliseconds) are loaded only when something is built, so that
  // `runbookc check` starts without them.
  const [{ emitDiagnostics, emitOutputs, emitRunbook, withPdfChecklists }, { writeOutputsAtomically }] = await Promise.all([import('./emit.js'), import('./output.js')]);
  const emitProblems = emitDiagnostics(checked.runbook, options);
  if (emitProblems.length > 0) return { runbook: checked.runbook, diagnostics: [...checked.diagnostics, ...emitProblems], written: [] };
  if (!options.pdf) {
    // Each output is written as soon as it is rendered, and not kept.
    return { runbook: checked.runbook, diagnostics: checked.diagnostics, written: writeOutputsAtomically(options.outDir, checked.runbook.id, emitOutputs(checked.runbook, options)) };
  }
  // The PDFs are printed from the HTML checklists, so these outputs are all rendered first.
  const emitted = await withPdfChecklists(checked.runbook, emitRunbook(checked.runbook, options).files, options.paper);
  const diagnostics = [...checked.diagnostics, ...emitted.diagnostics];
  if (hasErrors(diagnostics)) return { runbook: checked.runbook, diagnostics, written: [] };
  return { runbook: checked.runbook, diagnostics, written: writeOutputsAtomically(options.outDir, checked.runbook.id, emitted.files) };
}
