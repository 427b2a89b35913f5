import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes, Root, Table } from 'mdast';
import { planAll } from '../../src/model/plan.js';
import { emitChecklists, renderChecklistHtml, renderChecklistMarkdown, TEMPLATE_DIR } from '../../src/emitters/checklist/render.js';
import { buildChecklistView, type ChecklistView } from '../../src/emitters/checklist/view-model.js';
import { markdownCode, markdownCodeBlock, markdownCodeEveryRule, markdownText, markdownTextEveryRule, mermaidLabel, mermaidLabelEveryRule } from '../../src/emitters/checklist/markdown.js';
import { checklistPath, scriptPath } from '../../src/emitters/layout.js';
import { HOSTILE, hostileRunbook } from '../fixtures/hostile-runbook.js';
import { loadBundledRunbook } from '../fixtures/load-bundled.js';
import { propertySeed } from '../support/property-seed.js';

function emit(runbook = hostileRunbook(), variantIndex = 1) {
  const plan = planAll(runbook)[variantIndex]!;
  const sha = new Map([[scriptPath(runbook, plan.variant), 'f'.repeat(64)]]);
  const files = emitChecklists(plan, { sha256: sha });
  const html = files.find((f) => f.path.endsWith('.html'))!.content as string;
  const md = files.find((f) => f.path.endsWith('.md'))!.content as string;
  return { plan, files, html, md };
}

function parseMarkdown(md: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(md);
}

function* walk(node: Nodes): Generator<Nodes> {
  yield node;
  if ('children' in node) for (const child of node.children) yield* walk(child as Nodes);
}

function textOf(node: Nodes): string {
  if ('value' in node) return node.value;
  if ('children' in node) return node.children.map((c) => textOf(c as Nodes)).join('');
  return '';
}

describe('checklist rendering', () => {
  it('emits an HTML and a Markdown checklist at the layout paths', () => {
    const { plan, files } = emit();
    expect(files.map((f) => f.path)).toEqual([
      checklistPath(plan.runbook, plan.variant, 'html'),
      checklistPath(plan.runbook, plan.variant, 'md'),
    ]);
  });

  it('shows the time limit of a step other than a wait as the operator\'s to keep: the script does not stop it', () => {
    const runbook = loadBundledRunbook();
    const drain = runbook.phases.flatMap((p) => p.steps).find((s) => s.id === 'drain-node')!;
    drain.timeoutSeconds = 3600;
    const { html, md } = emit(runbook, planAll(runbook).findIndex((p) => p.variant.id === 'sconfig-manual'));
    const limit = 'Time limit: 1 h, kept by the operator: the script does not stop the step.';
    expect(md).toContain(limit);
    expect(html).toContain(limit);
  });

  it('escapes hostile runbook text in HTML: no tag, script or handler gets through', () => {
    const { html } = emit();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<\/code><\/pre><img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    // Values inside attributes cannot close the attribute.
    expect(html).not.toMatch(/aria-label="[^"]*"quoted"/);
    // The only href targets are the document's own anchors.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#[a-z0-9-]+$/);
    // Self-contained: no external resource of any kind.
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });

  it('keeps hostile runbook text inert in Markdown: no links, images, HTML, math or broken tables', () => {
    const { md } = emit();
    const tree = parseMarkdown(md);
    const kinds = new Set([...walk(tree)].map((n) => n.type));
    expect(kinds.has('link')).toBe(false);
    expect(kinds.has('image')).toBe(false);
    expect(kinds.has('html')).toBe(false);
    expect(kinds.has('linkReference')).toBe(false);
    expect(kinds.has('delete')).toBe(false);
    // Every table row has as many cells as its header: a `|` in runbook text did not split a cell.
    const tables = [...walk(tree)].filter((n): n is Table => n.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const table of tables) {
      const width = table.children[0]!.children.length;
      for (const row of table.children) expect(row.children).toHaveLength(width);
    }
    const parameters = tables.find((t) => textOf(t.children[0]!).startsWith('Parameter'))!;
    expect(textOf(parameters.children[1]!.children[3]!)).toBe(`${HOSTILE.pipe} and Get-X | Select-Object`);
    // The text reads as written once rendered.
    const rendered = textOf(tree).replaceAll('\u2060', '');
    expect(rendered).toContain(HOSTILE.link);
    expect(rendered).toContain(HOSTILE.script);
    expect(rendered).toContain(HOSTILE.math);
    expect(rendered).toContain('www.evil.example');
    // Only the checklist's own headings exist; a `#` line inside a command stayed inside its code block.
    const headings = [...walk(tree)].filter((n) => n.type === 'heading').map(textOf);
    expect(headings.every((h) => /^(Checklist: |Phases and variants|Files and their|Target parameters|Rolling back|Phase \d+\. |Sign-off)/.test(h))).toBe(true);
    const code = [...walk(tree)].filter((n) => n.type === 'code').map(textOf);
    expect(code.some((c) => c.includes('# heading after a fence'))).toBe(true);
  });

  it('shows each step as a GitHub task list item and marks the point of no return', () => {
    const { md } = emit(loadBundledRunbook(), 0);
    const tree = parseMarkdown(md);
    const tasks = [...walk(tree)].filter((n) => n.type === 'listItem' && n.checked === false);
    const steps = planAll(loadBundledRunbook())[0]!.phases.flatMap((p) => p.steps);
    expect(tasks).toHaveLength(steps.length);
    expect(md.match(/POINT OF NO RETURN/g)).toHaveLength(1);
    expect(md.indexOf('POINT OF NO RETURN')).toBeLessThan(md.indexOf('Update the cluster functional level** (run, **irreversible**'));
    expect(md).toContain('```mermaid\nflowchart TD\n');
  });

  it('marks the point of no return and manual steps in HTML', () => {
    const { html } = emit(loadBundledRunbook(), 1);
    expect(html.match(/class="ponr-title"/g)).toHaveLength(1);
    const banner = html.indexOf('POINT OF NO RETURN');
    expect(banner).toBeLessThan(html.indexOf('>6.3 Update the cluster functional level<'));
    expect(banner).toBeGreaterThan(html.indexOf('>6.2 Record the cluster functional level before raising it<'));
    expect(html.match(/class="step step--human/g)!.length).toBe(4);
    expect(html.match(/<span class="badge badge--inverse">Irreversible<\/span>/g)).toHaveLength(3);
  });

  it('renders deterministically and without dates', () => {
    const a = emit(loadBundledRunbook(), 2);
    const b = emit(loadBundledRunbook(), 2);
    expect(a.html).toBe(b.html);
    expect(a.md).toBe(b.md);
    expect(a.html + a.md).not.toMatch(/\b20\d\d-\d\d-\d\d\b|\b\d\d:\d\d:\d\d\b/);
  });

  it('fails on a missing view-model field instead of printing nothing (strict templates)', () => {
    const plan = planAll(loadBundledRunbook())[0]!;
    const view = buildChecklistView(plan, { sha256: new Map() });
    const { variantTitle: _html, ...withoutTitle } = view;
    expect(() => renderChecklistHtml(withoutTitle as ChecklistView)).toThrow(/variantTitle/);
    const phases = view.phases.map(({ scopeLabel: _md, ...rest }) => rest);
    expect(() => renderChecklistMarkdown({ ...view, phases } as unknown as ChecklistView)).toThrow(/expected a string or a number at template line \d+/);
  });
});

describe('templates', () => {
  // A checklist is rendered in parts (its start, each phase, its end) and HTML partials: every file counts.
  const read = (suffix: string) => {
    const names = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith(suffix));
    expect(names.length).toBeGreaterThan(suffix === '.md.hbs' ? 2 : 4);
    return names.map((name) => readFileSync(new URL(name, TEMPLATE_DIR), 'utf8')).join('\n');
  };
  const html = read('.html.hbs');
  const md = read('.md.hbs');

  it('HTML never turns off escaping', () => {
    expect(html).not.toContain('{{{');
    expect(html).not.toContain('{{&');
  });

  it('Markdown outputs values only through the escaping helpers', () => {
    const outputs = [...md.matchAll(/\{\{(?![#/!>*]|else\b)(~?)([^}]*)\}\}/g)].map((m) => m[2]!.trim());
    expect(outputs.length).toBeGreaterThan(30);
    const offenders = outputs.filter((o) => !/^(md|mdCode|mdProse|mdCellProse|mdBlock|mermaid) /.test(o));
    expect(offenders).toEqual([]);
    expect(md).not.toContain('{{{');
  });
});

describe('markdown escaping', () => {
  it('returns plain text unchanged only where every escaping rule would (the shortcut changes nothing)', () => {
    const alphabet = [...'aZ09 .-+=)(:/@#*_`\\[]<>|~&$!', 'w', 'W', '\t', '\n', '\u00a0', '\u2028', 'é'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 });
    fc.assert(fc.property(text, (value) => markdownText(value) === markdownTextEveryRule(value)), { numRuns: 20_000, seed: propertySeed() });
    for (const value of ['', ' ', 'a  b', '- a', '-', '==', '1. a', '12) a', 'www.x', 'WWW.x', 'a www.b', 'a: b', 'x:y', 'Plain text, with (parentheses) and 5.1.']) {
      expect(markdownText(value), value).toBe(markdownTextEveryRule(value));
    }
  });

  it('fences code spans and writes Mermaid labels through their shortcuts exactly as by every rule', () => {
    const alphabet = [...'a0 .-`#"<>|&;', '\t', '\n', '\u00a0', '\u2028', 'é'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 });
    fc.assert(fc.property(text, (value) => markdownCode(value) === markdownCodeEveryRule(value) && mermaidLabel(value) === mermaidLabelEveryRule(value)), { numRuns: 20_000, seed: propertySeed() });
    for (const value of ['', ' ', 'a', 'a b', ' a', 'a ', 'a  b', '`', 'a`b', 'Get-X -Name $y | Select-Object']) {
      expect(markdownCode(value), value).toBe(markdownCodeEveryRule(value));
      expect(mermaidLabel(value), value).toBe(mermaidLabelEveryRule(value));
    }
  });

  it('neutralises inline syntax and autolinks but reads the same once rendered', () => {
    const hostile = 'a *b* _c_ `d` [e](f) <g> h|i ~j~ &amp; #k @l $m$ https://n www.o.p';
    const escaped = markdownText(hostile);
    const paragraph = parseMarkdown(`x ${escaped}`);
    expect([...walk(paragraph)].map((n) => n.type).sort()).toEqual(['paragraph', 'root', 'text']);
    // Reads the same, apart from invisible word joiners that keep GFM from finding autolinks.
    expect(textOf(paragraph).replaceAll('\u2060', '')).toBe(`x ${hostile}`);
  });

  it('does not start a list, a thematic break or a setext heading when the value starts a line', () => {
    for (const value of ['-', '- item', '- - -', '+ item', '1. item', '12) item', '3.', '---', '===', '+++', '-Force', '2.5 GB']) {
      const tree = parseMarkdown(`Paragraph before.\n${markdownText(value)}\n\n${markdownText(value)}\n`);
      expect([...walk(tree)].map((n) => n.type).sort(), value).toEqual(['paragraph', 'paragraph', 'root', 'text', 'text']);
      expect(textOf(tree), value).toBe(`Paragraph before.\n${value}${value}`);
    }
  });

  it('code spans and blocks cannot be closed by their content', () => {
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    const block = markdownCodeBlock('one\n````\ntwo', 'powershell', 2);
    expect(block).toBe('  `````powershell\n  one\n  ````\n  two\n  `````');
    const tree = parseMarkdown(`- item\n\n${block}\n`);
    const code = [...walk(tree)].filter((n) => n.type === 'code');
    expect(code.map(textOf)).toEqual(['one\n````\ntwo']);
  });

  it('Mermaid labels use entity codes for quotes, brackets, pipes and backticks', () => {
    expect(mermaidLabel('a "b" <c> |d| `e` #f')).toBe('a #quot;b#quot; #lt;c#gt; #124;d#124; #96;e#96; #35;f');
  });
});

describe('bold titles', () => {
  it('stay bold when a title starts or ends with blanks, so their asterisks cannot pair with later markup', () => {
    const runbook = loadBundledRunbook();
    const blank = { ...runbook, phases: runbook.phases.map((p) => ({ ...p, steps: p.steps.map((s) => ({ ...s, title: `\n ${s.title} \r` })) })) };
    const plain = parseMarkdown(emit(runbook).md);
    const padded = parseMarkdown(emit(blank).md);
    const strong = (root: Root) => [...walk(root)].filter((n) => n.type === 'strong').length;
    expect(strong(padded)).toBe(strong(plain));
  });
});
