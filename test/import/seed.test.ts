import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunbookFile, checkRunbook, emitRunbook } from '../../src/compile.js';
import { importHowTo } from '../../src/parser/import/index.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { checkScript } from '../../src/rules/commands/check.js';

const SEED = 'test/fixtures/import/upgrade-22h2-to-23h2.md';
const work = mkdtempSync(join(tmpdir(), 'runbookc-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const imported = importHowTo(readFileSync(SEED, 'utf8'), SEED, 'draft.md');
const defects = imported.report.findings.filter((f) => f.category === 'defect');

/** What an author does with the draft after reading the report: fix what it asks, delete the markers, drop `draft`. */
function resolveDraft(draft: string): string {
  const edits: Array<[string, string]> = [
    ['running XXXX or higher', 'running build 20349 or higher'],
    ['Enter-PSSession -ComputerName $ComputerIP -Credential $Credential', 'Invoke-Command -ComputerName $ComputerIP -Credential $Credential -ScriptBlock { $env:COMPUTERNAME }'],
    ['Suspend-ClusterNode -Node $Node -Drain', 'Suspend-ClusterNode -Name $Node -Drain'],
    ['Resume-ClusterNode -Node $Node -Failback\n', 'Resume-ClusterNode -Name $Node -Failback Immediate\n'],
    ['```powershell\nUpdate-StoragePool\n```', "```powershell\nUpdate-StoragePool -FriendlyName 'S2D on hci-cluster1' -Confirm:$false\n```"],
  ];
  let text = draft.replace(/<!-- review: [^\n]*-->\n\n/g, '').replace('draft: true\n', '');
  for (const [from, to] of edits) {
    expect(text, `the draft should contain ${JSON.stringify(from)}`).toContain(from);
    text = text.replace(from, to);
  }
  return text;
}

describe('importing the seed how-to', () => {
  it('names the defects of the seed document where they are', () => {
    const at = (line: number, pattern: RegExp) => defects.find((f) => f.line === line && pattern.test(f.message));
    expect(at(239, /Misspelled cmdlet `Get-Storage-Job`.*`Get-StorageJob`/)).toBeDefined();
    expect(at(245, /Misspelled cmdlet `Update-ClusterFunctional Level`.*`Update-ClusterFunctionalLevel`/)).toBeDefined();
    expect(at(197, /Code fence .*PowerShell.* is never closed.*Closed it after line 198/)).toBeDefined();
    expect(at(233, /`-Node<node>`: the parameter `-Node` is glued/)).toBeDefined();
    expect(at(233, /Unknown parameter `-Node` of `Suspend-ClusterNode`, did you mean `-Name`\? \(not applied/)).toBeDefined();
    expect(at(55, /Placeholder `XXXX`/)).toBeDefined();
    // Every defect in the report is one a reader can find: it carries a review marker in the draft.
    for (const f of defects) expect(f.draftLine, f.message).toBeGreaterThan(0);
  });

  it('reports placeholders turned into parameters, steps without a command and sections taken for alternatives', () => {
    const messages = imported.report.findings.map((f) => `${f.category} ${f.message}`);
    expect(messages).toContain('inferred Placeholder `<ClusterName>` became the required string parameter `ClusterName` (`$ClusterName`)');
    expect(messages.some((m) => /^inferred Step `Run the SCONFIG option 6\.3 on the target node` has no command/.test(m))).toBe(true);
    expect(messages.some((m) => /^guessed Section `Perform a fast, offline update of all servers in a cluster` looks like another way/.test(m))).toBe(true);
    expect(messages.some((m) => /^unmapped `\[!INCLUDE\]` of `\.\.\/\.\.\/includes\/hci-applies-to-23h2-22h2\.md`/.test(m))).toBe(true);
    expect(messages.some((m) => /^unmapped Sample output \(`Console` block\) with 3 prompt line/.test(m))).toBe(true);
    expect(imported.reportText).toContain('## Defects in the source document');
  });

  it('writes a draft that says what the how-to does, marked as a draft', () => {
    const { document, diagnostics } = parseMarkdownRunbook(imported.draft, 'draft.md');
    expect(diagnostics.every((d) => d.ruleId === 'RB114' && d.severity === 'warning')).toBe(true);
    expect(diagnostics).toHaveLength(imported.report.findings.filter((f) => f.review !== undefined).length);
    const data = document!.data as { draft: boolean; phases: Array<{ scope: string; steps: Array<Record<string, unknown>> }> };
    expect(data.draft).toBe(true);
    const steps = data.phases.flatMap((p) => p.steps);
    const functionalLevel = steps.find((s) => s.title === 'Update the cluster functional level')!;
    expect(functionalLevel.run).toBe('Update-ClusterFunctionalLevel');
    expect((functionalLevel.irreversible as { reason: string }).reason).toMatch(/can't roll back/);
    expect(steps.find((s) => s.title === 'Run Suspend-ClusterNode')!.run).toBe('Suspend-ClusterNode -Node $Node -Drain');
    expect(steps.find((s) => s.title === 'Run Update-ClusterFunctionalLevel')!.run).toBe('Update-ClusterFunctionalLevel');
    expect(data.phases.find((p) => p.steps.some((s) => s.title === 'Run Suspend-ClusterNode'))!.scope).toBe('each-node');
  });

  it('never builds the draft as imported', async () => {
    const file = join(work, 'as-imported.md');
    writeFileSync(file, imported.draft);
    const checked = await checkRunbook(file);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(emitRunbook(checked.runbook!).diagnostics.map((d) => d.ruleId)).toEqual(['RB601']);
  });

  it('refuses unresolved review markers once the draft flag is removed', async () => {
    const file = join(work, 'flag-only.md');
    writeFileSync(file, imported.draft.replace('draft: true\n', ''));
    const checked = await checkRunbook(file);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((d) => d.ruleId))).toEqual(new Set(['RB114']));
  });

  it('compiles after the edits the report asks for', async () => {
    const file = join(work, 'resolved.md');
    writeFileSync(file, resolveDraft(imported.draft));
    const result = await buildRunbookFile(file, { outDir: join(work, 'out') });
    expect(result.diagnostics).toEqual([]);
    expect(result.runbook!.draft).toBe(false);
    for (const step of result.runbook!.phases.flatMap((p) => p.steps)) {
      if (step.kind === 'run') expect(checkScript(step.command.text).findings, step.command.text).toEqual([]);
    }
  });

  it('is deterministic', () => {
    const again = importHowTo(readFileSync(SEED, 'utf8'), SEED, 'draft.md');
    expect(again.draft).toBe(imported.draft);
    expect(again.reportText).toBe(imported.reportText);
  });
});
