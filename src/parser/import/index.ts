/**
 * `runbookc import`: a Learn-style how-to -> a Markdown runbook draft (`draft: true`, with a
 * `<!-- review: Rn ... -->` marker wherever an author must look) and the import report.
 */
import { runbookFromDocument } from '../../compile.js';
import { markdownFromDocument } from '../../convert/markdown.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../../diagnostics.js';
import { runRules } from '../../rules/index.js';
import { parseMarkdownRunbook } from '../markdown.js';
import type { PlainData } from '../../convert/document.js';
import { slug } from '../../util/slug.js';
import { draftFromHowTo, unique, type StepDraft } from './howto.js';
import { prepareLearnDocument } from './learn.js';
import { formatImportReport, type ImportFinding, type ImportReport } from './report.js';

export type { ImportFinding, ImportReport } from './report.js';
export { formatImportReport } from './report.js';

export interface ImportResult {
  /** The Markdown runbook draft. */
  draft: string;
  report: ImportReport;
  /** The report as Markdown, for people. */
  reportText: string;
}

/**
 * @param text the how-to's Markdown
 * @param source how the how-to is named in the draft (`source:`) and in the report
 * @param draftName how the draft is named in the report
 */
export function importHowTo(text: string, source: string, draftName: string): ImportResult {
  const findings: ImportFinding[] = [];
  const prepared = prepareLearnDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, findings);
  const howTo = draftFromHowTo(prepared, findings);

  const notes = new Map<string, ImportFinding[]>();
  const phaseIds = new Set<string>();
  const stepIds = new Set<string>();
  // A title Markdown would cut short as a heading loses its closing `#`s here, with a note, rather
  // than making the whole draft unwritable (RB605).
  for (const phase of howTo.phases) {
    phase.title = headingTitle(phase.title, phase.line, findings);
    for (const step of phase.steps) step.title = headingTitle(step.title, step.line, findings);
  }
  const phases: PlainData[] = howTo.phases.map((phase, i) => {
    if (phase.reviews.length > 0) notes.set(`phases/${i}`, phase.reviews);
    const data: PlainData = { id: unique(slug(phase.title, 'phase'), phaseIds), title: phase.title, scope: phase.scope };
    if (phase.variants.length > 0) data.variants = phase.variants;
    const description = joinedParagraphs(phase.description);
    if (description) data.description = description;
    data.steps = phase.steps.map((step, j) => {
      if (phase.scope === 'each-node' && step.run !== undefined && !/\$Node\b/.test(step.run)) {
        step.runOn = 'node';
        const finding: ImportFinding = { category: 'inferred', line: step.line, message: `\`${step.title}\` names no server, so it runs on each server itself (\`runOn: node\`)` };
        findings.push(finding);
      }
      if (step.reviews.length > 0) notes.set(`phases/${i}/steps/${j}`, step.reviews);
      return stepData(step, stepIds);
    });
    return data;
  });
  if (howTo.reviews.length > 0) notes.set('', howTo.reviews);

  const data: PlainData = {
    runbook: slug(howTo.title, 'imported'),
    title: howTo.title,
    version: '0.1.0',
    summary: howTo.summary,
    source,
    draft: true,
    cluster: { maxNodesDown: 1 },
  };
  if (howTo.parameters.size > 0) {
    data.parameters = Object.fromEntries(
      [...howTo.parameters].map(([name, p]) => [name, { type: p.type, ...(p.required ? { required: true } : {}), description: p.description }]),
    );
  }
  if (howTo.variants.length > 0) data.variants = Object.fromEntries(howTo.variants.map((v) => [v.id, { title: v.title, description: v.description }]));
  data.phases = phases;

  // Review markers are numbered in the order they appear in the draft.
  let next = 1;
  const ordered = [...notes.entries()].sort(([a], [b]) => containerOrder(a) - containerOrder(b) || compareNumericPaths(a, b));
  const markerNotes = new Map<string, string[]>();
  for (const [path, list] of ordered) {
    markerNotes.set(
      path,
      list.map((f) => {
        f.review = next++;
        return `R${f.review}: ${f.message} (source line ${f.line})`;
      }),
    );
  }
  const draft = markdownFromDocument(data, markerNotes);
  const draftLines = draft.split('\n');
  for (const f of findings) {
    if (f.review === undefined) continue;
    const index = draftLines.findIndex((l) => l.startsWith(`<!-- review: R${f.review}: `));
    if (index >= 0) f.draftLine = index + 1;
  }

  findings.sort((a, b) => a.line - b.line);
  const checks = checkDraft(draft, draftName);
  const steps = howTo.phases.flatMap((p) => p.steps);
  const report: ImportReport = {
    source,
    draft: draftName,
    title: howTo.title,
    counts: {
      phases: howTo.phases.length,
      steps: steps.length,
      stepsWithoutCommand: steps.filter((s) => s.run === undefined && s.cau === undefined).length,
      parameters: howTo.parameters.size,
      variants: howTo.variants.length,
    },
    findings,
    checks,
  };
  return { draft, report, reportText: formatImportReport(report) };
}

/** What `runbookc check` says about the draft beyond its review markers: the edits an author still has to make. */
function checkDraft(draft: string, draftName: string): ImportReport['checks'] {
  const parsed = parseMarkdownRunbook(draft, draftName);
  let diagnostics: Diagnostic[] = parsed.diagnostics;
  if (parsed.document) {
    const built = runbookFromDocument(parsed.document);
    diagnostics = [...diagnostics, ...built.diagnostics];
    if (built.runbook && !hasErrors(built.diagnostics)) diagnostics = [...diagnostics, ...runRules(built.runbook)];
  }
  return diagnostics
    .filter((d) => d.ruleId !== 'RB114')
    .sort(compareDiagnostics)
    .map((d) => ({ ruleId: d.ruleId, ruleName: d.ruleName, severity: d.severity, line: d.line, column: d.column, message: d.message }));
}

function stepData(step: StepDraft & { runOn?: 'node' }, used: Set<string>): PlainData {
  const data: PlainData = { id: unique(slug(step.title, 'step'), used), title: step.title };
  const description = joinedParagraphs(step.description);
  if (description) data.description = description;
  if (step.runOn) data.runOn = step.runOn;
  if (step.irreversible) data.irreversible = { reason: step.irreversible };
  if (step.run !== undefined) data.run = step.run;
  else if (step.cau !== undefined) data.cau = step.cau;
  else if (step.confirm !== undefined) data.confirm = step.confirm;
  else data.manual = step.manual && step.manual.length > 0 ? step.manual : [step.title];
  return data;
}

function containerOrder(path: string): number {
  return path === '' ? 0 : 1;
}

function compareNumericPaths(a: string, b: string): number {
  const pa = a.split('/').filter((s) => /^\d+$/.test(s)).map(Number);
  const pb = b.split('/').filter((s) => /^\d+$/.test(s)).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    // A phase's own markers come before those of its steps.
    const x = pa[i] ?? -1;
    const y = pb[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

/** A description's paragraphs as one text, without the empty ones (a phase's as a step's). */
function joinedParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.filter((p) => p.trim() !== '').join('\n\n');
}

/** `title` without a closing run of `#` (after a space), which a Markdown heading would drop. */
function headingTitle(title: string, line: number, findings: ImportFinding[]): string {
  const trimmed = title.replace(/[ \t]+#+$/, '');
  if (trimmed === title || trimmed === '') return title;
  findings.push({ category: 'inferred', line, message: `\`${title}\` ends with \`#\`, which a Markdown heading reads as its end: the title is \`${trimmed}\`` });
  return trimmed;
}

