/**
 * Markdown runbooks: text -> the runbook as plain data with positions (the same shape as the YAML
 * form), with positioned RB11x diagnostics. Loaded only for .md input, so YAML builds never load
 * remark.
 */
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Root } from 'mdast';
import { documentFromMarkdown, type MarkdownDocumentResult } from './markdown/document.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** The mdast tree of a Markdown text, with positions (front matter as a `yaml` node). */
export function parseMarkdownTree(text: string): Root {
  return processor.parse(text);
}

export function parseMarkdownRunbook(text: string, file: string): MarkdownDocumentResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return documentFromMarkdown(parseMarkdownTree(source), source, file);
}
