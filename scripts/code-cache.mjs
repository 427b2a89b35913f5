// Writes the V8 code cache of each generated module (the schema validator, the precompiled
// templates) next to it; src/util/generated-module.ts says why and how a cache is checked.
//
// The caches are made after checking and building the bundled runbook in this process, so that
// they hold the functions a check and a build run, not only each module's top level. Run by
// `npm run build` after the modules are generated; the caches are build outputs, never committed.
import { rmSync, writeFileSync } from 'node:fs';
import { checkRunbook } from '../dist/compile.js';
import { emitRunbook } from '../dist/emit.js';
import { PRECOMPILED_TEMPLATES, PRECOMPILED_VALIDATOR } from '../dist/resources.js';
import { CODE_CACHE_SUFFIX, loadedGeneratedModules } from '../dist/util/generated-module.js';

const GENERATED = [PRECOMPILED_VALIDATOR, PRECOMPILED_TEMPLATES];
// A cache left by an earlier build is checked against the module's bytes and would be ignored;
// removing it first keeps this build's caches made from a compile of the modules as built now.
for (const file of GENERATED) rmSync(file + CODE_CACHE_SUFFIX, { force: true });

const runbook = new URL('../runbooks/azure-stack-hci-22h2-to-23h2.yaml', import.meta.url).pathname;
const checked = await checkRunbook(runbook);
if (!checked.runbook) throw new Error(`${runbook} does not check; its code cache would be made from error paths only`);
const emitted = emitRunbook(checked.runbook);
if (emitted.files.length === 0) throw new Error(`${runbook} emitted nothing`);

const modules = loadedGeneratedModules();
for (const file of GENERATED) {
  const module = modules.find((m) => m.file === file);
  if (!module) throw new Error(`${file} was not loaded by a check and a build: no code cache made for it`);
  writeFileSync(file + CODE_CACHE_SUFFIX, module.cacheFile());
}
