import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../src/compile.js';
import { parseYamlRunbook } from '../../src/parser/yaml.js';
import { validateAgainstSchema } from '../../src/schema/validate.js';

const fixture = (name: string) => `test/fixtures/invalid/${name}`;

/** [ruleId, line, column] of each diagnostic, in output order. */
async function positions(file: string) {
  const { diagnostics, runbook } = await loadRunbook(file);
  return { runbook, found: diagnostics.map((d) => [d.ruleId, d.line, d.column] as const), diagnostics };
}

describe('positioned diagnostics', () => {
  it('reports a misspelled property and a value of the wrong type where they are written', async () => {
    const { runbook, found, diagnostics } = await positions(fixture('misspelled-wrong-type-syntax.yaml'));
    expect(runbook).toBeUndefined();
    expect(found).toEqual([
      ['RB203', 6, 17],
      ['RB202', 8, 3],
      ['RB201', 10, 5],
    ]);
    expect(diagnostics[0]!.message).toBe('Unexpected string `one` for `maxNodesDown`, expected an integer');
    expect(diagnostics[2]!.message).toBe('Unexpected property `descripton` in parameter `ClusterName`; did you mean `description`?');
    for (const d of diagnostics) expect(d.docUrl).toBe(`docs/rules/${d.ruleId}.md`);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const { found, diagnostics } = await positions(fixture('yaml-syntax.yaml'));
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toBe('RB101');
    expect(found[0]![1]).toBeGreaterThanOrEqual(2);
    expect(diagnostics[0]!.message).toMatch(/^Invalid YAML: /);
  });

  it('names a quote left open at the quote, not where the parser stumbles lines below', () => {
    const at = (text: string) => parseYamlRunbook(text, 'q.yaml').diagnostics.map((d) => [d.line, d.column, d.message]);
    const missing = (char: string) => `Invalid YAML: Missing closing quote, expected \`${char}\` to end the value that starts here`;
    expect(at('runbook: "demo\n# a comment with "quotes"\ntitle: T\nphases: [\n')).toEqual([[1, 10, missing('"')]]);
    expect(at("runbook: demo\nphases:\n  - id: 'open\n    title: T\n  - id: x: y\n")).toEqual([[3, 9, missing("'")]]);
    // Quotes inside a block scalar are a command's, and a quoted value may go on over indented lines.
    expect(at('run: |\n  Write-Host "hi\nb: [\n')[0]![2]).not.toMatch(/closing quote/);
    expect(at('a: "multi\n  line"\nb: [\n')[0]![2]).not.toMatch(/closing quote/);
  });

  it('reports a duplicate key at the second occurrence', async () => {
    const { found } = await positions(fixture('duplicate-key.yaml'));
    expect(found).toEqual([['RB102', 3, 1]]);
  });

  it('suggests an id made of the title, and says why a number or `yes` is not what the property takes', () => {
    const text = [
      'runbook: demo', 'version: 1.0', 'title: Demo', 'summary: A demo.',
      'phases:', '  - title: Upgrade 22H2 nodes, one by one', '    scope: cluster', '    steps:',
      '      - title: 1. Drain the node', '        run: Get-Date', '        reboots: no',
    ].join('\n');
    const { document } = parseYamlRunbook(text, 'inline.yaml');
    const found = validateAgainstSchema(document!).map((d) => [d.line, d.column, d.message]);
    expect(found).toEqual([
      [2, 10, 'Unexpected integer `1` for `version`, expected a string (in quotes: YAML reads an unquoted number as a number, so `1.0` becomes `1`)'],
      [6, 5, 'Missing property `id` in phase #1 (`Upgrade 22H2 nodes, one by one`), expected an id such as `id: upgrade-22h2-nodes-one-by-one`'],
      // An id starts with a letter: one made of a title that starts with a digit starts with `step-`.
      [9, 9, 'Missing property `id` in step #1 (`1. Drain the node`), expected an id such as `id: step-1-drain-the-node`'],
      [11, 18, 'Unexpected string `no` for `reboots`, expected true or false: write `false` (YAML 1.2 reads `no` as a string)'],
    ]);
  });

  it('reports structural mistakes after the schema passes', async () => {
    const { found, diagnostics } = await positions(fixture('structure.yaml'));
    expect(found).toEqual([
      ['RB214', 9, 14],
      ['RB214', 13, 14],
      ['RB211', 22, 25],
      ['RB213', 27, 9],
      ['RB210', 28, 13],
      ['RB212', 31, 15],
    ]);
    const duplicate = diagnostics.find((d) => d.ruleId === 'RB210')!;
    expect(duplicate.related?.span.line).toBe(24);
    expect(diagnostics[0]!.message).toContain('credentials are prompted for and never stored');
    expect(JSON.stringify(diagnostics)).not.toContain('hunter2');
  });

  it('loads the bundled runbook with no diagnostics', async () => {
    const { runbook, diagnostics } = await loadRunbook('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
    expect(diagnostics).toEqual([]);
    expect(runbook!.variants.map((v) => v.id)).toEqual(['cau-rolling', 'sconfig-manual', 'offline']);
  });
});
