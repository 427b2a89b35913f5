/**
 * The pipeline, in one direction: read -> parse -> schema -> IR -> rules -> emit -> write.
 * Each stage stops the pipeline when it reports errors; nothing is emitted from an invalid runbook.
 */
import { diagnosticAt, hasErrors, type Diagnostic } from './diagnostics.js';
import { emitVariant } from './emitters/index.js';
import type { OutputFile } from './emitters/types.js';
import type { PaperFormat } from './emitters/checklist/pdf.js';
import { manifestPath } from './emitters/layout.js';
import { planVariant, variantsOf } from './model/plan.js';
import type { Runbook } from './model/runbook.js';
import { buildRunbook as buildIr } from './parser/build-ir.js';
import { EMIT_CODES } from './parser/codes.js';
import { readRunbook } from './parser/read.js';
import type { SourceDocument } from './parser/source-document.js';
import { runRules, type ProfileName } from './rules/index.js';
import { validateAgainstSchema } from './schema/validate.js';
import { manifestFor, writeOutputsAtomically } from './output.js';

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

export interface EmitOptions {
  /** Only this variant; all variants when absent. */
  variant?: string;
}

/** Pure: the IR of a valid runbook -> every output file (scripts, profiles, checklists, manifest). */
export function emitRunbook(runbook: Runbook, options: EmitOptions = {}): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  if (runbook.draft) {
    return {
      files: [],
      diagnostics: [
        diagnosticAt(EMIT_CODES.draft, runbook.span, 'Unexpected draft runbook, expected `draft: true` removed after every inference of the import report is resolved'),
      ],
    };
  }
  const variants = variantsOf(runbook);
  const selected = options.variant === undefined ? variants : variants.filter((v) => v.id === options.variant);
  if (selected.length === 0) {
    return {
      files: [],
      diagnostics: [
        diagnosticAt(
          EMIT_CODES.unknownVariant,
          runbook.span,
          `Unexpected variant \`${options.variant}\`, expected one of ${variants.map((v) => `\`${v.id}\``).join(', ')}`,
        ),
      ],
    };
  }
  const files = selected.flatMap((variant) => emitVariant(planVariant(runbook, variant)));
  files.push(manifestFile(runbook, files));
  return { files, diagnostics: [] };
}

function manifestFile(runbook: Runbook, files: readonly OutputFile[]): OutputFile {
  return { path: manifestPath(runbook), content: JSON.stringify(manifestFor(runbook.id, runbook.version, files), null, 2) + '\n' };
}

/**
 * Adds a PDF of every HTML checklist and lists them in the manifest. The browser is loaded here
 * and only here, so that nothing else ever starts or imports it.
 */
async function withPdfChecklists(runbook: Runbook, files: readonly OutputFile[], paper: PaperFormat | undefined): Promise<{ files: OutputFile[]; diagnostics: Diagnostic[] }> {
  const { chromiumAvailable, CHROMIUM_PATH } = await import('./emitters/checklist/browser.js');
  if (!chromiumAvailable()) {
    const message = `Unexpected missing browser \`${CHROMIUM_PATH}\`, expected Debian's chromium to print the PDF checklists (install it with \`apt-get install -y chromium\`)`;
    return { files: [], diagnostics: [diagnosticAt(EMIT_CODES.pdfBrowserMissing, runbook.span, message)] };
  }
  const { renderPdf } = await import('./emitters/checklist/pdf.js');
  const outputs = files.filter((f) => f.path !== manifestPath(runbook));
  outputs.push(...(await renderPdf(outputs.filter((f) => f.path.endsWith('.checklist.html')), paper ? { format: paper } : {})));
  outputs.push(manifestFile(runbook, outputs));
  return { files: outputs, diagnostics: [] };
}

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
  let emitted = emitRunbook(checked.runbook, options);
  if (options.pdf && !hasErrors(emitted.diagnostics)) emitted = await withPdfChecklists(checked.runbook, emitted.files, options.paper);
  const diagnostics = [...checked.diagnostics, ...emitted.diagnostics];
  if (hasErrors(diagnostics)) return { runbook: checked.runbook, diagnostics, written: [] };
  await writeOutputsAtomically(options.outDir, checked.runbook.id, emitted.files);
  return { runbook: checked.runbook, diagnostics, written: emitted.files.map((f) => f.path) };
}
