/**
 * Emitting: the IR of a valid runbook -> every output file. Kept apart from the pipeline in
 * compile.ts so that checking never loads the emitters.
 */
import { diagnosticAt, type Diagnostic } from './diagnostics.js';
import type { PaperFormat } from './emitters/checklist/pdf.js';
import { EMITTERS, renderVariant, wholeFile } from './emitters/index.js';
import { manifestPath } from './emitters/layout.js';
import type { OutputFile, RenderedFile } from './emitters/types.js';
import { planVariant, variantsOf } from './model/plan.js';
import type { Runbook } from './model/runbook.js';
import { commandsOf } from './model/step-commands.js';
import { EMIT_CODES } from './parser/codes.js';
import { spanIn } from './powershell/command-span.js';
import { REFUSED_COMMAND_REASON, structureProblemOf } from './powershell/structure.js';
import { manifestEntry, manifestOf, type ManifestEntry } from './output.js';

export interface EmitOptions {
  /** Only this variant; all variants when absent. */
  variant?: string;
}

/** Pure: the IR of a valid runbook -> every output file (scripts, profiles, checklists, manifest). */
export function emitRunbook(runbook: Runbook, options: EmitOptions = {}): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const diagnostics = emitDiagnostics(runbook, options);
  const files: OutputFile[] = [];
  // Each text is made whole before the next file is rendered: it is then hashed from that string.
  if (diagnostics.length === 0) for (const file of emitOutputs(runbook, options)) files.push(wholeFile(file));
  return { files, diagnostics };
}

/** Why nothing can be emitted from `runbook` with `options` (a draft, an unknown variant); empty when it can. */
export function emitDiagnostics(runbook: Runbook, options: EmitOptions = {}): Diagnostic[] {
  if (runbook.draft) {
    return [diagnosticAt(EMIT_CODES.draft, runbook.span, 'Unexpected draft runbook, expected `draft: true` removed after every inference of the import report is resolved')];
  }
  const variants = variantsOf(runbook);
  if (options.variant !== undefined && !variants.some((v) => v.id === options.variant)) {
    return [diagnosticAt(EMIT_CODES.unknownVariant, runbook.span, `Unexpected variant \`${options.variant}\`, expected one of ${variants.map((v) => `\`${v.id}\``).join(', ')}`)];
  }
  return refusedCommands(runbook);
}

/**
 * Commands the script generator refuses to wrap. RB510 reports them first when rules run; a build
 * with `--profile min` (no rules) learns of them here, as a diagnostic rather than a failure of
 * the emitter's own guard.
 */
function refusedCommands(runbook: Runbook): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      for (const command of commandsOf(step)) {
        const problem = structureProblemOf(command.text.replace(/\r\n|\r/g, '\n'));
        if (!problem) continue;
        const span = spanIn(command, { start: problem.index, end: problem.index + 1 });
        diagnostics.push(diagnosticAt(EMIT_CODES.refusedCommand, span, `${problem.message}: ${REFUSED_COMMAND_REASON}`));
      }
    }
  }
  return diagnostics;
}

/**
 * Every output file of a runbook that emitDiagnostics accepts, each yielded as soon as it is
 * rendered, the manifest last (a build writes each file as it comes, and a large text as it is
 * rendered: see renderVariant).
 */
export function* emitOutputs(runbook: Runbook, options: EmitOptions = {}): Generator<RenderedFile> {
  const selected = variantsOf(runbook).filter((v) => options.variant === undefined || v.id === options.variant);
  // Paths differ between variants (each has its own folder), so one map holds every file's hash.
  const hashes = new Map<string, string>();
  const entries: ManifestEntry[] = [];
  for (const variant of selected) {
    for (const file of renderVariant(planVariant(runbook, variant), EMITTERS, hashes)) {
      yield file;
      // After the consumer is done with it: a text rendered as it was written is not rendered again.
      entries.push(manifestEntry(runbook.id, file));
    }
  }
  yield manifestFile(runbook, entries);
}

function manifestFile(runbook: Runbook, entries: readonly ManifestEntry[]): OutputFile {
  return { path: manifestPath(runbook), content: JSON.stringify(manifestOf(runbook.id, runbook.version, entries), null, 2) + '\n' };
}

/**
 * Adds a PDF of every HTML checklist and lists them in the manifest. The browser is loaded here
 * and only here, so that nothing else ever starts or imports it.
 */
export async function withPdfChecklists(runbook: Runbook, files: readonly OutputFile[], paper: PaperFormat | undefined): Promise<{ files: OutputFile[]; diagnostics: Diagnostic[] }> {
  const { chromiumAvailable, CHROMIUM_PATH } = await import('./emitters/checklist/browser.js');
  if (!chromiumAvailable()) {
    const message = `Unexpected missing browser \`${CHROMIUM_PATH}\`, expected Debian's chromium to print the PDF checklists (install it with \`apt-get install -y chromium\`)`;
    return { files: [], diagnostics: [diagnosticAt(EMIT_CODES.pdfBrowserMissing, runbook.span, message)] };
  }
  const { renderPdf } = await import('./emitters/checklist/pdf.js');
  const outputs = files.filter((f) => f.path !== manifestPath(runbook));
  outputs.push(...(await renderPdf(outputs.filter((f) => f.path.endsWith('.checklist.html')), paper ? { format: paper } : {})));
  outputs.push(manifestFile(runbook, outputs.map((f) => manifestEntry(runbook.id, f))));
  return { files: outputs, diagnostics: [] };
}

