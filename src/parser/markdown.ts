/**
 * Markdown with remark behind the fast reader: every piece of a text that fast-tree.ts does not
 * read is read by remark. Loaded by read.ts only when a runbook needs it, and by the commands that
 * read arbitrary Markdown (`import`, `convert`).
 */
import type { Root } from 'mdast';
import { fastMarkdownTree } from './markdown/fast-tree.js';
import { remarkTree } from './markdown/remark-tree.js';
import { readMarkdownRunbook, type MarkdownRunbookResult } from './markdown/runbook.js';
import { parseInSections } from './markdown/sections.js';

export { markdownNestingLimit } from './markdown/runbook.js';

/**
 * The mdast tree of a Markdown text, with positions (front matter as a `yaml` node), parsed one
 * section at a time so that remark's time grows linearly with the text (see markdown/sections.ts).
 */
export function parseMarkdownTree(text: string): Root {
  return parseInSections(text, (piece) => fastMarkdownTree(piece) ?? remarkTree(piece));
}

export function parseMarkdownRunbook(text: string, file: string): MarkdownRunbookResult {
  return readMarkdownRunbook(text, file, parseMarkdownTree);
}
