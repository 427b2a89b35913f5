import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { planAll } from '../../src/model/plan.js';
import type { Runbook } from '../../src/model/runbook.js';
import { emitChecklists } from '../../src/emitters/checklist/render.js';
import { launchChromium, type Chromium } from '../../src/emitters/checklist/browser.js';
import { renderPdf } from '../../src/emitters/checklist/pdf.js';
import { scriptPath } from '../../src/emitters/layout.js';
import { loadBundledRunbook } from '../fixtures/load-bundled.js';
import { hostileRunbook } from '../fixtures/hostile-runbook.js';
import { describeInBrowser } from './chromium.js';
import { readPdf } from './pdf-structure.js';

const TIMEOUT = 120_000;

/** Printable width of A4 and Letter at 96 CSS px per inch, minus the 12 mm side margins. */
const PAPER = {
  A4: { widthPx: Math.floor(((210 - 24) / 25.4) * 96), pageWidthPt: 595.92, pageHeightPt: 842.88 },
  Letter: { widthPx: Math.floor(((215.9 - 24) / 25.4) * 96), pageWidthPt: 612, pageHeightPt: 792 },
} as const;

interface Checklist {
  name: string;
  html: string;
  phases: string[];
}

function checklists(runbook: Runbook): Checklist[] {
  return planAll(runbook).map((plan) => {
    const sha = new Map([[scriptPath(runbook, plan.variant), '0123456789abcdef'.repeat(4)]]);
    const html = emitChecklists(plan, { sha256: sha }).find((f) => f.path.endsWith('.html'))!.content as string;
    return { name: `${runbook.id}/${plan.variant.id}`, html, phases: plan.phases.map((p, i) => `Phase ${i + 1}. ${p.title}`) };
  });
}

const ALL = [...checklists(loadBundledRunbook()), ...checklists(hostileRunbook())];

describeInBrowser('checklist in chromium', () => {
  let browser: Chromium;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('about:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`);
    });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  async function load(html: string, widthPx = 900, media: 'screen' | 'print' = 'screen'): Promise<void> {
    problems.length = 0;
    await page.emulateMedia({ media });
    await page.setViewportSize({ width: widthPx, height: 1000 });
    await page.setContent(html, { waitUntil: 'load' });
  }

  it.each(ALL.map((c) => [c.name, c] as const))('%s renders with no console error, script or request', async (_, c) => {
    await load(c.html);
    expect(problems).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.title()).toMatch(/^Checklist: /);
  }, TIMEOUT);

  it.each(ALL.flatMap((c) => (['A4', 'Letter'] as const).map((paper) => [`${c.name} on ${paper}`, c, paper] as const)))(
    '%s: nothing is wider than the printable page',
    async (_, c, paper) => {
      await load(c.html, PAPER[paper].widthPx, 'print');
      const overflow = await page.evaluate(() => {
        const limit = document.documentElement.clientWidth;
        const out: string[] = [];
        for (const el of Array.from(document.body.querySelectorAll('*'))) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          const clipped = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
          if (box.right > limit + 1 || box.left < -1 || clipped) {
            out.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(box.left)}..${Math.round(box.right)} of ${limit}`);
          }
        }
        return { out, scroll: document.documentElement.scrollWidth, limit };
      });
      expect(overflow.out).toEqual([]);
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.limit);
    },
    TIMEOUT,
  );

  it.each(ALL.map((c) => [c.name, c] as const))('%s: headings in order, every control labelled', async (_, c) => {
    await load(c.html);
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]!).toBeLessThanOrEqual(1);
    });
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const checkboxes = await page.locator('input[type="checkbox"]').count();
    expect(checkboxes).toBeGreaterThan(0);
    expect(await page.getByRole('checkbox', { name: /\S/ }).count()).toBe(checkboxes);
    const textboxes = await page.locator('input[type="text"]').count();
    expect(await page.getByRole('textbox', { name: /\S/ }).count()).toBe(textboxes);
    // Ids are unique, so every label points at one control.
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await page.getByRole('img', { name: /Phases of each variant/ }).count()).toBe(1);
  }, TIMEOUT);

  it.each(ALL.map((c) => [c.name, c] as const))('%s: text contrast is at least 4.5:1 (3:1 for large text)', async (_, c) => {
    await load(c.html);
    const failures = await page.evaluate(() => {
      const parse = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]): number => {
        const lin = (v: number): number => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
      };
      const ratio = (a: number[], b: number[]): number => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi! + 0.05) / (lo! + 0.05);
      };
      const background = (el: Element | null): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const bg = parse(getComputedStyle(e).backgroundColor);
          if (bg.length >= 3 && (bg[3] ?? 1) > 0) return bg;
        }
        return [255, 255, 255];
      };
      const out: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || node.textContent?.trim() === '' || el.closest('svg')) continue;
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const r = ratio(parse(style.color), background(el));
        if (r < (large ? 3 : 4.5)) out.push(`${el.tagName} "${node.textContent?.trim().slice(0, 30)}": ${r.toFixed(2)}`);
      }
      // SVG labels sit on white boxes or on the shaded band of the variant's column.
      for (const text of Array.from(document.querySelectorAll('svg text'))) {
        const fill = parse(getComputedStyle(text).fill);
        const band = parse(getComputedStyle(document.querySelector('svg .band') ?? document.body).fill);
        const worst = Math.min(ratio(fill, [255, 255, 255]), band.length >= 3 ? ratio(fill, band) : 21);
        if (worst < 4.5) out.push(`svg text "${text.textContent}": ${worst.toFixed(2)}`);
      }
      return out;
    });
    expect(failures).toEqual([]);
  }, TIMEOUT);

  it('is readable in black and white: the point of no return and manual steps do not rely on colour', async () => {
    const c = ALL[0]!;
    await load(c.html, PAPER.A4.widthPx, 'print');
    await page.addStyleTag({ content: 'html { filter: grayscale(1); }' });
    const banner = page.locator('.ponr');
    await expect(banner.count()).resolves.toBe(1);
    const style = await banner.evaluate((el) => {
      const s = getComputedStyle(el);
      return { top: parseFloat(s.borderTopWidth), bottom: parseFloat(s.borderBottomWidth), breakInside: s.breakInside };
    });
    expect(style.top).toBeGreaterThanOrEqual(6);
    expect(style.bottom).toBeGreaterThanOrEqual(6);
    expect(style.breakInside).toBe('avoid');
    expect(await banner.innerText()).toMatch(/^POINT OF NO RETURN/);
    const manualBorder = await page.locator('.step--human').first().evaluate((el) => parseFloat(getComputedStyle(el).borderLeftWidth));
    expect(manualBorder).toBeGreaterThanOrEqual(5);
    const phaseBreaks = await page.locator('section.phase').evaluateAll((els) => els.map((e) => getComputedStyle(e).breakBefore));
    expect(phaseBreaks.every((b) => b === 'page')).toBe(true);
  }, TIMEOUT);

  it.each(['A4', 'Letter'] as const)('prints to a %s PDF with a page per phase and an outline of the phases', async (paper) => {
    const c = ALL[1]!;
    const [pdf] = await renderPdf([{ path: 'x/y.checklist.html', content: c.html }], { format: paper });
    expect(pdf!.path).toBe('x/y.checklist.pdf');
    const structure = readPdf(pdf!.content as Uint8Array);
    expect(structure.tagged).toBe(true);
    for (const p of structure.pages) {
      expect(p.width).toBeCloseTo(PAPER[paper].pageWidthPt, 0);
      expect(p.height).toBeCloseTo(PAPER[paper].pageHeightPt, 0);
    }
    const titles = structure.outline.map((o) => o.title);
    expect(titles).toContain('Rolling back');
    expect(titles).toContain('Approval');
    // Each phase is bookmarked and starts a page of its own.
    // Chromium builds bookmark titles from laid-out lines and drops the space where a heading wraps.
    const squash = (t: string): string => t.replace(/\s+/g, '');
    const phasePages = c.phases.map((title) => structure.outline.find((o) => squash(o.title) === squash(title))?.page);
    expect(phasePages.every((p) => p !== undefined && p > 1)).toBe(true);
    expect(new Set(phasePages).size).toBe(c.phases.length);
    expect(structure.pages.length).toBeGreaterThan(c.phases.length);
    // Step headings are nested under their phase.
    expect(structure.outline.some((o) => o.depth > 0 && /^\d+\.\d+ /.test(o.title))).toBe(true);
  }, TIMEOUT);

  it('prints the same PDF bytes twice', async () => {
    const input = [{ path: 'x/y.checklist.html', content: ALL[2]!.html }];
    const [a] = await renderPdf(input);
    const [b] = await renderPdf(input);
    expect(Buffer.from(a!.content as Uint8Array).equals(Buffer.from(b!.content as Uint8Array))).toBe(true);
  }, TIMEOUT);
});
