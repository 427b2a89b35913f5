/**
 * The PDF checklist: the HTML checklist printed by headless chromium. Called only for
 * `runbookc build --pdf`; everything browser-related is loaded from here on demand.
 */
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
    const page = await browser.context.newPage();
    const pdfs: OutputFile[] = [];
    for (const file of htmlFiles) {
      if (!file.path.endsWith('.html')) throw new Error(`Expected an HTML checklist, got \`${file.path}\``);
      const html = typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: options.format ?? 'A4',
        printBackground: true,
        preferCSSPageSize: false,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate:
          // Chromium fills in (and escapes) the document title and the page numbers.
          '<div style="font: 7px sans-serif; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span class="title"></span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>',
        margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
        tagged: true,
        outline: true,
      });
      pdfs.push({ path: file.path.replace(/\.html$/, '.pdf'), content: new Uint8Array(pdf) });
    }
    return pdfs;
  } finally {
    await browser.close();
  }
}
