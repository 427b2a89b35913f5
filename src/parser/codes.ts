/**
 * Diagnostic codes of the parse (RB1xx) and schema (RB2xx) bands.
 *
 * Ids are stable and never reused; a retired id stays here as a comment.
 */
import type { RuleMeta } from '../diagnostics.js';
import { ALL_MARKDOWN_CODES } from './markdown/codes.js';

function meta(id: string, name: string, band: RuleMeta['band'], description: string): RuleMeta {
  return { id, name, band, description, defaultSeverity: 'error' };
}

export const PARSE_CODES = {
  fileUnreadable: meta('RB100', 'file-unreadable', 'parse', 'The runbook file must exist, be a regular file and be readable as UTF-8 text.'),
  yamlSyntax: meta('RB101', 'yaml-syntax', 'parse', 'A YAML runbook must be well-formed YAML.'),
  yamlDuplicateKey: meta('RB102', 'yaml-duplicate-key', 'parse', 'A key may appear only once in a YAML mapping.'),
  yamlNotMapping: meta('RB103', 'yaml-not-a-mapping', 'parse', 'A YAML runbook is one mapping at the top level, in one document.'),
  yamlLimits: meta('RB104', 'input-limits', 'parse', 'Runbooks stay within the size, alias and nesting limits that keep the compiler fast and safe.'),
} as const;

export const SCHEMA_CODES = {
  unknownProperty: meta('RB201', 'unknown-property', 'schema', 'Only the properties the runbook schema defines are allowed.'),
  missingProperty: meta('RB202', 'missing-property', 'schema', 'Required properties must be present.'),
  wrongType: meta('RB203', 'wrong-type', 'schema', 'Each property has the type the schema gives it.'),
  notAllowedValue: meta('RB204', 'value-not-allowed', 'schema', 'Enumerated properties take one of their listed values.'),
  invalidValue: meta('RB205', 'invalid-value', 'schema', 'Values respect their pattern, length and range.'),
  stepKind: meta('RB206', 'step-kind', 'schema', 'A step has exactly one of run, manual, wait, check, confirm or cau.'),
  duplicateId: meta('RB210', 'duplicate-id', 'schema', 'Phase ids and step ids are unique in a runbook.'),
  unknownVariant: meta('RB211', 'unknown-variant', 'schema', 'Phases and steps refer only to declared variants.'),
  unknownParameter: meta('RB212', 'unknown-parameter', 'schema', 'A step condition refers to a declared bool parameter; captures do not shadow parameters.'),
  misplacedProperty: meta('RB213', 'misplaced-property', 'schema', 'Kind- and scope-specific properties appear only where they mean something.'),
  parameterDefault: meta('RB214', 'parameter-default', 'schema', "A parameter's default has the parameter's type and passes its validation; credentials have no default."),
} as const;



export const EMIT_CODES = {
  draft: meta('RB601', 'draft-not-buildable', 'emit', 'A draft (from `runbookc import`) is checked but never built into a runnable script.'),
  unknownVariant: meta('RB602', 'unknown-build-variant', 'emit', 'The variant asked for on the command line exists in the runbook.'),
  refusedCommand: meta('RB604', 'refused-command', 'emit', 'A command the script generator cannot prove closed (brackets, strings, comments) is never wrapped into a script.'),
  notSpellableInMarkdown: meta('RB605', 'not-spellable-in-markdown', 'emit', 'A runbook written as Markdown (`convert`, `import`) reads back as the same runbook, or is not written.'),
  pdfBrowserMissing: meta('RB603', 'pdf-browser-missing', 'emit', 'A PDF checklist (`build --pdf`) is printed by the system chromium, which must be installed.'),
  internal: meta('RB699', 'internal-error', 'emit', 'runbookc itself failed; the build stops and nothing is written.'),
} as const;

export const ALL_PARSE_AND_SCHEMA_CODES: readonly RuleMeta[] = [
  ...Object.values(PARSE_CODES),
  ...ALL_MARKDOWN_CODES,
  ...Object.values(SCHEMA_CODES),
  ...Object.values(EMIT_CODES),
];
