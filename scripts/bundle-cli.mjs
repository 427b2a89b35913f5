// Bundles the compiled CLI (dist/cli.js, from tsc) into one file plus lazily loaded chunks, in place.
//
// Why: a `runbookc check` used to spend about 0.2 s before reading the runbook, resolving and
// compiling some sixty modules one by one. One bundle is resolved and compiled at once. Code that
// only some commands need (Markdown parsing, emitting, the PDF browser, convert, import) stays
// behind dynamic imports, so esbuild splits it into chunks that are loaded only when used.
//
// The chunks are written next to dist/cli.js, at the top of dist/, so src/resources.ts finds the
// package files at the same relative place as in the unbundled modules. The rest of dist/ (the
// public API, dist/index.js, and the modules it imports) is left as tsc wrote it.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url);
const CHUNK_PREFIX = 'cli-';

// Chunks of an earlier build would otherwise pile up (their names carry a content hash).
for (const file of readdirSync(dist)) {
  if (file.startsWith(CHUNK_PREFIX) && file.endsWith('.js')) rmSync(new URL(file, dist));
}

/**
 * JSON modules (the command catalog) become `JSON.parse('...')` rather than an object literal:
 * V8 parses a JSON string several times faster than the same data written as JavaScript.
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(readFileSync(args.path, 'utf8'))});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [new URL('cli.js', dist).pathname],
  outdir: dist.pathname,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: `${CHUNK_PREFIX}[name]-[hash]`,
  // The browser driver is large, has files of its own and is needed by `build --pdf` only.
  external: ['playwright-core'],
  // Packages written as CommonJS call require(); an ES module has none, so give it one.
  banner: { js: "import { createRequire as __runbookcRequire } from 'node:module'; const require = __runbookcRequire(import.meta.url);" },
  plugins: [jsonAsParse],
  logLevel: 'warning',
  legalComments: 'none',
});
