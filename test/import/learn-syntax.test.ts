import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importHowTo } from '../../src/parser/import/index.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';

const FILE = 'test/fixtures/import/zones-and-transcripts.md';
const imported = importHowTo(readFileSync(FILE, 'utf8'), FILE, 'draft.md');
const messages = imported.report.findings.map((f) => `${f.line} ${f.category} ${f.message}`);
type Step = Record<string, unknown>;
const data = parseMarkdownRunbook(imported.draft, 'draft.md').document!.data as {
  parameters: Record<string, { type: string; required?: boolean }>;
  variants: Record<string, { title: string }>;
  phases: Array<{ title: string; scope: string; variants?: string[]; steps: Step[] }>;
};

describe('importing Learn syntax', () => {
  it('reports the include and leaves it out', () => {
    expect(messages).toContain('9 unmapped `[!INCLUDE]` of `../includes/applies-to.md` (applies-to) is not imported: the included text lives in another file');
  });

  it('splits a command from its sample output and replaces an en dash', () => {
    const stop = data.phases[0]!.steps[0]!;
    // The catalog's closest name, Set-Service, is another cmdlet: it is reported, never applied.
    expect(stop.run).toBe('Stop-Service -Name ClusSvc');
    expect(messages.some((m) => /`Stop-Service`.*corrected/.test(m))).toBe(false);
    expect(messages.some((m) => /^20 defect Command mixed with its sample output: kept the 1 prompt line\(s\) \(`Stop-Service –Name ClusSvc`\) and dropped 1 line\(s\) of output$/.test(m))).toBe(true);
    expect(messages.some((m) => /^20 defect Parameter `–Name` written with an en dash/.test(m))).toBe(true);
  });

  it('runs a "for each node" section once per server', () => {
    expect(data.phases[0]).toMatchObject({ title: 'Restart the service', scope: 'each-node' });
  });

  it('turns zone pivots into variants and placeholders into parameters', () => {
    expect(Object.keys(data.variants)).toEqual(['windows-admin-center', 'powershell']);
    expect(data.phases.map((p) => [p.title, p.variants])).toEqual([
      ['Restart the service', undefined],
      ['Check in Windows Admin Center', ['windows-admin-center']],
      ['Check with PowerShell', ['powershell']],
    ]);
    const check = data.phases[2]!.steps[0]!;
    expect(check.run).toBe('Get-ClusterNode -Cluster $ClusterName -Credential $Credential');
    expect(data.parameters.ClusterName).toMatchObject({ type: 'string', required: true });
    expect(data.parameters.Credential).toMatchObject({ type: 'credential' });
    expect(data.parameters.ServerName).toBeUndefined();
  });

  it('marks every inference an author must confirm in the draft', () => {
    const markers = [...imported.draft.matchAll(/<!-- review: R(\d+): /g)].map((m) => Number(m[1]));
    expect(markers).toEqual(markers.map((_, i) => i + 1));
    expect(markers.length).toBe(imported.report.findings.filter((f) => f.review !== undefined).length);
  });

  it('drops a closing `#` from a step title, which a Markdown heading would read as its end, and says so', () => {
    const howTo = '# Restart\n\nIntro.\n\n## Do it\n\n1. **Run the check #**\n\n   ```powershell\n   Get-ClusterNode\n   ```\n';
    const result = importHowTo(howTo, 'hash.md', 'draft.md');
    expect(result.draft).toContain('### Run the check\n');
    expect(result.report.findings.map((f) => f.message)).toContain('`Run the check #` ends with `#`, which a Markdown heading reads as its end: the title is `Run the check`');
    expect(parseMarkdownRunbook(result.draft, 'draft.md').document).toBeDefined();
  });
});

