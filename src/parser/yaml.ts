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
import { doubled } from '../util/typed-columns.js';
import { LineIndex } from './line-index.js';
import type { PathSegment, SourceDocument } from './source-document.js';

/** Aliases are rarely needed in runbooks; a low limit stops "billion laughs" expansion early. */
const MAX_ALIAS_COUNT = 50;
/** Deeper than any real runbook; bounds recursion in every later stage. */
const MAX_DEPTH = 64;

export interface YamlParseResult {
  document?: SourceDocument;
  diagnostics: Diagnostic[];
}

/** Kinds of composed nodes, as stored in `NodeTable.kind`. */
const EMPTY = 0;
const MAPPING = 1;
const SEQUENCE = 2;
const SCALAR = 3;
const ALIAS = 4;

/**
 * The composed nodes, numbered in the order they close (children before their parent), one column
 * per field. A runbook of 10,000 steps has some 160,000 nodes: columns of numbers cost a few
 * bytes a node where an object per node (and a list of children per collection) cost some eighty,
 * all of it kept until the IR is built.
 */
class NodeTable {
  count = 0;
  /** Where js-yaml opened the node: before the blanks and comments that precede its content. */
  openedAt: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  /** The node's children are `children[firstChild .. firstChild + childCount)`, in source order. */
  firstChild: Int32Array;
  childCount: Int32Array;
  children: Int32Array;
  childrenLength = 0;
  /** js-yaml's value of each node (for a mapping's keys and for scalars). */
  result: unknown[] = [];

  constructor(capacity: number) {
    this.openedAt = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.childCount = new Int32Array(capacity);
    this.children = new Int32Array(capacity);
  }

  /** Adds a node whose children are `stack[from..to)`; returns its number. */
  add(openedAt: number, end: number, kind: number, result: unknown, stack: Int32Array, from: number, to: number): number {
    if (this.count === this.end.length) this.grow();
    const n = this.count++;
    this.openedAt[n] = openedAt;
    this.end[n] = end;
    this.kind[n] = kind;
    this.result.push(result);
    this.firstChild[n] = this.childrenLength;
    this.childCount[n] = to - from;
    for (let i = from; i < to; i++) this.children[this.childrenLength++] = stack[i]!;
    return n;
  }

  /** The i-th child of node n, or -1. */
  child(n: number, i: number): number {
    return Number.isInteger(i) && i >= 0 && i < this.childCount[n]! ? this.children[this.firstChild[n]! + i]! : -1;
  }

  private grow(): void {
    this.openedAt = doubled(this.openedAt);
    this.end = doubled(this.end);
    this.kind = doubled(this.kind);
    this.firstChild = doubled(this.firstChild);
    this.childCount = doubled(this.childCount);
    this.children = doubled(this.children);
  }
}

class LimitExceeded extends Error {}

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
  return parseYaml(text, file, 'runbook');
}

/**
 * Any YAML text (a piece of a Markdown runbook: front matter, an annotation, a `yaml cau` block):
 * its data, whatever it is, with positions; the document's data is undefined for an empty text.
 */
export function parseYamlValue(text: string, file: string): YamlParseResult {
  return parseYaml(text, file, 'any');
}

function parseYaml(text: string, file: string, expected: 'runbook' | 'any'): YamlParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineIndex = new LineIndex(source);
  const spanOf = (start: number, end: number): SourceSpan => lineIndex.span(file, start, end);
  const fail = (code: (typeof PARSE_CODES)[keyof typeof PARSE_CODES], offset: number, message: string): YamlParseResult => ({
    diagnostics: [diagnosticAt(code, spanOf(offset, offset), message)],
  });

  // Open nodes are kept as numbers: where each opened, and how many nodes had closed by then. A
  // node is added to the table when it closes, and takes the nodes that closed since it opened
  // (the top of `closed`) as its children.
  // Fixed-size stacks and a growing one, rather than lists: the listener runs twice per node.
  const openedAt = new Int32Array(MAX_DEPTH + 2);
  const closedBefore = new Int32Array(MAX_DEPTH + 2);
  let depth = 0;
  let closed = new Int32Array(256);
  let closedCount = 0;
  // A runbook has about one node per 16 characters; room for one per 8 rarely needs to grow, and
  // the pages of columns never written are never touched.
  const nodes = new NodeTable(Math.max(64, source.length >> 3));
  let aliases = 0;
  const listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => {
    if (event === 'open') {
      if (depth > MAX_DEPTH) throw new LimitExceeded(`nesting ${depth} levels deep, expected at most ${MAX_DEPTH}`);
      openedAt[depth] = state.position;
      closedBefore[depth] = closedCount;
      depth++;
      return;
    }
    depth--;
    const start = openedAt[depth]!;
    const firstChild = closedBefore[depth]!;
    let kind = EMPTY;
    if (state.kind === 'scalar') kind = SCALAR;
    else if (state.kind === 'mapping') kind = MAPPING;
    else if (state.kind === 'sequence') kind = SEQUENCE;
    else if (state.result !== null && state.result !== undefined) kind = ALIAS;
    if (kind === ALIAS && typeof state.result === 'object' && state.result !== null && ++aliases > MAX_ALIAS_COUNT) {
      throw new LimitExceeded(`more than ${MAX_ALIAS_COUNT} aliases of collections, expected at most ${MAX_ALIAS_COUNT}`);
    }
    // js-yaml composes a flow collection at the top level twice (first as the candidate key of a
    // block mapping): the outer node then holds just the inner one, opened and closed where it was.
    // The inner node, with its keys and values, is the collection.
    const only = closedCount - firstChild === 1 ? closed[firstChild]! : -1;
    if (only !== -1 && nodes.kind[only] === kind && nodes.openedAt[only] === start && nodes.end[only] === state.position) return;
    const node = nodes.add(start, state.position, kind, state.result, closed, firstChild, closedCount);
    closedCount = firstChild;
    if (closedCount === closed.length) {
      closed = doubled(closed);
    }
    closed[closedCount++] = node;
  };
  /** Where a node starts: its first content character (an empty node has none: where it opened). */
  const startOf = (n: number): number => (nodes.kind[n] === EMPTY ? nodes.openedAt[n]! : contentStart(source, nodes.openedAt[n]!));
  /** Where a node ends: js-yaml leaves a plain scalar in a flow collection after the blanks that follow it. */
  const endOf = (n: number): number => {
    let end = nodes.end[n]!;
    if (nodes.kind[n] === SCALAR) while (end > nodes.openedAt[n]! && (source[end - 1] === ' ' || source[end - 1] === '\t')) end--;
    return end;
  };
  const nodeSpan = (n: number): SourceSpan => spanOf(startOf(n), endOf(n));

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
      // A quote left open swallows the lines after it, and js-yaml stumbles far below: name the quote.
      const quote = unclosedQuoteBefore(source, offset);
      if (quote) return fail(PARSE_CODES.yamlSyntax, quote.offset, `Invalid YAML: Missing closing quote, expected \`${quote.char}\` to end the value that starts here`);
      return fail(PARSE_CODES.yamlSyntax, offset, `Invalid YAML: ${describeReason(reason)}`);
    }
    throw e;
  }

  const root = closedCount > 0 ? closed[0]! : -1;
  if (expected === 'any' && root === -1) {
    const start = spanOf(0, 0);
    return { document: { file, syntax: 'yaml', data: undefined, locate: () => start, commandLines: () => undefined }, diagnostics: [] };
  }
  if (expected === 'runbook' && (root === -1 || nodes.kind[root] !== MAPPING || typeof data !== 'object' || data === null || Array.isArray(data))) {
    return fail(PARSE_CODES.yamlNotMapping, root === -1 ? 0 : startOf(root), 'Unexpected content at the top level, expected a mapping that starts with `runbook: <id>`');
  }

  // The IR builder asks for the paths of one step after another, which share their first
  // segments: `find` resumes its walk from the longest prefix it shares with the previous path.
  // `walked[i]` is the node reached by the first i segments of `walkedPath`, `walkedKeys[i]` the key
  // node of segment i - 1 (when its parent is a mapping, else -1). The tree does not change after
  // parsing, so a node found for a prefix stays the right one.
  const walked: number[] = [root];
  const walkedKeys: number[] = [-1];
  const walkedPath: PathSegment[] = [];
  /** Set by `find`: the node at the path (-1 when there is none), the key node of its last segment (-1 when none), else the nearest node on the way. */
  let foundNode = -1;
  let foundKey = -1;
  let nearest = root;

  const find = (path: readonly PathSegment[]): void => {
    let depth = 0;
    while (depth < path.length && depth < walkedPath.length && walkedPath[depth] === path[depth]) depth++;
    walked.length = depth + 1;
    walkedKeys.length = depth + 1;
    walkedPath.length = depth;
    let node = walked[depth]!;
    for (let d = depth; d < path.length; d++) {
      const segment = path[d]!;
      let next = -1;
      let key = -1;
      const kind = nodes.kind[node];
      if (kind === MAPPING) {
        const name = String(segment);
        const first = nodes.firstChild[node]!;
        const count = nodes.childCount[node]!;
        for (let i = 0; i + 1 < count; i += 2) {
          const k = nodes.children[first + i]!;
          if (String(nodes.result[k]) === name) {
            key = k;
            next = nodes.children[first + i + 1]!;
            break;
          }
        }
      } else if (kind === SEQUENCE && typeof segment === 'number') {
        next = nodes.child(node, segment);
      }
      if (next === -1) {
        foundNode = -1;
        foundKey = -1;
        nearest = key !== -1 ? key : node;
        return;
      }
      walked.push(next);
      walkedKeys.push(key);
      walkedPath.push(segment);
      node = next;
    }
    foundNode = node;
    foundKey = walkedKeys[path.length]!;
    nearest = node;
  };

  const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): SourceSpan => {
    find(path);
    if (part === 'key' && foundKey !== -1) return nodeSpan(foundKey);
    if (foundNode !== -1 && nodes.kind[foundNode] === EMPTY && foundKey !== -1) return nodeSpan(foundKey);
    return nodeSpan(foundNode !== -1 ? foundNode : nearest);
  };

  const commandLines = (path: readonly PathSegment[]): Array<{ line: number; column: number }> | undefined => {
    find(path);
    const node = foundNode;
    if (node === -1 || nodes.kind[node] !== SCALAR || typeof nodes.result[node] !== 'string') return undefined;
    const value = nodes.result[node] as string;
    const start = startOf(node);
    const first = source[start];
    if (first === '|') {
      // A literal block keeps its lines one for one, from the line after its header, at the block's indentation.
      const line = lineIndex.point(start).line;
      const bodyStart = source.indexOf('\n', start) + 1;
      let indent = 0;
      while (indent < 256 && source[bodyStart + indent] === ' ') indent++;
      const lines = [{ line: line + 1, column: indent + 1 }];
      for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) lines.push({ line: line + 1 + lines.length, column: indent + 1 });
      return lines;
    }
    if (first !== '>' && !value.includes('\n')) {
      const at = lineIndex.point(start);
      return [{ line: at.line, column: at.column + (first === "'" || first === '"' ? 1 : 0) }];
    }
    return undefined;
  };

  return { document: { file, syntax: 'yaml', data, locate, commandLines }, diagnostics: [] };
}

/** js-yaml marks a duplicate key after reading it; point at the key itself. */
function keyStartBefore(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  // In a flow mapping (`{a: 1, a: 2}`) the mark is where the duplicate key starts, after its blanks.
  if (text.lastIndexOf('{', offset) >= lineStart) return contentStart(text, offset);
  const keyEnd = text.lastIndexOf(':', offset);
  return keyEnd >= lineStart ? contentStart(text, lineStart) : offset;
}

/**
 * The first quoted value before `offset` that does not close on its line when the next line that
 * holds something starts a new entry (`key:` or `- `) no deeper than the quoted value's own entry, as
 * a quote left open looks.
 * The content of block scalars (`|`, `>`) is skipped: commands are full of quotes. A quoted value
 * may span lines in YAML, so this is asked only after the parser has failed.
 */
function unclosedQuoteBefore(text: string, offset: number): { offset: number; char: string } | undefined {
  const lines = text.split('\n');
  let lineStart = 0;
  let blockIndent = -1;
  for (let i = 0; i < lines.length && lineStart < offset; lineStart += lines[i]!.length + 1, i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (/^\s*#/.test(line)) continue;
    if (/(?:^|[:\s])[|>][+-]?\d*\s*(?:#.*)?$/.test(line)) {
      blockIndent = indent;
      continue;
    }
    const value = /^( *(?:- +)*(?:[^\s#'"][^:#]*:\s+|- +)?)(["'])/.exec(line);
    if (!value) continue;
    const char = value[2]!;
    const rest = line.slice(value[1]!.length + 1);
    const closed = char === '"' ? /(?:^|[^\\])(?:\\\\)*"/.test(rest) : rest.includes("'");
    if (closed) continue;
    // The next line that holds something (comment lines look the same inside a quote and out).
    let n = i + 1;
    while (n < lines.length && /^\s*(?:#.*)?\r?$/.test(lines[n]!)) n++;
    const next = lines[n]?.replace(/\r$/, '');
    if (next === undefined) continue;
    // Where the quoted value's entry starts: its key, or the item after its `- ` markers.
    const entryColumn = /^ *(?:- +)*/.exec(line)![0].length;
    const nextIndent = /^ */.exec(next)![0].length;
    if (nextIndent <= entryColumn && /^ *(?:- |[^\s#'"][^:#]*:(?:\s|$))/.test(next)) return { offset: lineStart + value[1]!.length, char };
  }
  return undefined;
}

/** js-yaml's reasons are terse; keep them, with the first letter capitalised. */
function describeReason(reason: string): string {
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}
