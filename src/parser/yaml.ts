/**
 * YAML runbooks: text -> SourceDocument (plain data + positions), with positioned syntax errors.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
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

export function parseYamlRunbook(text: string, file: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const spanOfRange = (start: number, end: number): SourceSpan => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false });

  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    if (error.message.includes('Maximum call stack size exceeded')) {
      // The parser records its own stack overflow on absurd nesting as a syntax error.
      diagnostics.push(diagnosticAt(PARSE_CODES.yamlLimits, spanOfRange(start, end), `Unexpected nesting deeper than the parser can follow, expected at most ${MAX_DEPTH} levels`));
      break;
    }
    const code = error.code === 'DUPLICATE_KEY' ? PARSE_CODES.yamlDuplicateKey : PARSE_CODES.yamlSyntax;
    diagnostics.push(diagnosticAt(code, spanOfRange(start, end), describeYamlError(error.code, error.message)));
  }
  if (diagnostics.length > 0) return { diagnostics };

  const root = doc.contents;
  if (!isMap(root)) {
    const span = root?.range ? spanOfRange(root.range[0], root.range[1]) : { file, line: 1, column: 1 };
    diagnostics.push(
      diagnosticAt(PARSE_CODES.yamlNotMapping, span, 'Unexpected content at the top level, expected a mapping that starts with `runbook: <id>`'),
    );
    return { diagnostics };
  }
  const deepest = depthOf(root, 0);
  if (deepest > MAX_DEPTH) {
    diagnostics.push(diagnosticAt(PARSE_CODES.yamlLimits, spanOfRange(0, 0), `Unexpected nesting ${deepest} levels deep, expected at most ${MAX_DEPTH}`));
    return { diagnostics };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library throws a ReferenceError when alias expansion exceeds maxAliasCount.
    const message = e instanceof Error ? e.message : String(e);
    diagnostics.push(
      diagnosticAt(PARSE_CODES.yamlLimits, spanOfRange(0, 0), `Unexpected alias expansion (${message}), expected at most ${MAX_ALIAS_COUNT} alias uses`),
    );
    return { diagnostics };
  }

  const fileSpan = spanOfRange(0, 0);
  const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): SourceSpan => {
    let node: YamlNode | null = root;
    let best: SourceSpan = root.range ? spanOfRange(root.range[0], root.range[0]) : fileSpan;
    for (let i = 0; i < path.length && node; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair: Pair | undefined = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as YamlNode;
        if (last && part === 'key' && keyNode.range) return spanOfRange(keyNode.range[0], keyNode.range[1]);
        const value = pair.value as YamlNode | null;
        if (value && isNodeWithRange(value)) {
          best = spanOfRange(value.range![0], value.range![1]);
          node = value;
        } else {
          if (keyNode.range) best = spanOfRange(keyNode.range[0], keyNode.range[1]);
          node = null;
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (!item || !isNodeWithRange(item)) break;
        best = spanOfRange(item.range![0], item.range![1]);
        node = item;
      } else {
        break;
      }
    }
    return best;
  };
  const commandLines = (path: readonly PathSegment[]): Array<{ line: number; column: number }> | undefined => {
    let node: unknown = root;
    for (const segment of path) {
      if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
      else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
      else return undefined;
    }
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return undefined;
    const start = lineCounter.linePos(node.range[0]);
    const valueLines = node.value.split('\n');
    if (node.type === 'BLOCK_LITERAL') {
      // A literal block keeps its lines one for one, starting on the line after its header, all at the block's indentation.
      const sourceLines = source.split('\n').slice(start.line, start.line + valueLines.length);
      const indent = Math.min(...sourceLines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
      return valueLines.map((_, i) => ({ line: start.line + 1 + i, column: (Number.isFinite(indent) ? indent : 0) + 1 }));
    }
    if (valueLines.length === 1 && (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE')) {
      return [{ line: start.line, column: start.col + (node.type === 'PLAIN' ? 0 : 1) }];
    }
    return undefined;
  };
  return { document: { file, data, locate, commandLines }, diagnostics };
}

function isNodeWithRange(node: unknown): node is YamlNode {
  return typeof node === 'object' && node !== null && 'range' in node && Array.isArray((node as YamlNode).range);
}

function depthOf(node: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return depth;
  let max = depth;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) max = Math.max(max, depthOf(item.value, depth + 1));
      else max = Math.max(max, depthOf(item, depth + 1));
    }
  }
  return max;
}

/** The yaml library's messages name its internals; say what the author should write instead. */
function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'Unexpected duplicate key, expected each key once in a mapping';
    case 'TAB_AS_INDENT':
      return 'Unexpected tab in indentation, expected spaces';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return `Invalid YAML: ${first}`;
    default:
      return `Invalid YAML: ${first}`;
  }
}
