/**
 * An author's half-finished edit must get diagnostics, never an internal error. Random edits of
 * the bundled runbook, in YAML and in Markdown (characters pasted from web pages and editors, lines
 * duplicated, cut or moved), go through every stage a build runs: reading, schema, IR, rules and,
 * for a runbook without errors, emitting. No stage may throw, and every diagnostic must say where
 * and what, with a rule id that has a documentation page.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookFromDocument } from '../../src/compile.js';
import { NotSpellableInMarkdown, runbookToMarkdown } from '../../src/convert/markdown.js';
import { runbookToYaml } from '../../src/convert/yaml.js';
import { importHowTo } from '../../src/parser/import/index.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics.js';
import { emitRunbook } from '../../src/emit.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { parseYamlRunbook } from '../../src/parser/yaml.js';
import { runRules } from '../../src/rules/index.js';
import { withoutSpans } from '../support/ir.js';
import { propertySeed } from '../support/property-seed.js';

const RUNBOOKS = {
  yaml: 'runbooks/azure-stack-hci-22h2-to-23h2.yaml',
  markdown: 'runbooks/azure-stack-hci-22h2-to-23h2.md',
} as const;

/** What pasting from a browser, a word processor or another file puts into a runbook. */
const PASTED = [
  '\u00a0', '\u200b', '\ufeff', '\u2028', '\u2013', '\u201c', '\t', '\r', '\r\n', '\\', '`', '```', '"', "'", '#', '- ', '1. ', '> ', ': ', '{', '}', '[', ']', '&', '*', '$', '@(', '<!--', '-->',
  '<!-- id: x -->', '```powershell\n', '```yaml cau\n', '**If it fails:** ', '> [!WARNING]\n> ', '- [ ] ', '${', '$(', "'@", '"@', '\u00e9', '\ud83d\ude00',
];

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'move-line'; line: number; to: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...PASTED) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move-line' as const), line: fc.nat(), to: fc.nat() }) },
);

function applyEdit(text: string, e: Edit): string {
  if (e.kind === 'insert') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + e.text + text.slice(at);
  }
  if (e.kind === 'delete') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + e.length);
  }
  const lines = text.split('\n');
  const line = e.line % lines.length;
  if (e.kind === 'duplicate-line') lines.splice(line, 0, lines[line]!);
  else lines.splice(e.to % lines.length, 0, ...lines.splice(line, 1));
  return lines.join('\n');
}

/** Every stage a build runs, as far as the runbook gets; the diagnostics of all of them. */
function buildStages(text: string, file: string): Diagnostic[] {
  const parsed = file.endsWith('.md') ? parseMarkdownRunbook(text, file) : parseYamlRunbook(text, file);
  if (!parsed.document) return parsed.diagnostics;
  const built = runbookFromDocument(parsed.document);
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics];
  if (!built.runbook || hasErrors(diagnostics)) return diagnostics;
  diagnostics.push(...runRules(built.runbook, { profile: 'safe' }));
  if (hasErrors(diagnostics)) return diagnostics;
  return [...diagnostics, ...emitRunbook(built.runbook).diagnostics];
}

function expectPeopleCanActOn(diagnostics: Diagnostic[], file: string, text: string): void {
  const lines = text.split('\n').length;
  for (const d of diagnostics) {
    expect(d.ruleId, d.message).toMatch(/^RB\d{3}$/);
    expect(d.file).toBe(file);
    expect(d.line, `${d.ruleId} ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.line, `${d.ruleId} ${d.message}`).toBeLessThanOrEqual(lines);
    expect(d.column, `${d.ruleId} ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(10);
    expect(existsSync(d.docUrl), `${d.ruleId}: ${d.docUrl}`).toBe(true);
  }
}

describe('edited runbooks', () => {
  for (const [syntax, file] of Object.entries(RUNBOOKS)) {
    const original = readFileSync(file, 'utf8');

    it(`${syntax}: every stage of a build gives positioned diagnostics, never an exception, for random edits`, () => {
      let failed = 0;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          const text = edits.reduce(applyEdit, original);
          const diagnostics = buildStages(text, file);
          expectPeopleCanActOn(diagnostics, file, text);
          if (hasErrors(diagnostics)) failed++;
        }),
        { numRuns: 250, seed: propertySeed() },
      );
      // Not vacuous: many edits break the runbook, and many leave it buildable (and emitted).
      expect(failed).toBeGreaterThan(25);
      expect(failed).toBeLessThan(225);
    });
  }
});

/** A value the Markdown writer refuses becomes RB605; any other exception is a defect. */
function unlessNotSpellable(write: () => void): 'written' | 'refused' {
  try {
    write();
    return 'written';
  } catch (e) {
    if (e instanceof NotSpellableInMarkdown) return 'refused';
    throw e;
  }
}

describe('edited runbooks, converted', () => {
  for (const [syntax, file] of Object.entries(RUNBOOKS)) {
    const original = readFileSync(file, 'utf8');

    it(`${syntax}: a runbook without errors converts both ways to the same runbook, or is refused with RB605`, () => {
      let converted = 0;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          const text = edits.reduce(applyEdit, original);
          const parsed = file.endsWith('.md') ? parseMarkdownRunbook(text, file) : parseYamlRunbook(text, file);
          if (!parsed.document) return;
          const built = runbookFromDocument(parsed.document);
          if (!built.runbook || hasErrors(built.diagnostics)) return;
          const runbook = built.runbook;
          const written = unlessNotSpellable(() => {
            const back = runbookFromDocument(parseMarkdownRunbook(runbookToMarkdown(runbook), 'converted.md').document!);
            expect(withoutSpans(back.runbook)).toEqual(withoutSpans(runbook));
          });
          if (written === 'written') converted++;
          const back = runbookFromDocument(parseYamlRunbook(runbookToYaml(runbook), 'converted.yaml').document!);
          expect(withoutSpans(back.runbook)).toEqual(withoutSpans(runbook));
        }),
        { numRuns: 150, seed: propertySeed() },
      );
      expect(converted).toBeGreaterThan(30);
    });
  }
});

describe('edited how-tos, imported', () => {
  const HOW_TOS = ['test/fixtures/import/upgrade-22h2-to-23h2.md', 'test/fixtures/import/zones-and-transcripts.md'];
  /** What a how-to's own constructs look like when an edit breaks them. */
  const LEARN = ['::: zone pivot="x"\n', '::: zone-end\n', '[!INCLUDE [x](y.md)]', '> [!NOTE]\n> ', '<ClusterName>', '1. '];
  const howToEdit = fc.oneof({ weight: 3, arbitrary: edit }, { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...LEARN) }) });
  for (const file of HOW_TOS) {
    const original = readFileSync(file, 'utf8');

    it(`${file}: the draft reads back as a Markdown runbook, or the import is refused with RB605`, () => {
      let written = 0;
      fc.assert(
        fc.property(fc.array(howToEdit, { minLength: 1, maxLength: 3 }), (edits) => {
          const text = edits.reduce(applyEdit, original);
          const outcome = unlessNotSpellable(() => {
            const imported = importHowTo(text, file, 'draft.md');
            const parsed = parseMarkdownRunbook(imported.draft, 'draft.md');
            expect(parsed.document, JSON.stringify(parsed.diagnostics.filter((d) => d.severity === 'error').slice(0, 2))).toBeDefined();
          });
          if (outcome === 'written') written++;
        }),
        { numRuns: 60, seed: propertySeed() },
      );
      // Not vacuous: a refusal is the exception, not the way every edited how-to gets through.
      expect(written).toBeGreaterThan(50);
    });
  }
});

