/**
 * Diagnostics as SARIF 2.1.0, the format code-scanning tools and editors read.
 *
 * The rule table lists every code runbookc can report, sorted by id, so that `ruleIndex` values
 * are stable between runs; results are in the same total order as the text output.
 */
import { compareDiagnostics, docUrlFor, type Diagnostic, type RuleMeta, type Severity } from './diagnostics.js';
import { compareOrdinal } from './util/compare.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** Every code that can be reported; results whose rule is missing here still carry their ruleId. */
  rules: readonly RuleMeta[];
  toolVersion: string;
}

export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const rules = [...options.rules].sort((a, b) => compareOrdinal(a.id, b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [...diagnostics].sort(compareDiagnostics).map((d) => {
    const region: Record<string, number> = { startLine: d.line, startColumn: d.column };
    if (d.endLine !== undefined) region.endLine = d.endLine;
    if (d.endColumn !== undefined) region.endColumn = d.endColumn;
    const result: Record<string, unknown> = {
      ruleId: d.ruleId,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: toUri(d.file) }, region } }],
    };
    const i = index.get(d.ruleId);
    if (i !== undefined) result.ruleIndex = i;
    if (d.related) {
      result.relatedLocations = [
        {
          id: 1,
          message: { text: d.related.message },
          physicalLocation: { artifactLocation: { uri: toUri(d.related.span.file) }, region: { startLine: d.related.span.line, startColumn: d.related.span.column } },
        },
      ];
    }
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runbookc',
            version: options.toolVersion,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.description },
              helpUri: docUrlFor(r.id),
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: { band: r.band },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF locations are URIs: forward slashes, percent-encoded, relative paths kept relative. */
function toUri(file: string): string {
  return file
    .split(/[\\/]/)
    .map((part) => encodeURIComponent(part))
    .join('/');
}
