/**
 * Parsing a Markdown text one section at a time, cut at its top-level headings, so that the time
 * grows linearly with the text.
 *
 * Why cut at all: micromark's document tokenizer, whenever a line ends a list or block quote
 * without continuing it (every list of a runbook is followed by a heading or a `**Record:**`
 * paragraph), applies an edit to the whole list of events of the document so far, copying all of
 * them; parsing a whole runbook therefore takes time quadratic in its length (2,000 steps: 2.9 s
 * of a 4.4 s check in that copying). Parsed one section at a time, each copy is bounded by its
 * section.
 *
 * Where: a line that starts with `#` in its first column is never inside a list item (whose
 * content is indented) or a block quote (whose lines start with `>`), and it interrupts a
 * paragraph; only front matter, a fenced code block or an HTML block can hold it as content.
 * `sectionStarts` skips those the way CommonMark ends them, erring towards fewer cuts where it
 * is unsure (any line starting with `<` is taken for an HTML block that lasts until a blank line).
 *
 * Each section is parsed together with the heading line that opens the next one, so that
 * everything before that line ends exactly as it does in the whole text (the line closes every
 * open list, block quote and paragraph). A cut holds only if that line comes out as a heading of
 * the section's top level; a cut that does not hold, or a link reference definition (which
 * reaches across sections), makes the whole text be parsed at once, so a wrong guess of
 * `sectionStarts` costs time and never changes the tree.
 */
import type { Node, Root, RootContent } from 'mdast';

/**
 * Sections are at least this long (a dozen steps or so): each parse has a fixed cost (micromark
 * and mdast-util-from-markdown build their tables of constructs and handlers) that a section per
 * heading would pay thousands of times, while much longer sections bring back the copying.
 */
const MIN_SECTION_LENGTH = 4096;

interface Point {
  line: number;
  column: number;
  offset: number;
}

/** The mdast tree of `text` from `parse` run on its sections, with every position in `text`. */
export function parseInSections(text: string, parse: (piece: string) => Root, minSectionLength = MIN_SECTION_LENGTH): Root {
  const cuts = spacedCuts(sectionStarts(text), minSectionLength);
  if (cuts.length === 0) return parse(text);
  const mayDefine = text.includes(']:');
  const children: RootContent[] = [];
  let start: Point = { line: 1, column: 1, offset: 0 };
  let end = start;
  for (let k = 0; k <= cuts.length; k++) {
    const next = cuts[k];
    const section = parse(text.slice(start.offset, next ? next.lineEnd : text.length));
    if (next) {
      const heading = section.children.pop();
      if (heading?.type !== 'heading' || heading.position?.start.offset !== next.offset - start.offset) return parse(text);
    }
    if (mayDefine && section.children.some(definesReference)) return parse(text);
    for (const node of section.children) children.push(moved(node, start));
    if (section.position) end = movedPoint(section.position.end, start);
    if (next) start = { line: next.line, column: 1, offset: next.offset };
  }
  return { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end } };
}

/** The section starts that leave at least `minimum` characters between two cuts (and before the first). */
function spacedCuts(starts: readonly SectionStart[], minimum: number): SectionStart[] {
  const cuts: SectionStart[] = [];
  let last = 0;
  for (const s of starts) {
    if (s.offset - last < minimum) continue;
    cuts.push(s);
    last = s.offset;
  }
  return cuts;
}

/** A node of a section parsed on its own, with its positions (and its children's) moved to where the section starts. */
function moved<T extends Node>(node: T, sectionStart: Point): T {
  // New point objects, not shifted in place: a parser may share one point between two nodes.
  if (node.position) node.position = { start: movedPoint(node.position.start, sectionStart), end: movedPoint(node.position.end, sectionStart) };
  if ('children' in node && Array.isArray(node.children)) for (const child of node.children as Node[]) moved(child, sectionStart);
  return node;
}

/** Sections start at the start of a line, so columns stay as they are. */
function movedPoint(point: { line: number; column: number; offset?: number | undefined }, sectionStart: Point): Point {
  return { line: point.line + sectionStart.line - 1, column: point.column, offset: (point.offset ?? 0) + sectionStart.offset };
}

function definesReference(node: Node): boolean {
  if (node.type === 'definition' || node.type === 'footnoteDefinition') return true;
  return 'children' in node && Array.isArray(node.children) && (node.children as Node[]).some(definesReference);
}

/** A line that opens a heading, where a section can start. */
export interface SectionStart {
  /** Offset of the line's first character. */
  offset: number;
  /** 1-based line number, counting line endings as micromark does (CR LF, CR or LF). */
  line: number;
  /** Offset just after the line and its line ending. */
  lineEnd: number;
}

const LINE_ENDING = /\r\n|\r|\n/g;
const HEADING_LINE = /^#{1,6}(?:[ \t]|$)/;
const FRONT_MATTER_FENCE = /^---[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HTML_OPEN = /^ {0,3}</;
const BLANK = /^[ \t]*$/;

/** HTML blocks that end at a line holding a terminator (CommonMark kinds 1-5), by how they start. */
const HTML_WITH_TERMINATOR: Array<{ start: RegExp; end: RegExp }> = [
  { start: /^ {0,3}<(?:script|pre|style|textarea)(?=[ \t>]|$)/i, end: /<\/(?:script|pre|style|textarea)>/i },
  { start: /^ {0,3}<!--/, end: /-->/ },
  { start: /^ {0,3}<\?/, end: /\?>/ },
  { start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
  { start: /^ {0,3}<![A-Za-z]/, end: />/ },
];

type Inside = { kind: 'text' } | { kind: 'fence'; char: string; length: number } | { kind: 'html'; end: RegExp } | { kind: 'html-until-blank' };

/** The top-level heading lines of a Markdown text, after any front matter, in order. */
export function sectionStarts(text: string): SectionStart[] {
  const starts: SectionStart[] = [];
  let inside: Inside = { kind: 'text' };
  let lineStart = 0;
  let line = 1;
  let frontMatter = false;
  LINE_ENDING.lastIndex = 0;
  for (;;) {
    const ending = LINE_ENDING.exec(text);
    const lineEnd = ending ? ending.index : text.length;
    const next = ending ? ending.index + ending[0].length : text.length;
    const content = text.slice(lineStart, lineEnd);
    if (line === 1 && FRONT_MATTER_FENCE.test(content)) frontMatter = true;
    else if (frontMatter) frontMatter = !FRONT_MATTER_FENCE.test(content);
    else inside = nextState(inside, content, () => starts.push({ offset: lineStart, line, lineEnd: next }));
    if (!ending) break;
    lineStart = next;
    line++;
  }
  // Without a closing `---`, the opening one is not front matter; cutting nowhere is always safe.
  return frontMatter ? [] : starts;
}

/** What the line `content` leaves the scan inside of; calls `heading` when the line opens a section. */
function nextState(inside: Inside, content: string, heading: () => void): Inside {
  switch (inside.kind) {
    case 'fence': {
      const close = /^ {0,3}(`+|~+)[ \t]*$/.exec(content);
      const closes = close !== null && close[1]![0] === inside.char && close[1]!.length >= inside.length;
      return closes ? { kind: 'text' } : inside;
    }
    case 'html':
      return inside.end.test(content) ? { kind: 'text' } : inside;
    case 'html-until-blank':
      return BLANK.test(content) ? { kind: 'text' } : inside;
    case 'text': {
      if (HEADING_LINE.test(content)) {
        heading();
        return inside;
      }
      const fence = FENCE_OPEN.exec(content);
      if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) return { kind: 'fence', char: fence[1]![0]!, length: fence[1]!.length };
      if (!HTML_OPEN.test(content)) return inside;
      for (const html of HTML_WITH_TERMINATOR) {
        const start = html.start.exec(content);
        if (start) return html.end.test(content.slice(start[0].length)) ? inside : { kind: 'html', end: html.end };
      }
      return { kind: 'html-until-blank' };
    }
  }
}
