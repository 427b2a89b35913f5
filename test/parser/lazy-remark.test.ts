import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules reachable from `entry` through static (non-type) imports, and the packages they import. */
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const specifier = m[1]!;
      if (specifier.startsWith('.')) visit(normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts'))));
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return { modules, packages };
}

describe('remark is loaded only for Markdown', () => {
  it('is not reachable from the CLI or the public API through static imports', () => {
    for (const entry of ['src/cli.ts', 'src/index.ts']) {
      const { modules, packages } = staticGraph(entry);
      expect(modules.size).toBeGreaterThan(3);
      expect([...packages].filter((p) => /^(remark|unified|mdast|micromark)/.test(p))).toEqual([]);
      expect(modules.has(normalize('src/parser/markdown.ts'))).toBe(false);
    }
  });

  it('is not reachable from the fast Markdown runbook reader, which read.ts loads first', () => {
    const { packages } = staticGraph('src/parser/markdown/runbook.ts');
    expect([...packages].filter((p) => /^(remark|unified|micromark)/.test(p))).toEqual([]);
  });

  it('is reachable from the Markdown parser (the graph walk sees it)', () => {
    expect(staticGraph('src/parser/markdown.ts').packages).toContain('remark-parse');
  });
});
