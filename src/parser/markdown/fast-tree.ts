/**
 * A reader for the Markdown that runbooks are written in, building the same mdast tree as remark
 * (every node, value and position), or giving up.
 *
 * Why: remark (micromark underneath) is general and slow. It reads a 10,000-step runbook in about
 * five seconds and takes a tenth of a second to load and warm up, which alone breaks the time an
 * author waits for `runbookc check` on every save. A runbook uses a small part of Markdown: ATX
 * headings, annotation comments, fenced code, paragraphs with plain text, `code` and a leading
 * **label:**, flat lists and block quotes. This reader handles exactly that part, line by line, and
 * returns undefined for anything else (emphasis other than that label, links, escapes, entities,
 * raw HTML, tabs, CR line endings, indented code, setext headings, lazy continuation lines, ...),
 * so that remark reads the text instead: an unusual runbook costs time, never a different tree.
 *
 * test/parser/markdown-fast-tree.test.ts holds the two readers to the same tree, node for node
 * and position for position, on every Markdown file in the repository, on generated runbooks and
 * on random documents mixing the constructs handled here with the ones that are not.
 */
import { LineIndex } from '../line-index.js';
import type { Blockquote, Code, Heading, Html, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast';

interface Point {
  line: number;
  column: number;
  offset: number;
}

/** A line of a container's content: its text (without the container's prefix) and where that text starts in the file. */
interface Line {
  text: string;
  line: number;
  column: number;
  offset: number;
  /** The line ending after the text: `\n`, `\r\n`, or nothing on the last line. */
  ending: string;
}

/**
 * The lines of a container's content: the document's own lines (made as they are asked for, see
 * DocumentLines), or the lines of a block quote or list item with their prefixes cut (an array).
 */
type Lines = Pick<Line[], 'length' | 'at' | 'slice'>;

/**
 * The document's lines, each made the first time it is asked for (from the offsets of the line
 * starts) and forgotten once the blocks it belongs to are read: a runbook of 10,000 steps has
 * 125,000 lines, and an object and a string for each, all kept until the end of the reading, were
 * a third of the reader's time.
 */
class DocumentLines implements Lines {
  private readonly made: Array<Line | undefined>;
  private forgotten = 0;
  readonly length: number;

  /** `index`: the document's line index, which holds its text. */
  constructor(private readonly index: LineIndex) {
    this.length = index.lineCount;
    this.made = new Array<Line | undefined>(this.length);
  }

  /**
   * The first character of a line's text (NaN for an empty line), without making the line: a
   * runbook's blank lines (two in five) and the lines inside its code blocks are only looked at here.
   */
  firstCharCode(index: number): number {
    const text = this.index.text;
    const start = this.index.lineStart(index);
    if (index === this.length - 1) return start === text.length ? NaN : text.charCodeAt(start);
    const next = this.index.lineStart(index + 1);
    const end = text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
    return start >= end ? NaN : text.charCodeAt(start);
  }

  at(index: number): Line | undefined {
    if (index < 0 || index >= this.length) return undefined;
    let line = this.made[index];
    if (!line) {
      const text = this.index.text;
      const offset = this.index.lineStart(index);
      const last = index === this.length - 1;
      // The last line ends where the text does, as if a line break followed it.
      const next = last ? text.length + 1 : this.index.lineStart(index + 1);
      const crlf = !last && text.charCodeAt(next - 2) === 13;
      line = { text: text.slice(offset, crlf ? next - 2 : next - 1), line: index + 1, column: 1, offset, ending: last ? '' : crlf ? '\r\n' : '\n' };
      this.made[index] = line;
    }
    return line;
  }

  /** Lets the lines before `index` go: the blocks they belong to are read. */
  forget(index: number): void {
    for (; this.forgotten < index; this.forgotten++) this.made[this.forgotten] = undefined;
  }

  slice(from = 0, to = this.length): Line[] {
    const lines: Line[] = [];
    for (let i = from; i < Math.min(to, this.length); i++) lines.push(this.at(i)!);
    return lines;
  }
}

/** Thrown when the text leaves the subset (see isOutsideFastMarkdown). */
const UNSUPPORTED: unique symbol = Symbol('unsupported Markdown');

function unsupported(): never {
  throw UNSUPPORTED;
}

const BLANK = /^[ \t]*$/;
const LONE_CR = /\r(?!\n)/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const BULLET_ITEM = /^- (?=\S)/;
const ORDERED_ITEM = /^(\d{1,9})\. (?=\S)/;
/** Characters after which inline text needs the full inline grammar (or, for brackets, a check for links). */
const INLINE_SPECIAL = /[`*_\\&<[\]\t]/g;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;

/**
 * The mdast tree of `text` (with front matter as a `yaml` node, as remark-frontmatter gives it),
 * or undefined when the text uses Markdown this reader does not handle.
 */
export function fastMarkdownTree(text: string): Root | undefined {
  const blocks = fastMarkdownBlocks(text);
  if (!blocks) return undefined;
  const children: RootContent[] = [];
  try {
    for (let block = blocks.next(); block; block = blocks.next()) children.push(block);
  } catch (e) {
    if (isOutsideFastMarkdown(e)) return undefined;
    throw e;
  }
  return { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: blocks.end } };
}

/** The top-level blocks of a document, read one at a time (the tree's `children`, in order). */
export interface MarkdownBlocks {
  /**
   * The next top-level block, or undefined after the last one. Throws when the text leaves what
   * this reader handles (see isOutsideFastMarkdown): a caller reading blocks as they come then
   * starts again with remark.
   */
  next(): RootContent | undefined;
  /** Where the document ends (the root node's end). */
  readonly end: Point;
  /** The document's line index, for a reader of the blocks to share. */
  readonly lineIndex: LineIndex;
}

/**
 * The top-level blocks of `text`, read as they are asked for, or undefined when the text cannot be
 * read here at all. A runbook reader that takes them one by one keeps only the blocks of the step it
 * is reading: the tree is never all in memory at once (a 10,000-step runbook's is about 28 MB).
 */
export function fastMarkdownBlocks(text: string): MarkdownBlocks | undefined {
  // A CR alone ends a line for remark too; the lines here end with LF or CR LF.
  if (LONE_CR.test(text)) return undefined;
  return new FastReader(text);
}

/** Whether `e` is what MarkdownBlocks.next throws for Markdown it leaves to remark. */
export function isOutsideFastMarkdown(e: unknown): boolean {
  return e === UNSUPPORTED;
}

class FastReader implements MarkdownBlocks {
  /** A link reference definition anywhere makes brackets meaningful: `[text]` may be a link. */
  private readonly mayDefine: boolean;
  private readonly lines: DocumentLines;
  /** The first line of the document not read yet. */
  private cursor = 0;
  /** Blocks read but not handed out yet (front matter and the block after it). */
  private readonly pending: RootContent[] = [];
  readonly end: Point;
  readonly lineIndex: LineIndex;

  constructor(private readonly text: string) {
    this.mayDefine = text.includes(']:');
    this.lineIndex = new LineIndex(text);
    this.lines = new DocumentLines(this.lineIndex);
    this.end = endOf(this.lines.at(this.lines.length - 1)!);
  }

  next(): RootContent | undefined {
    const lines = this.lines;
    if (this.cursor === 0 && (lines.at(0)!.text === '---' || /^---[ \t]+$/.test(lines.at(0)!.text))) this.cursor = this.frontMatter(lines, this.pending);
    if (this.pending.length > 0) return this.pending.shift();
    while (this.cursor < lines.length && this.blankLine(this.cursor)) this.cursor++;
    if (this.cursor >= lines.length) return undefined;
    this.cursor = this.block(lines, this.cursor, this.pending);
    lines.forget(this.cursor);
    return this.pending.shift();
  }

  /** Whether the document's line `i` is blank, looking at its text only when it starts with a blank. */
  private blankLine(i: number): boolean {
    const c = this.lines.firstCharCode(i);
    return c !== c || ((c === 32 || c === 9) && isBlank(this.lines.at(i)!.text));
  }

  private frontMatter(lines: Lines, out: RootContent[]): number {
    if (lines.at(0)!.text !== '---') unsupported();
    for (let k = 1; k < lines.length; k++) {
      const t = lines.at(k)!.text;
      if (t === '---') {
        const value = this.joined(lines, 1, k);
        out.push({ type: 'yaml', value, position: { start: pointIn(lines.at(0)!, 0), end: endOf(lines.at(k)!) } });
        return k + 1;
      }
      if (/^---[ \t]+$/.test(t)) unsupported();
    }
    return unsupported();
  }

  /** The blocks of `lines[from..]`, a container's whole content. */
  private blocks(lines: Lines, from: number, out: RootContent[]): void {
    let i = from;
    while (i < lines.length) {
      if (isBlank(lines.at(i)!.text)) i++;
      else i = this.block(lines, i, out);
    }
  }

  /** The block that starts at the non-blank line `lines[i]`, added to `out`; returns the line after it. */
  private block(lines: Lines, i: number, out: RootContent[]): number {
    const t = lines.at(i)!.text;
    const c = t[0]!;
    if (c === ' ' || c === '\t' || ((c === '-' || c === '*' || c === '_') && THEMATIC_BREAK.test(t))) unsupported();
    if (c === '#' && ATX_HEADING.test(t)) {
      out.push(this.heading(lines.at(i)!));
      return i + 1;
    }
    if (t.startsWith('```')) return this.fencedCode(lines, i, out);
    if (t.startsWith('~~~')) unsupported();
    if (c === '<') return this.htmlComment(lines, i, out);
    if (c === '>') return this.blockquote(lines, i, out);
    if (LIST_MARKER.test(t)) return this.list(lines, i, out);
    return this.paragraph(lines, i, out);
  }

  private heading(line: Line): Heading {
    const t = line.text;
    const depth = runOf(t, 0, 35 /* # */) as Heading['depth'];
    // One space after the `#`s, then text that starts with no space and ends with no space, `#` or
    // tab (closing sequences and other spacing follow rules not reproduced here).
    const last = t.charCodeAt(t.length - 1);
    if (depth > 6 || t.length < depth + 2 || t.charCodeAt(depth) !== 32 || t.charCodeAt(depth + 1) === 32 || last === 32 || last === 35 || /[\t\u2028\u2029]/.test(t)) unsupported();
    const content = { text: t.slice(depth + 1), line: line.line, column: line.column + depth + 1, offset: line.offset + depth + 1, ending: '' };
    return { type: 'heading', depth, children: this.inline([content], content.text), position: { start: pointIn(line, 0), end: endOf(line) } };
  }

  /**
   * A fenced code block. Scanned by hand rather than with patterns: a runbook has a code block or
   * two per step, and the lines inside are looked at only for their first character.
   */
  private fencedCode(lines: Lines, i: number, out: RootContent[]): number {
    const opening = lines.at(i)!.text;
    const fence = runOf(opening, 0, 96 /* ` */);
    const info = opening.slice(fence);
    // Escapes and character references in an info string are decoded by remark.
    if (fence < 3 || info.includes('`') || /[\\&\t]/.test(info)) unsupported();
    const trimmed = info.slice(runOf(info, 0, 32));
    // The language is the info string's first word: it ends at a space (as in remark, not at
    // other Unicode white space such as a no-break space).
    const space = trimmed.indexOf(' ');
    const lang = trimmed === '' ? null : space < 0 ? trimmed : trimmed.slice(0, space);
    const meta = space < 0 ? null : trimmed.slice(space + runOf(trimmed, space, 32)) || null;
    for (let k = i + 1; k < lines.length; k++) {
      // Only a line starting with a backtick or a space can close the block.
      const c = lines instanceof DocumentLines ? lines.firstCharCode(k) : lines.at(k)!.text.charCodeAt(0);
      if (c !== 96 && c !== 32) continue;
      // A closing fence: up to three spaces, at least as many backticks as the opening one, then blanks.
      const text = lines.at(k)!.text;
      const indent = runOf(text, 0, 32);
      const ticks = runOf(text, indent, 96);
      if (indent > 3 || ticks < fence || !BLANK.test(text.slice(indent + ticks))) continue;
      if (indent !== 0 || indent + ticks !== text.length) unsupported();
      const value = this.joined(lines, i + 1, k);
      const code: Code = { type: 'code', lang, meta, value, position: { start: pointIn(lines.at(i)!, 0), end: endOf(lines.at(k)!) } };
      out.push(code);
      return k + 1;
    }
    // An unclosed fence runs to the end of its container; remark reads it, and the runbook reader reports it.
    return unsupported();
  }

  /** An HTML comment block (annotations and review markers); any other HTML is left to remark. */
  private htmlComment(lines: Lines, i: number, out: RootContent[]): number {
    const first = lines.at(i)!.text;
    if (!first.startsWith('<!--') || first.startsWith('<!-->') || first.startsWith('<!--->')) unsupported();
    for (let k = i; k < lines.length; k++) {
      const t = lines.at(k)!.text;
      if (t.includes('\t')) unsupported();
      if (!t.includes('-->', k === i ? 4 : 0)) continue;
      const value = this.joined(lines, i, k + 1);
      const html: Html = { type: 'html', value, position: { start: pointIn(lines.at(i)!, 0), end: endOf(lines.at(k)!) } };
      out.push(html);
      return k + 1;
    }
    return unsupported();
  }

  private blockquote(lines: Lines, i: number, out: RootContent[]): number {
    const content: Line[] = [];
    let k = i;
    for (; k < lines.length && lines.at(k)!.text.startsWith('>'); k++) {
      const l = lines.at(k)!;
      const prefix = l.text[1] === ' ' ? 2 : 1;
      if (l.text[1] === '\t') unsupported();
      content.push({ text: l.text.slice(prefix), line: l.line, column: l.column + prefix, offset: l.offset + prefix, ending: l.ending });
    }
    // A non-blank line right after a quote may continue its paragraph lazily; a blank last line
    // leaves where the quote ends to rules not reproduced here.
    if ((k < lines.length && !isBlank(lines.at(k)!.text)) || isBlank(content[content.length - 1]!.text)) unsupported();
    const children: RootContent[] = [];
    this.blocks(content, 0, children);
    // A list in a quote that goes on after a blank `>` line ends, in remark, after that line's `>`.
    if (children.some((child) => child.type === 'list') && content.some((l) => isBlank(l.text))) unsupported();
    const quote: Blockquote = { type: 'blockquote', children: children as Blockquote['children'], position: { start: pointIn(lines.at(i)!, 0), end: endOf(lines.at(k - 1)!) } };
    out.push(quote);
    return k;
  }

  /** A list of `- ` or `1. ` items, each indented by its marker's width. */
  private list(lines: Lines, i: number, out: RootContent[]): number {
    const ordered = !lines.at(i)!.text.startsWith('-');
    const marker = ordered ? ORDERED_ITEM : BULLET_ITEM;
    const firstMarker = marker.exec(lines.at(i)!.text);
    if (!firstMarker) unsupported();
    const items: ListItem[] = [];
    let spread = false;
    let k = i;
    for (;;) {
      const m = marker.exec(lines.at(k)!.text)!;
      const width = m[0].length;
      let last = k;
      let j = k + 1;
      for (; j < lines.length; j++) {
        const t = lines.at(j)!.text;
        if (isBlank(t)) continue;
        const indent = /^[ \t]*/.exec(t)![0];
        if (indent.includes('\t')) unsupported();
        if (indent.length < width) break;
        last = j;
      }
      const content: Line[] = [];
      for (let n = k; n <= last; n++) {
        const l = lines.at(n)!;
        if (n > k && l.text.slice(0, width).includes('\t')) unsupported();
        content.push({ text: l.text.slice(width), line: l.line, column: l.column + width, offset: l.offset + width, ending: l.ending });
      }
      const children: RootContent[] = [];
      this.blocks(content, 0, children);
      items.push({
        type: 'listItem',
        spread: children.some((child, n) => n > 0 && child.position!.start.line > children[n - 1]!.position!.end.line + 1),
        checked: null,
        children: children as ListItem['children'],
        position: { start: pointIn(lines.at(k)!, 0), end: endOf(lines.at(last)!) },
      });
      if (j >= lines.length || !marker.test(lines.at(j)!.text)) {
        // A non-blank line right after an item that is not the next item: a lazy continuation or an
        // interruption, whose rules are not reproduced here.
        if (j === last + 1 && j < lines.length) unsupported();
        const list: List = {
          type: 'list',
          ordered,
          start: ordered ? Number.parseInt(firstMarker[1]!, 10) : null,
          spread,
          children: items,
          position: { start: pointIn(lines.at(i)!, 0), end: endOf(lines.at(last)!) },
        };
        out.push(list);
        return last + 1;
      }
      if (j > last + 1) spread = true;
      k = j;
    }
  }

  private paragraph(lines: Lines, i: number, out: RootContent[]): number {
    let k = i;
    plainParagraphLine(lines.at(i)!.text);
    while (k + 1 < lines.length) {
      const t = lines.at(k + 1)!.text;
      if (isBlank(t) || interruptsParagraph(t)) break;
      plainParagraphLine(t);
      k++;
    }
    const segments = lines.slice(i, k + 1);
    const paragraph: Paragraph = { type: 'paragraph', children: this.inline(segments, this.joined(lines, i, k + 1)), position: { start: pointIn(lines.at(i)!, 0), end: endOf(lines.at(k)!) } };
    out.push(paragraph);
    return k + 1;
  }

  /**
   * The texts of `lines[from..to)` joined by their line endings. Lines of the document itself
   * (column 1) are one slice of it; lines inside a container have their prefixes cut, so they are joined.
   */
  private joined(lines: Lines, from: number, to: number): string {
    if (to <= from) return '';
    const first = lines.at(from)!;
    const last = lines.at(to - 1)!;
    if (to - from === 1) return first.text;
    if (first.column === 1) return this.text.slice(first.offset, last.offset + last.text.length);
    let joined = first.text;
    for (let i = from + 1; i < to; i++) joined += lines.at(i - 1)!.ending + lines.at(i)!.text;
    return joined;
  }

  /**
   * Inline content of consecutive lines (joined by soft line breaks): text, `code` and **strong**
   * text. It runs for every heading and paragraph: positions are found by module functions
   * rather than closures made per call.
   */
  private inline(segments: Line[], s: string): PhrasingContent[] {
    const nodes: PhrasingContent[] = [];
    let textStart = 0;
    let bracketsChecked = false;
    INLINE_SPECIAL.lastIndex = 0;
    for (let m = INLINE_SPECIAL.exec(s); m; m = INLINE_SPECIAL.exec(s)) {
      const i = m.index;
      const c = m[0];
      if (c === '[' || c === ']') {
        // Without link reference definitions, a bracket starts a link only as `[text](target)`.
        if (!bracketsChecked && (this.mayDefine || s.includes(']('))) unsupported();
        bracketsChecked = true;
        continue;
      }
      let end: number;
      let node: PhrasingContent;
      if (c === '`') {
        ({ end, node } = codeSpan(s, i, segments));
      } else if (c === '*') {
        ({ end, node } = strongSpan(s, i, segments));
      } else {
        return unsupported();
      }
      if (i > textStart) nodes.push(textNode(s, textStart, i, segments));
      nodes.push(node);
      textStart = end;
      INLINE_SPECIAL.lastIndex = end;
    }
    if (s.length > textStart) nodes.push(textNode(s, textStart, s.length, segments));
    return nodes;
  }
}

/** How many times the character `code` repeats in `s` from `from`. */
function runOf(s: string, from: number, code: number): number {
  let i = from;
  while (i < s.length && s.charCodeAt(i) === code) i++;
  return i - from;
}

function isBlank(t: string): boolean {
  if (t.length === 0) return true;
  const c = t.charCodeAt(0);
  return (c === 32 || c === 9) && BLANK.test(t);
}

/** A paragraph line as this reader handles it: no indentation, tabs or trailing spaces (hard breaks, lazy lines). */
function plainParagraphLine(t: string): void {
  if (t[0] === ' ' || t.endsWith(' ') || t.includes('\t')) unsupported();
}

/**
 * Whether a non-blank line after a paragraph line starts a new block; unsupported when it might
 * be a setext underline, a thematic break, a list item or an HTML block.
 */
function interruptsParagraph(t: string): boolean {
  const c = t[0]!;
  if (c === '#') return ATX_HEADING.test(t);
  if (c === '`') return t.startsWith('```');
  if (c === '>') return true;
  if (c === '<') return t.startsWith('<!--') || unsupported();
  if (c === '-' || c === '=' || c === '+' || c === '_' || c === '~' || c === ' ' || c === '\t' || THEMATIC_BREAK.test(t) || LIST_MARKER.test(t)) unsupported();
  return false;
}

/** A code span opening at `i`: its run of backticks closes at the next run of the same length on the same line. */
function codeSpan(s: string, i: number, segments: Line[]): { end: number; node: PhrasingContent } {
  let n = i;
  while (s[n] === '`') n++;
  const fence = n - i;
  for (let pos = n; ; ) {
    const close = s.indexOf('`', pos);
    if (close < 0) return unsupported();
    let closeEnd = close;
    while (s[closeEnd] === '`') closeEnd++;
    if (closeEnd - close !== fence) {
      pos = closeEnd;
      continue;
    }
    let value = s.slice(n, close);
    if (value.includes('\n')) unsupported();
    if (value.length > 1 && value[0] === ' ' && value[value.length - 1] === ' ' && /[^ ]/.test(value)) value = value.slice(1, -1);
    return { end: closeEnd, node: { type: 'inlineCode', value, position: { start: pointAt(segments, i), end: pointAt(segments, closeEnd) } } };
  }
}

/**
 * `**text**` opening at `i` after a space or the start of a line, around text with nothing special
 * in it; any other use of `*` is left to remark (its flanking rules are not reproduced here).
 */
function strongSpan(s: string, i: number, segments: Line[]): { end: number; node: PhrasingContent } {
  const before = i === 0 ? ' ' : s[i - 1]!;
  const first = s[i + 2];
  if (s[i + 1] !== '*' || (before !== ' ' && before !== '\n') || first === undefined || first === '*' || /\s/.test(first)) unsupported();
  const close = s.indexOf('*', i + 2);
  if (close < 0 || s[close + 1] !== '*' || s[close + 2] === '*') unsupported();
  const inner = s.slice(i + 2, close);
  const last = s[close - 1]!;
  const after = s[close + 2];
  if (/[`_\\&<[\]\n]/.test(inner) || last === ' ' || last.charCodeAt(0) > 127) unsupported();
  if (after !== undefined && after !== ' ' && after !== '\n' && ASCII_PUNCTUATION.test(last)) unsupported();
  const end = close + 2;
  const text: Text = { type: 'text', value: inner, position: { start: pointAt(segments, i + 2), end: pointAt(segments, close) } };
  return { end, node: { type: 'strong', children: [text], position: { start: pointAt(segments, i), end: pointAt(segments, end) } } };
}

/** The text node of `s[from..to)`, inline content of `segments` joined by their line endings. */
function textNode(s: string, from: number, to: number, segments: Line[]): Text {
  // A text run ending in a line break ends at the next line's first column in remark, which may lie in a container's prefix.
  if (s.charCodeAt(to - 1) === 10) unsupported();
  return { type: 'text', value: s.slice(from, to), position: { start: pointAt(segments, from), end: pointAt(segments, to) } };
}

/** The point of `index` in inline content made of `segments` joined by their line endings. */
function pointAt(segments: Line[], index: number): Point {
  let n = 0;
  let start = 0;
  while (n + 1 < segments.length && start + segments[n]!.text.length + segments[n]!.ending.length <= index) {
    start += segments[n]!.text.length + segments[n]!.ending.length;
    n++;
  }
  return pointIn(segments[n]!, index - start);
}

function pointIn(line: Line, index: number): Point {
  return { line: line.line, column: line.column + index, offset: line.offset + index };
}

function endOf(line: Line): Point {
  return pointIn(line, line.text.length);
}
