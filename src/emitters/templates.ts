/**
 * The Handlebars templates of the emitters and of `runbookc diff` (files under templates/) and the options each is compiled with.
 *
 * `npm run build` precompiles them (scripts/precompile-templates.mjs) into templates.cjs next to
 * the compiled version of this module, together with the Handlebars runtime they run on: a build
 * never parses a template or loads the Handlebars compiler. The emitters' templates are compiled to
 * plain JavaScript instead (FLAT_TEMPLATES, flat-template.ts). Running from the TypeScript
 * sources (as under vitest) that module is absent, and the templates are compiled from their files
 * here, with the same options.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type Handlebars from 'handlebars';
import { PRECOMPILED_TEMPLATES, TEMPLATES_DIR } from '../resources.js';
import { requireGenerated } from '../util/generated-module.js';
import { compileFlatTemplate, type FlatRuntime, type FlatTemplateFactory } from './flat-template.js';

const require = createRequire(import.meta.url);

export const TEMPLATE_ROOT = pathToFileURL(TEMPLATES_DIR);

/**
 * Every helper a template calls is declared here (knownHelpersOnly): the flat compiler
 * (flat-template.ts) calls only these, and refuses a template calling any other; Handlebars calls
 * them directly and reads any other name as a field. A helper left out here fails the template.
 */
function knownHelpers(...names: string[]): TemplateCompileOptions {
  return { knownHelpersOnly: true, knownHelpers: Object.fromEntries(names.map((n) => [n, true])) };
}

/**
 * Scripts: HTML escaping off (it would corrupt PowerShell and is no protection for it; every value
 * goes through a quoting helper instead), strict, and partials not indented by Handlebars (the
 * `indent` helper does it, leaving author code alone).
 */
const POWERSHELL: TemplateCompileOptions = {
  noEscape: true,
  strict: true,
  preventIndent: true,
  ...knownHelpers('ps', 'int', 'bool', 'ident', 'code', 'comment', 'help', 'indent'),
};

/** Markdown escapes through its helpers (markdown.ts) instead of HTML escaping. */
const MARKDOWN: TemplateCompileOptions = { strict: true, noEscape: true };

/** HTML keeps Handlebars' default escaping and calls no helper of ours. */
const HTML: TemplateCompileOptions = { strict: true, ...knownHelpers() };

const CHECKLIST_MARKDOWN: TemplateCompileOptions = { ...MARKDOWN, ...knownHelpers('md', 'mdCode', 'mdBlock', 'mdProse', 'mdCellProse', 'mermaid') };

/** Every template, by its path under templates/. */
export const TEMPLATE_OPTIONS = {
  // A script is rendered in parts: its start, its phases a few at a time, its end (powershell/render.ts).
  'powershell/script.ps1.hbs': POWERSHELL,
  'powershell/phases.ps1.hbs': POWERSHELL,
  'powershell/script-end.ps1.hbs': POWERSHELL,
  'powershell/runtime.ps1.hbs': POWERSHELL,
  'powershell/step.ps1.hbs': POWERSHELL,
  // A checklist is rendered in parts: its start, its phases a few at a time, its end (checklist/render.ts).
  'checklist/checklist.html.hbs': HTML,
  'checklist/checklist-phases.html.hbs': HTML,
  'checklist/checklist-end.html.hbs': HTML,
  'checklist/prose.html.hbs': HTML,
  'checklist/rollback-facts.html.hbs': HTML,
  'checklist/checklist.md.hbs': CHECKLIST_MARKDOWN,
  'checklist/checklist-phases.md.hbs': CHECKLIST_MARKDOWN,
  'checklist/checklist-end.md.hbs': CHECKLIST_MARKDOWN,
  'checklist/rollback-facts.md.hbs': CHECKLIST_MARKDOWN,
  'diff/plan-diff.md.hbs': { ...MARKDOWN, ...knownHelpers('md', 'mdCode', 'mdBlock') },
} as const satisfies Record<string, TemplateCompileOptions>;

export type TemplateName = keyof typeof TEMPLATE_OPTIONS;

/**
 * The emitters' templates: compiled to plain JavaScript by flat-template.ts rather than rendered by
 * Handlebars, whose runtime took a third of their rendering time (see there). The one template of
 * `runbookc diff`, rendered once per run, stays with Handlebars.
 */
export const FLAT_TEMPLATES = [
  'powershell/script.ps1.hbs',
  'powershell/phases.ps1.hbs',
  'powershell/script-end.ps1.hbs',
  'powershell/runtime.ps1.hbs',
  'powershell/step.ps1.hbs',
  'checklist/checklist.html.hbs',
  'checklist/checklist-phases.html.hbs',
  'checklist/checklist-end.html.hbs',
  'checklist/prose.html.hbs',
  'checklist/rollback-facts.html.hbs',
  'checklist/checklist.md.hbs',
  'checklist/checklist-phases.md.hbs',
  'checklist/checklist-end.md.hbs',
  'checklist/rollback-facts.md.hbs',
] as const satisfies readonly TemplateName[];

export type FlatTemplateName = (typeof FLAT_TEMPLATES)[number];

export function isFlatTemplate(name: TemplateName): name is FlatTemplateName {
  return (FLAT_TEMPLATES as readonly TemplateName[]).includes(name);
}

export type TemplateCompileOptions = Pick<CompileOptions, 'noEscape' | 'strict' | 'preventIndent' | 'knownHelpers' | 'knownHelpersOnly'>;

type TemplateSpecs = Record<TemplateName, TemplateSpecification>;

/** What scripts/precompile-templates.mjs generates: the templates and the Handlebars runtime they run on. */
interface PrecompiledTemplates {
  runtime: typeof Handlebars;
  /** The templates that are not FLAT_TEMPLATES, for Handlebars. */
  specs: TemplateSpecs;
  /** FLAT_TEMPLATES, compiled by flat-template.ts. */
  flat: Record<FlatTemplateName, FlatTemplateFactory>;
}

let precompiled: PrecompiledTemplates | null | undefined;

/** The templates compiled at build time, or null when running from the sources. */
function precompiledTemplates(): PrecompiledTemplates | null {
  if (precompiled === undefined) {
    try {
      precompiled = requireGenerated(PRECOMPILED_TEMPLATES) as PrecompiledTemplates;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
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
  const library = precompiledTemplates()?.runtime ?? (require('handlebars') as typeof Handlebars);
  const env = library.create();
  env.registerHelper('each', joiningEach(env));
  return env;
}

/**
 * `{{#each list}}` as Handlebars' own (the same `@index`, `@first`, `@last`, `{{else}}` when empty),
 * but for lists only (as the flat templates' `each` below) and joining the items' text rather than
 * appending each to one growing string: a Handlebars template (the plan diff) is rendered whole, and
 * V8 keeps such a string as a tree of its pieces until it is first read, pieces that then outlive
 * young-generation collections. Joined, each list's text is one flat string.
 */
function joiningEach(env: typeof Handlebars): Handlebars.HelperDelegate {
  return function (this: unknown, list: unknown, options: Handlebars.HelperOptions): string {
    if (list === undefined || list === null || list === false) return options.inverse(this);
    if (!Array.isArray(list)) throw notAList(list);
    if (list.length === 0) return options.inverse(this);
    const data = options.data ? env.createFrame(options.data) : undefined;
    const texts = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) {
      if (data) {
        data.key = i;
        data.index = i;
        data.first = i === 0;
        data.last = i === list.length - 1;
      }
      texts[i] = options.fn(list[i], { data, blockParams: [list[i], i] });
    }
    return texts.join('');
  };
}

/**
 * Steps rendered by one call of a template of phases (see phaseBatches). About 100 KB of HTML
 * checklist: below V8's large-object size (128 KB), so that a batch's text is allocated in the young
 * generation, whose memory is reused, rather than in fresh pages (slow on the machines we measure).
 */
const BATCH_STEPS = 40;

/**
 * A document's phases in consecutive batches of about BATCH_STEPS steps, each phase's view built
 * when its batch is reached. A large script or checklist is rendered a batch at a time, so that a
 * batch's views and text are garbage before the next.
 */
export function* phaseBatches<T extends { steps: readonly unknown[] }>(count: number, phase: (index: number) => T): Generator<{ phases: T[] }> {
  let batch: T[] = [];
  let steps = 0;
  for (let i = 0; i < count; i++) {
    const view = phase(i);
    batch.push(view);
    steps += view.steps.length;
    if (steps >= BATCH_STEPS) {
      yield { phases: batch };
      batch = [];
      steps = 0;
    }
  }
  if (batch.length > 0) yield { phases: batch };
}

/** One template of `env` (from templateEnvironment), ready to render. */
export function loadTemplate<T>(env: typeof Handlebars, name: TemplateName): Handlebars.TemplateDelegate<T> {
  if (isFlatTemplate(name)) throw new Error(`internal error: \`${name}\` is rendered by loadFlatTemplate, not Handlebars`);
  const specs = precompiledTemplates()?.specs;
  if (specs) return env.template<T>(specs[name]);
  return env.compile<T>(readFileSync(new URL(name, TEMPLATE_ROOT), 'utf8'), TEMPLATE_OPTIONS[name]);
}

/** A flat template's generated code, from the precompiled module or, running from the sources, compiled now. */
function flatFactory(name: FlatTemplateName): FlatTemplateFactory {
  const precompiledFactory = precompiledTemplates()?.flat[name];
  if (precompiledFactory) return precompiledFactory;
  const handlebars = require('handlebars') as typeof Handlebars;
  const source = compileFlatTemplate(handlebars.parse(readFileSync(new URL(name, TEMPLATE_ROOT), 'utf8')), TEMPLATE_OPTIONS[name], name);
  // The same code the build writes into the precompiled module (scripts/precompile-templates.mjs).
  return new Function(`return ${source}`)() as FlatTemplateFactory;
}

/**
 * One of FLAT_TEMPLATES, ready to render: `helpers` are the functions its `{{helper ...}}` calls
 * (called as Handlebars calls them), `partials` the flat templates its `{{> name}}` renders.
 */
export function loadFlatTemplate<T>(name: FlatTemplateName, helpers: Record<string, Handlebars.HelperDelegate>, partials: Record<string, (context: never) => string> = {}): (context: T) => string {
  return linkFlatTemplate(flatFactory(name), name, helpers, partials);
}

/** A flat template's generated code (flat-template.ts) linked to its helpers and partials. */
export function linkFlatTemplate<T>(
  factory: FlatTemplateFactory,
  name: string,
  helpers: Record<string, Handlebars.HelperDelegate>,
  partials: Record<string, (context: never) => string>,
): (context: T) => string {
  const library = precompiledTemplates()?.runtime ?? (require('handlebars') as typeof Handlebars);
  const runtime: FlatRuntime = {
    helpers: helpers as FlatRuntime['helpers'],
    partial(partialName) {
      const partial = Object.hasOwn(partials, partialName) ? partials[partialName] : undefined;
      if (!partial) throw new Error(`The partial ${partialName} could not be found (template \`${name}\`)`);
      return partial as (context: unknown) => string;
    },
    escape: library.Utils.escapeExpression as (value: unknown) => string,
    missing(context, field, loc) {
      // Handlebars' message in strict mode.
      throw new Error(`"${field}" not defined in ${String(context)} - ${loc.start.line}:${loc.start.column}`);
    },
    each(list, context, fn, inverse) {
      if (list === undefined || list === null || list === false) return inverse(context);
      if (!Array.isArray(list)) throw notAList(list);
      if (list.length === 0) return inverse(context);
      // Appended, not joined as joiningEach does: a flat template renders a batch of phases
      // (phaseBatches) whose text lives a few milliseconds and is flattened once, when it is
      // encoded; joining at every level of each copied the text once per level.
      let text = '';
      for (let i = 0; i < list.length; i++) text += fn(list[i], i, list.length);
      return text;
    },
    // Handlebars' `if`: false for every falsy value and for an empty list. A view holds data only:
    // a function (which Handlebars would call) is an error.
    truthy(value) {
      if (typeof value === 'function') throw new TypeError('Template condition got a function, expected data');
      return Boolean(value) && !(Array.isArray(value) && value.length === 0);
    },
    options(helper, loc, fn, inverse) {
      return Object.freeze(fn ? { name: helper, hash: Object.freeze({}), loc, fn, inverse } : { name: helper, hash: Object.freeze({}), loc });
    },
  };
  return factory(runtime) as (context: T) => string;
}

function notAList(list: unknown): TypeError {
  return new TypeError(`Template helper \`each\` got ${typeof list === 'object' ? 'an object' : JSON.stringify(list)}, expected a list`);
}
