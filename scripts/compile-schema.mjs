// Precompiles schema/runbook.schema.json into a standalone validator module next to the compiled
// validate.js, so `runbookc check` does not load and run ajv's compiler at every start
// (about 100 ms of a 0.4 s check). src/schema/validate.ts falls back to compiling at run time
// when the module is absent (as under vitest, which runs the TypeScript sources).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS } from '../dist/schema/options.js';

const schema = JSON.parse(readFileSync(new URL('../schema/runbook.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020.default({ ...AJV_OPTIONS, code: { source: true, esm: false } });
const validate = ajv.compile(schema);
mkdirSync(new URL('../dist/schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/schema/runbook-validator.cjs', import.meta.url), standaloneCode.default(ajv, validate));
