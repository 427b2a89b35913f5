/**
 * The checklist emitter: HTML (for print) and Markdown (for review) per variant, and on request a
 * PDF printed from the HTML. Importing this module never loads the browser.
 */
export { emitChecklists, renderChecklistHtml, renderChecklistMarkdown } from './render.js';
export { renderPdf, type PaperFormat, type PdfOptions } from './pdf.js';
export { buildChecklistView, type ChecklistView } from './view-model.js';
