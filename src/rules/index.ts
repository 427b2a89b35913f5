/** The rule registry and runner. */
import type { Diagnostic, RuleMeta } from '../diagnostics.js';
import type { Runbook } from '../model/runbook.js';
import { ALL_PARSE_AND_SCHEMA_CODES } from '../parser/codes.js';

export const ALL_RULE_META: readonly RuleMeta[] = [...ALL_PARSE_AND_SCHEMA_CODES];

export function runRules(_runbook: Runbook): Diagnostic[] {
  return [];
}
