/** Markdown runbooks. */
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { PARSE_CODES } from './codes.js';
import type { SourceDocument } from './source-document.js';

export function parseMarkdownRunbook(_text: string, file: string): { document?: SourceDocument; diagnostics: Diagnostic[] } {
  return { diagnostics: [diagnosticAt(PARSE_CODES.fileUnreadable, { file, line: 1, column: 1 }, 'Unexpected Markdown runbook, expected a YAML runbook (.yaml or .yml)')] };
}
