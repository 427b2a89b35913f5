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
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url);
const CHUNK_PREFIX = 'cli-';

// Chunks of an earlier build would otherwise pile up (their names carry a content hash).
for (const file of readdirSync(dist)) {
  if (file.startsWith(CHUNK_PREFIX) && file.endsWith('.js')) rmSync(new URL(file, dist));
}

/**
 * JSON modules (the command catalog, 200 KB) stay files that the bundle reads at run time, with
 * `readFileSync` and `JSON.parse`. Embedded, they made the largest chunk half JSON, and Node 20
 * decodes an ES module's source through TextDecoder (about 13 ms per MB) before compiling it: a
 * check spent some 7 ms more on that than on reading and parsing the same JSON as a file. tsc
 * copies the imported JSON files into dist/ at the same relative paths, so a chunk (at the top of
 * dist/) finds them relative to itself. tsc writes them indented (the catalog grows from 200 KB to
 * 370 KB); they are written back without the indentation, the same data in fewer bytes to read.
 */
const jsonReadAtRunTime = {
  name: 'json-read-at-run-time',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => {
      const path = relative(dist.pathname, args.path);
      if (path.startsWith('..')) throw new Error(`${args.path}: a JSON module outside dist/ would not be found by the bundle at run time`);
      writeFileSync(args.path, JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))));
      return {
        contents: `import { readFileSync } from 'node:fs'; export default JSON.parse(readFileSync(new URL(${JSON.stringify(`./${path}`)}, import.meta.url), 'utf8'));`,
        loader: 'js',
      };
    });
  },
};

/**
 * commander requires node:child_process when it loads, to spawn executable subcommands, which
 * runbookc does not have; that brings net, dgram and the stream modules into every start. Here it
 * gets the same module, required the first time commander reaches for it.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'runbookc' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'runbookc' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
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
  plugins: [jsonReadAtRunTime, lazyChildProcessForCommander],
  logLevel: 'warning',
  legalComments: 'none',
});
