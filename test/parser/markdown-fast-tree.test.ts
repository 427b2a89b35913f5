/**
 * The fast Markdown reader (src/parser/markdown/fast-tree.ts) must build remark's tree exactly, or
 * give up: every test here compares the two on the same text, node for node, value for value and
 * position for position (line, column and offset), whenever the fast reader returns a tree.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateYaml } from '../../bench/generate.mjs';
import { runbookToMarkdown } from '../../src/convert/markdown.js';
import { fastMarkdownTree } from '../../src/parser/markdown/fast-tree.js';
import { remarkTree } from '../../src/parser/markdown/remark-tree.js';
import { fastMarkdownRunbook, readMarkdownRunbook } from '../../src/parser/markdown/runbook.js';
import type { PathSegment } from '../../src/parser/source-document.js';
import { irFromText } from '../support/ir.js';
import { propertySeed } from '../support/property-seed.js';

/** The fast reader's tree, after checking that it is remark's; undefined when it gave up. */
function sameTreeOrNone(text: string): ReturnType<typeof fastMarkdownTree> {
  const fast = fastMarkdownTree(text);
  if (fast) expect(fast, JSON.stringify(text)).toStrictEqual(remarkTree(text));
  return fast;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !join(e.parentPath, e.name).includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

const BUNDLED = readFileSync('runbooks/azure-stack-hci-22h2-to-23h2.md', 'utf8');

function generatedMarkdown(steps: number): string {
  return runbookToMarkdown(irFromText(generateYaml(steps), `bench-${steps}.yaml`));
}

describe('the fast Markdown reader', () => {
  it('reads the bundled runbook and generated runbooks whole, into remark’s tree, with LF or CR LF line endings', () => {
    expect(sameTreeOrNone(BUNDLED)).toBeDefined();
    expect(sameTreeOrNone(BUNDLED.replace(/\n/g, '\r\n'))).toBeDefined();
    for (const steps of [10, 100, 1000]) expect(sameTreeOrNone(generatedMarkdown(steps))).toBeDefined();
  });

  it('ends a code block’s language at a space only, as remark does, not at a no-break space', () => {
    // A no-break space pasted from a web page at the start of the info string crashed the reader.
    const tree = sameTreeOrNone('```\u00a0powershell\nGet-Date\n```\n\n```powershell\u00a0check\nGet-Date\n```\n\n```powershell  check\nGet-Date\n```');
    expect(tree?.children.map((c) => (c.type === 'code' ? [c.lang, c.meta] : c.type))).toEqual([
      ['\u00a0powershell', null],
      ['powershell\u00a0check', null],
      ['powershell', 'check'],
    ]);
  });

  it('builds remark’s tree, or none, for every Markdown file of the project and every run of blocks in them', () => {
    let read = 0;
    let pieces = 0;
    for (const file of ['README.md', ...markdownFiles('docs'), ...markdownFiles('runbooks'), ...markdownFiles('test/fixtures')]) {
      const text = readFileSync(file, 'utf8');
      sameTreeOrNone(text);
      // Every window of up to four blank-line-separated chunks: most of them are in the subset.
      const chunks = text.split(/\n\n+/);
      for (let i = 0; i < chunks.length; i++) {
        for (let n = 1; n <= 4 && i + n <= chunks.length; n++) {
          pieces++;
          if (sameTreeOrNone(chunks.slice(i, i + n).join('\n\n'))) read++;
        }
      }
    }
    // The comparison is not vacuous: the reader takes most of the pieces.
    expect(read / pieces).toBeGreaterThan(0.5);
  });

  it('builds remark’s tree, or none, for random documents of handled and unhandled constructs', () => {
    // Mostly what runbooks use, with a fair share of what the fast reader leaves to remark.
    const inline = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('word', 'Get-ClusterNode', '`code`', '``a ` b``', '` spaced `', '`  `', '**If it fails:**', '**Record:**', '**bold**', '**a**b', '**a**.', '[!NOTE]', 'é', '😀', '—', '"quoted"', '(x)', 'a:', '1.', '#', '!', '|', 'http://example.com') },
      { weight: 1, arbitrary: fc.constantFrom('**', '**(a)**.', '*em*', '_under_', 'snake_case', '[link](x)', '[ref]', '[a]: /u', '\\*', '&amp;', '<b>', 'a <!-- c -->', '~tilde~', '`unclosed', 'x  ', 'tab\tbed', '  lead') },
    );
    const line = fc.array(inline, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
    const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
    const handled = fc.constantFrom(
      '# Title', '## Phase `x`', '### Step **b**', '####### seven', '<!-- id: a -->', '<!-- id: a,\n  scope: cluster -->', '<!-- review: check this -->', '<!-- a --> tail',
      '```powershell\nGet-X -Name $a\n```', '```ps run  x \nA\n\n B\n```', '```\n```', '````\n```\n````', '```yaml cau\nplugin: x\n```', '```ps\n\tTabbed\n```', '```powershell\u00a0check\nA\n```', '```\u00a0x\nA\n```', '``` ps  run\nA\n```', '## Phase\u00a0', '### a\u2028b',
      '- a\n- b', '1. a\n1. b', '- a\n\n- b', '- a\n  b', '- a\n\n  b', '- a\n  ```ps\n  x\n\n   y\n  ```', '3. x\n4. y', '- [ ] task', '- a\n\n  - nested\n\n- c',
      '- `x`\n- **Record:** y', '10. ten\n11. eleven', '- a\n\n\n- b', '- a\n  <!-- c -->', '> [!WARNING]\n> This cannot be undone.', '> a\n>\n> b', '> ```\n> x\n> ```', '>no space',
      '> - a\n> - b', '>\n> a', '> # H', '> ```\n> x\n> ```\n>\n> a', '> a\n>\n> ```\n> x\n> ```', '> <!-- c -->\n>\n> a', 'Text\n# H', 'Text\n```\nx\n```', 'Text\n> q', 'Text\n<!-- c -->', '   ',
    );
    const unhandled = fc.constantFrom(
      '## H ##', '#NoSpace', '## trailing ', '#', '##  two spaces', '<!-->', '<!-- unterminated', '<div>x</div>', '```powershell\nunclosed', '  ```\nindented\n  ```', '~~~\nx\n~~~',
      '```a`b\nx\n```', '``` ps \\x\nA\n```', '```ps\nA\n  ```', '* a', '1) a', '- a\nlazy', '-  two spaces', '- a\n  - nested', '- a\n1. b', '-', '- a\n   b', '> a\nlazy', '> a\n>',
      '> - a\n> - b\n>\n> a', '> 1. a\n>\n>    b', '---', '***', '- - -', 'Title\n===', 'Title\n---', 'Title\n- item', 'Text\n1. item', 'Text\n2. item', '    indented code', '\tx', 'a\\\nb', 'a  \nb', '[a]: /url "t"',
    );
    const block = fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 6, arbitrary: handled }, { weight: 1, arbitrary: unhandled });
    const separator = fc.constantFrom('\n', '\n\n', '\n\n\n', '\n  \n');
    const document = fc
      .tuple(fc.constantFrom('', '---\nrunbook: x\n---\n', '---\n---\n', '---\nunclosed\n'), fc.array(fc.tuple(block, separator), { minLength: 1, maxLength: 8 }), fc.constantFrom('', '\n'))
      .map(([front, blocks, end]) => front + blocks.map(([b, s]) => b + s).join('').trimEnd() + end);
    // Some with CR LF line endings, some with a stray CR.
    const withEndings = fc.tuple(document, fc.constantFrom('\n', '\n', '\r\n', 'mixed')).map(([text, ending]) =>
      ending === 'mixed' ? text.replace(/\n/g, (_, i: number) => (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')) : text.replace(/\n/g, ending),
    );
    let read = 0;
    fc.assert(
      fc.property(withEndings, (text) => {
        if (sameTreeOrNone(text)) read++;
      }),
      { numRuns: 1500, seed: propertySeed() },
    );
    expect(read).toBeGreaterThan(100);
  });

  it('builds remark’s tree, or none, for the bundled runbook with a character changed', () => {
    const lines = BUNDLED.split('\n');
    const window = fc.integer({ min: 0, max: lines.length - 40 }).map((start) => lines.slice(start, start + 40).join('\n'));
    const edit = fc.tuple(window, fc.nat(), fc.constantFrom('', ' ', '\n', '>', '-', '*', '`', '#', '1. ', '  ', '\\', '[', 'é', '\u00a0'), fc.nat({ max: 2 }));
    fc.assert(
      fc.property(edit, ([text, at, insert, remove]) => {
        const i = at % (text.length + 1);
        sameTreeOrNone(text.slice(0, i) + insert + text.slice(i + remove));
      }),
      { numRuns: 600, seed: propertySeed() },
    );
  });

  it('reads a runbook block by block into the document, positions and diagnostics remark’s tree gives', () => {
    const runbooks: Array<[string, string]> = [
      ['bundled.md', BUNDLED],
      ['generated-100.md', generatedMarkdown(100)],
      ...markdownFiles('test/fixtures/markdown').map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ['review-marker.md', BUNDLED.replace('\n## ', '\n<!-- review: R1: check this -->\n\n## ')],
      ['crlf.md', BUNDLED.replace(/\n/g, '\r\n')],
    ];
    let compared = 0;
    for (const [file, text] of runbooks) {
      const fast = fastMarkdownRunbook(text, file);
      if (['bundled.md', 'crlf.md'].includes(file) || file.startsWith('generated')) expect(fast).toBeDefined();
      if (!fast) continue;
      compared++;
      const slow = readMarkdownRunbook(text, file, remarkTree);
      expect(fast.diagnostics).toStrictEqual(slow.diagnostics);
      expect(fast.document?.data).toStrictEqual(slow.document?.data);
      if (!fast.document || !slow.document) continue;
      const paths: PathSegment[][] = [];
      const walk = (value: unknown, path: PathSegment[]) => {
        paths.push(path);
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
        else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(fast.document.data, []);
      for (const path of paths) {
        expect(fast.document.locate(path), path.join('/')).toStrictEqual(slow.document.locate(path));
        expect(fast.document.locate(path, 'key'), path.join('/')).toStrictEqual(slow.document.locate(path, 'key'));
        expect(fast.document.commandLines?.(path), path.join('/')).toStrictEqual(slow.document.commandLines?.(path));
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['a link', 'See [the docs](https://example.com).'],
    ['emphasis', 'This is *important*.'],
    ['an escape', 'A \\* star.'],
    ['a character reference', 'Fish &amp; chips.'],
    ['raw HTML', '<details>\n<summary>x</summary>\n</details>'],
    ['a CR alone as a line ending', '# Title\r\rText\r'],
    ['a setext heading', 'Title\n====='],
    ['indented code', '    Get-ClusterNode'],
    ['a lazy continuation line', '> quoted\nlazy'],
    ['an unclosed fence', '```powershell\nGet-ClusterNode'],
    ['a thematic break', '***'],
    ['a hard line break', 'one  \ntwo'],
  ])('leaves %s to remark', (_, text) => {
    expect(fastMarkdownTree(text)).toBeUndefined();
  });
});
