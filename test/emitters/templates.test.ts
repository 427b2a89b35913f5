/**
 * The templates are precompiled at build time (scripts/precompile-templates.mjs), with the Handlebars
 * runtime bundled in: a build never loads the Handlebars compiler, and a check loads no Handlebars at all. The outputs of the precompiled
 * templates are compared with the golden files in test/golden.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_OPTIONS, templateEnvironment } from '../../src/emitters/templates.js';

const BUNDLED = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const work = mkdtempSync(join(tmpdir(), 'runbookc-templates-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The Handlebars modules the built CLI loads for `args` (every require of a path naming handlebars). */
function handlebarsModulesLoadedBy(...args: string[]): string[] {
  const probe = `
    const Module = require('node:module');
    const load = Module._load;
    const seen = new Set();
    Module._load = function (request, parent, ...rest) {
      const loaded = load.call(this, request, parent, ...rest);
      try {
        const file = Module._resolveFilename(request, parent);
        if (file.includes('/node_modules/handlebars/')) seen.add(file.slice(file.indexOf('/node_modules/handlebars/') + 25));
      } catch {}
      return loaded;
    };
    process.on('exit', () => process.stderr.write('\\nLOADED=' + JSON.stringify([...seen].sort())));
    process.argv = [process.argv[0], 'dist/cli.js', ...process.argv.slice(1)];
    import(require('node:path').resolve('dist/cli.js'));
  `;
  const r = spawnSync(process.execPath, ['-e', probe, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(/LOADED=(.*)$/.exec(r.stderr)![1]!) as string[];
}

describe('templates', () => {
  it('lists every template file with its compile options, and no other', () => {
    const files = ['powershell', 'checklist', 'diff'].flatMap((dir) => readdirSync(join('templates', dir)).map((f) => `${dir}/${f}`));
    expect(Object.keys(TEMPLATE_OPTIONS).sort()).toEqual(files.filter((f) => f.endsWith('.hbs')).sort());
    expect(readdirSync('templates').sort()).toEqual(['checklist', 'diff', 'powershell']);
  });

  it('are precompiled: a build loads no Handlebars module, the runtime is bundled with the templates, the compiler is not', () => {
    expect(handlebarsModulesLoadedBy('build', BUNDLED, '--out', work)).toEqual([]);
    const generated = readFileSync('dist/emitters/templates.cjs', 'utf8');
    expect(generated).toContain('node_modules/handlebars/dist/cjs/handlebars.runtime.js');
    expect(generated).not.toMatch(/handlebars\/compiler\//);
  });

  it('are not loaded by a check', () => {
    expect(handlebarsModulesLoadedBy('check', BUNDLED)).toEqual([]);
  });
});

describe('each', () => {
  const render = (source: string, context: unknown) => templateEnvironment().compile(source, { strict: true })(context);

  it('renders every item with @index, @first and @last, and {{else}} for an empty or missing list', () => {
    const source = '{{#each items}}[{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{this}}]{{else}}none{{/each}}';
    expect(render(source, { items: ['a', 'b', 'c'] })).toBe('[0F a][1 b][2L c]');
    expect(render(source, { items: ['a'] })).toBe('[0FL a]');
    expect(render(source, { items: [] })).toBe('none');
    expect(render(source, { items: null })).toBe('none');
    expect(render('{{#each rows}}{{#each cells}}{{../n}}{{@root.t}}{{this}} {{/each}}{{/each}}', { t: '!', rows: [{ n: 1, cells: ['a', 'b'] }, { n: 2, cells: ['c'] }] })).toBe('1!a 1!b 2!c ');
  });

  it('refuses anything but a list', () => {
    expect(() => render('{{#each items}}x{{/each}}', { items: { a: 1 } })).toThrow(/expected a list/);
    expect(() => render('{{#each items}}x{{/each}}', { items: 'abc' })).toThrow(/expected a list/);
  });
});
