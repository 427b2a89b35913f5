/**
 * The rule registry, sorted by id. Ids are stable and never reused: a retired rule stays here as
 * a comment with its id.
 *
 * Bands: RB1xx parse, RB2xx schema, RB3xx ordering, RB4xx safety, RB5xx commands, RB6xx emit.
 */
import type { Diagnostic, RuleMeta } from '../diagnostics.js';
import { ENGINE_CODES, readRuleDoc, runRuleSet, severityFor, PROFILES, type ProfileName, type RuleDefinition } from './engine.js';
import rb301 from './rb301-drain-before-reboot.js';
import rb302 from './rb302-storage-repair-before-drain.js';
import rb303 from './rb303-node-loop-concurrency.js';
import rb304 from './rb304-max-nodes-down.js';
import rb305 from './rb305-unbalanced-pair.js';
import rb306 from './rb306-validate-before-change.js';
import rb307 from './rb307-pool-after-functional-level.js';
import rb308 from './rb308-once-per-cluster-in-node-loop.js';
import rb309 from './rb309-variants-converge.js';
import rb310 from './rb310-unknown-effect.js';
import rb401 from './rb401-irreversible-gate.js';
import rb402 from './rb402-verify-before-irreversible.js';
import rb403 from './rb403-rolling-upgrade-orchestrator.js';
import rb404 from './rb404-unverified-change.js';
import rb405 from './rb405-wait-timeout.js';
import rb406 from './rb406-plaintext-credential.js';
import rb407 from './rb407-unbounded-wait.js';
import rb501 from './rb501-misspelled-command.js';
import rb502 from './rb502-unknown-command.js';
import rb503 from './rb503-unknown-command-parameter.js';
import rb504 from './rb504-parameter-set.js';
import rb505 from './rb505-missing-mandatory-parameter.js';
import rb506 from './rb506-parameter-value.js';
import rb507 from './rb507-en-dash-parameter.js';
import rb508 from './rb508-powershell-7-syntax.js';
import rb509 from './rb509-placeholder.js';
import rb510 from './rb510-command-syntax.js';
import rb511 from './rb511-unknown-variable.js';
import rb512 from './rb512-per-node-capture.js';
import type { Runbook } from '../model/runbook.js';
import { ALL_PARSE_AND_SCHEMA_CODES } from '../parser/codes.js';
import { compareOrdinal } from '../util/compare.js';

/** The rules that check a schema-valid IR, in id order. */
export const RULES: readonly RuleDefinition[] = [
  rb301,
  rb302,
  rb303,
  rb304,
  rb305,
  rb306,
  rb307,
  rb308,
  rb309,
  rb310,
  rb401,
  rb402,
  rb403,
  rb404,
  rb405,
  rb406,
  rb407,
  rb501,
  rb502,
  rb503,
  rb504,
  rb505,
  rb506,
  rb507,
  rb508,
  rb509,
  rb510,
  rb511,
  rb512,
];

/**
 * Every code runbookc can report, sorted by id: the parse and schema codes (RB1xx, RB2xx) come from the parser.
 * Ids are `RB` and three digits, so comparing code units sorts them (see util/compare.ts).
 */
export const ALL_RULE_META: readonly RuleMeta[] = [...ALL_PARSE_AND_SCHEMA_CODES, ...RULES.map((r) => r.meta), ...Object.values(ENGINE_CODES)].sort((a, b) =>
  compareOrdinal(a.id, b.id),
);

export { PROFILES, type ProfileName };

export interface RunRulesOptions {
  profile: ProfileName;
}

/** Checks a schema-valid runbook with the ordering, safety and command rules of the profile. */
export function runRules(runbook: Runbook, options: RunRulesOptions = { profile: 'safe' }): Diagnostic[] {
  return runRuleSet(RULES, runbook, options);
}

export function findRuleMeta(idOrName: string): RuleMeta | undefined {
  const key = idOrName.trim().toLowerCase();
  return ALL_RULE_META.find((m) => m.id.toLowerCase() === key || m.name === key);
}

/** The text `runbookc explain <rule>` prints: the rule's identity, severities by profile, and its doc page. */
export function explainRule(idOrName: string): string {
  const meta = findRuleMeta(idOrName);
  if (!meta) {
    const known = ALL_RULE_META.map((m) => `${m.id} ${m.name}`).join('\n  ');
    return `Unknown rule \`${idOrName}\`, expected a rule id or name:\n  ${known}\n`;
  }
  const profiles = (Object.keys(PROFILES) as ProfileName[]).map((p) => `${p}: ${severityFor(meta, p)}`).join(', ');
  const header = `${meta.id}/${meta.name} (${meta.band}; ${profiles})\n${meta.description}\n`;
  const doc = readRuleDoc(meta.id);
  return doc ? `${header}\n${doc}` : header;
}
