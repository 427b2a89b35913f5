/**
 * Loads fixture runbooks through the real parser and runs the rules, and reads the diagnostics a
 * fixture expects from its inline `{RB301}` markers.
 */
import { readFileSync } from 'node:fs';
import { runbookFromDocument } from '../../src/compile.js';
import type { Runbook } from '../../src/model/runbook.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { parseYamlRunbook } from '../../src/parser/yaml.js';
import { runRules, type ProfileName } from '../../src/rules/index.js';

export function expectedMarkers(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\{(RB\d{3})(?::([+-]?)(\d+))?\}/g)) {
      const target = m[3] === undefined ? i + 1 : m[2] ? i + 1 + Number(`${m[2]}${m[3]}`) : Number(m[3]);
      out.push(`${m[1]}@${target}`);
    }
  });
  return out.sort();
}

export function diagnose(file: string, onRunbook?: (runbook: Runbook) => void) {
  return diagnoseSource(readFileSync(file, 'utf8'), file, onRunbook);
}

/** The diagnostics of a YAML runbook given as text: a fixture with a change of a test's own. */
export function diagnoseText(text: string) {
  return diagnoseSource(text, 'inline.yaml').diagnostics;
}

function diagnoseSource(text: string, file: string, onRunbook?: (runbook: Runbook) => void) {
  const profile = (/^(?:# |<!-- )profile: (\w+)/m.exec(text)?.[1] ?? 'safe') as ProfileName;
  const { document, diagnostics } = file.endsWith('.md') ? parseMarkdownRunbook(text, file) : parseYamlRunbook(text, file);
  if (!document) return { text, diagnostics };
  const built = runbookFromDocument(document);
  if (!built.runbook) return { text, diagnostics: [...diagnostics, ...built.diagnostics] };
  onRunbook?.(built.runbook);
  return { text, diagnostics: [...diagnostics, ...built.diagnostics, ...runRules(built.runbook, { profile })] };
}
