/**
 * The import report: everything `runbookc import` inferred, guessed, fixed or could not map,
 * each with its place in the how-to and, when the draft carries a review marker for it, the
 * marker's number and line in the draft.
 */

export type FindingCategory =
  /** Something wrong in the how-to itself (a misspelled cmdlet, an unclosed fence). */
  | 'defect'
  /** Read from the document with good confidence (a placeholder turned into a parameter). */
  | 'inferred'
  /** A heuristic choice an author must confirm (a section taken for an alternative). */
  | 'guessed'
  /** Content that has no place in a runbook and was left out (sample output, includes). */
  | 'unmapped';

export interface ImportFinding {
  category: FindingCategory;
  /** 1-based line in the how-to. */
  line: number;
  message: string;
  /** Review marker number in the draft (`R3`), when the draft marks the place. */
  review?: number;
  /** Line of the review marker in the draft, filled in once the draft is written. */
  draftLine?: number;
}

export interface ImportReport {
  source: string;
  draft: string;
  title: string;
  counts: { phases: number; steps: number; stepsWithoutCommand: number; parameters: number; variants: number };
  findings: ImportFinding[];
  /** What `runbookc check` reports on the draft (schema, ordering and safety rules), review markers aside. */
  checks: Array<{ ruleId: string; ruleName: string; severity: string; line: number; column: number; message: string }>;
}

const HEADINGS: Record<FindingCategory, string> = {
  defect: 'Defects in the source document',
  inferred: 'Inferred',
  guessed: 'Guessed (confirm or correct)',
  unmapped: 'Not mapped (left out of the draft)',
};

export function formatImportReport(report: ImportReport): string {
  const c = report.counts;
  const reviews = report.findings.filter((f) => f.review !== undefined).length;
  const out: string[] = [
    `# Import report: ${report.title}`,
    '',
    `- Source: \`${report.source}\``,
    `- Draft: \`${report.draft}\` (\`draft: true\`; it is checked but never built until every review marker is resolved)`,
    `- ${c.phases} phases, ${c.steps} steps (${c.stepsWithoutCommand} without a command), ${c.parameters} parameters, ${c.variants} variants`,
    `- ${reviews} review markers in the draft, ${report.findings.length} findings in all`,
    '',
  ];
  for (const category of ['defect', 'inferred', 'guessed', 'unmapped'] as const) {
    const findings = report.findings.filter((f) => f.category === category);
    if (findings.length === 0) continue;
    out.push(`## ${HEADINGS[category]}`, '');
    for (const f of findings) {
      const marker = f.review !== undefined ? ` [R${f.review}${f.draftLine !== undefined ? ` at ${report.draft}:${f.draftLine}` : ''}]` : '';
      out.push(`- ${report.source}:${f.line}${marker}: ${f.message}`);
    }
    out.push('');
  }
  if (report.checks.length > 0) {
    const errors = report.checks.filter((c) => c.severity === 'error').length;
    out.push(
      '## Checks on the draft',
      '',
      `\`runbookc check\` finds these in the draft (${errors} error${errors === 1 ? '' : 's'}); errors must be fixed before it builds:`,
      '',
    );
    for (const c of report.checks) out.push(`- ${report.draft}:${c.line}:${c.column}: ${c.severity} ${c.ruleId}/${c.ruleName}: ${c.message}`);
    out.push('');
  }
  out.push(
    '## Before the draft can be built',
    '',
    '1. Resolve each `<!-- review: R... -->` marker in the draft (correct the step, or confirm the guess), then delete the marker.',
    '2. Remove `draft: true` from the front matter.',
    '3. Fix what the checks on the draft report, and run `runbookc check` until it reports no errors, then `runbookc build`.',
    '',
  );
  return out.join('\n');
}
