/**
 * remark, for Markdown outside what fast-tree.ts reads. Imported only by src/parser/markdown.ts,
 * which read.ts loads only when the fast reader gives up on a runbook.
 */
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** The mdast tree of a Markdown text, with positions (front matter as a `yaml` node). */
export function remarkTree(text: string): Root {
  return processor.parse(text);
}
