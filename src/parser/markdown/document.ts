/**
 * A parsed Markdown runbook (mdast) -> the runbook as plain data, in the same shape as the YAML
 * form, plus the position of every value in the .md file. Schema validation and IR building then
 * treat it exactly like a YAML runbook; the dialect itself is described in docs/markdown-format.md.
 */
import type { Blockquote, Code, Heading, Html, List, Paragraph, Root, RootContent, Yaml } from 'mdast';
import type { MarkdownBlocks } from './fast-tree.js';
import { compareDiagnostics, diagnosticAt, type Diagnostic, type RuleMeta } from '../../diagnostics.js';
import type { SourceSpan } from '../../model/runbook.js';
import { MARKDOWN_CODES } from './codes.js';
import { parseEmbeddedYaml, type Located, type PathSegment } from './embedded-yaml.js';
import { LineIndex } from '../line-index.js';
import { loadRunbookSchema } from '../../schema/load.js';
import { STEP_KINDS } from '../../schema/spelling.js';
import { LocationTrie } from './locations.js';
import { endOf, inlineMarkdown, startOf, unclosedFence } from './text.js';

/** Structurally a SourceDocument (src/parser/source-document.ts). */
export interface MarkdownSourceDocument {
  file: string;
  syntax: 'markdown';
  data: unknown;
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): SourceSpan;
  commandLines(path: readonly PathSegment[]): Array<{ line: number; column: number }> | undefined;
}

export interface MarkdownDocumentResult {
  document?: MarkdownSourceDocument;
  diagnostics: Diagnostic[];
}

/** Languages of fenced blocks that hold runbook PowerShell. */
const POWERSHELL_LANGUAGES = new Set(['powershell', 'pwsh', 'ps', 'ps1']);
/** The word after the language of a PowerShell block, and the step property it spells. */
const CODE_ROLES: Record<string, string> = { run: 'run', check: 'check', wait: 'wait', verify: 'verify', probe: 'probe' };
/** Bold labels that start a paragraph, and the step property the rest of the paragraph spells. */
const LABELS: Record<string, string> = { 'if it fails': 'failMessage', 'on timeout': 'onTimeout', confirm: 'confirm', record: 'record' };
/** GitHub alert / Learn note kinds that mark a step irreversible; the alert's text is the reason. */
const IRREVERSIBLE_ALERTS = new Set(['WARNING', 'CAUTION']);
const ALERT_MARKER = /^\[!([A-Za-z]+)\][ \t]*\r?\n?/;
const REVIEW_MARKER = /^\s*review:/;

type Data = Record<string, unknown>;

interface Container {
  data: Data;
  /** The container's node in the trie of locations. */
  where: number;
  /** What the container is called in messages: "step `drain-node`". */
  label: () => string;
}

/** A runbook read from a whole mdast tree (remark's, or fast-tree.ts's). */
export function documentFromMarkdown(tree: Root, text: string, file: string): MarkdownDocumentResult {
  let next = 0;
  const blocks = { next: () => tree.children[next++] };
  return new MarkdownRunbookReader(blocks, text, file, tree).read();
}

/**
 * A runbook read from top-level blocks as fast-tree.ts hands them out, one at a time. Throws what
 * MarkdownBlocks.next throws when the text leaves what that reader handles.
 */
export function documentFromMarkdownBlocks(blocks: MarkdownBlocks, text: string, file: string): MarkdownDocumentResult {
  return new MarkdownRunbookReader(blocks, text, file, undefined, blocks.lineIndex).read();
}

class MarkdownRunbookReader {
  private readonly index: LineIndex;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locations: LocationTrie;
  private readonly reviewMarkers: Array<{ span: SourceSpan; text: string }> = [];
  /** Fenced blocks whose closing fence is missing; their content is not trusted as a command. */
  private readonly unclosed = new Set<Code>();
  private readonly root: Container;
  private phases: Data[] = [];

  /**
   * `tree`, when the blocks come from a whole tree: one that remark built may hold fenced blocks
   * without a closing fence. fast-tree.ts reads none, so its blocks need no looking for them.
   * `index`, the line index of `text` when the block reader has one already.
   */
  constructor(
    private readonly blocks: Pick<MarkdownBlocks, 'next'>,
    private readonly text: string,
    private readonly file: string,
    private readonly tree?: Root,
    index?: LineIndex,
  ) {
    this.index = index ?? new LineIndex(text);
    // Room for a position per 16 characters, about twice what runbooks have; the columns grow when
    // a text needs more, and the room a text does not use is never touched.
    this.locations = new LocationTrie(text.length >> 4);
    this.root = { data: {}, where: this.locations.root, label: () => 'the runbook' };
  }

  read(): MarkdownDocumentResult {
    // The document's blocks, with one of lookahead (a heading's annotation comment follows it).
    let node = this.blocks.next();
    let following = node && this.blocks.next();
    const advance = () => {
      node = following;
      following = node && this.blocks.next();
    };
    if (node?.type === 'yaml') {
      this.readFrontMatter(node);
      advance();
    }
    this.locations.place(this.locations.root, 0, this.text.length);
    if (this.tree) this.findUnclosedFences(this.tree);

    // Split the document at its headings: a title, phases (##) and steps (###).
    let container: Container = this.root;
    let body: RootContent[] = [];
    let kind: 'preamble' | 'runbook' | 'phase' | 'step' = 'preamble';
    let sawTitle = false;
    let phase: Container | undefined;
    let phaseSteps: Data[] = [];
    const flush = () => {
      if (kind === 'runbook') this.readProse(container, body, 'summary');
      else if (kind === 'phase') this.readProse(container, body, 'description', true);
      else if (kind === 'step') this.readStepBody(container, body);
      else this.readIgnored(body);
      body = [];
    };
    for (; node; advance()) {
      if (node.type !== 'heading' || node.depth > 3) {
        body.push(node);
        continue;
      }
      flush();
      const heading = node;
      const annotation = this.annotation(following);
      if (annotation) advance();
      if (heading.depth === 1) {
        if (sawTitle || phase) {
          this.report(MARKDOWN_CODES.structure, this.spanOf(heading), 'Unexpected second `#` title, expected one `#` title at the top, then `##` phases and `###` steps');
          kind = 'preamble';
          continue;
        }
        sawTitle = true;
        container = this.root;
        kind = 'runbook';
        this.setTitle(container, heading);
        if (annotation) this.report(MARKDOWN_CODES.annotation, this.spanOf(annotation), 'Unexpected annotation under the `#` title, expected runbook properties in the front matter');
      } else if (heading.depth === 2) {
        const index = this.phases.length;
        const data: Data = {};
        phaseSteps = [];
        this.phases.push(data);
        phase = { data, where: this.locations.descendantOf(this.locations.root, ['phases', index]), label: () => `phase \`${String(data.id ?? index + 1)}\`` };
        container = phase;
        kind = 'phase';
        this.locations.place(phase.where, startOf(heading), endOf(heading));
        if (annotation) this.readAnnotation(phase, annotation);
        this.setTitle(phase, heading);
        data.steps = phaseSteps;
        this.locations.place(this.locations.childOf(phase.where, 'steps'), startOf(heading), endOf(heading));
      } else {
        if (!phase) {
          this.report(MARKDOWN_CODES.structure, this.spanOf(heading), 'Unexpected `###` step before the first `##` phase, expected each step under a phase heading');
          kind = 'preamble';
          continue;
        }
        const index = phaseSteps.length;
        const data: Data = {};
        phaseSteps.push(data);
        container = { data, where: this.locations.descendantOf(phase.where, ['steps', index]), label: () => `step \`${String(data.id ?? data.title ?? index + 1)}\`` };
        kind = 'step';
        this.locations.place(container.where, startOf(heading), endOf(heading));
        if (annotation) this.readAnnotation(container, annotation);
        this.setTitle(container, heading);
      }
    }
    flush();
    if (this.phases.length > 0 || !('phases' in this.root.data)) this.root.data.phases = this.phases;
    this.reportReviewMarkers();

    const diagnostics = this.diagnostics.sort(compareDiagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
    const { locations, index, file } = this;
    const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): SourceSpan => {
      const at = locations.positionOf(path, part);
      return at ? index.span(file, at.start, at.end) : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    };
    const commandLines = (path: readonly PathSegment[]) => locations.commandLinesAt(path)?.map((offset) => index.point(offset));
    return { document: { file, syntax: 'markdown', data: this.root.data, locate, commandLines }, diagnostics };
  }

  // --- front matter and annotations ---------------------------------------------------------

  private readFrontMatter(node: Yaml): void {
    const start = startOf(node);
    const newline = this.text.indexOf('\n', start);
    const contentStart = this.text.startsWith(node.value, newline + 1) ? newline + 1 : this.text.indexOf(node.value, start);
    const parsed = parseEmbeddedYaml(node.value, (o) => contentStart + o, this.index, this.file);
    for (const e of parsed.errors.slice(0, 1)) this.report(MARKDOWN_CODES.frontMatter, e.span, e.message);
    if (parsed.errors.length > 0) return;
    if (parsed.data === null || parsed.data === undefined) return;
    if (!isPlainObject(parsed.data)) {
      this.report(MARKDOWN_CODES.frontMatter, this.spanOf(node), 'Unexpected front matter that is not a mapping, expected `key: value` lines such as `runbook: my-runbook`');
      return;
    }
    this.merge(this.root, parsed.data, parsed.locations, node);
  }

  /** The block right under a heading (possibly after a blank line), if it is an HTML comment and not a review marker. */
  private annotation(next: RootContent | undefined): Html | undefined {
    if (next?.type !== 'html' || !next.value.startsWith('<!--')) return undefined;
    if (REVIEW_MARKER.test(next.value.slice(4))) return undefined;
    return next;
  }

  private readAnnotation(container: Container, node: Html): void {
    const close = node.value.lastIndexOf('-->');
    if (close < 4 || node.value.slice(close + 3).trim() !== '') {
      this.report(MARKDOWN_CODES.annotation, this.spanOf(node), 'Unexpected content after the annotation comment, expected the comment to end with `-->` on its own');
      return;
    }
    const inner = node.value.slice(4, close);
    const trimmed = inner.trim();
    const contentStart = startOf(node) + 4;
    let source = inner;
    let toFileOffset = (o: number) => contentStart + o;
    if (!trimmed.includes('\n') && !trimmed.startsWith('{')) {
      // One-line annotations are a YAML flow mapping without its braces: `id: x, scope: cluster`.
      source = `{${inner}}`;
      toFileOffset = (o: number) => contentStart + Math.max(0, Math.min(o - 1, inner.length));
    }
    if (trimmed === '') return;
    const parsed = parseEmbeddedYaml(source, toFileOffset, this.index, this.file);
    if (parsed.errors.length > 0) {
      this.report(MARKDOWN_CODES.annotation, parsed.errors[0]!.span, `${parsed.errors[0]!.message} in the annotation comment`);
      return;
    }
    if (!isPlainObject(parsed.data)) {
      this.report(
        MARKDOWN_CODES.annotation,
        this.spanOf(node),
        `Unexpected annotation \`${trimmed.slice(0, 40)}\`, expected \`key: value\` pairs such as \`id: my-step\``,
      );
      return;
    }
    this.merge(container, parsed.data, parsed.locations, node);
  }

  /** Sets each property of `data`, placed where `locations` says (else at the whole of `node`, the block that spelled them). */
  private merge(container: Container, data: Data, locations: Located[], node: Yaml | Html): void {
    // The readers list the properties' locations in the order of the properties: look ahead from
    // the last one found rather than search the whole list for each property.
    let next = 0;
    const locationOf = (key: string): Located | undefined => {
      for (let n = 0; n < locations.length; n++) {
        const l = locations[(next + n) % locations.length]!;
        if (l.path.length === 1 && l.path[0] === key) {
          next = (next + n + 1) % locations.length;
          return l;
        }
      }
      return undefined;
    };
    // Indexed loops here and in the body readers: they run for every phase and step, mostly before
    // the optimizing compiler has caught up, where a for...of pays for the iterator protocol.
    const keys = Object.keys(data);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const where = locationOf(key);
      if (where) this.set(container, key, data[key], where.start, where.end, where.keyStart, where.keyEnd);
      else this.set(container, key, data[key], startOf(node), endOf(node), startOf(node), endOf(node));
    }
    for (let k = 0; k < locations.length; k++) {
      const l = locations[k]!;
      if (l.path.length > 1) this.locations.place(this.locations.descendantOf(container.where, l.path), l.start, l.end, l.keyStart, l.keyEnd);
    }
  }

  // --- prose, steps and their spellings -----------------------------------------------------------

  private setTitle(container: Container, heading: Heading): void {
    const first = heading.children[0];
    const last = heading.children[heading.children.length - 1];
    const title = first && last ? inlineMarkdown(this.text, startOf(first), endOf(last)) : '';
    const start = first && last ? startOf(first) : startOf(heading);
    const end = first && last ? endOf(last) : endOf(heading);
    this.set(container, 'title', title, start, end, startOf(heading), endOf(heading));
  }

  /** Paragraphs right under a heading are its summary or description; everything else is commentary. */
  private readProse(container: Container, body: RootContent[], key: string, warnAboutCode = false): void {
    const parts: Array<{ text: string; start: number; end: number }> = [];
    let inLead = true;
    for (let b = 0; b < body.length; b++) {
      const node = body[b]!;
      if (node.type === 'paragraph' && inLead) {
        parts.push({ text: this.paragraphText(node), start: startOf(node), end: endOf(node) });
        continue;
      }
      if (node.type === 'html') {
        this.readBodyComment(node);
        continue;
      }
      inLead = false;
      if (warnAboutCode && node.type === 'code' && POWERSHELL_LANGUAGES.has((node.lang ?? '').toLowerCase())) {
        this.report(
          MARKDOWN_CODES.structure,
          this.spanOf(node),
          `Unexpected PowerShell code block outside a step in ${container.label()}, expected it under a \`###\` step heading (it would never run)`,
          'warning',
        );
      }
    }
    if (parts.length > 0) {
      this.set(container, key, parts.map((p) => p.text).join('\n\n'), parts[0]!.start, parts[parts.length - 1]!.end);
    }
  }

  private readIgnored(body: RootContent[]): void {
    for (let b = 0; b < body.length; b++) {
      const node = body[b]!;
      if (node.type === 'html') this.readBodyComment(node);
    }
  }

  private readStepBody(step: Container, body: RootContent[]): void {
    const description: Paragraph[] = [];
    let inLead = true;
    let recordLabel: Paragraph | undefined;
    /** The first code block that is commentary (another language, or none). */
    let otherCode: Code | undefined;
    for (let b = 0; b < body.length; b++) {
      const node = body[b]!;
      if (node.type === 'html') {
        this.readBodyComment(node);
        continue;
      }
      const pendingRecord = recordLabel;
      recordLabel = undefined;
      if (pendingRecord && node.type !== 'list') {
        this.report(MARKDOWN_CODES.structure, this.spanOf(pendingRecord), 'Unexpected `**Record:**` without a list under it, expected a bulleted list of what to record');
      }
      if (node.type === 'paragraph') {
        const label = this.labelOf(node);
        if (label) {
          inLead = false;
          if (label.key === 'record' && label.value === '') recordLabel = node;
          else this.set(step, label.key, label.key === 'record' ? [label.value] : label.value, label.valueStart, endOf(node), startOf(node.children[0]!), endOf(node.children[0]!));
        } else if (inLead) {
          description.push(node);
        }
        continue;
      }
      inLead = false;
      if (node.type === 'code') {
        if (!this.readCode(step, node)) otherCode ??= node;
      }
      else if (node.type === 'list') this.readList(step, node, pendingRecord ? 'record' : 'manual');
      else if (node.type === 'blockquote') this.readAlert(step, node);
    }
    if (recordLabel) {
      this.report(MARKDOWN_CODES.structure, this.spanOf(recordLabel), 'Unexpected `**Record:**` without a list under it, expected a bulleted list of what to record');
    }
    // A step whose only command is in a block of another language has no kind: say why, at the block.
    if (otherCode && !STEP_KINDS.some((kind) => kind in step.data)) {
      const what = otherCode.lang ? `\`\`\`${otherCode.lang} block` : 'code block without a language';
      this.report(
        MARKDOWN_CODES.codeBlock,
        this.fenceLineSpan(otherCode),
        `Unexpected ${what} as the only command of ${step.label()}, which has no kind, expected a \`\`\`powershell block or another spelling of a step's kind (a block of another language, or of none, is commentary and never runs)`,
      );
    }
    if (description.length > 0) {
      const text = description.map((p) => this.paragraphText(p)).join('\n\n');
      this.set(step, 'description', text, startOf(description[0]!), endOf(description[description.length - 1]!));
    }
  }

  /** Reads a step's code block; false when it is commentary (another language, or none). */
  private readCode(step: Container, node: Code): boolean {
    if (this.unclosed.has(node)) return true;
    const lang = (node.lang ?? '').toLowerCase();
    const words = (node.meta ?? '').trim().split(/\s+/).filter(Boolean);
    if (POWERSHELL_LANGUAGES.has(lang)) {
      const role = (words[0] ?? 'run').toLowerCase();
      const key = CODE_ROLES[role];
      if (!key) {
        this.report(
          MARKDOWN_CODES.codeBlock,
          this.fenceLineSpan(node),
          `Unexpected code block role \`${words[0]}\`, expected nothing (a command to run) or one of \`check\`, \`wait\`, \`verify\`, \`probe\` after \`${node.lang}\``,
        );
        return true;
      }
      const lineOffsets = this.codeLineOffsets(node);
      this.set(step, key, node.value, this.codeContentStart(node, lineOffsets), this.codeContentEnd(node, lineOffsets), startOf(node), this.fenceLineEnd(node));
      this.locations.setCommandLines(this.locations.childOf(step.where, key), lineOffsets);
      return true;
    }
    if (lang === 'yaml' && words[0]?.toLowerCase() === 'cau') {
      // Offsets in the block's text -> offsets in the file, line by line (the block may be indented).
      const fileLineStarts = this.codeLineOffsets(node);
      const valueLineStarts: number[] = [];
      let offset = 0;
      for (const line of node.value.split('\n')) {
        valueLineStarts.push(offset);
        offset += line.length + 1;
      }
      const toFileOffset = (o: number) => {
        let k = 0;
        while (k + 1 < valueLineStarts.length && valueLineStarts[k + 1]! <= o) k++;
        return (fileLineStarts[k] ?? startOf(node)) + (o - valueLineStarts[k]!);
      };
      const parsed = parseEmbeddedYaml(node.value, toFileOffset, this.index, this.file);
      for (const e of parsed.errors.slice(0, 1)) this.report(MARKDOWN_CODES.codeBlock, e.span, `${e.message} in the \`yaml cau\` block`);
      if (parsed.errors.length > 0) return true;
      this.set(step, 'cau', parsed.data, this.codeContentStart(node, fileLineStarts), this.codeContentEnd(node, fileLineStarts), startOf(node), this.fenceLineEnd(node));
      const cau = this.locations.childOf(step.where, 'cau');
      for (const l of parsed.locations) if (l.path.length > 0) this.locations.place(this.locations.descendantOf(cau, l.path), l.start, l.end, l.keyStart, l.keyEnd);
      return true;
    }
    // Any other block (sample output, console transcripts) is commentary for the reader.
    return false;
  }

  private readList(step: Container, node: List, key: 'manual' | 'record'): void {
    const items: string[] = [];
    const listNode = this.locations.childOf(step.where, key);
    node.children.forEach((item, k) => {
      const first = item.children[0];
      const last = item.children[item.children.length - 1];
      const text = first && last ? inlineMarkdown(this.text, startOf(first), endOf(last)).replace(/^\[[ xX]\]\s+/, '') : '';
      items.push(text);
      if (first && last) this.locations.place(this.locations.childOf(listNode, k), startOf(first), endOf(last));
      else this.locations.place(this.locations.childOf(listNode, k), startOf(item), endOf(item));
    });
    this.set(step, key, items, startOf(node), endOf(node));
  }

  private readAlert(step: Container, node: Blockquote): void {
    const first = node.children[0];
    if (first?.type !== 'paragraph') return;
    const lead = first.children[0];
    if (lead?.type !== 'text') return;
    const marker = ALERT_MARKER.exec(lead.value);
    if (!marker || !IRREVERSIBLE_ALERTS.has(marker[1]!.toUpperCase())) return;
    // The marker's line ends the marker; the reason starts on the next line, after its `>` prefix.
    let reasonStart = startOf(lead) + marker[0].trimEnd().length;
    reasonStart += /^[\s>]*/.exec(this.text.slice(reasonStart, endOf(first)))![0].length;
    const paragraphs = [inlineMarkdown(this.text, reasonStart, endOf(first))];
    for (const p of node.children.slice(1)) if (p.type === 'paragraph') paragraphs.push(this.paragraphText(p));
    const reason = paragraphs.filter((p) => p !== '').join('\n\n');
    this.set(step, 'irreversible', { reason }, reasonStart, endOf(node), startOf(lead), startOf(lead) + marker[0].trimEnd().length);
    this.locations.place(this.locations.descendantOf(step.where, ['irreversible', 'reason']), reasonStart, endOf(node));
  }

  /** The step property a paragraph's leading bold label spells, with its value and where the value starts. */
  private labelOf(node: Paragraph): { key: string; value: string; valueStart: number } | undefined {
    const strong = node.children[0];
    if (strong?.type !== 'strong') return undefined;
    const labelText = strong.children.map((c) => ('value' in c ? c.value : '')).join('').trim();
    const key = LABELS[labelText.replace(/:$/, '').trim().toLowerCase()];
    if (!key) return undefined;
    let valueStart = endOf(strong);
    const rest = this.text.slice(valueStart, endOf(node));
    const colon = /^\s*:?\s*/.exec(rest)![0].length;
    if (!labelText.endsWith(':') && !rest.trimStart().startsWith(':')) return undefined;
    valueStart += colon;
    return { key, value: inlineMarkdown(this.text, valueStart, endOf(node)), valueStart };
  }

  private paragraphText(node: Paragraph): string {
    return inlineMarkdown(this.text, startOf(node), endOf(node));
  }

  // --- code fences ---------------------------------------------------------------------------------

  /**
   * Reports every fenced block, at any depth, whose closing fence is missing: remark silently runs
   * such a block to the end of its container, swallowing the prose after it into the command.
   */
  private findUnclosedFences(node: { type: string; children?: unknown[] }): void {
    if (node.type === 'code') {
      const code = node as Code;
      const fence = unclosedFence(code, this.index);
      if (!fence || !code.position) return;
      this.unclosed.add(code);
      this.report(
        MARKDOWN_CODES.codeBlock,
        this.fenceLineSpan(code),
        `Unexpected code fence without a closing \`${fence}\`, expected a closing fence after the command (lines ${code.position.start.line + 1}-${code.position.end.line} were swallowed into the block)`,
      );
      return;
    }
    for (const child of node.children ?? []) this.findUnclosedFences(child as { type: string; children?: unknown[] });
  }

  /** File offset of the start of each content line of a fenced block. */
  private codeLineOffsets(node: Code): number[] {
    const startLine = node.position!.start.line + 1;
    const value = node.value;
    const offsets: number[] = [];
    for (let k = 0, from = 0; ; k++) {
      const eol = value.indexOf('\n', from);
      let lineEnd = eol < 0 ? value.length : eol;
      // A block of a file with CR LF line endings keeps them in its value.
      if (lineEnd > from && value.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      const valueLineLength = lineEnd - from;
      offsets.push(this.index.offset(startLine + k, 1) + Math.max(0, this.index.lineLength(startLine + k) - valueLineLength));
      // Copied to its size: the list is kept for every command of the runbook until the IR is
      // built, and a list grown by push keeps room for 17 entries (2.4 MB for 10,000 steps).
      if (eol < 0) return offsets.slice();
      from = eol + 1;
    }
  }

  /** Where the content of a fenced block starts (its opening fence, for an empty block); `lineOffsets`: codeLineOffsets. */
  private codeContentStart(node: Code, lineOffsets: number[]): number {
    return node.value === '' ? startOf(node) : lineOffsets[0]!;
  }

  private codeContentEnd(node: Code, lineOffsets: number[]): number {
    if (node.value === '') return this.fenceLineEnd(node);
    const lastLineLength = node.value.length - (node.value.lastIndexOf('\n') + 1);
    return lineOffsets[lineOffsets.length - 1]! + lastLineLength;
  }

  /** Where the line of a fenced block's opening fence ends. */
  private fenceLineEnd(node: Code): number {
    const line = node.position!.start.line;
    return this.index.offset(line, 1) + this.index.lineLength(line);
  }

  private fenceLineSpan(node: Code): SourceSpan {
    return this.span(startOf(node), this.fenceLineEnd(node));
  }

  // --- review markers --------------------------------------------------------------------------------

  /**
   * An HTML comment among a heading's blocks: a review marker, or an annotation out of its place.
   * An annotation below a heading's first block, or under a `####` heading, is commentary to
   * Markdown; its properties (an id, `reboots: true`, a waiver) would be silently lost.
   */
  private readBodyComment(node: Html): void {
    this.collectReviewMarker(node);
    const firstKey = /^<!--\s*\{?\s*([A-Za-z]+)\s*:/.exec(node.value)?.[1];
    if (firstKey !== undefined && annotationKeys().has(firstKey)) {
      this.report(
        MARKDOWN_CODES.annotation,
        this.spanOf(node),
        'Unexpected annotation comment away from its heading, expected it right under the `##` phase or `###` step heading it belongs to (a blank line in between is allowed; `####` and deeper headings are commentary, not steps)',
      );
    }
  }

  private collectReviewMarker(node: Html): void {
    const re = /<!--\s*review:([\s\S]*?)-->/g;
    for (let m = re.exec(node.value); m; m = re.exec(node.value)) {
      const start = startOf(node) + m.index;
      this.reviewMarkers.push({ span: this.span(start, start + m[0].length), text: m[1]!.replace(/\s+/g, ' ').trim() });
    }
  }

  private reportReviewMarkers(): void {
    const draft = this.root.data.draft === true;
    for (const marker of this.reviewMarkers) {
      this.report(
        MARKDOWN_CODES.reviewPending,
        marker.span,
        `Unexpected unresolved import review (${marker.text}), expected the marker removed once the draft says what the procedure does`,
        draft ? 'warning' : 'error',
      );
    }
  }

  // --- data, positions, diagnostics --------------------------------------------------------------

  /** Sets a property of a container, spelled at file offsets `valueStart`..`valueEnd` (its key, if any, at `keyStart`..`keyEnd`). */
  private set(container: Container, key: string, value: unknown, valueStart: number, valueEnd: number, keyStart = -1, keyEnd = -1): void {
    const where = this.locations.childOf(container.where, key);
    const spelledStart = keyStart >= 0 ? keyStart : valueStart;
    const spelledEnd = keyStart >= 0 ? keyEnd : valueEnd;
    if (!this.locations.spell(where, spelledStart, spelledEnd)) {
      const earlier = this.locations.spelledAt(where);
      const d = diagnosticAt(
        MARKDOWN_CODES.structure,
        this.span(spelledStart, spelledEnd),
        `Unexpected second \`${key}\` in ${container.label()}, expected it once (a step has one command of each role, one list of instructions and one alert of each kind)`,
      );
      d.related = { message: `\`${key}\` was first given here`, span: this.span(earlier.start, earlier.end) };
      this.diagnostics.push(d);
      return;
    }
    // A key `__proto__` becomes a property for the schema to report, as in a YAML runbook, not the object's prototype.
    if (key === '__proto__') Object.defineProperty(container.data, key, { value, enumerable: true, writable: true, configurable: true });
    else container.data[key] = value;
    this.locations.place(where, valueStart, valueEnd, keyStart, keyEnd);
  }

  private report(meta: RuleMeta, span: SourceSpan, message: string, severity = meta.defaultSeverity): void {
    this.diagnostics.push(diagnosticAt(meta, span, message, severity));
  }

  private span(start: number, end: number): SourceSpan {
    return this.index.span(this.file, start, end);
  }

  private spanOf(node: { position?: Heading['position'] }): SourceSpan {
    return this.span(startOf(node), endOf(node));
  }
}

let phaseAndStepKeys: Set<string> | undefined;

/** The properties a phase or step annotation may hold (the schema's), read when a comment needs them. */
function annotationKeys(): Set<string> {
  if (!phaseAndStepKeys) {
    const defs = loadRunbookSchema().$defs as Record<string, { properties: Record<string, unknown> }>;
    phaseAndStepKeys = new Set([...Object.keys(defs.phase!.properties), ...Object.keys(defs.step!.properties)]);
  }
  return phaseAndStepKeys;
}

function isPlainObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
