/**
 * The browser is a dependency of `build --pdf` only: no module reachable through static imports
 * from the CLI or the public API may import playwright-core (type-only imports vanish at build).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const imports = staticImports(file);
    seen.set(file, imports);
    for (const spec of imports) {
      if (spec.startsWith('.')) visit(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))));
    }
  };
  visit(entry);
  return seen;
}

describe('playwright-core is loaded on demand only', () => {
  // The CLI loads src/emit.ts (every emitter) with a dynamic import when it builds.
  it.each(['src/cli.ts', 'src/index.ts', 'src/emit.ts'])('nothing statically imported from %s imports it', (entry) => {
    const graph = closure(entry);
    expect(graph.size).toBeGreaterThan(5);
    if (entry !== 'src/cli.ts') expect([...graph.keys()]).toContain(normalize('src/emitters/checklist/render.ts'));
    const offenders = [...graph].filter(([, imports]) => imports.some((i) => i.startsWith('playwright')));
    expect(offenders.map(([file]) => file)).toEqual([]);
  });

  it('the PDF module reaches the browser only through a dynamic import', () => {
    const source = readFileSync('src/emitters/checklist/browser.ts', 'utf8');
    expect(source).toMatch(/await import\('playwright-core'\)/);
    expect(staticImports('src/emitters/checklist/browser.ts')).not.toContain('playwright-core');
  });
});
