/**
 * Generated modules (the schema validator, the precompiled templates) are loaded with the V8 code
 * cache the build writes next to them, and only when the cache was made from the module's exact
 * bytes: V8 itself checks no more of the source than its length.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODE_CACHE_SUFFIX, loadedGeneratedModules, requireGenerated } from '../../src/util/generated-module.js';

const work = mkdtempSync(join(tmpdir(), 'runbookc-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the cache of `file` as V8 has compiled it so far, as scripts/code-cache.mjs does. */
function writeCache(file: string): void {
  const loaded = loadedGeneratedModules().find((m) => m.file === file);
  writeFileSync(file + CODE_CACHE_SUFFIX, loaded!.cacheFile());
}

const fromCache = (file: string) => loadedGeneratedModules().find((m) => m.file === file)?.fromCache;

describe('requireGenerated', () => {
  it('loads a module without a cache, then from the cache made of it', () => {
    const file = join(work, 'answer.cjs');
    writeFileSync(file, "'use strict';\nmodule.exports = { answer: () => 'forty-two', dir: __dirname, required: typeof require('node:path').join };\n");
    const first = requireGenerated(file) as { answer: () => string; dir: string; required: string };
    expect(fromCache(file)).toBe(false);
    expect([first.answer(), first.dir, first.required]).toEqual(['forty-two', work, 'function']);
    writeCache(file);
    const second = requireGenerated(file) as { answer: () => string };
    expect(fromCache(file)).toBe(true);
    expect(second.answer()).toBe('forty-two');
  });

  it('ignores a cache made from other bytes of the same length, and runs the module as it is now', () => {
    const file = join(work, 'edited.cjs');
    const version = (word: string) => `'use strict';\nmodule.exports = function which() { return '${word}'; };\n`;
    writeFileSync(file, version('before'));
    const before = requireGenerated(file) as () => string;
    expect(before()).toBe('before');
    writeCache(file);
    // Same length: V8 would take the cache, and its compiled `which` with it.
    writeFileSync(file, version('after!'));
    const after = requireGenerated(file) as () => string;
    expect(fromCache(file)).toBe(false);
    expect(after()).toBe('after!');
  });

  it('ignores a cache file that is damaged or empty', () => {
    const file = join(work, 'damaged.cjs');
    writeFileSync(file, "'use strict';\nmodule.exports = 7;\n");
    for (const cache of [Buffer.alloc(0), Buffer.from('junk'), Buffer.alloc(64, 0xff)]) {
      writeFileSync(file + CODE_CACHE_SUFFIX, cache);
      expect(requireGenerated(file)).toBe(7);
      expect(fromCache(file)).toBe(false);
    }
  });

  it('throws ENOENT for a missing module, which callers read as "not built"', () => {
    expect(() => requireGenerated(join(work, 'missing.cjs'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('the built caches', () => {
  it('are taken by this Node for the validator and the templates a build loads', () => {
    const probe = `
      const { checkRunbook } = await import('./dist/compile.js');
      const { emitRunbook } = await import('./dist/emit.js');
      const { loadedGeneratedModules } = await import('./dist/util/generated-module.js');
      emitRunbook((await checkRunbook('runbooks/azure-stack-hci-22h2-to-23h2.yaml')).runbook);
      console.log(JSON.stringify(loadedGeneratedModules().map((m) => [m.file.split('/dist/')[1], m.fromCache])));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      ['schema/runbook-validator.cjs', true],
      ['emitters/templates.cjs', true],
    ]);
  });
});
