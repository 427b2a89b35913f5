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
  return simpleFlowMapping(source, toFileOffset, index, file) ?? parseWithYamlParser(source, toFileOffset, index, file);
}

/** A scalar whose YAML meaning is certain: a word (letters, digits, hyphens, from a letter) or a decimal integer. */
const SIMPLE_SCALAR = String.raw`[A-Za-z][A-Za-z0-9-]*|0|[1-9][0-9]{0,14}`;
/** `key: scalar` or `key: [scalar, ...]`, then the comma or brace after it. */
const SIMPLE_PAIR = new RegExp(String.raw`[ \t]*([A-Za-z][A-Za-z0-9]*):[ \t]+(${SIMPLE_SCALAR}|\[[ \t]*(?:(?:${SIMPLE_SCALAR})[ \t]*(?:,[ \t]*(?:${SIMPLE_SCALAR})[ \t]*)*)?\])[ \t]*([,}])`, 'y');
const SEQUENCE_ITEM = new RegExp(SIMPLE_SCALAR, 'g');
/** Words that the YAML core schema reads as something other than a string, but for `true` and `false`. */
const OTHER_SCALAR_WORDS = new Set(['null', 'Null', 'NULL', 'True', 'TRUE', 'False', 'FALSE']);

/**
 * The data and positions of a flow mapping of simple pairs (`{id: drain-node, retries: 2,
 * variants: [offline]}`, the shape of nearly every annotation), or undefined for anything else,
 * which the YAML parser then reads. A runbook has an annotation on every phase and step, and
 * reading one directly is some twenty times faster than with the YAML parser; a test holds both
 * ways to the same result.
 */
export function simpleFlowMapping(source: string, toFileOffset: (offset: number) => number, index: LineIndex, file: string): EmbeddedYaml | undefined {
  if (source[0] !== '{') return undefined;
  const span = (start: number, end: number): SourceSpan => index.span(file, toFileOffset(start), toFileOffset(end));
  const data: Record<string, unknown> = {};
  const locations: Located[] = [{ path: [], value: span(0, source.length) }];
  let at = 1;
  for (;;) {
    SIMPLE_PAIR.lastIndex = at;
    const m = SIMPLE_PAIR.exec(source);
    if (!m) return undefined;
    const [whole, key, value, after] = m as unknown as [string, string, string, string];
    // A key given twice gets the YAML parser's own message; null and its spellings, and capitalised booleans, its own reading.
    if (Object.hasOwn(data, key)) return undefined;
    const keyStart = at + whole.indexOf(key);
    const valueStart = at + whole.indexOf(value, whole.indexOf(':') + 1);
    locations.push({ path: [key], key: span(keyStart, keyStart + key.length), value: span(valueStart, valueStart + value.length) });
    if (value.startsWith('[')) {
      const items: unknown[] = [];
      for (const item of value.matchAll(SEQUENCE_ITEM)) {
        if (OTHER_SCALAR_WORDS.has(item[0])) return undefined;
        const itemStart = valueStart + item.index;
        items.push(scalarValue(item[0]));
        locations.push({ path: [key, items.length - 1], value: span(itemStart, itemStart + item[0].length) });
      }
      data[key] = items;
    } else {
      if (OTHER_SCALAR_WORDS.has(value)) return undefined;
      data[key] = scalarValue(value);
    }
    at += whole.length;
    if (after === '}') break;
  }
  if (at !== source.length) return undefined;
  return { data, locations, errors: [] };
}

/** The value of a SIMPLE_SCALAR that is not one of OTHER_SCALAR_WORDS. */
function scalarValue(word: string): string | number | boolean {
  if (/^[0-9]/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  return word;
}

/** Any YAML text, with the `yaml` package. */
export function parseWithYamlParser(source: string, toFileOffset: (offset: number) => number, index: LineIndex, file: string): EmbeddedYaml {
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
