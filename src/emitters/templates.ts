/**
 * The Handlebars templates of the emitters and of `runbookc diff` (files under templates/) and the options each is compiled with.
 *
 * `npm run build` precompiles them (scripts/precompile-templates.mjs) into templates.cjs next to
 * the compiled version of this module, which is then loaded with the Handlebars runtime only: a
 * build never parses a template or loads the Handlebars compiler. Running from the TypeScript
 * sources (as under vitest) that module is absent, and the templates are compiled from their files
 * here, with the same options.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

const require = createRequire(import.meta.url);

export const TEMPLATE_ROOT = new URL('../../templates/', import.meta.url);

/**
 * Scripts: HTML escaping off (it would corrupt PowerShell and is no protection for it; every value
 * goes through a quoting helper instead), strict, and partials not indented by Handlebars (the
 * `indent` helper does it, leaving author code alone).
 */
const POWERSHELL: TemplateCompileOptions = { noEscape: true, strict: true, preventIndent: true };

/** Every template, by its path under templates/. */
export const TEMPLATE_OPTIONS = {
  'powershell/script.ps1.hbs': POWERSHELL,
  'powershell/runtime.ps1.hbs': POWERSHELL,
  'powershell/step.ps1.hbs': POWERSHELL,
  // HTML keeps Handlebars' default escaping; Markdown (the checklist, `runbookc diff`) escapes
  // through its helpers instead.
  'checklist/checklist.html.hbs': { strict: true },
  'checklist/checklist.md.hbs': { strict: true, noEscape: true },
  'diff/plan-diff.md.hbs': { strict: true, noEscape: true },
} as const satisfies Record<string, TemplateCompileOptions>;

export type TemplateName = keyof typeof TEMPLATE_OPTIONS;

export type TemplateCompileOptions = Pick<CompileOptions, 'noEscape' | 'strict' | 'preventIndent'>;

type TemplateSpecs = Record<TemplateName, TemplateSpecification>;

let precompiled: TemplateSpecs | null | undefined;

/** The specs written at build time, or null when running from the sources. */
function precompiledSpecs(): TemplateSpecs | null {
  if (precompiled === undefined) {
    try {
      precompiled = require('./templates.cjs') as TemplateSpecs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
      precompiled = null;
    }
  }
  return precompiled;
}

/**
 * A fresh Handlebars environment for helpers and partials: the runtime alone when the templates are
 * precompiled, the full library (with the compiler) otherwise.
 */
export function templateEnvironment(): typeof Handlebars {
  const library = (precompiledSpecs() ? require('handlebars/runtime') : require('handlebars')) as typeof Handlebars;
  return library.create();
}

/** One template of `env` (from templateEnvironment), ready to render. */
export function loadTemplate<T>(env: typeof Handlebars, name: TemplateName): Handlebars.TemplateDelegate<T> {
  const specs = precompiledSpecs();
  if (specs) return env.template<T>(specs[name]);
  return env.compile<T>(readFileSync(new URL(name, TEMPLATE_ROOT), 'utf8'), TEMPLATE_OPTIONS[name]);
}
