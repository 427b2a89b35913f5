/**
 * Where the files runbookc reads at run time live: the authoring schema, the templates, the rule
 * docs, and the schema validator and templates precompiled at build time.
 *
 * Every such path is resolved here, relative to this module, and nowhere else. This module sits at
 * the top of src/ (dist/ once compiled), and the bundled CLI (scripts/bundle-cli.mjs) writes its
 * chunks at the top of dist/ too, so `../` is the package root in the sources, in the compiled
 * modules and in the bundle alike.
 */
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = new URL('../', import.meta.url);

/** An absolute path inside the installed package (or the checkout). */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(relative, PACKAGE_ROOT));
}

export const SCHEMA_FILE = packagePath('schema/runbook.schema.json');
export const TEMPLATES_DIR = packagePath('templates/');
export const RULE_DOCS_DIR = packagePath('docs/rules/');

/**
 * The validator scripts/compile-schema.mjs precompiles next to the compiled schema module. Under the
 * test runner, which runs the TypeScript sources, this path does not exist and the schema is
 * compiled at run time instead, so an edited schema is never checked by a stale validator.
 */
export const PRECOMPILED_VALIDATOR = fileURLToPath(new URL('./schema/runbook-validator.cjs', import.meta.url));

/** The templates scripts/precompile-templates.mjs compiles at build time; absent in the same way. */
export const PRECOMPILED_TEMPLATES = fileURLToPath(new URL('./emitters/templates.cjs', import.meta.url));
