/**
 * YAML runbooks: text -> SourceDocument (plain data + positions), with positioned syntax errors.
 *
 * Reading uses js-yaml: on a cold process it parses a runbook about ten times faster than the
 * `yaml` package's document API (0.05 s against 0.5 s for a 1,000-step runbook), which decides
 * whether `runbookc check` feels instant. Positions come from js-yaml's node listener: every node
 * it composes opens and closes at known offsets, which gives a tree of nodes with their spans.
 * (The `yaml` package still writes YAML in `runbookc convert`, where its formatting control matters.)
 */
import jsYaml from 'js-yaml';
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import type { SourceSpan } from '../model/runbook.js';
import { PARSE_CODES } from './codes.js';
import type { PathSegment, SourceDocument } from './source-document.js';

/** Aliases are rarely needed in runbooks; a low limit stops "billion laughs" expansion early. */
const MAX_ALIAS_COUNT = 50;
/** Deeper than any real runbook; bounds recursion in every later stage. */
const MAX_DEPTH = 64;

export interface YamlParseResult {
  document?: SourceDocument;
  diagnostics: Diagnostic[];
}

/** A composed node: where it starts (first content character) and ends, and its sub-nodes in order. */
interface YamlNode {
  start: number;
  end: number;
  kind: 'mapping' | 'sequence' | 'scalar' | 'alias' | 'empty';
  result: unknown;
  children: readonly YamlNode[];
}

/** The children of every node that has none. */
const NO_CHILDREN: readonly YamlNode[] = Object.freeze([]);

class LimitExceeded extends Error {}

/** Line starts of a text, for offset -> line:column (CRLF and LF both end a line at LF). */
function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/** js-yaml opens a node before the blanks, comments and indicators that precede its content. */
function contentStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else return i;
  }
}

export function parseYamlRunbook(text: string, file: string): YamlParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const position = lineIndex(source);
  const spanOf = (start: number, end: number): SourceSpan => {
    const a = position(start);
    const b = position(Math.max(start, end));
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const fail = (code: (typeof PARSE_CODES)[keyof typeof PARSE_CODES], offset: number, message: string): YamlParseResult => ({
    diagnostics: [diagnosticAt(code, spanOf(offset, offset), message)],
  });

  // Open nodes are kept as numbers: where each opened, and how many nodes had closed by then. A
  // node's object is made when it closes, and takes the nodes that closed since it opened as its
  // children; scalars, most of the nodes, share one empty list.
  const openedAt: number[] = [];
  const closedBefore: number[] = [];
  const closed: YamlNode[] = [];
  let aliases = 0;
  const listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => {
    if (event === 'open') {
      if (openedAt.length > MAX_DEPTH) throw new LimitExceeded(`nesting ${openedAt.length} levels deep, expected at most ${MAX_DEPTH}`);
      openedAt.push(state.position);
      closedBefore.push(closed.length);
      return;
    }
    const start = openedAt.pop()!;
    const firstChild = closedBefore.pop()!;
    let kind: YamlNode['kind'] = 'empty';
    if (state.kind === 'mapping' || state.kind === 'sequence' || state.kind === 'scalar') kind = state.kind;
    else if (state.result !== null && state.result !== undefined) kind = 'alias';
    if (kind === 'alias' && typeof state.result === 'object' && state.result !== null && ++aliases > MAX_ALIAS_COUNT) {
      throw new LimitExceeded(`more than ${MAX_ALIAS_COUNT} aliases of collections, expected at most ${MAX_ALIAS_COUNT}`);
    }
    let children = NO_CHILDREN;
    if (closed.length > firstChild) {
      children = closed.slice(firstChild);
      closed.length = firstChild;
    }
    closed.push({ start: kind === 'empty' ? start : contentStart(source, start), end: state.position, kind, result: state.result, children });
  };

  let data: unknown;
  try {
    // CORE_SCHEMA: no timestamps, binaries or merge keys; `version: 2024-01-01` stays a string.
    data = jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA, filename: file, json: false, listener } as jsYaml.LoadOptions);
  } catch (e) {
    if (e instanceof LimitExceeded) return fail(PARSE_CODES.yamlLimits, 0, `Unexpected ${e.message}`);
    if (e instanceof RangeError) return fail(PARSE_CODES.yamlLimits, 0, `Unexpected nesting deeper than the parser can follow, expected at most ${MAX_DEPTH} levels`);
    if (e instanceof jsYaml.YAMLException) {
      const offset = e.mark?.position ?? 0;
      const reason = e.reason ?? e.message;
      if (/duplicated mapping key/.test(reason)) return fail(PARSE_CODES.yamlDuplicateKey, keyStartBefore(source, offset), 'Unexpected duplicate key, expected each key once in a mapping');
      if (/nesting exceeded maxDepth/.test(reason)) return fail(PARSE_CODES.yamlLimits, offset, `Unexpected nesting deeper than ${MAX_DEPTH} levels`);
      if (/single document/.test(reason)) return fail(PARSE_CODES.yamlNotMapping, offset, 'Unexpected second YAML document, expected one runbook per file');
      return fail(PARSE_CODES.yamlSyntax, offset, `Invalid YAML: ${describeReason(reason)}`);
    }
    throw e;
  }

  const root = closed[0];
  if (!root || root.kind !== 'mapping' || typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(PARSE_CODES.yamlNotMapping, root?.start ?? 0, 'Unexpected content at the top level, expected a mapping that starts with `runbook: <id>`');
  }

  // The IR builder asks for the paths of one step after another, which share their first
  // segments: `find` resumes its walk from the longest prefix it shares with the previous path.
  // `walked[i]` is the node reached by the first i segments of `walkedPath`, `walkedKeys[i]` the key
  // node of segment i - 1 (when its parent is a mapping). The tree does not change after parsing,
  // so a node found for a prefix stays the right one.
  const walked: YamlNode[] = [root];
  const walkedKeys: Array<YamlNode | undefined> = [undefined];
  const walkedPath: PathSegment[] = [];

  /** The node at `path`, and the key node of the last segment when the parent is a mapping. */
  const find = (path: readonly PathSegment[]): { node?: YamlNode; key?: YamlNode; nearest: YamlNode } => {
    let depth = 0;
    while (depth < path.length && depth < walkedPath.length && walkedPath[depth] === path[depth]) depth++;
    walked.length = depth + 1;
    walkedKeys.length = depth + 1;
    walkedPath.length = depth;
    let node = walked[depth]!;
    for (let d = depth; d < path.length; d++) {
      const segment = path[d]!;
      let next: YamlNode | undefined;
      let key: YamlNode | undefined;
      if (node.kind === 'mapping') {
        for (let i = 0; i + 1 < node.children.length; i += 2) {
          if (String(node.children[i]!.result) === String(segment)) {
            key = node.children[i];
            next = node.children[i + 1];
            break;
          }
        }
      } else if (node.kind === 'sequence' && typeof segment === 'number') {
        next = node.children[segment];
      }
      if (!next) return { nearest: key ?? node };
      walked.push(next);
      walkedKeys.push(key);
      walkedPath.push(segment);
      node = next;
    }
    const key = walkedKeys[path.length];
    return { node, ...(key ? { key } : {}), nearest: node };
  };

  const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): SourceSpan => {
    const { node, key, nearest } = find(path);
    if (part === 'key' && key) return spanOf(key.start, key.end);
    if (node && node.kind === 'empty' && key) return spanOf(key.start, key.end);
    const target = node ?? nearest;
    return spanOf(target.start, target.end);
  };

  const commandLines = (path: readonly PathSegment[]): Array<{ line: number; column: number }> | undefined => {
    const { node } = find(path);
    if (!node || node.kind !== 'scalar' || typeof node.result !== 'string') return undefined;
    const value = node.result;
    const first = source[node.start];
    if (first === '|') {
      // A literal block keeps its lines one for one, from the line after its header, at the block's indentation.
      const line = position(node.start).line;
      const bodyStart = source.indexOf('\n', node.start) + 1;
      let indent = 0;
      while (indent < 256 && source[bodyStart + indent] === ' ') indent++;
      const lines = [{ line: line + 1, column: indent + 1 }];
      for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) lines.push({ line: line + 1 + lines.length, column: indent + 1 });
      return lines;
    }
    if (first !== '>' && !value.includes('\n')) {
      const start = position(node.start);
      return [{ line: start.line, column: start.column + (first === "'" || first === '"' ? 1 : 0) }];
    }
    return undefined;
  };

  return { document: { file, data, locate, commandLines }, diagnostics: [] };
}

/** js-yaml marks a duplicate key after reading it; point at the key itself. */
function keyStartBefore(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const keyEnd = text.lastIndexOf(':', offset);
  return keyEnd >= lineStart ? contentStart(text, lineStart) : offset;
}

/** js-yaml's reasons are terse; keep them, with the first letter capitalised. */
function describeReason(reason: string): string {
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}
