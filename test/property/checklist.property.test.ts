/**
 * Property: whatever text a runbook holds in its free-text fields, the checklists show it as text.
 * The Markdown checklist parses (remark, GFM) to the same structure as the plain runbook's (no
 * link, image, HTML, heading, table row or cell more or less) and its text holds every value; the
 * HTML checklist, loaded in chromium, has the same elements as the plain runbook's, no script, no
 * event-handler attribute, runs nothing, and its text holds every value.
 */
import type { Page } from 'playwright-core';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Chromium } from '../../src/emitters/checklist/browser.js';
import { emitChecklists } from '../../src/emitters/checklist/render.js';
import { planAll } from '../../src/model/plan.js';
import { describeInBrowser } from '../browser/chromium.js';
import { plainTexts, propertySeed, propsRunbook, reproduce, sampleTexts, type RunbookTexts } from './hostile-text.js';

const MARKDOWN_RUNS = Number.parseInt(process.env.RUNBOOKC_PROPERTY_RUNS ?? '100', 10);
const HTML_RUNS = Math.min(MARKDOWN_RUNS, 50);

function checklists(texts: RunbookTexts): { html: string; markdown: string } {
  const [plan] = planAll(propsRunbook(texts));
  const files = emitChecklists(plan!, { sha256: new Map() });
  const get = (ext: string) => {
    const f = files.find((x) => x.path.endsWith(ext));
    if (!f || typeof f.content !== 'string') throw new Error(`no ${ext} checklist`);
    return f.content;
  };
  return { html: get('.checklist.html'), markdown: get('.checklist.md') };
}

/**
 * Every value a checklist shows as text. Plug-in arguments are left out: the checklists show them
 * inside the PowerShell command, quoted by psString (the run-profile property checks them).
 */
function shownTexts(t: RunbookTexts): Array<[string, string]> {
  return [
    ['title', t.title],
    ['summary', t.summary],
    ['sourceDocument', t.sourceDocument],
    ['parameter description', t.parameterDescription],
    ['parameter default', t.parameterDefault],
    ['string[] default 1', t.arrayDefault[0]],
    ['string[] default 2', t.arrayDefault[1]],
    ['variant title', t.variantTitle],
    ['variant description', t.variantDescription],
    ['phase title', t.phaseTitle],
    ['phase description', t.phaseDescription],
    ...t.stepTitles.map((v, i): [string, string] => [`step title ${i + 1}`, v]),
    ['step description', t.stepDescription],
    ['irreversible reason', t.irreversibleReason],
    ['instruction 1', t.instructions[0]],
    ['instruction 2', t.instructions[1]],
    ['confirm prompt', t.prompt],
    ['failMessage', t.failMessage],
    ['onTimeout', t.onTimeout],
    ['record 1', t.record[0]],
    ['record 2', t.record[1]],
  ];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Backtick pairs in runbook prose print as code (a checklist feature), which removes the backticks
 * and may split the text around the code. Such values are compared without backticks and blanks;
 * the structure checks still reject any link, HTML or other markup they could have created.
 */
const squash = (s: string) => s.replace(/[\s`]/g, '');
const contains = (text: string, want: string) => (want.includes('`') ? squash(text).includes(squash(want)) : text.includes(want));

/** Code spans are the one element runbook text may create; everything else must stay as in the plain checklist. */
function withoutCode(counts: Record<string, number>, code: string): Record<string, number> {
  const { [code]: _ignored, ...rest } = counts;
  return rest;
}

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

function markdownFacts(markdown: string): { counts: Record<string, number>; text: string } {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as MdNode;
  const counts: Record<string, number> = {};
  const texts: string[] = [];
  const walk = (n: MdNode) => {
    if (n.type !== 'text') counts[n.type] = (counts[n.type] ?? 0) + 1;
    if (n.type === 'text' || n.type === 'inlineCode') texts.push(n.value ?? '');
    n.children?.forEach(walk);
  };
  walk(tree);
  // The emitter puts an invisible word joiner into `www.` and `@` so that GFM finds no autolink.
  return { counts, text: texts.join('\n').replace(/\u2060/g, '') };
}

describe('property: runbook text in the Markdown checklist', () => {
  const seed = propertySeed();
  const samples = sampleTexts(seed, MARKDOWN_RUNS);

  it(`stays text: same structure as the plain checklist, every value in its text (${MARKDOWN_RUNS} cases)`, () => {
    console.log(`property (Markdown checklist): ${samples.length} cases, seed ${seed}`);
    const baseline = markdownFacts(checklists(plainTexts()).markdown);
    expect(baseline.counts.table).toBeGreaterThan(0);
    for (const [i, texts] of samples.entries()) {
      const facts = markdownFacts(checklists(texts).markdown);
      const at = `${reproduce(seed, i)}: ${JSON.stringify(texts)}`;
      expect(withoutCode(facts.counts, 'inlineCode'), at).toEqual(withoutCode(baseline.counts, 'inlineCode'));
      for (const [field, value] of shownTexts(texts)) {
        // Inline text is one line (whitespace collapsed); CommonMark reads NUL as U+FFFD. Word joiners
        // are left out on both sides: markdownFacts drops the ones the emitter adds.
        const want = collapse(value).replace(/\u0000/g, '\uFFFD').replace(/\u2060/g, '');
        expect(contains(facts.text, want), `${at}\n${field} ${JSON.stringify(want)}`).toBe(true);
      }
    }
  });
});

interface PageFacts {
  tags: Record<string, number>;
  scripts: number;
  handlers: string[];
  text: string;
}

describeInBrowser('property: runbook text in the HTML checklist', () => {
  const seed = propertySeed();
  const samples = sampleTexts(seed, HTML_RUNS);
  let browser: Chromium;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('about:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function facts(html: string): Promise<PageFacts> {
    problems.length = 0;
    await page.setContent(html, { waitUntil: 'load' });
    return page.evaluate(() => {
      const tags: Record<string, number> = {};
      const handlers: string[] = [];
      for (const el of Array.from(document.querySelectorAll('*'))) {
        tags[el.tagName] = (tags[el.tagName] ?? 0) + 1;
        for (const a of Array.from(el.attributes)) {
          if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) handlers.push(`${el.tagName} ${a.name}`);
        }
      }
      return { tags, scripts: document.querySelectorAll('script').length, handlers, text: `${document.title}\n${document.body.textContent ?? ''}` };
    });
  }

  it(`shows text only: same elements as the plain checklist, no script, every value in its text (${HTML_RUNS} cases)`, async () => {
    console.log(`property (HTML checklist): ${samples.length} cases, seed ${seed}`);
    const baseline = await facts(checklists(plainTexts()).html);
    expect(baseline.scripts).toBe(0);
    expect(problems).toEqual([]);
    for (const [i, texts] of samples.entries()) {
      const got = await facts(checklists(texts).html);
      const at = `${reproduce(seed, i)}: ${JSON.stringify(texts)}`;
      expect(problems, at).toEqual([]);
      expect(got.scripts, at).toBe(0);
      expect(got.handlers, at).toEqual([]);
      expect(withoutCode(got.tags, 'CODE'), at).toEqual(withoutCode(baseline.tags, 'CODE'));
      // The page is text: whitespace is compared collapsed, and the HTML parser drops NUL in text.
      // (setContent hands the page to chromium as a JavaScript string, so lone surrogates survive.)
      const text = collapse(got.text);
      for (const [field, value] of shownTexts(texts)) {
        const want = collapse(value.replace(/\u0000/g, ''));
        expect(contains(text, want), `${at}\n${field} ${JSON.stringify(want)}`).toBe(true);
      }
    }
  });
});
