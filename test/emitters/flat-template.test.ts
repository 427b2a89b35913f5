/**
 * The flat templates (src/emitters/flat-template.ts) must give Handlebars' text: every template of
 * the emitters is rendered both ways over the views of real runbooks, and the subset's rules are
 * checked on small templates. What is outside the subset is refused when compiling.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { checklistViews } from '../../src/emitters/checklist/view-model.js';
import { markdownHelpers } from '../../src/emitters/checklist/render.js';
import { compileFlatTemplate, type FlatCompileOptions, type FlatTemplateFactory } from '../../src/emitters/flat-template.js';
import { emitCauProfiles } from '../../src/emitters/cau-profile/index.js';
import { emitVariant, EMITTERS, type Emitter } from '../../src/emitters/index.js';
import { loadRunbook } from '../../src/compile.js';
import { POWERSHELL_HELPERS } from '../../src/emitters/powershell/render.js';
import { scriptViews } from '../../src/emitters/powershell/view-model.js';
import { FLAT_TEMPLATES, linkFlatTemplate, loadFlatTemplate, TEMPLATE_OPTIONS, TEMPLATE_ROOT, templateEnvironment, type FlatTemplateName, type TemplateCompileOptions } from '../../src/emitters/templates.js';
import { planAll, type VariantPlan } from '../../src/model/plan.js';
import { generateYaml } from '../../bench/generate.mjs';
import { hostileRunbook } from '../fixtures/hostile-runbook.js';
import { loadBundledRunbook } from '../fixtures/load-bundled.js';
import type { Runbook } from '../../src/model/runbook.js';

const source = (name: string) => readFileSync(new URL(name, TEMPLATE_ROOT), 'utf8');

/** The same template rendered by Handlebars, with the same helpers and partials. */
function handlebarsTemplate(name: FlatTemplateName, helpers: Record<string, Handlebars.HelperDelegate>, partials: Record<string, FlatTemplateName>) {
  const env = templateEnvironment();
  env.registerHelper(helpers);
  for (const [partial, file] of Object.entries(partials)) env.registerPartial(partial, env.compile(source(file), TEMPLATE_OPTIONS[file]));
  return env.compile(source(name), TEMPLATE_OPTIONS[name]);
}

function bothWays(name: FlatTemplateName, helpers: Record<string, Handlebars.HelperDelegate>, partials: Record<string, FlatTemplateName>): { flat: (view: unknown) => string; handlebars: (view: unknown) => string } {
  const flatPartials = Object.fromEntries(Object.entries(partials).map(([partial, file]) => [partial, loadFlatTemplate(file, helpers)]));
  return { flat: loadFlatTemplate<unknown>(name, helpers, flatPartials), handlebars: handlebarsTemplate(name, helpers, partials) };
}

/** Every variant's plan with the hashes of its outputs (the views print them). */
function plansOf(runbook: Runbook, emitters: readonly Emitter[]): Array<{ plan: VariantPlan; hashes: Map<string, string> }> {
  return planAll(runbook).map((plan) => {
    const hashes = new Map<string, string>();
    for (const _ of emitVariant(plan, emitters, hashes));
    return { plan, hashes };
  });
}

async function generated(steps: number): Promise<Runbook> {
  const dir = mkdtempSync(join(tmpdir(), 'runbookc-flat-'));
  try {
    writeFileSync(join(dir, 'generated.yaml'), generateYaml(steps));
    const { runbook, diagnostics } = await loadRunbook(join(dir, 'generated.yaml'));
    if (!runbook) throw new Error(diagnostics.map((d) => d.message).join('; '));
    return runbook;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The hostile runbook has no ClusterName parameter: it has no script, only checklists.
const RUNBOOKS: Array<[string, () => Runbook | Promise<Runbook>, { script: boolean }]> = [
  ['the bundled runbook', loadBundledRunbook, { script: true }],
  ['a runbook of hostile text', hostileRunbook, { script: false }],
  ['a generated runbook of 300 steps', () => generated(300), { script: true }],
];

describe('flat templates give the text Handlebars gives', () => {
  it('are every template of the emitters', () => {
    expect([...FLAT_TEMPLATES].sort()).toEqual(Object.keys(TEMPLATE_OPTIONS).filter((name) => !name.startsWith('diff/')).sort());
  });

  for (const [what, runbookOf, { script: hasScript }] of RUNBOOKS) {
    it(`for every part of every output of ${what}`, async () => {
      const ps = (name: FlatTemplateName, partials: Record<string, FlatTemplateName> = {}) => bothWays(name, POWERSHELL_HELPERS, partials);
      const htmlPartials = { prose: 'checklist/prose.html.hbs', rollbackFacts: 'checklist/rollback-facts.html.hbs' } as const;
      const html = (name: FlatTemplateName) => bothWays(name, {}, htmlPartials);
      const md = (name: FlatTemplateName) => bothWays(name, markdownHelpers(), { rollbackFacts: 'checklist/rollback-facts.md.hbs' });
      const script = { start: ps('powershell/script.ps1.hbs', { runtime: 'powershell/runtime.ps1.hbs' }), phases: ps('powershell/phases.ps1.hbs', { step: 'powershell/step.ps1.hbs' }), end: ps('powershell/script-end.ps1.hbs') };
      const checklists = [
        { start: html('checklist/checklist.html.hbs'), phases: html('checklist/checklist-phases.html.hbs'), end: html('checklist/checklist-end.html.hbs') },
        { start: md('checklist/checklist.md.hbs'), phases: md('checklist/checklist-phases.md.hbs'), end: md('checklist/checklist-end.md.hbs') },
      ];
      const same = (template: ReturnType<typeof bothWays>, view: unknown) => {
        const text = template.flat(view);
        expect(text).toBe(template.handlebars(view));
        return text.length;
      };
      let rendered = 0;
      for (const { plan, hashes } of plansOf(await runbookOf(), hasScript ? EMITTERS : [emitCauProfiles])) {
        if (hasScript) {
          const views = scriptViews(plan, { sha256: hashes });
          rendered += same(script.start, views.head) + same(script.end, views.head);
          rendered += same(script.phases, { phases: Array.from({ length: views.phaseCount }, (_, i) => views.phase(i)) });
        }
        const views = checklistViews(plan, { sha256: hashes });
        for (const checklist of checklists) {
          rendered += same(checklist.start, views.head) + same(checklist.end, views.head);
          rendered += same(checklist.phases, { phases: Array.from({ length: views.phaseCount }, (_, i) => views.phase(i)) });
        }
      }
      expect(rendered).toBeGreaterThan(0);
    });
  }
});

describe('the flat compiler', () => {
  const STRICT: FlatCompileOptions = { strict: true };
  const render = (template: string, context: unknown, options: FlatCompileOptions = STRICT, helpers: Record<string, Handlebars.HelperDelegate> = {}, partials: Record<string, string> = {}) => {
    const link = (text: string, linked: Record<string, (c: never) => string>) =>
      linkFlatTemplate(new Function(`return ${compileFlatTemplate(Handlebars.parse(text), options, 'test.hbs')}`)() as FlatTemplateFactory, 'test.hbs', helpers, linked);
    return link(template, Object.fromEntries(Object.entries(partials).map(([name, text]) => [name, link(text, {})])))(context);
  };
  const handlebars = (template: string, context: unknown, options: TemplateCompileOptions = STRICT, helpers: Record<string, Handlebars.HelperDelegate> = {}, partials: Record<string, string> = {}) => {
    const env = templateEnvironment();
    env.registerHelper(helpers);
    for (const [name, text] of Object.entries(partials)) env.registerPartial(name, env.compile(text, options));
    return env.compile(template, options)(context);
  };

  it('tests conditions, loops and escapes as Handlebars does', () => {
    const cases: Array<[string, unknown, FlatCompileOptions?]> = [
      ['{{#if x}}yes{{else}}no{{/if}}', { x: [] }],
      ['{{#if x}}yes{{else}}no{{/if}}', { x: [0] }],
      ['{{#if x}}yes{{else}}no{{/if}}', { x: 0 }],
      ['{{#if x}}yes{{else}}no{{/if}}', { x: '' }],
      ['{{#if x}}yes{{else}}no{{/if}}', { x: null }],
      ['{{#if x}}yes{{else}}no{{/if}}', { x: {} }],
      ['{{#unless x}}yes{{else}}no{{/unless}}', { x: 'a' }],
      ['{{#if a}}A{{else if b}}B{{else}}C{{/if}}', { a: false, b: true }],
      ['{{#each xs}}<{{this}}>{{else}}none{{/each}}', { xs: ['a', '<b>', 1] }],
      ['{{#each xs}}<{{this}}>{{else}}none{{/each}}', { xs: [] }],
      ['{{#each xs}}{{#each ys}}{{n}}{{/each}};{{/each}}', { xs: [{ ys: [{ n: 1 }, { n: 2 }] }, { ys: [] }] }],
      ['{{a.b}} {{a.c}} & {{{a.b}}}', { a: { b: `<'"&\`=>`, c: null } }],
      ['{{a.b}} {{a.c}} {{n}} {{f}}', { a: { b: `<'"&>`, c: null }, n: 0, f: false }, { strict: true, noEscape: true }],
      ['line\n  {{#if x}}\n  inside\n  {{/if}}\nend {{! a comment }}\n', { x: true }],
      ['{{#each xs~}}\n  {{this}}  \n{{~/each}}', { xs: ['a', 'b'] }],
      ['{{#each xs}}{{@index}}{{#if @first}}F{{/if}}{{#unless @last}}, {{/unless}}{{#each ys}}[{{@index}}{{#if @last}}L{{/if}}]{{/each}}{{/each}}', { xs: [{ ys: [1, 2] }, { ys: [3] }, { ys: [] }] }],
    ];
    for (const [template, context, options] of cases) expect(render(template, context, options), template).toBe(handlebars(template, context, options as TemplateCompileOptions));
  });

  it('calls helpers with their arguments, and block helpers with their content', () => {
    const helpers = {
      up: (v: unknown, n: unknown) => `${String(v).toUpperCase()}${String(n)}`,
      wrap: function (this: unknown, options: Handlebars.HelperOptions) {
        return `[${options.fn(this)}]`;
      },
      nothing: () => null,
    };
    const options = { strict: true, knownHelpersOnly: true, knownHelpers: { up: true, wrap: true, nothing: true } };
    for (const template of ['{{up name "x"}} {{up name 2}} {{up name true}}{{nothing}}!', '{{#wrap}}{{name}}{{/wrap}}', '{{#each xs}}{{#wrap}}{{up this 1}}{{/wrap}}{{/each}}']) {
      const context = { name: 'a<b', xs: ['c', 'd'] };
      expect(render(template, context, options, helpers), template).toBe(handlebars(template, context, options, helpers));
    }
  });

  it('renders partials with the current context or a field, indented with preventIndent as Handlebars does', () => {
    const partials = { item: '({{name}})', list: '{{#each this}}{{this}},{{/each}}' };
    const template = 'a {{> item}} {{> list xs}}\n  {{> item}}\nend';
    const context = { name: 'n', xs: ['x', 'y'] };
    const options = { strict: true, preventIndent: true };
    expect(render(template, context, options, {}, partials)).toBe(handlebars(template, context, options, {}, partials));
    expect(() => render(template, context, STRICT, {}, partials)).toThrow(/indented partial/);
  });

  it('fails on a missing field, a missing partial, and an each over anything but a list', () => {
    expect(() => render('{{a}}', { b: 1 })).toThrow(/"a" not defined/);
    expect(() => render('{{a.b}}', { a: {} })).toThrow(/"b" not defined/);
    expect(render('{{a}}', { a: undefined })).toBe('');
    expect(() => render('{{#each xs}}x{{/each}}', { xs: { a: 1 } })).toThrow(/expected a list/);
    expect(() => render('{{#each xs}}x{{/each}}', { xs: 'abc' })).toThrow(/expected a list/);
    expect(() => render('{{#if f}}x{{/if}}', { f: () => true })).toThrow(/function/);
    expect(() => render('{{> nowhere}}', {})).toThrow(/could not be found/);
  });

  it('refuses what is outside its subset when compiling', () => {
    const refused = [
      '{{@index}}',
      '{{#each xs}}{{else}}{{@index}}{{/each}}',
      '{{#each xs}}{{#up}}{{@index}}{{/up}}{{/each}}',
      '{{#each xs}}{{@key}}{{/each}}',
      '{{@root.x}}',
      '{{#each xs}}{{../x}}{{/each}}',
      '{{#with x}}{{y}}{{/with}}',
      '{{x}}{{#x}}y{{/x}}',
      '{{lookup x "y"}}',
      '{{up x n=1}}',
      '{{up (up x)}}',
      '{{constructor}}',
      '{{#if x.__proto__}}y{{/if}}',
      '{{#*inline "p"}}x{{/inline}}',
      '{{#each xs as |x|}}{{x}}{{/each}}',
      '{{> (dynamic) }}',
      '{{#if a b}}x{{/if}}',
    ];
    const options = { strict: true, knownHelpers: { up: true } };
    for (const template of refused) expect(() => compileFlatTemplate(Handlebars.parse(template), options, 'test.hbs'), template).toThrow(/test\.hbs:\d+:\d+: .*not in the flat templates' subset/);
    expect(() => compileFlatTemplate(Handlebars.parse('{{x}}'), {}, 'test.hbs')).toThrow(/strict templates only/);
  });
});

