/**
 * Markdown runbooks: text -> SourceDocument (the runbook as plain data in the same shape as the
 * YAML form, with positions in the .md file), with positioned RB11x diagnostics. Loaded only for
 * .md input (see read.ts), so YAML builds never load remark.
 */
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Diagnostic } from '../diagnostics.js';
import { documentFromMarkdown } from './markdown/document.js';
import type { SourceDocument } from './source-document.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** The mdast tree of a Markdown text, with positions (front matter as a `yaml` node). */
export function parseMarkdownTree(text: string): Root {
  return processor.parse(text);
}

export function parseMarkdownRunbook(text: string, file: string): { document?: SourceDocument; diagnostics: Diagnostic[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return documentFromMarkdown(parseMarkdownTree(source), source, file);
}
