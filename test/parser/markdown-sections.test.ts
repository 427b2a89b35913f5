import fc from 'fast-check';
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { runbookFromDocument } from '../../src/compile.js';
import { runbookToMarkdown } from '../../src/convert/markdown.js';
import { runbookToYaml } from '../../src/convert/yaml.js';
import { parseMarkdownRunbook, parseMarkdownTree } from '../../src/parser/markdown.js';
import { parseInSections, sectionStarts } from '../../src/parser/markdown/sections.js';
import { irFromText } from '../support/ir.js';
import { propertySeed } from '../support/property-seed.js';

/** remark on the whole text at once: the tree that parsing by sections must reproduce. */
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
const whole = (text: string): Root => processor.parse(text);
/** Cut at every heading line, however short the sections. */
const everyCut = (text: string): Root => parseInSections(text, whole, 1);
const plain = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));

const startLines = (text: string) => sectionStarts(text).map((s) => s.line);

describe('cutting a Markdown text into sections', () => {
  it('cuts at top-level heading lines only', () => {
    const text = [
      '---', // 1
      '# a YAML comment in the front matter', // 2
      '---', // 3
      '# Title', // 4
      '```powershell', // 5
      '# a PowerShell comment', // 6
      '```', // 7
      '## Phase', // 8
      '<!--', // 9
      '## commented out', // 10
      '-->', // 11
      '### Step', // 12
      '````', // 13
      '```', // 14
      '## still in the longer fence', // 15
      '````', // 16
      '<div>', // 17
      '## inside an HTML block', // 18
      '', // 19
      '#### Deeper', // 20
      '  ## indented, maybe inside a list item', // 21
      '#hashtag', // 22
      '~~~', // 23
      '# tilde fence', // 24
      '~~~', // 25
      '#', // 26
    ].join('\n');
    expect(startLines(text)).toEqual([4, 8, 12, 20, 26]);
    expect(plain(everyCut(text))).toEqual(plain(whole(text)));
  });

  it('counts lines the way remark does, with CR LF and lone CR line endings', () => {
    expect(startLines('# A\r\ntext\r\n## B\r\n')).toEqual([1, 3]);
    expect(startLines('# A\rtext\r## B\r')).toEqual([1, 3]);
    for (const text of ['# A\r\ntext\r\n## B\r\n- x\r\n### C\r\n', '# A\rtext\r## B\r- x\r### C\r', '# A\r\n\r## B\n- x\r\n### C']) {
      expect(plain(everyCut(text))).toEqual(plain(whole(text)));
    }
  });

  it('does not cut in front matter that is never closed', () => {
    expect(startLines('---\nrunbook: x\n# comment\n## B\n')).toEqual([]);
  });

  it('gives the same tree as parsing the whole text when a guess is wrong', () => {
    const cases = [
      // The first fence is inside the list item, which `# B` ends; the second one swallows `# C`.
      '# A\n- item\n   ```\n# B\n   ```\n# C\n',
      '# A\n```\n## swallowed by a fence never closed\n\ntext\n## B\n',
      '# A\n<table><tr><td>\n## part of the HTML block\n</td></tr></table>\n\n## B\n',
      '# A\n\nSee [the guide].\n\n## B\n\n[the guide]: https://example.org\n',
      '# A\n- item\n\n  ```\n## ends the list and its fence\n  ```\n',
      '# A\n> quote\n## ends the quote\n> quote again\n',
    ];
    for (const text of cases) expect(plain(everyCut(text))).toEqual(plain(whole(text)));
  });

  it('gives the same tree as parsing the whole text, for any arrangement of block starts and ends', () => {
    const line = fc.constantFrom(
      '# Title', '## Phase', '### Step', '#### Note', '#no', ' ## indented', '\t## tab', '#',
      'text', '**Record:**', '===', '---', '***',
      '- item', '1. item', '  continued', '   ```', '> quote', '> ```', '>',
      '```', '```powershell', '``` a`b', '~~~', '````', '    indented code',
      '<!-- id: x -->', '<!--', '-->', '<div>', '</div>', '<pre>', '</pre>', '<?php', '?>', '<!DOCTYPE html>', '<![CDATA[', ']]>', '<span>',
      '[ref]: https://example.org', '[ref]', '',
    );
    const ending = fc.constantFrom('\n', '\r\n', '\r');
    const doc = fc.array(fc.tuple(line, ending), { maxLength: 40 }).map((lines) => lines.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(doc, (text) => {
        expect(plain(everyCut(text))).toEqual(plain(whole(text)));
      }),
      { numRuns: 2000, seed: propertySeed() },
    );
  });
});

/** A valid Markdown runbook of `phases` phases of ten manual steps each, about 1,000 lines per 100 steps. */
function largeRunbook(phases: number): string {
  const parts = ['---\nrunbook: large\nversion: 1.0.0\n# a comment, not a heading\n---\n\n# Large\n\nA large runbook.\n'];
  for (let p = 1; p <= phases; p++) {
    parts.push(`\n## Phase ${p}\n<!-- id: phase-${p}, scope: cluster -->\n\nPhase ${p} in prose.\n`);
    for (let s = 1; s <= 10; s++) {
      const id = `step-${p}-${s}`;
      parts.push(`\n### Step ${p}.${s}\n<!-- id: ${id} -->\n\n1. Do ${id}.\n1. Check ${id}.\n\n**Record:**\n\n- Time of ${id}\n`);
    }
  }
  return parts.join('');
}

/** 1-based line and column of the first occurrence of `needle` (plus `extra` characters) in `text`. */
function positionOf(text: string, needle: string, extra = 0): { line: number; column: number } {
  const offset = text.indexOf(needle);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset + extra).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('a large Markdown runbook', () => {
  const text = largeRunbook(200);

  it('is cut into many sections and parses to the same tree as a whole', () => {
    expect(text.length).toBeGreaterThan(200_000);
    expect(sectionStarts(text).length).toBe(1 + 200 * 11);
    // Parsing a large text whole takes long (that is why it is cut); 40 phases still make many sections.
    const smaller = largeRunbook(40);
    expect(plain(parseMarkdownTree(smaller))).toEqual(plain(whole(smaller)));
  });

  it('reports Markdown mistakes late in the file at their line and column', () => {
    const broken = text
      .replace('<!-- id: step-190-4 -->', '<!-- id: step-190-4, retries: [ -->')
      .replace('1. Do step-197-2.', '```powershell verfy\n$true\n```')
      .replace('- Time of step-199-9', 'Nothing to record.');
    const { document, diagnostics } = parseMarkdownRunbook(broken, 'large.md');
    expect(document).toBeUndefined();
    const found = diagnostics.map((d) => [d.ruleId, d.line, d.column]);
    // The YAML error is at the end of the unclosed flow sequence, after `[ `.
    const annotation = positionOf(broken, '<!-- id: step-190-4, retries: [ -->', '<!-- id: step-190-4, retries: [ '.length);
    const fence = positionOf(broken, '```powershell verfy');
    const record = positionOf(broken, '**Record:**\n\nNothing to record.');
    expect(annotation.line).toBeGreaterThan(19_000);
    expect(found).toEqual([
      ['RB111', annotation.line, annotation.column],
      ['RB113', fence.line, fence.column],
      ['RB110', record.line, record.column],
    ]);
  });

  it('points schema and rule diagnostics late in the file at their line and column', () => {
    const broken = text.replace('<!-- id: step-198-7 -->', '<!-- id: step-198-7, retries: many -->');
    const parsed = parseMarkdownRunbook(broken, 'large.md');
    expect(parsed.diagnostics).toEqual([]);
    const { diagnostics } = runbookFromDocument(parsed.document!);
    const value = positionOf(broken, 'retries: many', 'retries: '.length);
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['RB203', value.line, value.column]]);
  });

  it('keeps every step at its heading, and converts to YAML and back', () => {
    const runbook = irFromText(text, 'large.md');
    const last = runbook.phases[199]!.steps[9]!;
    expect(last.span).toMatchObject(positionOf(text, '### Step 200.10'));
    const yaml = runbookToYaml(runbook);
    const markdown = runbookToMarkdown(irFromText(yaml, 'large.yaml'));
    expect(runbookToYaml(irFromText(markdown, 'again.md'))).toBe(yaml);
  });
});
