/**
 * Markdown runbooks: text -> SourceDocument (the runbook as plain data in the same shape as the
 * YAML form, with positions in the .md file), with positioned RB11x diagnostics.
 *
 * This module does not load remark: `fastMarkdownRunbook` reads a runbook with fast-tree.ts alone
 * and says when it cannot, and only then does read.ts load src/parser/markdown.ts, which reads it
 * with remark where needed. Both give the same tree, so the same document and diagnostics.
 */
import type { Root } from 'mdast';
import { diagnosticAt, type Diagnostic } from '../../diagnostics.js';
import { PARSE_CODES } from '../codes.js';
import type { SourceDocument } from '../source-document.js';
import { documentFromMarkdown, documentFromMarkdownBlocks } from './document.js';
import { fastMarkdownBlocks, isOutsideFastMarkdown } from './fast-tree.js';

export interface MarkdownRunbookResult {
  document?: SourceDocument;
  diagnostics: Diagnostic[];
}

/**
 * Markdown parsing time grows much faster than linearly with the nesting of lists and block
 * quotes (2,000 nested list items take minutes); no runbook or how-to nests anywhere near this.
 */
const MAX_LIST_INDENT = 128;
const MAX_QUOTE_DEPTH = 64;
const LONG_PREFIX = new RegExp(`^[ \\t>]{${Math.min(MAX_QUOTE_DEPTH + 1, Math.floor(MAX_LIST_INDENT / 4) + 1)}}`, 'm');

/** A positioned RB104 diagnostic when the text nests deeper than Markdown can be parsed in reasonable time. */
export function markdownNestingLimit(text: string, file: string): Diagnostic | undefined {
  // Going past either limit takes a prefix of at least this many spaces, tabs and `>` (a tab counts
  // as four columns), so a text without one needs no closer look.
  if (!LONG_PREFIX.test(text)) return undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const prefix = /^[ \t>]*/.exec(lines[i]!)![0];
    const quotes = prefix.split('>').length - 1;
    const indent = prefix.replace(/\t/g, '    ').length;
    const listItem = /^[ \t>]*([-+*]|\d{1,9}[.)])(\s|$)/.test(lines[i]!);
    if (quotes > MAX_QUOTE_DEPTH || (listItem && indent > MAX_LIST_INDENT)) {
      const what = quotes > MAX_QUOTE_DEPTH ? `block quotes ${quotes} levels deep` : `a list item indented ${indent} columns`;
      return diagnosticAt(PARSE_CODES.yamlLimits, { file, line: i + 1, column: 1 }, `Unexpected ${what}, expected at most ${MAX_QUOTE_DEPTH} levels of block quotes and list items indented at most ${MAX_LIST_INDENT} columns`);
    }
  }
  return undefined;
}

/** A Markdown runbook read with the mdast tree `tree` gives. */
export function readMarkdownRunbook(text: string, file: string, tree: (source: string) => Root): MarkdownRunbookResult {
  const source = withoutByteOrderMark(text);
  return nestingLimit(source, file) ?? documentFromMarkdown(tree(source), source, file);
}

/**
 * A Markdown runbook read without remark, its blocks as fast-tree.ts reads them, or undefined
 * when it uses Markdown only remark reads (found at the latest at its last block).
 */
export function fastMarkdownRunbook(text: string, file: string): MarkdownRunbookResult | undefined {
  const source = withoutByteOrderMark(text);
  const tooDeep = nestingLimit(source, file);
  if (tooDeep) return tooDeep;
  const blocks = fastMarkdownBlocks(source);
  if (!blocks) return undefined;
  try {
    return documentFromMarkdownBlocks(blocks, source, file);
  } catch (e) {
    if (isOutsideFastMarkdown(e)) return undefined;
    throw e;
  }
}

function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function nestingLimit(source: string, file: string): MarkdownRunbookResult | undefined {
  const tooDeep = markdownNestingLimit(source, file);
  return tooDeep && { diagnostics: [tooDeep] };
}
