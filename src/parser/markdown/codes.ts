/**
 * Diagnostic codes of Markdown runbooks, in the parse band (RB11x; RB10x is YAML syntax).
 *
 * Ids are stable and never reused; a retired id stays here as a comment.
 */
import type { RuleMeta } from '../../diagnostics.js';

function meta(id: string, name: string, description: string, defaultSeverity: RuleMeta['defaultSeverity'] = 'error'): RuleMeta {
  return { id, name, band: 'parse', description, defaultSeverity };
}

export const MARKDOWN_CODES = {
  structure: meta('RB110', 'markdown-structure', 'A Markdown runbook is one `#` title, `##` phases and `###` steps, each step spelled with one kind of content.'),
  annotation: meta('RB111', 'markdown-annotation', 'The HTML comment right under a phase or step heading holds YAML `key: value` pairs.'),
  frontMatter: meta('RB112', 'markdown-front-matter', 'The front matter of a Markdown runbook is one YAML mapping between `---` lines.'),
  codeBlock: meta(
    'RB113',
    'markdown-code-block',
    "PowerShell code blocks of a step say their role (none, `check`, `wait`, `verify` or `probe`), every code fence is closed, and a step's command is not in a block of another language.",
  ),
  reviewPending: meta('RB114', 'import-review-pending', 'Every `<!-- review: ... -->` marker left by `runbookc import` is resolved and removed before the draft is built.'),
} as const;

export const ALL_MARKDOWN_CODES: readonly RuleMeta[] = Object.values(MARKDOWN_CODES);
