/**
 * All emitters, in the order they run. Later emitters may read the hashes of earlier outputs
 * (the script embeds its profiles' hashes; the checklist prints the script's and profiles').
 */
import type { VariantPlan } from '../model/plan.js';
import { emitCauProfiles } from './cau-profile/index.js';
import { emitChecklists } from './checklist/render.js';
import { emitPowerShell } from './powershell/index.js';
import type { EmitContext, OutputFile } from './types.js';
import { sha256 } from '../util/sha256.js';

export type Emitter = (plan: VariantPlan, ctx: EmitContext) => OutputFile[];

export const EMITTERS: readonly Emitter[] = [emitCauProfiles, emitPowerShell, emitChecklists];

/**
 * Runs every emitter over one variant's plan, yielding each file as soon as it is rendered: a build
 * writes it and lets it go before the next is rendered, so the outputs of a large runbook (48 MB at
 * 10,000 steps) are never all in memory at once. `hashes` receives the SHA-256 of every file, by
 * path, before it is yielded (later emitters print it; the manifest lists it without hashing again).
 */
export function* emitVariant(plan: VariantPlan, emitters: readonly Emitter[] = EMITTERS, hashes = new Map<string, string>()): Generator<OutputFile> {
  for (const emit of emitters) {
    for (const file of emit(plan, { sha256: hashes })) {
      hashes.set(file.path, sha256(file.content));
      yield file;
    }
  }
}
