/**
 * Emitting: the IR of a valid runbook -> every output file. Kept apart from the pipeline in
 * compile.ts so that checking never loads the emitters.
 */
import { diagnosticAt, type Diagnostic } from './diagnostics.js';
import type { PaperFormat } from './emitters/checklist/pdf.js';
import { EMITTERS, emitVariant } from './emitters/index.js';
import { manifestPath } from './emitters/layout.js';
import type { OutputFile } from './emitters/types.js';
import { planVariant, variantsOf } from './model/plan.js';
import type { Runbook } from './model/runbook.js';
import { EMIT_CODES } from './parser/codes.js';
import { manifestFor } from './output.js';

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
  // Paths differ between variants (each has its own folder), so one map holds every file's hash.
  const hashes = new Map<string, string>();
  const files = selected.flatMap((variant) => emitVariant(planVariant(runbook, variant), EMITTERS, hashes));
  files.push(manifestFile(runbook, files, hashes));
  return { files, diagnostics: [] };
}

function manifestFile(runbook: Runbook, files: readonly OutputFile[], hashes?: ReadonlyMap<string, string>): OutputFile {
  return { path: manifestPath(runbook), content: JSON.stringify(manifestFor(runbook.id, runbook.version, files, hashes), null, 2) + '\n' };
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
  outputs.push(manifestFile(runbook, outputs));
  return { files: outputs, diagnostics: [] };
}

