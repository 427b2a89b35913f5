/**
 * A variant's plan: the phases and steps one variant runs, in order.
 *
 * Rules and emitters both work per variant; selecting the variant's phases and steps happens
 * here, once, so that no stage filters the runbook its own way.
 */
import type { Phase, Runbook, Step, Variant } from './runbook.js';

export interface VariantPlan {
  runbook: Runbook;
  variant: Variant;
  /** The variant's phases, each holding only the steps that belong to the variant. */
  phases: Phase[];
}

/** The implicit variant of a runbook that declares none. */
export const DEFAULT_VARIANT_ID = 'default';

export function variantsOf(runbook: Runbook): Variant[] {
  if (runbook.variants.length > 0) return runbook.variants;
  return [{ id: DEFAULT_VARIANT_ID, title: runbook.title, description: runbook.summary, span: runbook.span }];
}

function belongs(variants: readonly string[], variantId: string): boolean {
  return variants.length === 0 || variants.includes(variantId);
}

export function planVariant(runbook: Runbook, variant: Variant): VariantPlan {
  const phases: Phase[] = [];
  for (const phase of runbook.phases) {
    if (!belongs(phase.variants, variant.id) || phase.steps.length === 0) continue;
    // A phase that runs whole in the variant (most phases of most runbooks) is the runbook's own
    // phase, not a copy: a 10,000-step runbook has thousands of phases in each variant.
    if (phase.steps.every((s) => belongs(s.variants, variant.id))) {
      phases.push(phase);
      continue;
    }
    const steps: Step[] = phase.steps.filter((s) => belongs(s.variants, variant.id));
    if (steps.length > 0) phases.push({ ...phase, steps });
  }
  return { runbook, variant, phases };
}

export function planAll(runbook: Runbook): VariantPlan[] {
  return variantsOf(runbook).map((v) => planVariant(runbook, v));
}
