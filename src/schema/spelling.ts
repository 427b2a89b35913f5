/**
 * How to write what the schema found missing or malformed, in the syntax the runbook is written in.
 *
 * The schema sees one shape of data for both syntaxes, but an author does not write that shape in
 * Markdown: a summary is a paragraph under the `#` heading, an id is an annotation comment under a
 * heading, a step's kind is the block under its `###` heading. "Missing property `summary`" tells a
 * Markdown author nothing they can act on; these hints say what to write, and where.
 */
import type { PathSegment, SourceDocument } from '../parser/source-document.js';
import { slug } from '../util/slug.js';

/** What a step's kind is called in each syntax, in the order the schema lists the kinds. */
export const STEP_KIND_SPELLINGS = {
  run: { yaml: '`run`', markdown: 'a ```powershell block (`run`)' },
  manual: { yaml: '`manual`', markdown: 'a numbered list (`manual`)' },
  wait: { yaml: '`wait`', markdown: 'a ```powershell wait block (`wait`)' },
  check: { yaml: '`check`', markdown: 'a ```powershell check block (`check`)' },
  confirm: { yaml: '`confirm`', markdown: 'a **Confirm:** paragraph (`confirm`)' },
  cau: { yaml: '`cau`', markdown: 'a ```yaml cau block (`cau`)' },
} as const;

export type StepKind = keyof typeof STEP_KIND_SPELLINGS;

/** The properties that give a step its kind (the schema's `oneOf`), in the schema's order. */
export const STEP_KINDS = Object.keys(STEP_KIND_SPELLINGS) as StepKind[];

/**
 * How to write the property `missing` of the object at `path`, as the end of a sentence that
 * starts "Missing property `x` in ..., expected ", or undefined when the property is written the
 * same way in both syntaxes and its name says it all.
 */
export function missingPropertyHint(doc: SourceDocument, path: readonly PathSegment[], missing: string): string | undefined {
  const place = placeKind(path);
  if (missing === 'id' && (place === 'phase' || place === 'step')) {
    const id = slug(titleAt(doc.data, path) ?? '', place);
    if (doc.syntax !== 'markdown') return `an id such as \`id: ${id}\``;
    return `\`id: ${id}\` in the annotation right under its ${place === 'phase' ? '`##`' : '`###`'} heading (\`<!-- id: ${id} -->\`)`;
  }
  if (missing === 'timeoutMinutes' && place === 'step') {
    const where = doc.syntax === 'markdown' ? ' in the annotation under its `###` heading' : '';
    return `how long to wait at most, such as \`timeoutMinutes: 30\`${where} (a wait must end)`;
  }
  if (doc.syntax !== 'markdown') return undefined;
  if (place === 'runbook') {
    if (missing === 'title') return 'a `#` heading with the runbook\'s title';
    if (missing === 'summary') return 'a paragraph right under the `#` heading that says what the runbook does';
    if (missing === 'phases') return 'a `##` heading for each phase';
    // Every other runbook property is written in the front matter.
    return `\`${missing}: ...\` in the front matter (the YAML between the \`---\` lines at the top of the file)`;
  }
  if (place === 'phase') {
    if (missing === 'scope') return '`scope: cluster`, `scope: each-node` or `scope: orchestrator` in the annotation under its `##` heading';
    if (missing === 'steps') return 'a `###` heading for each of its steps';
  }
  return undefined;
}

/** A step's kinds in the runbook's syntax: "`run`" in YAML, "a ```powershell block (`run`)" in Markdown. */
export function stepKindSpelling(doc: SourceDocument, kind: StepKind): string {
  return STEP_KIND_SPELLINGS[kind][doc.syntax === 'markdown' ? 'markdown' : 'yaml'];
}

/**
 * The end of an "expected a string" or "expected true or false" message when YAML read a value
 * otherwise than the author meant: `version: 1.0` is the number 1; `reboots: yes` is the string
 * `yes` in YAML 1.2, which runbooks are read as, not true.
 */
export function spellingHint(expected: unknown, value: unknown): string {
  if (expected === 'string' && typeof value === 'number') return ' (in quotes: YAML reads an unquoted number as a number, so `1.0` becomes `1`)';
  if (expected === 'string' && typeof value === 'boolean') return ' (in quotes: YAML reads an unquoted `true` or `false` as true or false)';
  if (expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) return `: write \`${/^(yes|on|y)$/i.test(value) ? 'true' : 'false'}\` (YAML 1.2 reads \`${value}\` as a string)`;
  return '';
}

function placeKind(path: readonly PathSegment[]): 'runbook' | 'phase' | 'step' | 'other' {
  if (path.length === 0) return 'runbook';
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && parent === 'phases' && path.length === 2) return 'phase';
  if (typeof last === 'number' && parent === 'steps') return 'step';
  return 'other';
}

function titleAt(data: unknown, path: readonly PathSegment[]): string | undefined {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  const title = v && typeof v === 'object' ? (v as { title?: unknown }).title : undefined;
  return typeof title === 'string' ? title : undefined;
}
