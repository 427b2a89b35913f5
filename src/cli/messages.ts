/** Texts the CLI prints, kept apart from the wiring so they can be read and reviewed together. */
export const HELP_EXAMPLES = `
Examples:
  $ runbookc check runbooks/azure-stack-hci-22h2-to-23h2.yaml
  $ runbookc build runbooks/azure-stack-hci-22h2-to-23h2.yaml --out out
  $ runbookc build runbooks/*.yaml --variant cau-rolling --out out
  $ runbookc check my-runbook.yaml --format json
  $ runbookc convert runbooks/azure-stack-hci-22h2-to-23h2.yaml --out my-runbook.md
  $ runbookc import how-to.md --out my-runbook.md

Exit codes:
  0  no errors (warnings may have been reported)
  1  a runbook has errors; nothing was written for it
  2  usage error or internal error
`;

export const BUILD_HELP = `
Writes, per runbook, <out>/<runbook-id>/: for each variant a folder with the PowerShell script,
the CAU run profiles (profiles/*.xml) and the checklists, plus manifest.json with the SHA-256 of
every file. The folder is replaced as a whole, only when the build succeeds.
With --pdf, each HTML checklist is also printed to PDF by the system chromium (/usr/bin/chromium).
`;

export function builtSummary(file: string, count: number, outDir: string, runbookId: string): string {
  return `${file}: wrote ${count} file${count === 1 ? '' : 's'} to ${outDir}/${runbookId}/`;
}

export function watchingMessage(count: number): string {
  return `watching ${count} runbook${count === 1 ? '' : 's'} for changes (Ctrl+C to stop)\n`;
}

export function rebuiltMessage(file: string, count: number, ms: number, failed: boolean): string {
  return failed ? `${file}: not rebuilt, fix the errors above (${ms.toFixed(0)} ms)\n` : `${file}: rebuilt ${count} files in ${ms.toFixed(0)} ms\n`;
}

export function importedSummary(file: string, written: string[], report: { findings: Array<{ review?: number; category: string }> }): string {
  const reviews = report.findings.filter((f) => f.review !== undefined).length;
  const defects = report.findings.filter((f) => f.category === 'defect').length;
  return (
    `${file}: wrote ${written.join(' and ')}\n` +
    `${defects} defect${defects === 1 ? '' : 's'} in the how-to, ${reviews} review marker${reviews === 1 ? '' : 's'} to resolve; the draft is not built until they are (see the report)\n`
  );
}

export function importRefusedMessage(paths: string[]): string {
  return `runbookc: ${paths.join(' and ')} already exist${paths.length === 1 ? 's' : ''}; an earlier draft may hold an author's edits. Pass --force to replace, or --out elsewhere.\n`;
}
