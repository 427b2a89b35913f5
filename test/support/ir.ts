import { readFileSync } from 'node:fs';
import { runbookFromDocument } from '../../src/compile.js';
import type { Runbook, SourceSpan } from '../../src/model/runbook.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';
import { parseYamlRunbook } from '../../src/parser/yaml.js';

/** The IR with every source position removed (spans, command line starts): what must not depend on the syntax a runbook is written in. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'span' && k !== 'lines').map(([k, v]) => [k, withoutSpans(v)]));
  }
  return value;
}

export function irFromText(text: string, file: string): Runbook {
  const parsed = file.endsWith('.md') ? parseMarkdownRunbook(text, file) : parseYamlRunbook(text, file);
  if (!parsed.document) throw new Error(`${file} did not parse: ${JSON.stringify(parsed.diagnostics, null, 2)}`);
  const built = runbookFromDocument(parsed.document);
  if (!built.runbook || built.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`${file} did not build: ${JSON.stringify(built.diagnostics, null, 2)}`);
  }
  return built.runbook;
}

export function irFromFile(file: string): Runbook {
  return irFromText(readFileSync(file, 'utf8'), file);
}

/** The fields every hand-built step shares, with their defaults (the IR builder's for a step that sets none). */
export function stepDefaults(span: SourceSpan) {
  return {
    description: '',
    variants: [] as string[],
    runOn: 'orchestrator' as const,
    reboots: false,
    effects: [] as string[],
    record: [] as string[],
    retries: 0,
    waivers: [],
    span,
  };
}
