import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../src/compile.js';
import { emitRunbook } from '../../src/emit.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { parseYamlRunbook } from '../../src/parser/yaml.js';
import { irFromFile, withoutSpans } from '../support/ir.js';

const YAML_FILE = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const MD_FILE = 'runbooks/azure-stack-hci-22h2-to-23h2.md';

describe('the bundled Markdown runbook', () => {
  it('loads with no diagnostics', async () => {
    const { runbook, diagnostics } = await loadRunbook(MD_FILE);
    expect(diagnostics).toEqual([]);
    expect(runbook!.phases).toHaveLength(12);
  });

  it('reads into the same plain data as the YAML form', () => {
    const md = parseMarkdownRunbook(readFileSync(MD_FILE, 'utf8'), MD_FILE);
    const yaml = parseYamlRunbook(readFileSync(YAML_FILE, 'utf8'), YAML_FILE);
    expect(md.diagnostics).toEqual([]);
    expect(md.document!.data).toEqual(yaml.document!.data);
  });

  it('builds into the same IR as the YAML form, source spans aside', () => {
    const fromMarkdown = irFromFile(MD_FILE);
    const fromYaml = irFromFile(YAML_FILE);
    expect(withoutSpans(fromMarkdown)).toEqual(withoutSpans(fromYaml));
    // The spans themselves point into the .md file.
    expect(fromMarkdown.phases[0]!.steps[0]!.span.file).toBe(MD_FILE);
  });

  it('keeps the positions of steps and commands in the .md file', () => {
    const lines = readFileSync(MD_FILE, 'utf8').split('\n');
    const runbook = irFromFile(MD_FILE);
    const step = runbook.phases.flatMap((p) => p.steps).find((s) => s.id === 'update-functional-level')!;
    expect(lines[step.span.line - 1]).toBe('### Update the cluster functional level');
    if (step.kind !== 'run') throw new Error('expected a run step');
    expect(lines[step.command.span.line - 1]).toBe('Update-ClusterFunctionalLevel -Cluster $ClusterName -Force');
    expect(lines[step.command.span.line - 2]).toBe('```powershell');
    const parameter = runbook.parameters.find((p) => p.name === 'StoragePoolName')!;
    expect(lines[parameter.span.line - 1]!.slice(parameter.span.column - 1)).toBe('StoragePoolName:');
  });
});

describe('the bundled runbook built from either form', () => {
  it('emits byte-identical files, the manifest included', () => {
    const fromYaml = emitRunbook(irFromFile(YAML_FILE));
    const fromMarkdown = emitRunbook(irFromFile(MD_FILE));
    expect(fromYaml.diagnostics).toEqual([]);
    expect(fromMarkdown.diagnostics).toEqual([]);
    expect(fromMarkdown.files.map((f) => f.path)).toEqual(fromYaml.files.map((f) => f.path));
    expect(fromYaml.files.length).toBeGreaterThan(10);
    fromYaml.files.forEach((file, i) => {
      expect(Buffer.from(fromMarkdown.files[i]!.content).equals(Buffer.from(file.content)), file.path).toBe(true);
    });
  });

  it('cites steps by id, never by the file, line and column of either form', () => {
    const { files } = emitRunbook(irFromFile(MD_FILE));
    const script = files.find((f) => f.path.endsWith('.cau-rolling.ps1'))!;
    const text = String(script.content);
    expect(text).toContain('# Runbook step post-installation/update-functional-level');
    expect(text).not.toMatch(/azure-stack-hci-22h2-to-23h2\.(md|yaml)/);
    for (const file of files) expect(String(file.content), file.path).not.toMatch(/\.(md|yaml):\d+:\d+/);
  });
});
