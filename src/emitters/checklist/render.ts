/**
 * Renders the checklist view model with the templates in templates/checklist/.
 *
 * Two Handlebars environments, both strict (a missing field is an error, not an empty string; the
 * options are in ../templates.ts):
 * - HTML keeps Handlebars' default escaping; the template never uses triple braces.
 * - Markdown turns HTML escaping off and instead sends every value through one of the helpers of
 *   markdown.ts (a test rejects any other output expression in the template).
 */
import type Handlebars from 'handlebars';
import type { VariantPlan } from '../../model/plan.js';
import { checklistPath } from '../layout.js';
import { loadTemplate, TEMPLATE_ROOT, templateEnvironment } from '../templates.js';
import type { EmitContext, OutputFile } from '../types.js';
import { markdownCode, markdownCodeBlock, markdownTableCode, markdownText, mermaidLabel } from './markdown.js';
import { buildChecklistView, type ChecklistView, type Prose } from './view-model.js';

export const TEMPLATE_DIR = new URL('checklist/', TEMPLATE_ROOT);

function markdownEnvironment(): typeof Handlebars {
  const hbs = templateEnvironment();
  // Strict mode does not check helper arguments, so the helpers refuse a missing value themselves.
  const text = (v: unknown, options: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    const loc = (options as { loc?: { start?: { line: number; column: number } } } | undefined)?.loc?.start;
    const where = loc ? ` at template line ${loc.line}, column ${loc.column}` : '';
    throw new Error(`Markdown checklist: expected a string or a number${where}, got \`${String(v)}\``);
  };
  // A whole value is trimmed: `**x **` is not bold, and its asterisks could pair with later markup.
  hbs.registerHelper('md', (v: unknown, options: unknown) => markdownText(text(v, options).trim()));
  hbs.registerHelper('mdCode', (v: unknown, options: unknown) => markdownCode(text(v, options)));
  hbs.registerHelper('mdBlock', (v: unknown, language: unknown, indent: unknown, options: unknown) =>
    markdownCodeBlock(text(v, options), String(language), Number(indent)),
  );
  // Prose (view-model.ts) is text with code spans; each piece goes through the matching escaper.
  const proseOf = (v: unknown, options: unknown, code: (t: string) => string): string => {
    if (!Array.isArray(v)) text(v, options);
    return (v as Prose).map((p) => (p.code ? code(text(p.text, options)) : markdownText(text(p.text, options)))).join('');
  };
  hbs.registerHelper('mdProse', (v: unknown, options: unknown) => proseOf(v, options, markdownCode));
  hbs.registerHelper('mdCellProse', (v: unknown, options: unknown) => proseOf(v, options, markdownTableCode));
  hbs.registerHelper('mermaid', (v: unknown, options: unknown) => mermaidLabel(text(v, options)));
  return hbs;
}

type Renderer = (view: ChecklistView) => string;

let cached: { html: Renderer; markdown: Renderer } | undefined;

function renderers(): { html: Renderer; markdown: Renderer } {
  cached ??= {
    html: loadTemplate<ChecklistView>(templateEnvironment(), 'checklist/checklist.html.hbs'),
    markdown: loadTemplate<ChecklistView>(markdownEnvironment(), 'checklist/checklist.md.hbs'),
  };
  return cached;
}

export function renderChecklistHtml(view: ChecklistView): string {
  return renderers().html(view);
}

export function renderChecklistMarkdown(view: ChecklistView): string {
  return renderers().markdown(view);
}

/** The HTML and Markdown checklists of one variant. The PDF is rendered from the HTML on request. */
export function emitChecklists(plan: VariantPlan, ctx: EmitContext): OutputFile[] {
  const view = buildChecklistView(plan, ctx);
  return [
    { path: checklistPath(plan.runbook, plan.variant, 'html'), content: renderChecklistHtml(view) },
    { path: checklistPath(plan.runbook, plan.variant, 'md'), content: renderChecklistMarkdown(view) },
  ];
}
