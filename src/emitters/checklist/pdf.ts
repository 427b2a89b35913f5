/**
 * The PDF checklist: the HTML checklist printed by headless chromium. Called only for
 * `runbookc build --pdf`; everything browser-related is loaded from here on demand.
 */
import type { BrowserContext } from 'playwright-core';
import type { OutputFile } from '../types.js';

export type PaperFormat = 'A4' | 'Letter';

export interface PdfOptions {
  format?: PaperFormat;
  executablePath?: string;
}

/** One PDF per HTML checklist, next to it (`.checklist.html` -> `.checklist.pdf`). */
export async function renderPdf(htmlFiles: readonly OutputFile[], options: PdfOptions = {}): Promise<OutputFile[]> {
  const { launchChromium } = await import('./browser.js');
  const browser = await launchChromium(options.executablePath);
  try {
    const pdfs: OutputFile[] = [];
    for (const file of htmlFiles) pdfs.push(await printOne(browser.context, file, options.format ?? 'A4'));
    return pdfs;
  } finally {
    await browser.close();
  }
}

async function printOne(context: BrowserContext, file: OutputFile, format: PaperFormat): Promise<OutputFile> {
  if (!file.path.endsWith('.html')) throw new Error(`Expected an HTML checklist, got \`${file.path}\``);
  const page = await context.newPage();
  try {
    const html = typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      format,
      printBackground: true,
      preferCSSPageSize: false,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      // Chromium fills in (and escapes) the document title and the page numbers.
      footerTemplate:
        '<div style="font: 7px sans-serif; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span class="title"></span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>',
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
      tagged: true,
      outline: true,
    });
    return { path: file.path.replace(/\.html$/, '.pdf'), content: normalisePdf(pdf) };
  } finally {
    await page.close();
  }
}

/**
 * Makes chromium's PDF depend on the HTML only. Every edit keeps byte lengths, so the
 * cross-reference offsets stay valid:
 * - the creation and modification dates become a fixed date;
 * - the tagged structure names table-header cells after renderer node ids, which change from run to
 *   run: they are renumbered in order of first appearance, and the id name tree (whose keys must be
 *   sorted) is re-sorted.
 */
export function normalisePdf(pdf: Uint8Array): Uint8Array {
  let text = Buffer.from(pdf).toString('latin1');
  text = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}/g, (_, key: string) => `/${key} (D:19700101000000`);
  const renumbered = new Map<string, string>();
  text = text.replace(/\(node(\d+)\)/g, (_, digits: string) => {
    let replacement = renumbered.get(digits);
    if (replacement === undefined) {
      replacement = String(renumbered.size + 1).padStart(digits.length, '0');
      if (replacement.length !== digits.length) throw new Error('PDF structure ids could not be renumbered in place');
      renumbered.set(digits, replacement);
    }
    return `(node${replacement})`;
  });
  text = text.replace(/\/Limits \[\(node\d+\) \(node\d+\)\]\n\/Names \[([^\]]*)\]/g, (_, names: string) => {
    const entries = [...names.matchAll(/\((node\d+)\) (\d+ \d+ R)/g)].map((m) => ({ key: m[1]!, ref: m[2]! }));
    entries.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const limits = `/Limits [(${entries[0]?.key ?? ''}) (${entries.at(-1)?.key ?? ''})]`;
    return `${limits}\n/Names [${entries.map((e) => `(${e.key}) ${e.ref}`).join(' ')}]`;
  });
  return new Uint8Array(Buffer.from(text, 'latin1'));
}
