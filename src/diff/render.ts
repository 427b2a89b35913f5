/**
 * The plan diff as Markdown for a pull request: safety-relevant changes first (point of no return,
 * irreversibility, gates, scope), then steps added, removed, moved and changed, per variant.
 * Rendered from templates/diff/plan-diff.md.hbs with the checklist's Markdown-escaping helpers.
 */
import type Handlebars from 'handlebars';
import { markdownCode, markdownCodeBlock, markdownText } from '../emitters/checklist/markdown.js';
import { loadTemplate, templateEnvironment } from '../emitters/templates.js';
import type { FieldChange, PlanDiff, RunbookDiff, StepRef } from './plan-diff.js';

export interface ChangeView {
  field: string;
  inline: boolean;
  before: string;
  after: string;
  beforeEmpty: boolean;
  afterEmpty: boolean;
  /** Unified line diff for code and multi-line values. */
  lines: string;
}

export interface SafetyItemView {
  category: string;
  subject: string;
  hasValues: boolean;
  before: string;
  after: string;
  beforeEmpty: boolean;
  afterEmpty: boolean;
}

export interface StepRowView {
  number: string;
  title: string;
  kind: string;
  flags: string;
}

export interface PlanView {
  variantId: string;
  variantTitle: string;
  hasChanges: boolean;
  safety: SafetyItemView[];
  hasSafety: boolean;
  phasesAdded: string[];
  phasesRemoved: string[];
  phaseChanges: Array<{ phaseId: string; title: string; changes: ChangeView[] }>;
  added: StepRowView[];
  removed: StepRowView[];
  moved: Array<{ number: string; title: string; fromNumber: string; fromPhase: string | null }>;
  changed: Array<{ number: string; title: string; renumbered: boolean; oldNumber: string; changes: ChangeView[] }>;
}

export interface DiffView {
  title: string;
  versionBefore: string;
  versionAfter: string;
  versionChanged: boolean;
  hasRunbookChanges: boolean;
  header: ChangeView[];
  variantsAdded: string[];
  variantsRemoved: string[];
  parametersAdded: string[];
  parametersRemoved: string[];
  parameterChanges: Array<{ name: string; changes: ChangeView[] }>;
  plans: PlanView[];
  hasAnyChange: boolean;
}

/** A unified line diff (LCS), lines prefixed `-`, `+` or a space. */
export function lineDiff(before: string, after: string): string {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < a.length && (j === b.length || table[i + 1]![j]! >= table[i]![j + 1]!)) {
      // Removals before additions, as in a unified diff.
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return out.join('\n');
}

function changeView(c: FieldChange): ChangeView {
  const inline = !c.isCode && !c.before.includes('\n') && !c.after.includes('\n');
  return {
    field: c.field,
    inline,
    before: c.before,
    after: c.after,
    beforeEmpty: c.before === '',
    afterEmpty: c.after === '',
    lines: inline ? '' : lineDiff(c.before, c.after),
  };
}

const stepName = (r: StepRef): string => `${r.number} ${r.title}`;

function item(category: string, subject: string, values?: { before: string; after: string }): SafetyItemView {
  return {
    category,
    subject,
    hasValues: values !== undefined,
    before: values?.before ?? '',
    after: values?.after ?? '',
    beforeEmpty: (values?.before ?? '') === '',
    afterEmpty: (values?.after ?? '') === '',
  };
}

function safetyItems(plan: PlanDiff): SafetyItemView[] {
  const items: SafetyItemView[] = [];
  const { before, after, changed } = plan.pointOfNoReturn;
  if (changed) {
    items.push(item('Point of no return moved', 'first irreversible step', { before: before ? stepName(before) : '', after: after ? stepName(after) : '' }));
  }
  for (const s of plan.stepsAdded) {
    if (s.irreversible) items.push(item('Irreversible step added', stepName(s)));
    else if (s.gate) items.push(item(`Gate added (${s.kind})`, stepName(s)));
  }
  for (const s of plan.stepsRemoved) {
    if (s.irreversible) items.push(item('Irreversible step removed', stepName(s)));
    if (s.gate) items.push(item(`Gate removed (${s.kind})`, stepName(s)));
  }
  for (const m of plan.stepsMoved) {
    if (m.after.irreversible || m.after.gate) {
      items.push(item(m.after.irreversible ? 'Irreversible step moved' : 'Gate moved', stepName(m.after), { before: m.before.number, after: m.after.number }));
    }
  }
  for (const c of plan.stepChanges) {
    for (const f of c.changes) {
      if (f.area === 'command' || f.area === 'other') continue;
      const category = f.area === 'irreversibility' ? 'Irreversibility changed' : f.area === 'gate' ? 'Gate changed' : 'Scope changed';
      const subject = `${stepName(c.after)}, ${f.field}`;
      items.push(f.isCode ? item(category, `${subject} (see below)`) : item(category, subject, f));
    }
  }
  for (const p of plan.phaseChanges) {
    for (const f of p.changes.filter((x) => x.area === 'scope')) items.push(item('Scope changed', `phase ${p.title}, ${f.field}`, f));
  }
  return items;
}

function row(r: StepRef): StepRowView {
  const flags = [r.irreversible ? 'irreversible' : '', r.gate ? 'gate' : ''].filter((f) => f !== '').join(', ');
  return { number: r.number, title: r.title, kind: r.kind, flags };
}

function planView(plan: PlanDiff): PlanView {
  const safety = safetyItems(plan);
  const view: PlanView = {
    variantId: plan.variantId,
    variantTitle: plan.variantTitle,
    hasChanges: false,
    safety,
    hasSafety: safety.length > 0,
    phasesAdded: plan.phasesAdded.map((p) => p.title),
    phasesRemoved: plan.phasesRemoved.map((p) => p.title),
    phaseChanges: plan.phaseChanges.map((p) => ({ phaseId: p.phaseId, title: p.title, changes: p.changes.map(changeView) })),
    added: plan.stepsAdded.map(row),
    removed: plan.stepsRemoved.map(row),
    moved: plan.stepsMoved.map((m) => ({
      number: m.after.number,
      title: m.after.title,
      fromNumber: m.before.number,
      fromPhase: m.betweenPhases ? m.before.phaseId : null,
    })),
    changed: plan.stepChanges.map((c) => ({
      number: c.after.number,
      title: c.after.title,
      renumbered: c.before.number !== c.after.number,
      oldNumber: c.before.number,
      changes: c.changes.map(changeView),
    })),
  };
  view.hasChanges =
    view.hasSafety ||
    view.phasesAdded.length + view.phasesRemoved.length + view.phaseChanges.length + view.added.length + view.removed.length + view.moved.length + view.changed.length > 0;
  return view;
}

export function diffView(diff: RunbookDiff): DiffView {
  const plans = diff.plans.map(planView);
  const hasRunbookChanges =
    diff.header.length + diff.variantsAdded.length + diff.variantsRemoved.length + diff.parametersAdded.length + diff.parametersRemoved.length + diff.parameterChanges.length > 0;
  return {
    title: diff.title,
    versionBefore: diff.versionBefore,
    versionAfter: diff.versionAfter,
    versionChanged: diff.versionBefore !== diff.versionAfter,
    hasRunbookChanges,
    header: diff.header.map(changeView),
    variantsAdded: diff.variantsAdded.map((v) => `${v.title} (${v.id})`),
    variantsRemoved: diff.variantsRemoved.map((v) => `${v.title} (${v.id})`),
    parametersAdded: diff.parametersAdded,
    parametersRemoved: diff.parametersRemoved,
    parameterChanges: diff.parameterChanges.map((p) => ({ name: p.name, changes: p.changes.map(changeView) })),
    plans,
    hasAnyChange: hasRunbookChanges || plans.some((p) => p.hasChanges),
  };
}

let compiled: Handlebars.TemplateDelegate<DiffView> | undefined;

export function renderDiffMarkdown(diff: RunbookDiff): string {
  if (!compiled) {
    const hbs = templateEnvironment();
    const value = (v: unknown): string => {
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      throw new Error(`Plan diff: expected a string or a number, got \`${String(v)}\``);
    };
    hbs.registerHelper('md', (v: unknown) => markdownText(value(v)));
    hbs.registerHelper('mdCode', (v: unknown) => markdownCode(value(v)));
    hbs.registerHelper('mdBlock', (v: unknown, language: unknown, indent: unknown) => markdownCodeBlock(value(v), String(language), Number(indent)));
    compiled = loadTemplate<DiffView>(hbs, 'diff/plan-diff.md.hbs');
  }
  return compiled(diffView(diff));
}
