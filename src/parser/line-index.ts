/**
 * Offsets -> lines and columns, and back, for a runbook's text (YAML or Markdown). A line ends at
 * LF; a CR before it is part of the line ending.
 */
import type { SourceSpan } from '../model/runbook.js';

/**
 * Where each line of `text` starts: counted first, then written to an array of exactly that size
 * (a 10,000-step runbook has over 100,000 lines).
 */
export function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let k = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

export class LineIndex {
  private readonly starts: Int32Array;

  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  /** 1-based line and column of an offset. */
  point(offset: number): { line: number; column: number } {
    const clamped = this.clamp(offset);
    const line = this.lineOf(clamped);
    return { line: line + 1, column: clamped - this.starts[line]! + 1 };
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The line found last: readers ask for positions mostly in the order of the text. */
  private lastLine = 0;

  /** 0-based line of an offset within the text. */
  lineOf(offset: number): number {
    const starts = this.starts;
    const last = this.lastLine;
    if (starts[last]! <= offset) {
      if (last + 1 >= starts.length || offset < starts[last + 1]!) return last;
      if (last + 2 >= starts.length || offset < starts[last + 2]!) return (this.lastLine = last + 1);
    }
    return (this.lastLine = this.searchLine(offset));
  }

  private searchLine(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where a line starts, the line given 0-based (lineOf's numbering), for readers that go line by line. */
  lineStart(index: number): number {
    return this.starts[index]!;
  }

  /** Offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
    return start + column - 1;
  }

  line(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Length of a 1-based line, without its line ending. */
  lineLength(line: number): number {
    const start = this.starts[line - 1];
    if (start === undefined) return 0;
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  span(file: string, start: number, end: number): SourceSpan {
    // Without the two points point() would make: a runbook has a span for nearly every value.
    const a = this.clamp(start);
    const b = this.clamp(Math.max(start, end));
    const lineA = this.lineOf(a);
    const lineB = b === a ? lineA : this.lineOf(b);
    return { file, line: lineA + 1, column: a - this.starts[lineA]! + 1, endLine: lineB + 1, endColumn: b - this.starts[lineB]! + 1 };
  }
}
