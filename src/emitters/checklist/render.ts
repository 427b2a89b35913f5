/**
 * Renders the checklist view model with the templates in templates/checklist/.
 *
 * Two sets of templates, both strict (a missing field is an error, not an empty string; the
 * options are in ../templates.ts) and compiled as flat templates (see there):
 * - HTML keeps Handlebars' default escaping; the template never uses triple braces.
 * - Markdown turns HTML escaping off and instead sends every value through one of the helpers of
 *   markdown.ts (a test rejects any other output expression in the template).
 */
import type Handlebars from 'handlebars';
import type { VariantPlan } from '../../model/plan.js';
import { checklistPath } from '../layout.js';
import { loadFlatTemplate, phaseBatches, TEMPLATE_ROOT } from '../templates.js';
import type { EmitContext, OutputFile, RenderedFile } from '../types.js';
import { RenderedText } from '../../util/rendered-text.js';
import { wholeFile } from '../whole-file.js';
import { markdownCode, markdownCodeBlock, markdownTableCode, markdownText, mermaidLabel } from './markdown.js';
import { checklistViews, type ChecklistHeadView, type ChecklistView, type PhaseView, type Prose } from './view-model.js';

export const TEMPLATE_DIR = new URL('checklist/', TEMPLATE_ROOT);

/** The helpers the Markdown templates call. */
export function markdownHelpers(): Record<string, Handlebars.HelperDelegate> {
  // Strict mode does not check helper arguments, so the helpers refuse a missing value themselves.
  const text = (v: unknown, options: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    const loc = (options as { loc?: { start?: { line: number; column: number } } } | undefined)?.loc?.start;
    const where = loc ? ` at template line ${loc.line}, column ${loc.column}` : '';
    throw new Error(`Markdown checklist: expected a string or a number${where}, got \`${String(v)}\``);
  };
  // Prose (view-model.ts) is text with code spans; each piece goes through the matching escaper.
  const proseOf = (v: unknown, options: unknown, code: (t: string) => string): string => {
    if (!Array.isArray(v)) text(v, options);
    return (v as Prose).map((p) => (p.code ? code(text(p.text, options)) : markdownText(text(p.text, options)))).join('');
  };
  return {
    // A whole value is trimmed: `**x **` is not bold, and its asterisks could pair with later markup.
    md: (v: unknown, options: unknown) => markdownText(text(v, options).trim()),
    mdCode: (v: unknown, options: unknown) => markdownCode(text(v, options)),
    mdBlock: (v: unknown, language: unknown, indent: unknown, options: unknown) => markdownCodeBlock(text(v, options), String(language), Number(indent)),
    mdProse: (v: unknown, options: unknown) => proseOf(v, options, markdownCode),
    mdCellProse: (v: unknown, options: unknown) => proseOf(v, options, markdownTableCode),
    mermaid: (v: unknown, options: unknown) => mermaidLabel(text(v, options)),
  };
}

/** A checklist format's templates: its start, a list of phases, its end. */
interface ChecklistTemplates {
  start: (view: ChecklistHeadView) => string;
  phases: (view: { phases: PhaseView[] }) => string;
  end: (view: ChecklistHeadView) => string;
}

let cached: { html: ChecklistTemplates; markdown: ChecklistTemplates } | undefined;

function templates(): { html: ChecklistTemplates; markdown: ChecklistTemplates } {
  if (!cached) {
    const mdHelpers = markdownHelpers();
    const prose = loadFlatTemplate('checklist/prose.html.hbs', {});
    const htmlPartials = { prose, rollbackFacts: loadFlatTemplate('checklist/rollback-facts.html.hbs', {}) };
    cached = {
      html: {
        start: loadFlatTemplate('checklist/checklist.html.hbs', {}, htmlPartials),
        phases: loadFlatTemplate('checklist/checklist-phases.html.hbs', {}, htmlPartials),
        end: loadFlatTemplate('checklist/checklist-end.html.hbs', {}, htmlPartials),
      },
      markdown: {
        start: loadFlatTemplate('checklist/checklist.md.hbs', mdHelpers, { rollbackFacts: loadFlatTemplate('checklist/rollback-facts.md.hbs', mdHelpers) }),
        phases: loadFlatTemplate('checklist/checklist-phases.md.hbs', mdHelpers),
        end: loadFlatTemplate('checklist/checklist-end.md.hbs', mdHelpers),
      },
    };
  }
  return cached;
}

/** The checklist's text in pieces: its start, its phases a batch at a time, its end. */
function* checklistPieces(parts: ChecklistTemplates, head: ChecklistHeadView, phaseCount: number, phase: (index: number) => PhaseView): Generator<string> {
  yield parts.start(head);
  for (const batch of phaseBatches(phaseCount, phase)) yield parts.phases(batch);
  yield parts.end(head);
}

export function renderChecklistHtml(view: ChecklistView): string {
  return [...checklistPieces(templates().html, view, view.phases.length, (p) => view.phases[p]!)].join('');
}

export function renderChecklistMarkdown(view: ChecklistView): string {
  return [...checklistPieces(templates().markdown, view, view.phases.length, (p) => view.phases[p]!)].join('');
}

/**
 * The HTML and Markdown checklists of one variant, each rendered a few phases at a time as it is
 * written (the phases' views are built for them and then dropped). The PDF is rendered from the HTML on request.
 */
export function checklistFiles(plan: VariantPlan, ctx: EmitContext): RenderedFile[] {
  const views = checklistViews(plan, ctx);
  const text = (parts: () => ChecklistTemplates) => new RenderedText(() => checklistPieces(parts(), views.head, views.phaseCount, views.phase));
  return [
    { path: checklistPath(plan.runbook, plan.variant, 'html'), content: text(() => templates().html) },
    { path: checklistPath(plan.runbook, plan.variant, 'md'), content: text(() => templates().markdown) },
  ];
}

/** The HTML and Markdown checklists of one variant, each text whole. */
export function emitChecklists(plan: VariantPlan, ctx: EmitContext): OutputFile[] {
  return checklistFiles(plan, ctx).map(wholeFile);
}
