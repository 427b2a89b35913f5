import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookToMarkdown } from '../../src/convert/markdown.js';
import { runbookToYaml } from '../../src/convert/yaml.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { irFromFile, irFromText, withoutSpans } from '../support/ir.js';

const YAML_FILE = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const MD_FILE = 'runbooks/azure-stack-hci-22h2-to-23h2.md';

describe('convert between YAML and Markdown', () => {
  const bundled = irFromFile(YAML_FILE);

  it('YAML -> Markdown -> YAML is a fixed point on the bundled runbook', () => {
    const yaml1 = runbookToYaml(bundled);
    const markdown = runbookToMarkdown(irFromText(yaml1, 'first.yaml'));
    const yaml2 = runbookToYaml(irFromText(markdown, 'converted.md'));
    expect(yaml2).toBe(yaml1);
    // And the same procedure as the hand-written file, not merely a stable one.
    expect(withoutSpans(irFromText(yaml1, 'first.yaml'))).toEqual(withoutSpans(bundled));
    expect(withoutSpans(irFromText(markdown, 'converted.md'))).toEqual(withoutSpans(bundled));
  });

  it('Markdown -> Markdown through the IR is a fixed point', () => {
    const once = runbookToMarkdown(irFromFile(MD_FILE));
    expect(runbookToMarkdown(irFromText(once, 'once.md'))).toBe(once);
  });

  it('spells the bundled runbook visibly: commands in fences, gates as alerts, nothing forced into annotations', () => {
    const markdown = runbookToMarkdown(bundled);
    expect(markdown).toContain('### Update the cluster functional level\n<!-- id: update-functional-level -->\n\n> [!WARNING]\n> After the functional level is raised');
    expect(markdown).toContain('```powershell wait\n@(Get-StorageJob -CimSession $ClusterName');
    expect(markdown).toContain('**Confirm:** Does the scan show the same feature update offered to every server?');
    expect(markdown).not.toMatch(/<!--[^>]*\b(description|failMessage|onTimeout|manual|record|title):/);
    // The hand-written Markdown runbook differs from the generated one only by commentary.
    const handWritten = readFileSync(MD_FILE, 'utf8');
    expect(withoutSpans(irFromText(handWritten, MD_FILE))).toEqual(withoutSpans(irFromText(markdown, 'generated.md')));
  });

  it('moves a value that would not read back from its visible spelling into the annotation', () => {
    const runbook = structuredClone(bundled);
    const step = runbook.phases[0]!.steps[0]!;
    step.description = 'Two lines\nthat must stay two lines.';
    step.title = 'A title with `code` and *emphasis*';
    runbook.phases[0]!.description = '- not a list, a sentence that starts with a dash';
    const markdown = runbookToMarkdown(runbook);
    expect(markdown).toContain('description: |-\n  Two lines\n  that must stay two lines.');
    expect(markdown).toContain('### A title with `code` and *emphasis*\n');
    const back = parseMarkdownRunbook(markdown, 'x.md');
    expect(back.diagnostics).toEqual([]);
    expect(withoutSpans(irFromText(markdown, 'x.md'))).toEqual(withoutSpans(runbook));
  });

  it('writes commands that contain backtick fences with a longer fence', () => {
    const runbook = structuredClone(bundled);
    const step = runbook.phases[0]!.steps.find((s) => s.kind === 'check')!;
    if (step.kind !== 'check') throw new Error('expected a check');
    step.assert.text = "```\n'fenced' -eq 'fenced'\n```";
    const markdown = runbookToMarkdown(runbook);
    expect(markdown).toContain("````powershell check\n```\n'fenced' -eq 'fenced'\n```\n````");
    expect(withoutSpans(irFromText(markdown, 'x.md'))).toEqual(withoutSpans(runbook));
  });

  it('keeps values with trailing line breaks and with Unicode spaces at their ends, wherever they are spelled', () => {
    const runbook = structuredClone(bundled);
    const step = runbook.phases[0]!.steps[0]!;
    // A YAML `|+` block keeps its trailing line breaks: in an annotation and at the end of the front
    // matter alike (the YAML text's last line break used to be trimmed off, and one of them with it).
    step.description = 'Kept line breaks.\n\n';
    runbook.phases[1]!.description = 'Also kept.\n\n\n';
    runbook.variants[runbook.variants.length - 1]!.description = 'The last value of the front matter.\n\n';
    // A no-break space at the start of a title reads back as part of it, as YAML keeps it.
    runbook.phases[2]!.steps[0]!.title = '\u00a0Leading no-break space';
    runbook.phases[2]!.title = 'Trailing ideographic space\u3000';
    const markdown = runbookToMarkdown(runbook);
    expect(withoutSpans(irFromText(markdown, 'x.md'))).toEqual(withoutSpans(runbook));
  });

  it('writes every value but the headings into annotations when a visible value breaks the Markdown around it', () => {
    const runbook = structuredClone(bundled);
    const step = runbook.phases.flatMap((p) => p.steps).find((s) => s.kind === 'manual')!;
    // A paragraph that reads as a numbered list beside the step's own list: a second `manual`.
    step.description = '3. Upgrade the VM configuration levels.\n\nThen go on.';
    const markdown = runbookToMarkdown(runbook);
    expect(markdown).toContain(`### ${step.title}\n<!--\nid: ${step.id}\n`);
    // The phases are headings, not front matter too.
    expect(markdown.slice(0, markdown.indexOf('\n---\n', 4))).not.toContain('phases:');
    expect(withoutSpans(irFromText(markdown, 'x.md'))).toEqual(withoutSpans(runbook));
  });
});

