/**
 * Offsets, lines and columns of a Markdown file, and the raw Markdown of a node.
 *
 * Runbook strings spelled in Markdown (titles, descriptions, instructions) keep their inline
 * Markdown (`code`, **bold**) exactly as written, like the YAML form does, so they are taken from
 * the source text rather than from the parsed tree.
 */
import type { SourceSpan } from '../../model/runbook.js';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of an offset. */
  point(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1 };
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
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }

  span(file: string, start: number, end: number): SourceSpan {
    const a = this.point(start);
    const b = this.point(Math.max(start, end));
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
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
  return text
    .slice(start, end)
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
