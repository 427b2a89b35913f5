/**
 * Maps an offset range inside a command's text to a place in the runbook file (for the rules'
 * findings and the emitter's refusals alike).
 */
import type { Command, SourceSpan } from '../model/runbook.js';

/** Offsets within a command's text, end exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export function spanIn(command: Command, range: TextRange): SourceSpan {
  const start = pointIn(command, range.start);
  const end = pointIn(command, Math.max(range.start, range.end));
  if (!start || !end) return command.span;
  return { file: command.span.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function pointIn(command: Command, offset: number): { line: number; column: number } | undefined {
  const text = command.text;
  let lineIndex = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      lineIndex++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart;
  if (command.lines) {
    const origin = command.lines[lineIndex];
    return origin ? { line: origin.line, column: origin.column + column } : undefined;
  }
  // Without line positions, a one-line command on a one-line span still maps exactly.
  if (lineIndex === 0 && !text.includes('\n') && command.span.line === command.span.endLine) {
    return { line: command.span.line, column: command.span.column + column };
  }
  return undefined;
}
