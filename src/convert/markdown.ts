/**
 * IR -> a Markdown runbook (the dialect of docs/markdown-format.md).
 *
 * Properties a reader cares about are spelled visibly (headings, paragraphs, alerts, code
 * blocks, lists); the rest goes into the annotation comment under each heading. A value that
 * would not read back exactly from its visible spelling (a description with a single line break,
 * say) is moved into the annotation instead: the serializer parses its own output and keeps
 * moving values until the Markdown reads back as the same runbook.
 */
import { Document } from 'yaml';
import type { Runbook } from '../model/runbook.js';
import { parseMarkdownTree } from '../parser/markdown.js';
import { documentFromMarkdown } from '../parser/markdown/document.js';
import { documentFromRunbook, type PlainData } from './document.js';

/** Step properties spelled in the step's body rather than in its annotation. */
const VISIBLE_STEP_KEYS = ['title', 'description', 'irreversible', 'run', 'check', 'wait', 'manual', 'confirm', 'cau', 'failMessage', 'onTimeout', 'probe', 'verify', 'record'];
const VISIBLE_PHASE_KEYS = ['title', 'description', 'steps'];
/** Step properties spelled on one line each: after a bold label, or as list items. */
const ONE_LINE_STEP_KEYS = ['failMessage', 'onTimeout', 'confirm', 'manual', 'record'];
const VISIBLE_RUNBOOK_KEYS = ['title', 'summary', 'phases'];
const ANNOTATION_LINE_LIMIT = 100;

export function runbookToMarkdown(runbook: Runbook): string {
  return markdownFromDocument(documentFromRunbook(runbook));
}

/**
 * Review notes to place under a heading, by container path: `''` for the runbook (under the
 * title), `phases/0` for a phase, `phases/0/steps/2` for a step. Written as `<!-- review: ... -->`.
 */
export type ReviewNotes = ReadonlyMap<string, readonly string[]>;

/** Thrown when values of a runbook cannot be spelled in Markdown so that they read back the same. */
export class NotSpellableInMarkdown extends Error {
  /** Container paths + keys, as `phases/0/steps/2|title` (`|title` for the runbook's own). */
  constructor(readonly paths: string[]) {
    super(`The runbook cannot be spelled in Markdown: ${paths.join(', ')} do not read back`);
  }
}

/** Where a value that does not read back sits: its phase and step (0-based; none for the runbook's own) and key. */
export interface SpellingPath {
  phase?: number;
  step?: number;
  key: string;
}

/** The parts of a NotSpellableInMarkdown path: `phases/0/steps/2|title` -> phase 0, step 2, key `title`. */
export function spellingPathParts(path: string): SpellingPath {
  const [container, key] = path.split('|') as [string, string];
  const [, phase, , step] = container.split('/').map(Number);
  return { ...(phase === undefined ? {} : { phase }), ...(step === undefined ? {} : { step }), key };
}

/** A path of NotSpellableInMarkdown for people: `phases/0/steps/2|title` -> "the title of step 3 of phase 1". */
export function describeSpellingPath(path: string): string {
  const { phase, step, key } = spellingPathParts(path);
  const of = phase === undefined ? 'the runbook' : step === undefined ? `phase ${phase + 1}` : `step ${step + 1} of phase ${phase + 1}`;
  return `the ${key} of ${of}`;
}

/** In `forced`: every value but the headings' titles goes into front matter and annotations. */
const EVERYTHING_IN_ANNOTATIONS = '*';

/** Plain runbook data (the authoring shape) -> Markdown, optionally with review notes. */
export function markdownFromDocument(data: PlainData, notes: ReviewNotes = new Map()): string {
  const unspellableTitles = titlesNoHeadingHolds(data);
  if (unspellableTitles.length > 0) throw new NotSpellableInMarkdown(unspellableTitles);
  const forced = new Set<string>();
  // Each pass moves at least one more value into an annotation, so this ends; three is plenty in practice.
  for (let pass = 0; pass < 8; pass++) {
    const text = renderMarkdown(data, forced, notes);
    const parsed = documentFromMarkdown(parseMarkdownTree(text), text, 'converted.md');
    if (!parsed.document) {
      // A value broke the Markdown around it (a paragraph that reads as a list next to the step's
      // own list, say), so no value can be told apart: spell them all where nothing can break.
      if (forced.has(EVERYTHING_IN_ANNOTATIONS)) throw new NotSpellableInMarkdown([]);
      forced.add(EVERYTHING_IN_ANNOTATIONS);
      continue;
    }
    const read = (parsed.document?.data ?? {}) as PlainData;
    const mismatches = differences(data, read);
    const fresh = mismatches.filter((m) => !forced.has(m));
    if (mismatches.length === 0) return text;
    if (fresh.length === 0) throw new NotSpellableInMarkdown(mismatches);
    for (const m of fresh) forced.add(m);
  }
  throw new NotSpellableInMarkdown([]);
}

/** Container paths + keys (`phases/0/steps/2|description`) whose value reads back differently. */
function differences(expected: PlainData, actual: PlainData): string[] {
  const out: string[] = [];
  const compare = (e: PlainData, a: PlainData, path: string, nested: Record<string, (e: PlainData, a: PlainData, path: string) => void>) => {
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (nested[key] && Array.isArray(e[key]) && Array.isArray(a[key])) nested[key](e, a, path);
      else if (JSON.stringify(e[key]) !== JSON.stringify(a[key])) out.push(`${path}|${key}`);
    }
  };
  compare(expected, actual, '', {
    phases: (e, a) => {
      const ep = e.phases as PlainData[];
      const ap = a.phases as PlainData[];
      if (ep.length !== ap.length) throw new Error('The Markdown serializer lost or added a phase');
      ep.forEach((phase, i) =>
        compare(phase, ap[i]!, `phases/${i}`, {
          steps: (pe, pa) => {
            const es = pe.steps as PlainData[];
            const as = pa.steps as PlainData[];
            if (es.length !== as.length) throw new Error('The Markdown serializer lost or added a step');
            es.forEach((step, j) => compare(step, as[j]!, `phases/${i}/steps/${j}`, {}));
          },
        }),
      );
    },
  });
  return out;
}

/**
 * Phase and step titles a heading cannot hold, as paths: a heading is one line, loses the spaces
 * and tabs at its ends, and a closing run of `#` after a space. (The runbook's own title can go
 * into the front matter instead.)
 */
function titlesNoHeadingHolds(data: PlainData): string[] {
  const unspellable = (title: unknown) => typeof title === 'string' && (/[\r\n]/.test(title) || /^[ \t]|[ \t]$|(^|[ \t])#+$/.test(title));
  const out: string[] = [];
  (data.phases as PlainData[]).forEach((phase, i) => {
    if (unspellable(phase.title)) out.push(`phases/${i}|title`);
    (phase.steps as PlainData[]).forEach((step, j) => {
      if (unspellable(step.title)) out.push(`phases/${i}/steps/${j}|title`);
    });
  });
  return out;
}

function renderMarkdown(data: PlainData, forced: Set<string>, notes: ReviewNotes): string {
  const out: string[] = [];
  const review = (path: string) => (notes.get(path) ?? []).flatMap((note) => [`<!-- review: ${note.replace(/-->/g, '-- >')} -->`, '']);
  const everything = forced.has(EVERYTHING_IN_ANNOTATIONS);
  // In that mode a phase's or step's title stays its heading, and phases and steps stay headings.
  const isForced = (path: string, key: string) => (everything ? key !== 'phases' && key !== 'steps' && (path === '' || key !== 'title') : forced.has(`${path}|${key}`));

  const frontMatter: PlainData = {};
  for (const [key, value] of Object.entries(data)) {
    if (!VISIBLE_RUNBOOK_KEYS.includes(key) || isForced('', key)) frontMatter[key] = value;
  }
  out.push('---', yamlBetweenLines(new Document(frontMatter).toString({ lineWidth: 110, minContentWidth: 40 })), '---', '');
  if (!isForced('', 'title')) out.push(`# ${data.title as string}`, '');
  out.push(...review(''));
  if (data.summary !== undefined && !isForced('', 'summary')) out.push(...paragraphs(data.summary as string));

  (data.phases as PlainData[]).forEach((phase, i) => {
    const path = `phases/${i}`;
    out.push(`## ${phase.title as string}`);
    out.push(annotation(phase, (key) => !VISIBLE_PHASE_KEYS.includes(key) || isForced(path, key)), '', ...review(path));
    if (phase.description !== undefined && !isForced(path, 'description')) out.push(...paragraphs(phase.description as string));
    (phase.steps as PlainData[]).forEach((step, j) => out.push(...renderStep(step, (key) => isForced(`${path}/steps/${j}`, key), review(`${path}/steps/${j}`))));
  });
  while (out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

function renderStep(step: PlainData, isForced: (key: string) => boolean, reviewLines: string[]): string[] {
  // A value spelled on one line (a label's text, a list item) with a line break in it would break
  // the Markdown around it, not only fail to read back: it goes into the annotation from the start.
  const inAnnotation = (key: string) => !VISIBLE_STEP_KEYS.includes(key) || isForced(key) || (ONE_LINE_STEP_KEYS.includes(key) && hasLineBreak(step[key]));
  const visible = (key: string) => step[key] !== undefined && !inAnnotation(key);
  const out: string[] = [`### ${step.title as string}`, annotation(step, inAnnotation), '', ...reviewLines];
  if (visible('description')) out.push(...paragraphs(step.description as string));
  if (visible('irreversible')) {
    const reason = (step.irreversible as { reason: string }).reason;
    out.push('> [!WARNING]', ...reason.split('\n\n').flatMap((p, k) => (k === 0 ? [`> ${p}`] : ['>', `> ${p}`])), '');
  }
  if (visible('run')) out.push(...fence('powershell', step.run as string));
  if (visible('check')) out.push(...fence('powershell check', step.check as string));
  if (visible('failMessage')) out.push(`**If it fails:** ${step.failMessage as string}`, '');
  if (visible('wait')) out.push(...fence('powershell wait', step.wait as string));
  if (visible('onTimeout')) out.push(`**On timeout:** ${step.onTimeout as string}`, '');
  if (visible('manual')) {
    const manual = step.manual as string[] | string;
    out.push(...(Array.isArray(manual) ? manual : [manual]).map((item) => `1. ${item}`), '');
  }
  if (visible('confirm')) out.push(`**Confirm:** ${step.confirm as string}`, '');
  if (visible('cau')) out.push(...fence('yaml cau', yamlBetweenLines(new Document(step.cau).toString({ lineWidth: 0 }))));
  if (visible('probe')) out.push('The step is skipped on a rerun when this already holds:', '', ...fence('powershell probe', step.probe as string));
  if (visible('verify')) out.push('Afterwards, this must hold:', '', ...fence('powershell verify', step.verify as string));
  if (visible('record')) out.push('**Record:**', '', ...(step.record as string[]).map((item) => `- ${item}`), '');
  return out;
}

function hasLineBreak(value: unknown): boolean {
  return Array.isArray(value) ? value.some(hasLineBreak) : typeof value === 'string' && /[\r\n]/.test(value);
}

function paragraphs(text: string): string[] {
  return text.split('\n\n').flatMap((p) => [p, '']);
}

function fence(info: string, body: string): string[] {
  const longestRun = Math.max(0, ...[...body.matchAll(/^\s*(`+)/gm)].map((m) => m[1]!.length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${marks}${info}`, body, marks, ''];
}

/** The HTML comment under a heading: a one-line YAML flow mapping when short, a block mapping otherwise. */
function annotation(data: PlainData, include: (key: string) => boolean): string {
  const picked: PlainData = {};
  for (const [key, value] of Object.entries(data)) if (include(key)) picked[key] = value;
  if (Object.keys(picked).length === 0) return '<!-- -->';
  const flow = new Document(picked, { flow: true }).toString({ lineWidth: 0 }).trim();
  const oneLine = `<!-- ${flow.replace(/^\{\s*/, '').replace(/\s*\}$/, '')} -->`;
  if (!flow.includes('\n') && oneLine.length <= ANNOTATION_LINE_LIMIT) return oneLine;
  // The comment's reader takes everything up to `-->`, the line break before it too: only the
  // YAML text's own last line break goes (a value kept with its trailing line breaks, `|+`, keeps them).
  return `<!--\n${new Document(picked).toString({ lineWidth: 110, minContentWidth: 40 }).slice(0, -1)}\n-->`;
}

/**
 * YAML text (ending with a line break, as the YAML library writes it) to put between two marker
 * lines: the `---` of front matter, or the fences of a block. Markdown takes the lines between the
 * markers without the last one's line break, so that break is dropped, unless the text ends with a
 * value kept with its trailing line breaks (`|+`): then every one of them is needed, and the empty
 * line the last one ends is written out.
 */
function yamlBetweenLines(yaml: string): string {
  return yaml.endsWith('\n\n') ? yaml : yaml.slice(0, -1);
}
