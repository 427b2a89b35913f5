/**
 * Learn-specific syntax that remark does not know, handled before the how-to is parsed:
 * `[!INCLUDE ...]` lines, `::: zone pivot="..."` blocks, and fenced code blocks that are never
 * closed. Lines are blanked rather than removed, and every inserted line is mapped back, so that
 * findings always name lines of the original document.
 */
import type { Root } from 'mdast';
import { parseMarkdownTree } from '../markdown.js';
import { LineIndex } from '../line-index.js';
import { unclosedFence } from '../markdown/text.js';
import type { ImportFinding } from './report.js';

export interface Zone {
  pivot: string;
  /** Original lines, inclusive, of the zone's content. */
  startLine: number;
  endLine: number;
}

export interface PreparedDocument {
  text: string;
  tree: Root;
  /** The original line of each line of `text` (index 0 = line 1). */
  originalLine: number[];
  zones: Zone[];
}

const INCLUDE = /^\s*\[!INCLUDE\s*\[([^\]]*)\]\(([^)]*)\)\s*\]\s*$/i;
const ZONE_START = /^\s*:::\s*zone\s+pivot\s*=\s*"([^"]+)"\s*$/i;
const ZONE_END = /^\s*:::\s*zone-end\s*$/i;
/** More unclosed fences than this in one how-to means it is not a how-to. */
const MAX_FENCE_REPAIRS = 20;

export function prepareLearnDocument(original: string, findings: ImportFinding[]): PreparedDocument {
  const lines = original.replace(/\r\n?/g, '\n').split('\n');
  const originalLine = lines.map((_, i) => i + 1);
  const zones: Zone[] = [];
  let open: { pivot: string; line: number } | undefined;
  lines.forEach((line, i) => {
    const include = INCLUDE.exec(line);
    if (include) {
      findings.push({ category: 'unmapped', line: i + 1, message: `\`[!INCLUDE]\` of \`${include[2]}\` (${include[1]}) is not imported: the included text lives in another file` });
      lines[i] = '';
      return;
    }
    const zone = ZONE_START.exec(line);
    if (zone) {
      if (open) findings.push({ category: 'defect', line: i + 1, message: `\`::: zone\` opened inside the zone \`${open.pivot}\` opened at line ${open.line}; zones do not nest` });
      open = { pivot: zone[1]!, line: i + 1 };
      lines[i] = '';
      return;
    }
    if (ZONE_END.test(line)) {
      if (open) zones.push({ pivot: open.pivot, startLine: open.line + 1, endLine: i });
      else findings.push({ category: 'defect', line: i + 1, message: '`::: zone-end` without an open zone' });
      open = undefined;
      lines[i] = '';
    }
  });
  if (open) {
    findings.push({ category: 'defect', line: open.line, message: `\`::: zone pivot="${open.pivot}"\` is never closed with \`::: zone-end\`; it was taken to run to the end of the document` });
    zones.push({ pivot: open.pivot, startLine: open.line + 1, endLine: lines.length });
  }

  let text = lines.join('\n');
  let tree = parseMarkdownTree(text);
  for (let repairs = 0; repairs < MAX_FENCE_REPAIRS; repairs++) {
    const index = new LineIndex(text);
    const broken = firstUnclosedFence(tree, index);
    if (!broken) break;
    const { start, end, fence } = broken;
    // The command is the run of non-blank lines after the fence; the first blank line ends it.
    let last = start;
    while (last + 1 <= end && index.line(last + 1).trim() !== '') last++;
    const indent = /^\s*/.exec(index.line(start))![0];
    const current = text.split('\n');
    current.splice(last, 0, indent + fence);
    originalLine.splice(last, 0, originalLine[last - 1]!);
    const command = index.line(start + 1).trim();
    findings.push({
      category: 'defect',
      line: originalLine[start - 1]!,
      message:
        `Code fence \`\` ${index.line(start).trim()} \`\` is never closed: the prose after the command ` +
        `(to line ${originalLine[end - 1]}) was swallowed into it. Closed it after line ${originalLine[last - 1]}` +
        (command ? ` (\`${command}\`)` : '') +
        '; the text after it is read as prose again',
    });
    text = current.join('\n');
    tree = parseMarkdownTree(text);
  }
  return { text, tree, originalLine, zones };
}

function firstUnclosedFence(node: { type: string; children?: unknown[]; position?: Root['position'] }, index: LineIndex): { start: number; end: number; fence: string } | undefined {
  if (node.type === 'code' && node.position) {
    const fence = unclosedFence(node, index);
    return fence ? { start: node.position.start.line, end: node.position.end.line, fence } : undefined;
  }
  for (const child of node.children ?? []) {
    const found = firstUnclosedFence(child as typeof node, index);
    if (found) return found;
  }
  return undefined;
}
