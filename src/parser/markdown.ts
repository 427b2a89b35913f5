/**
 * Markdown runbooks: text -> SourceDocument (the runbook as plain data in the same shape as the
 * YAML form, with positions in the .md file), with positioned RB11x diagnostics. Loaded only for
 * .md input (see read.ts), so YAML builds never load remark.
 */
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { PARSE_CODES } from './codes.js';
import { documentFromMarkdown } from './markdown/document.js';
import { parseInSections } from './markdown/sections.js';
import type { SourceDocument } from './source-document.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/**
 * The mdast tree of a Markdown text, with positions (front matter as a `yaml` node), parsed one
 * section at a time so that the time grows linearly with the text (see markdown/sections.ts).
 */
export function parseMarkdownTree(text: string): Root {
  return parseInSections(text, (piece) => processor.parse(piece));
}

/**
 * Markdown parsing time grows much faster than linearly with the nesting of lists and block
 * quotes (2,000 nested list items take minutes); no runbook or how-to nests anywhere near this.
 */
const MAX_LIST_INDENT = 128;
const MAX_QUOTE_DEPTH = 64;

/** A positioned RB104 diagnostic when the text nests deeper than Markdown can be parsed in reasonable time. */
export function markdownNestingLimit(text: string, file: string): Diagnostic | undefined {
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

export function parseMarkdownRunbook(text: string, file: string): { document?: SourceDocument; diagnostics: Diagnostic[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tooDeep = markdownNestingLimit(source, file);
  if (tooDeep) return { diagnostics: [tooDeep] };
  return documentFromMarkdown(parseMarkdownTree(source), source, file);
}
