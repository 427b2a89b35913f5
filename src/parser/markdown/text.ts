/**
 * The raw Markdown of a node, and the fences of fenced blocks (positions: ../line-index.ts).
 *
 * Runbook strings spelled in Markdown (titles, descriptions, instructions) keep their inline
 * Markdown (`code`, **bold**) exactly as written, like the YAML form does, so they are taken from
 * the source text rather than from the parsed tree.
 */
import type { LineIndex } from '../line-index.js';

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
  if (!source.includes('\n')) return trimBlanks(source);
  return source
    .split(/\r?\n/)
    .map((line, i) => trimBlanks(i === 0 ? line : line.replace(/^[ \t]*(>[ \t]?)*/, '')))
    .filter((line) => line.length > 0)
    .join(' ');
}

/**
 * Without the spaces and tabs around it, which is all Markdown strips: a no-break space or another
 * Unicode space at the start of a title is part of it, as in the YAML form (String.trim would drop
 * it, and the runbook would not read back the same in the other syntax).
 */
function trimBlanks(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
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
