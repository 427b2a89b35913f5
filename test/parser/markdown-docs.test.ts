import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookFromDocument } from '../../src/compile.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';

describe('docs/markdown-format.md', () => {
  it('opens with an example that is a valid runbook', () => {
    const doc = readFileSync('docs/markdown-format.md', 'utf8');
    const example = /````markdown\n([\s\S]*?)\n````/.exec(doc)![1]! + '\n';
    const parsed = parseMarkdownRunbook(example, 'example.md');
    expect(parsed.diagnostics).toEqual([]);
    const { runbook, diagnostics } = runbookFromDocument(parsed.document!);
    expect(diagnostics).toEqual([]);
    const [drain, drained, install] = runbook!.phases[0]!.steps;
    expect(drain!.kind).toBe('run');
    expect(drain!.verify?.text).toBe("(Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Paused'");
    expect(drained).toMatchObject({ kind: 'wait', timeoutSeconds: 3600, until: { text: "(Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'" } });
    expect(install).toMatchObject({ kind: 'manual', reboots: true, record: ['Time the server came back'] });
  });
});
