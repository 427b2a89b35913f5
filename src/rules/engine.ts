/**
 * The rule engine: runs the ordering, safety and command rules over a deep-frozen IR,
 * applies the active profile and the runbook's waivers, and turns a crashing rule into an
 * internal-error diagnostic (never a silent pass).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_DOCS_DIR } from '../resources.js';
import { compareDiagnostics, diagnosticAt, type Diagnostic, type RuleMeta, type Severity } from '../diagnostics.js';
import { planAll, type VariantPlan } from '../model/plan.js';
import { deepFreeze, isDeepFrozen } from '../model/immutable.js';
import type { Runbook, SourceSpan, Step, Waiver } from '../model/runbook.js';
import { interpretPlan, type Trace } from './state/interpret.js';

export interface RuleInput {
  runbook: Runbook;
  plans: readonly VariantPlan[];
  /** Every path of every variant, in variant order; the all-true path of a variant first. */
  traces: readonly Trace[];
}

export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  span: SourceSpan;
  /** The step the finding belongs to; only findings with a step can be waived. */
  step?: Step;
  related?: { message: string; span: SourceSpan };
}

export interface RuleContext {
  report(descriptor: ReportDescriptor): void;
}

export interface RuleDefinition {
  meta: RuleMeta;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Record<string, string>;
  check(input: RuleInput, context: RuleContext): void;
}

export function defineRule(rule: RuleDefinition): RuleDefinition {
  return rule;
}

// ---- profiles ------------------------------------------------------------------------------

export type ProfileName = 'min' | 'safe' | 'strict';
type Setting = Severity | 'off' | 'default';

export interface Profile {
  name: ProfileName;
  extends?: ProfileName;
  description: string;
  /** By band (`band:ordering`) or by rule id; a rule id wins over its band, a derived profile over its base. */
  settings: Record<string, Setting>;
}

/** Each profile extends the one before it; the order is part of the contract. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  min: {
    name: 'min',
    description: 'Parse and schema checks only.',
    settings: { 'band:ordering': 'off', 'band:safety': 'off', 'band:commands': 'off' },
  },
  safe: {
    name: 'safe',
    extends: 'min',
    description: 'Adds the ordering, safety and command rules at their default severities. The default.',
    settings: { 'band:ordering': 'default', 'band:safety': 'default', 'band:commands': 'default' },
  },
  strict: {
    name: 'strict',
    extends: 'safe',
    description: 'Warnings of the safe profile become errors; commands unknown to the catalog become warnings.',
    settings: { RB404: 'error', RB407: 'error', RB490: 'error', RB502: 'warning', RB507: 'error' },
  },
};

export function severityFor(meta: RuleMeta, profile: ProfileName): Severity | 'off' {
  if (meta.id === ENGINE_CODES.internalError.id) return 'error';
  const chain: Profile[] = [];
  for (let p: Profile | undefined = PROFILES[profile]; p; p = p.extends ? PROFILES[p.extends] : undefined) chain.unshift(p);
  let setting: Setting = 'default';
  for (const p of chain) {
    setting = p.settings[`band:${meta.band}`] ?? setting;
    setting = p.settings[meta.id] ?? setting;
  }
  return setting === 'default' ? meta.defaultSeverity : setting;
}

// ---- engine codes --------------------------------------------------------------------------

function engineMeta(id: string, name: string, description: string, defaultSeverity: Severity): RuleMeta {
  return { id, name, band: 'safety', description, defaultSeverity };
}

/** Diagnostics of the engine itself: waivers, and rules that crash. */
export const ENGINE_CODES = {
  unusedWaiver: engineMeta('RB490', 'unused-waiver', 'Report waivers that no longer suppress anything.', 'warning'),
  waiverReason: engineMeta('RB491', 'waiver-reason', 'Require a written reason on every waiver; a safety rule is waived only with a real one.', 'error'),
  waiverRule: engineMeta('RB492', 'waiver-rule', 'Waive only rules that exist and can be waived.', 'error'),
  internalError: engineMeta('RB499', 'rule-crashed', 'A rule failed while checking the runbook; the runbook was not fully checked.', 'error'),
} as const;

const ENGINE_MESSAGES: Record<string, string> = {
  unused: 'Unexpected waiver of `{{rule}}` on step `{{step}}` that suppresses nothing, expected it removed',
  noReason: 'Unexpected waiver of `{{rule}}` without a real reason (`{{reason}}`), expected a sentence saying why the rule does not apply to this step',
  unknownRule: 'Unknown rule `{{rule}}` in a waiver, expected a rule id such as `RB301` or a rule name such as `drain-before-reboot`',
  notWaivable: 'Unexpected waiver of `{{rule}}`: {{why}}, expected it removed',
  crashed: 'Rule `{{rule}}` failed ({{error}}); the runbook was not fully checked, so no output is produced',
};

/** Placeholder reasons that say nothing. */
const EMPTY_REASON = /^(n\/?a|none|todo|tbd|fixme|x+|-+|\.+|ok|because|waived?|ignore|skip|temp)$/i;

export function isMeaningfulReason(reason: string): boolean {
  const trimmed = reason.trim();
  return trimmed.length > 0 && !EMPTY_REASON.test(trimmed) && trimmed.split(/\s+/).length >= 3;
}

// ---- running -------------------------------------------------------------------------------

export interface RunOptions {
  profile: ProfileName;
}

interface Finding {
  rule: RuleDefinition;
  message: string;
  span: SourceSpan;
  step?: Step;
  related?: { message: string; span: SourceSpan };
}

/** Runs every registered rule and returns its diagnostics, sorted. */
export function runRuleSet(rules: readonly RuleDefinition[], runbook: Runbook, options: RunOptions): Diagnostic[] {
  // The builder's IR is deep-frozen already (parser/build-ir.ts) and is read as it is. Any other
  // IR (built by hand, or changed after building) is copied first, so that freezing it for the
  // rules does not freeze the caller's value.
  const frozen = isDeepFrozen(runbook) ? runbook : deepFreeze(structuredClone(runbook));
  const diagnostics: Diagnostic[] = [];
  const active = rules.map((rule) => ({ rule, severity: severityFor(rule.meta, options.profile) })).filter((r) => r.severity !== 'off');
  if (active.length === 0) return [];

  let input: RuleInput;
  try {
    const plans = deepFreeze(planAll(frozen));
    input = { runbook: frozen, plans, traces: plans.flatMap((p) => interpretPlan(p)) };
  } catch (error) {
    return [internalError('state-model', error, frozen.span)];
  }

  const findings: Finding[] = [];
  for (const { rule } of active) {
    const mine: Finding[] = [];
    const context: RuleContext = {
      report(d) {
        const template = rule.messages[d.messageId];
        if (template === undefined) throw new Error(`unknown messageId \`${d.messageId}\``);
        const message = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
          const value = d.data?.[key];
          if (value === undefined) throw new Error(`message \`${d.messageId}\` needs \`${key}\``);
          return String(value);
        });
        if (!(d.span.line >= 1 && d.span.column >= 1)) throw new Error(`report at an invalid position ${d.span.line}:${d.span.column}`);
        const finding: Finding = { rule, message, span: d.span };
        if (d.step) finding.step = d.step;
        if (d.related) finding.related = d.related;
        mine.push(finding);
      },
    };
    try {
      rule.check(input, context);
      findings.push(...mine);
    } catch (error) {
      diagnostics.push(internalError(`${rule.meta.id}/${rule.meta.name}`, error, frozen.span));
    }
  }

  const severityOf = new Map(active.map((a) => [a.rule.meta.id, a.severity as Severity]));
  diagnostics.push(...applyWaivers(frozen, findings, rules, severityOf));
  return dedupe(diagnostics).sort(compareDiagnostics);
}

function applyWaivers(runbook: Runbook, findings: Finding[], rules: readonly RuleDefinition[], severityOf: Map<string, Severity>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const used = new Set<Waiver>();
  const valid = new Map<Waiver, RuleDefinition>();
  const engineSeverity = (meta: RuleMeta) => severityOf.get(meta.id) ?? meta.defaultSeverity;

  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      for (const waiver of step.waivers) {
        const key = waiver.rule.trim();
        const rule = rules.find((r) => r.meta.id.toLowerCase() === key.toLowerCase() || r.meta.name === key.toLowerCase());
        if (!rule) {
          const band = /^RB([12]|49)\d{1,2}$/i.test(key) ? key.toUpperCase() : undefined;
          out.push(
            engineDiagnostic(
              ENGINE_CODES.waiverRule,
              band ? 'notWaivable' : 'unknownRule',
              { rule: key, why: band?.startsWith('RB4') ? 'waiver and engine checks cannot be waived' : 'parse and schema errors cannot be waived' },
              waiver.span,
              engineSeverity(ENGINE_CODES.waiverRule),
            ),
          );
          continue;
        }
        if (!isMeaningfulReason(waiver.reason)) {
          // Every rule needs a reason; a safety or ordering rule is not waived without one.
          out.push(engineDiagnostic(ENGINE_CODES.waiverReason, 'noReason', { rule: key, reason: waiver.reason.trim() }, waiver.span, engineSeverity(ENGINE_CODES.waiverReason)));
          if (rule.meta.band === 'safety' || rule.meta.band === 'ordering') continue;
        }
        valid.set(waiver, rule);
      }
    }
  }

  for (const f of findings) {
    const waiver = f.step?.waivers.find((w) => valid.get(w) === f.rule);
    if (waiver) {
      used.add(waiver);
      continue;
    }
    const d = diagnosticAt(f.rule.meta, f.span, f.message, severityOf.get(f.rule.meta.id) ?? f.rule.meta.defaultSeverity);
    if (f.related) d.related = f.related;
    out.push(d);
  }

  for (const [waiver, rule] of valid) {
    if (used.has(waiver) || !severityOf.has(rule.meta.id)) continue;
    const step = runbook.phases.flatMap((p) => p.steps).find((s) => s.waivers.includes(waiver));
    out.push(engineDiagnostic(ENGINE_CODES.unusedWaiver, 'unused', { rule: waiver.rule, step: step?.id ?? '?' }, waiver.span, engineSeverity(ENGINE_CODES.unusedWaiver)));
  }
  return out;
}

function engineDiagnostic(meta: RuleMeta, messageId: string, data: Record<string, string>, span: SourceSpan, severity: Severity): Diagnostic {
  const message = ENGINE_MESSAGES[messageId]!.replace(/\{\{(\w+)\}\}/g, (_, k: string) => data[k] ?? '');
  return diagnosticAt(meta, span, message, severity);
}

function internalError(what: string, error: unknown, span: SourceSpan): Diagnostic {
  const text = error instanceof Error ? error.message : String(error);
  return engineDiagnostic(ENGINE_CODES.internalError, 'crashed', { rule: what, error: text.replace(/`/g, "'") }, span, 'error');
}

/** The same finding reached on several variants or paths is reported once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.ruleId}|${d.file}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- explain -------------------------------------------------------------------------------

/** The doc page of a rule, read from the package's docs/rules folder. */
export function readRuleDoc(id: string): string | undefined {
  try {
    return readFileSync(join(RULE_DOCS_DIR, `${id}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
