/**
 * The one Diagnostic type every stage reports with, and its text and JSON formatters.
 *
 * A diagnostic always names a rule (stable id and readable name), a position in a file,
 * says what is wrong and what was expected, and links the rule's doc page.
 */
import type { SourceSpan } from './model/runbook.js';
import { compareOrdinal } from './util/compare.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable id in a band: RB1xx parse, RB2xx schema, RB3xx ordering, RB4xx safety, RB5xx commands, RB6xx emit. */
  ruleId: string;
  /** Readable name of the rule, e.g. `yaml-syntax`. */
  ruleName: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The rule's documentation page, relative to the package root. */
  docUrl: string;
  /** A second location that explains the first (e.g. where a duplicate was first defined). */
  related?: { message: string; span: SourceSpan };
}

/** Static description of a diagnostic-producing rule; every reported ruleId has one. */
export interface RuleMeta {
  id: string;
  name: string;
  /** One sentence, starting with an imperative or a noun phrase. */
  description: string;
  defaultSeverity: Severity;
  band: 'parse' | 'schema' | 'ordering' | 'safety' | 'commands' | 'emit';
}

export function docUrlFor(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export function diagnosticAt(
  meta: RuleMeta,
  span: Pick<SourceSpan, 'file' | 'line' | 'column'> & Partial<SourceSpan>,
  message: string,
  severity: Severity = meta.defaultSeverity,
): Diagnostic {
  const d: Diagnostic = {
    ruleId: meta.id,
    ruleName: meta.name,
    severity,
    message,
    file: span.file,
    line: span.line,
    column: span.column,
    docUrl: docUrlFor(meta.id),
  };
  if (span.endLine !== undefined) d.endLine = span.endLine;
  if (span.endColumn !== undefined) d.endColumn = span.endColumn;
  return d;
}

/** Total order (file, line, column, rule, message) so output is deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareOrdinal(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareOrdinal(a.ruleId, b.ruleId) ||
    compareOrdinal(a.message, b.message)
  );
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export interface TextFormatOptions {
  color: boolean;
}

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** `file:line:col  severity  message  RB201/name` lines, grouped by file, with a summary line. */
export function formatText(diagnostics: readonly Diagnostic[], options: TextFormatOptions): string {
  const paint = (code: string, s: string) => (options.color ? code + s + ANSI.reset : s);
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const d of sorted) {
    if (d.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(paint(ANSI.bold, d.file));
      currentFile = d.file;
    }
    const sev = d.severity === 'error' ? paint(ANSI.red, 'error') : d.severity === 'warning' ? paint(ANSI.yellow, 'warning') : paint(ANSI.cyan, 'info');
    lines.push(`  ${d.file}:${d.line}:${d.column}  ${sev}  ${d.message}  ${paint(ANSI.dim, `${d.ruleId}/${d.ruleName}`)}`);
    if (d.related) {
      lines.push(`    ${paint(ANSI.dim, `${d.related.span.file}:${d.related.span.line}:${d.related.span.column}: ${d.related.message}`)}`);
    }
    lines.push(`    ${paint(ANSI.dim, `see ${d.docUrl}`)}`);
  }
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.filter((d) => d.severity === 'warning').length;
  if (sorted.length > 0) lines.push('');
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify([...diagnostics].sort(compareDiagnostics), null, 2) + '\n';
}
