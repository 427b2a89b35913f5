/**
 * Where every output goes. One place, so the script, the checklist (which prints hashes and
 * file names) and the manifest always agree. Ids are validated by the schema
 * (`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`), so no path built here can leave the output folder.
 */
import type { CauStep, Phase, Runbook, Variant } from '../model/runbook.js';

export function variantDir(runbook: Runbook, variant: Variant): string {
  return `${runbook.id}/${variant.id}`;
}

export function scriptPath(runbook: Runbook, variant: Variant): string {
  return `${variantDir(runbook, variant)}/${runbook.id}.${variant.id}.ps1`;
}

/** Relative to the variant folder, as the script refers to it from $PSScriptRoot. */
export function profileFileName(phase: Phase, step: CauStep): string {
  return `profiles/${phase.id}.${step.id}.xml`;
}

export function profilePath(runbook: Runbook, variant: Variant, phase: Phase, step: CauStep): string {
  return `${variantDir(runbook, variant)}/${profileFileName(phase, step)}`;
}

export function checklistPath(runbook: Runbook, variant: Variant, format: 'md' | 'html' | 'pdf'): string {
  return `${variantDir(runbook, variant)}/${runbook.id}.${variant.id}.checklist.${format}`;
}

export function manifestPath(runbook: Runbook): string {
  return `${runbook.id}/manifest.json`;
}
