/**
 * The meeting point of both runbook syntaxes: the runbook as a plain JSON-like value (the
 * shape the schema describes) plus a way to find where any part of it was written.
 *
 * The YAML parser and the Markdown parser each produce one; schema validation and IR
 * building work on it without knowing which syntax it came from.
 */
import type { SourceSpan } from '../model/runbook.js';

export type PathSegment = string | number;

export interface SourceDocument {
  file: string;
  /** The syntax it was written in: diagnostics say how to write a missing part in that syntax. */
  syntax: 'yaml' | 'markdown';
  /** The runbook as plain data (objects, arrays, strings, numbers, booleans). */
  data: unknown;
  /**
   * Where the value at `path` was written; `part: 'key'` asks for the key of a mapping entry
   * instead of its value. Falls back to the nearest enclosing node that has a position.
   */
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): SourceSpan;
  /** Where each line of the string at `path` starts, when its lines map one for one onto the source (for `Command.lines`). */
  commandLines?(path: readonly PathSegment[]): Array<{ line: number; column: number }> | undefined;
}
