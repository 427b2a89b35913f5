/**
 * YAML inside a Markdown runbook (front matter, annotation comments, `yaml cau` blocks), parsed
 * into plain data with the file position of every key and value.
 *
 * The YAML text is a piece of the Markdown file; `toFileOffset` maps an offset in the piece to
 * an offset in the file so that diagnostics point into the .md file, not into the piece.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { SourceSpan } from '../../model/runbook.js';
import type { LineIndex } from './text.js';

export type PathSegment = string | number;

export interface Located {
  path: PathSegment[];
  value: SourceSpan;
  key?: SourceSpan;
}

export interface EmbeddedYaml {
  data: unknown;
  locations: Located[];
  errors: Array<{ span: SourceSpan; message: string }>;
}

/** Deeper than any real runbook; bounds recursion. */
const MAX_DEPTH = 32;
const MAX_ALIAS_COUNT = 50;

export function parseEmbeddedYaml(source: string, toFileOffset: (offset: number) => number, index: LineIndex, file: string): EmbeddedYaml {
  const span = (start: number, end: number): SourceSpan => index.span(file, toFileOffset(start), toFileOffset(end));
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false, strict: true });
  const errors = doc.errors.map((e) => ({
    span: span(e.pos[0], e.pos[1]),
    message: e.code === 'DUPLICATE_KEY' ? 'Unexpected duplicate key, expected each key once in a mapping' : `Invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (errors.length > 0) return { data: undefined, locations: [], errors };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { data: undefined, locations: [], errors: [{ span: span(0, 0), message: `Unexpected alias expansion (${e instanceof Error ? e.message : String(e)}), expected at most ${MAX_ALIAS_COUNT} alias uses` }] };
  }
  const locations: Located[] = [];
  const walk = (node: unknown, path: PathSegment[], depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key) || !key.range) continue;
        const childPath = [...path, String(key.value)];
        const keySpan = span(key.range[0], key.range[1]);
        const value = pair.value as YamlNode | null;
        locations.push({ path: childPath, key: keySpan, value: value?.range ? span(value.range[0], value.range[1]) : keySpan });
        walk(value, childPath, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const n = item as YamlNode | null;
        if (n?.range) locations.push({ path: [...path, i], value: span(n.range[0], n.range[1]) });
        walk(n, [...path, i], depth + 1);
      });
    }
  };
  if (doc.contents?.range) locations.push({ path: [], value: span(doc.contents.range[0], doc.contents.range[1]) });
  walk(doc.contents, [], 0);
  return { data, locations, errors };
}
