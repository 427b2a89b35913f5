/**
 * Escaping for the Markdown checklist and the plan diff. Runbook text is data: it must never become
 * a link, an image, HTML, emphasis, math, a table break or a heading in a pull-request view.
 * A value may start a line (a summary, a description), so a leading list, thematic-break or setext
 * marker is escaped too.
 */

const WORD_JOINER = '\u2060';

/**
 * Text that every rule of markdownText leaves as it is: no whitespace but single spaces, none of the
 * characters escaped or marked, and no start of a list item, thematic break or setext underline
 * (`www.` is looked for apart). Most titles and sentences are such text: they are returned without
 * running the nine replacements (a checklist of 10,000 steps has some 100,000 values).
 */
const PLAIN_TEXT = /^(?![-+=\d])(?:[^\s\\`*_[\]<>|~&#$:@]| (?! ))*$/;
const WWW = /www\./i;

/** Inline text: one line, every inline Markdown (GFM) construct neutralised, and no block start. */
export function markdownText(value: string): string {
  if (PLAIN_TEXT.test(value) && !WWW.test(value)) return value;
  return markdownTextEveryRule(value);
}

/** markdownText without its shortcut for plain text: every rule applied (a test holds the shortcut to it). */
export function markdownTextEveryRule(value: string): string {
  // Whitespace is collapsed but not trimmed: prose is rendered in pieces around code spans.
  return value
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~&#$]/g, (c) => `\\${c}`)
    // Scheme autolinks (`https://`, `mailto:`) and emoji shortcodes need a colon followed by text.
    .replace(/:(?=\S)/g, '\\:')
    // GFM finds `www.` and e-mail autolinks in text after escapes are resolved, so a backslash does not
    // stop them; an invisible word joiner (U+2060) inside the trigger does. The scheme form gets one too.
    .replace(/(www)\./gi, `$1${WORD_JOINER}.`)
    .replace(/@/g, `${WORD_JOINER}@`)
    .replace(/\\:\/\//g, `\\:${WORD_JOINER}//`)
    // At the start of a line, `- `, `+ `, `1. ` and `1) ` begin a list item (`- - -` a thematic
    // break), and a value of only `-` or `=` underlines the line before as a heading.
    .replace(/^[-+](?= |$)/, (c) => `\\${c}`)
    .replace(/^(?:-+|=+)$/, (m) => `\\${m}`)
    .replace(/^(\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/**
 * Text that collapsing whitespace and trimming leave as it is, without a backtick: single spaces
 * between other characters. Most code spans (ids, parameter names, short commands) are such text,
 * and are fenced with one backtick without running the general rules.
 */
const PLAIN_CODE = /^(?! )(?:[^\s`]| (?=[^\s`]))*$/;

/** An inline code span that no backtick inside the value can close. */
export function markdownCode(value: string): string {
  return PLAIN_CODE.test(value) ? `\`${value}\`` : markdownCodeEveryRule(value);
}

/** markdownCode without its shortcut (a test holds the shortcut to it). */
export function markdownCodeEveryRule(value: string): string {
  const text = value.replace(/\s+/g, ' ').trim();
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A code span inside a GFM table cell: the table is split at `|` before code spans are parsed, so
 * a pipe must be escaped even there (GitHub then shows it without the backslash).
 */
export function markdownTableCode(value: string): string {
  return markdownCode(value).replace(/\|/g, '\\|');
}

/**
 * A fenced code block that no line of the value can close, indented by `indent` spaces on every
 * line so that it stays inside a list item.
 */
export function markdownCodeBlock(value: string, language: string, indent = 0): string {
  const longestRun = value.includes('`') ? Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length)) : 0;
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const pad = ' '.repeat(indent);
  const lines = [`${fence}${language}`, ...value.replace(/\r\n?/g, '\n').split('\n'), fence];
  return lines.map((line) => (line === '' ? '' : pad + line)).join('\n');
}

/** Labels that mermaidLabel leaves as they are: single spaces between characters it does not replace. */
const PLAIN_LABEL = /^(?! )(?:[^\s#"<>`|]| (?=[^\s#"<>`|]))*$/;

/** A label inside a quoted Mermaid node or edge label: entity codes for every character Mermaid reads. */
export function mermaidLabel(value: string): string {
  return PLAIN_LABEL.test(value) ? value : mermaidLabelEveryRule(value);
}

/** mermaidLabel without its shortcut (a test holds the shortcut to it). */
export function mermaidLabelEveryRule(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\|/g, '#124;');
}
