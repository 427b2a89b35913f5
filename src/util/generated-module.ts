/**
 * Loading the CommonJS modules that `npm run build` generates (the schema validator, and the
 * precompiled templates with the Handlebars runtime) with V8's code cache.
 *
 * Why: those modules are 400 KB of generated code that every check or build compiled again at
 * start, function by function as it first ran them; for the bundled runbook that was a fifth of a
 * build. Node 20 keeps no compiled code between processes (`module.enableCompileCache` arrives in
 * Node 22.1), but V8 takes a code cache through `vm.Script`. scripts/code-cache.mjs writes one
 * next to each module at build time, after a representative check and build, so it holds the
 * functions those run and not only the top level.
 *
 * V8 checks a cache against its own version and flags, and ignores one that does not match
 * (another Node, a flag such as `--cpu-prof`) by compiling the source as usual. Of the source it
 * checks only the length, so each cache file starts with the exact bytes of the module it was made
 * from, and is used only when the module is still those bytes (a comparison, no hashing: hashing
 * would load node:crypto, which a check otherwise never does). A cache can make loading faster,
 * never different.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The code cache of `<module>.cjs` is `<module>.cjs.v8-cache`. */
export const CODE_CACHE_SUFFIX = '.v8-cache';

/** A cache file: the module's length (4 bytes, little-endian), the module's bytes, then V8's data. */
export function codeCacheFile(source: Buffer, v8Data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(source.length);
  return Buffer.concat([length, source, v8Data]);
}

/** V8's data in `cacheFile` when it was made from exactly `source`, else undefined. */
function v8DataFor(source: Buffer, cacheFile: Buffer): Buffer | undefined {
  if (cacheFile.length < 4 || cacheFile.readUInt32LE(0) !== source.length) return undefined;
  const end = 4 + source.length;
  return cacheFile.length > end && source.equals(cacheFile.subarray(4, end)) ? cacheFile.subarray(end) : undefined;
}

interface LoadedModule {
  source: Buffer;
  script: Script;
  /** Whether V8 compiled this module from a cache it accepted. */
  fromCache: boolean;
}

const loaded = new Map<string, LoadedModule>();

type ModuleWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/**
 * `require(file)` for a generated module, using its code cache when there is one that V8 accepts.
 * Throws ENOENT when the module itself is absent (running from the TypeScript sources).
 */
export function requireGenerated(file: string): unknown {
  const source = readFileSync(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = v8DataFor(source, readFileSync(file + CODE_CACHE_SUFFIX));
  } catch {
    // No cache (a build that has not written one yet): V8 compiles the source.
  }
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  loaded.set(file, { source, script, fromCache: cachedData !== undefined && !script.cachedDataRejected });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as ModuleWrapper).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/**
 * The generated modules loaded so far: whether each came from its cache, and the cache file for it
 * as V8 has compiled it by now, every function run since it was loaded included (scripts/code-cache.mjs
 * writes them).
 */
export function loadedGeneratedModules(): Array<{ file: string; fromCache: boolean; cacheFile: () => Buffer }> {
  return [...loaded].map(([file, { source, script, fromCache }]) => ({ file, fromCache, cacheFile: () => codeCacheFile(source, script.createCachedData()) }));
}
