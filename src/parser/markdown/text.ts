/**
 * Offsets, lines and columns of a Markdown file, and the raw Markdown of a node.
 *
 * Runbook strings spelled in Markdown (titles, descriptions, instructions) keep their inline
 * Markdown (`code`, **bold**) exactly as written, like the YAML form does, so they are taken from
 * the source text rather than from the parsed tree.
 */
import type { SourceSpan } from '../../model/runbook.js';

export class LineIndex {
  /** Where each line starts: counted first, then written to an array of exactly that size. */
  private readonly starts: Int32Array;

  constructor(readonly text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    this.starts = new Int32Array(count);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts[k++] = i + 1;
  }

  /** 1-based line and column of an offset. */
  point(offset: number): { line: number; column: number } {
    const clamped = this.clamp(offset);
    const line = this.lineIndexOf(clamped);
    return { line: line + 1, column: clamped - this.starts[line]! + 1 };
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The line found last: the reader asks for positions mostly in the order of the text. */
  private lastLine = 0;

  /** 0-based line of an offset within the text. */
  private lineIndexOf(offset: number): number {
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
    const lineA = this.lineIndexOf(a);
    const lineB = b === a ? lineA : this.lineIndexOf(b);
    return { file, line: lineA + 1, column: a - this.starts[lineA]! + 1, endLine: lineB + 1, endColumn: b - this.starts[lineB]! + 1 };
  }
}

/** The positions remark puts on every node of a parsed file. */
export interface Positioned {
  position?: { start: { offset?: number; line: number; column: number }; end: { offset?: number; line: number; column: number } } | undefined;
}

export function startOf(node: Positioned): number {
  return node.position?.start.offset ?? 0;
}

export function endOf(node: Positioned): number {
  return node.position?.end.offset ?? 0;
}

/**
 * One line of inline Markdown from a source range that may span several lines: soft line breaks
 * become single spaces, and the container prefixes of continuation lines (indentation of a list
 * item, `>` of a block quote) are dropped.
 */
export function inlineMarkdown(text: string, start: number, end: number): string {
  const source = text.slice(start, end);
  if (!source.includes('\n')) return source.trim();
  return source
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line : line.replace(/^[ \t]*(>[ \t]?)*/, '')).trim())
    .filter((line) => line.length > 0)
    .join(' ');
}

/**
 * The fence of a fenced code block that is never closed, or undefined when the block is closed
 * (or is an indented block, which has no fence). remark runs an unclosed block silently to the end
 * of its container (list item, block quote or document).
 */
export function unclosedFence(node: { position?: Positioned['position'] }, index: LineIndex): string | undefined {
  if (!node.position) return undefined;
  const opening = index.line(node.position.start.line).trim().replace(/^(>\s*)+/, '');
  const fence = /^(`{3,}|~{3,})/.exec(opening)?.[1];
  if (!fence) return undefined;
  const closing = index.line(node.position.end.line).replace(/^[\s>]*/, '').trim();
  const closed = node.position.end.line > node.position.start.line && closing.length >= fence.length && closing === fence[0]!.repeat(closing.length);
  return closed ? undefined : fence;
}
