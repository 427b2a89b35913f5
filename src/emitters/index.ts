/**
 * All emitters, in the order they run. Later emitters may read the hashes of earlier outputs
 * (the script embeds its profiles' hashes; the checklist prints the script's and profiles').
 */
import type { VariantPlan } from '../model/plan.js';
import { emitCauProfiles } from './cau-profile/index.js';
import { checklistFiles } from './checklist/render.js';
import { powerShellFiles } from './powershell/index.js';
import type { EmitContext, OutputFile, RenderedFile } from './types.js';
import { contentSha256 } from '../util/rendered-text.js';
import { wholeFile } from './whole-file.js';

export { wholeFile };

export type Emitter = (plan: VariantPlan, ctx: EmitContext) => RenderedFile[];

export const EMITTERS: readonly Emitter[] = [emitCauProfiles, powerShellFiles, checklistFiles];

/**
 * Runs every emitter over one variant's plan, yielding each file as soon as it is rendered: a build
 * writes it and lets it go before the next is rendered, so the outputs of a large runbook (48 MB at
 * 10,000 steps) are never all in memory at once, and a large text is rendered while it is written
 * (RenderedText). `hashes` receives the SHA-256 of every file, by path, once the consumer is done
 * with it and before the next emitter runs (later emitters print it; the manifest lists it): a
 * file written whole has been hashed as it was written, and is not rendered again for its hash.
 */
export function* renderVariant(plan: VariantPlan, emitters: readonly Emitter[] = EMITTERS, hashes = new Map<string, string>()): Generator<RenderedFile> {
  for (const emit of emitters) {
    for (const file of emit(plan, { sha256: hashes })) {
      yield file;
      hashes.set(file.path, contentSha256(file.content));
    }
  }
}

/** As renderVariant, with every text whole. */
export function* emitVariant(plan: VariantPlan, emitters: readonly Emitter[] = EMITTERS, hashes = new Map<string, string>()): Generator<OutputFile> {
  for (const file of renderVariant(plan, emitters, hashes)) yield wholeFile(file);
}
