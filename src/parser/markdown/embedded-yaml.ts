/**
 * YAML inside a Markdown runbook (front matter, annotation comments, `yaml cau` blocks), parsed
 * into plain data with the file position of every key and value.
 *
 * The YAML text is a piece of the Markdown file; `toFileOffset` maps an offset in the piece to
 * an offset in the file so that diagnostics point into the .md file, not into the piece.
 */
import type { SourceSpan } from '../../model/runbook.js';
import { parseYamlValue } from '../yaml.js';
import { LineIndex } from '../line-index.js';

export type PathSegment = string | number;

/**
 * Where a value (and its key) is spelled, as offsets in the Markdown file: a runbook has a position
 * for nearly every value, and only a few become lines and columns (for the IR and diagnostics).
 */
export interface Located {
  path: PathSegment[];
  start: number;
  end: number;
  /** -1 for a value without a key (a list item, the whole piece). */
  keyStart: number;
  keyEnd: number;
}

export interface EmbeddedYaml {
  data: unknown;
  locations: Located[];
  errors: Array<{ span: SourceSpan; message: string }>;
}

/** Deeper than any real runbook; bounds recursion. */
const MAX_DEPTH = 32;

export function parseEmbeddedYaml(source: string, toFileOffset: (offset: number) => number, index: LineIndex, file: string): EmbeddedYaml {
  return simpleFlowMapping(source, toFileOffset) ?? simpleBlockMapping(source, toFileOffset) ?? parseWithYamlParser(source, toFileOffset, index, file);
}

/** The location of a value at piece offsets `start`..`end` (and of its key, if any), in file offsets. */
function located(path: PathSegment[], toFileOffset: (offset: number) => number, start: number, end: number, keyStart = -1, keyEnd = -1): Located {
  return { path, start: toFileOffset(start), end: toFileOffset(end), keyStart: keyStart < 0 ? -1 : toFileOffset(keyStart), keyEnd: keyStart < 0 ? -1 : toFileOffset(keyEnd) };
}

/** Words that the YAML core schema reads as something other than a string, but for `true` and `false`. */
const OTHER_SCALAR_WORDS = new Set(['null', 'Null', 'NULL', 'True', 'TRUE', 'False', 'FALSE']);

/**
 * The data and positions of a flow mapping of simple pairs (`{id: drain-node, retries: 2,
 * variants: [offline], parallel: {throttle: 8}}`, the shape of nearly every annotation), or
 * undefined for anything else, which the YAML parser then reads. A runbook has an annotation on
 * every phase and step, and reading one directly is some twenty times faster than with the YAML
 * parser; a test holds both ways to the same result.
 */
export function simpleFlowMapping(source: string, toFileOffset: (offset: number) => number): EmbeddedYaml | undefined {
  if (source[0] !== '{') return undefined;
  const locations: Located[] = [located([], toFileOffset, 0, source.length)];
  const mapping = flowPairs(source, 1, [], toFileOffset, locations);
  if (!mapping || mapping.end !== source.length) return undefined;
  return { data: mapping.data, locations, errors: [] };
}

/**
 * The simple pairs of the flow mapping at `path` from `at` (after its `{`) to just after its `}`:
 * `key: value` separated by commas, blanks (spaces, tabs) around them, a blank after each colon;
 * a value is a simple scalar, a list of them, or (at the top) a mapping of such pairs. A scanner
 * rather than a pattern: this runs for every annotation of a runbook.
 */
function flowPairs(source: string, at: number, path: PathSegment[], toFileOffset: (offset: number) => number, locations: Located[]): { data: Record<string, unknown>; end: number } | undefined {
  const data: Record<string, unknown> = {};
  let i = at;
  for (;;) {
    const keyStart = skipBlanks(source, i);
    i = keyNameEnd(source, keyStart);
    if (i === keyStart) return undefined;
    const key = source.slice(keyStart, i);
    // A key given twice gets the YAML parser's own message.
    if (source.charCodeAt(i) !== 58 /* : */ || Object.hasOwn(data, key)) return undefined;
    const valueStart = skipBlanks(source, i + 1);
    if (valueStart === i + 1) return undefined;
    const valuePath = [...path, key];
    // Its end is set once the value is read.
    const location = located(valuePath, toFileOffset, valueStart, valueStart, keyStart, i);
    locations.push(location);
    const first = source.charCodeAt(valueStart);
    if (first === 91 /* [ */ && path.length === 0) {
      const items: unknown[] = [];
      i = skipBlanks(source, valueStart + 1);
      if (source.charCodeAt(i) !== 93 /* ] */) {
        for (;;) {
          const itemEnd = simpleScalarEnd(source, i);
          if (itemEnd === i) return undefined;
          const word = source.slice(i, itemEnd);
          if (OTHER_SCALAR_WORDS.has(word)) return undefined;
          items.push(scalarValue(word));
          locations.push(located([...valuePath, items.length - 1], toFileOffset, i, itemEnd));
          i = skipBlanks(source, itemEnd);
          if (source.charCodeAt(i) === 93 /* ] */) break;
          if (source.charCodeAt(i) !== 44 /* , */) return undefined;
          i = skipBlanks(source, i + 1);
        }
      }
      i++;
      data[key] = items;
    } else if (first === 123 /* { */ && path.length === 0) {
      // One level of nesting (`parallel: {throttle: 8}`).
      const nested = flowPairs(source, valueStart + 1, valuePath, toFileOffset, locations);
      if (!nested) return undefined;
      i = nested.end;
      data[key] = nested.data;
    } else {
      i = simpleScalarEnd(source, valueStart);
      if (i === valueStart) return undefined;
      const word = source.slice(valueStart, i);
      // null and its spellings, and capitalised booleans, get the YAML parser's own reading.
      if (OTHER_SCALAR_WORDS.has(word)) return undefined;
      data[key] = scalarValue(word);
    }
    location.end = toFileOffset(i);
    i = skipBlanks(source, i);
    const after = source.charCodeAt(i);
    if (after === 125 /* } */) return { data, end: i + 1 };
    if (after !== 44 /* , */) return undefined;
    i++;
  }
}

/*
 * The scanners below are sticky patterns rather than loops over characters: they run for every
 * annotation of a runbook, mostly before the optimizing compiler has reached them, where one
 * pattern match costs about what a single call of a character test does.
 */
const KEY_NAME = /[A-Za-z][A-Za-z0-9]*/y;
/** A word (letters, digits, dots and hyphens, from a letter) or a decimal integer of at most 15 digits (exact in a double). */
const SIMPLE_SCALAR = /[A-Za-z][A-Za-z0-9.-]*|0(?![0-9])|[1-9][0-9]{0,14}(?![0-9])/y;
const BLANKS = /[ \t]*/y;

/** Where the match of the sticky `pattern` at `i` ends (`i` when there is none). */
function endOfMatch(pattern: RegExp, source: string, i: number): number {
  pattern.lastIndex = i;
  return pattern.test(source) ? pattern.lastIndex : i;
}

/** Where a key (a letter, then letters and digits) starting at `i` ends (`i` when there is none). */
function keyNameEnd(source: string, i: number): number {
  return endOfMatch(KEY_NAME, source, i);
}

/**
 * Where a simple scalar starting at `i` ends (`i` when there is none): a scalar whose YAML meaning
 * is certain, a word (letters, digits, dots and hyphens, from a letter) or a decimal integer.
 */
function simpleScalarEnd(source: string, i: number): number {
  return endOfMatch(SIMPLE_SCALAR, source, i);
}

function skipBlanks(source: string, i: number): number {
  return endOfMatch(BLANKS, source, i);
}

/**
 * The data and positions of a block mapping of `key: scalar` lines, some of them `key:` with a
 * mapping of such lines indented by two spaces under it (the shape of a `yaml cau` block), or
 * undefined for anything else (comments, blank lines, quotes, lists, trailing blanks, ...), which
 * the YAML parser then reads. A test holds both ways to the same result.
 */
export function simpleBlockMapping(source: string, toFileOffset: (offset: number) => number): EmbeddedYaml | undefined {
  const data: Record<string, unknown> = {};
  const locations: Located[] = [];
  /** The mapping under the last `key:` line, while its lines are read. */
  let nested: { data: Record<string, unknown>; location: Located; start: number; end: number } | undefined;
  const closeNested = (): boolean => {
    if (!nested) return true;
    if (nested.end < 0) return false;
    nested.location.start = toFileOffset(nested.start);
    nested.location.end = toFileOffset(nested.end);
    nested = undefined;
    return true;
  };
  let lineStart = 0;
  while (lineStart < source.length || lineStart === 0) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? source.length : newline;
    const indent = source.startsWith('  ', lineStart) ? 2 : 0;
    // `key: scalar` or `key:`, and nothing else on the line.
    const keyStart = lineStart + indent;
    const keyEnd = keyNameEnd(source, keyStart);
    if (keyEnd === keyStart || source.charCodeAt(keyEnd) !== 58 /* : */) return undefined;
    const key = source.slice(keyStart, keyEnd);
    const valueStart = keyEnd + 2;
    let value: string | undefined;
    if (keyEnd + 1 !== lineEnd) {
      if (source.charCodeAt(keyEnd + 1) !== 32 || simpleScalarEnd(source, valueStart) !== lineEnd || valueStart === lineEnd) return undefined;
      value = source.slice(valueStart, lineEnd);
    }
    if (indent === 0 && !closeNested()) return undefined;
    const owner = indent === 2 ? nested : { data, location: undefined, start: 0, end: 0 };
    if (!owner || Object.hasOwn(owner.data, key) || (value !== undefined && OTHER_SCALAR_WORDS.has(value))) return undefined;
    const path = indent === 2 ? [...nested!.location.path, key] : [key];
    if (value === undefined) {
      if (indent === 2) return undefined;
      const mapping: Record<string, unknown> = {};
      const location = located(path, toFileOffset, keyStart, lineEnd, keyStart, keyStart + key.length);
      locations.push(location);
      data[key] = mapping;
      nested = { data: mapping, location, start: -1, end: -1 };
    } else {
      locations.push(located(path, toFileOffset, valueStart, lineEnd, keyStart, keyStart + key.length));
      owner.data[key] = scalarValue(value);
      if (indent === 2) {
        // Like the YAML parser, a nested mapping ends where the line after it starts.
        if (nested!.start < 0) nested!.start = keyStart;
        nested!.end = newline < 0 ? lineEnd : newline + 1;
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  if (!closeNested() || locations.length === 0) return undefined;
  locations.unshift(located([], toFileOffset, 0, source.length));
  return { data, locations, errors: [] };
}

/** The value of a simple scalar (simpleScalarEnd) that is not one of OTHER_SCALAR_WORDS. */
function scalarValue(word: string): string | number | boolean {
  if (/^[0-9]/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  return word;
}

/**
 * Any YAML text, with the parser YAML runbooks are read with (js-yaml, see src/parser/yaml.ts): the
 * same reading of every value in both syntaxes, and no second YAML library to load.
 */
export function parseWithYamlParser(source: string, toFileOffset: (offset: number) => number, index: LineIndex, file: string): EmbeddedYaml {
  const sourceIndex = new LineIndex(source);
  // Positions in the piece, by line and column in it -> offsets in the file. js-yaml reads a text
  // that does not end with a line break as if it did, so an end can lie one past the piece.
  const offsetIn = (line: number, column: number) => Math.min(sourceIndex.offset(line, column), source.length);
  const inFile = (s: { line: number; column: number; endLine?: number; endColumn?: number }): SourceSpan =>
    index.span(file, toFileOffset(offsetIn(s.line, s.column)), toFileOffset(offsetIn(s.endLine ?? s.line, s.endColumn ?? s.column)));
  const parsed = parseYamlValue(source, file);
  if (!parsed.document) {
    return { data: undefined, locations: [], errors: parsed.diagnostics.map((d) => ({ span: inFile(d), message: d.message })) };
  }
  const { data, locate } = parsed.document;
  const locations: Located[] = [];
  const locatedAt = (path: PathSegment[], withKey: boolean): Located => {
    const value = locate(path);
    const start = offsetIn(value.line, value.column);
    const end = offsetIn(value.endLine, value.endColumn);
    if (!withKey) return located(path, toFileOffset, start, end);
    const key = locate(path, 'key');
    return located(path, toFileOffset, start, end, offsetIn(key.line, key.column), offsetIn(key.endLine, key.endColumn));
  };
  if (data !== undefined) locations.push(locatedAt([], false));
  // An alias is the same object as its anchor: its positions are the anchor's, and walking it
  // again would expand an alias bomb (a few dozen aliases can stand for millions of values).
  const walked = new Set<object>();
  const walk = (value: unknown, path: PathSegment[], depth: number): void => {
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null || walked.has(value)) return;
    walked.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const itemPath = [...path, i];
        locations.push(locatedAt(itemPath, false));
        walk(item, itemPath, depth + 1);
      });
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = [...path, key];
      locations.push(locatedAt(itemPath, true));
      walk(item, itemPath, depth + 1);
    }
  };
  walk(data, [], 0);
  return { data, locations, errors: [] };
}
