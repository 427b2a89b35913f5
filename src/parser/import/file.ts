/** `runbookc import` on files: reads the how-to, writes the draft and the report beside each other. */
import { access, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { markdownNestingLimit } from '../markdown.js';
import { readRunbookText } from '../read.js';
import { describeSpellingPath, NotSpellableInMarkdown } from '../../convert/markdown.js';
import { diagnosticAt, type Diagnostic } from '../../diagnostics.js';
import { EMIT_CODES } from '../codes.js';
import { importHowTo, type ImportReport, type ImportResult } from './index.js';

export interface ImportFileOptions {
  /** Where the draft goes; `<name>.runbook.md` in the current folder by default. */
  draft?: string;
  /** Where the report goes; `<name>.import-report.md` beside the draft by default. */
  report?: string;
  /** Replace existing files (an author may already have edited an earlier draft). */
  force?: boolean;
}

export interface ImportFileResult {
  diagnostics: Diagnostic[];
  report?: ImportReport;
  reportText?: string;
  written: string[];
  /** Files that exist and were left alone because `force` was not set. */
  refused: string[];
}

export async function importHowToFile(input: string, options: ImportFileOptions = {}): Promise<ImportFileResult> {
  const { text, diagnostics } = await readRunbookText(input);
  if (text === undefined) return { diagnostics, written: [], refused: [] };
  const tooDeep = markdownNestingLimit(text, input);
  if (tooDeep) return { diagnostics: [tooDeep], written: [], refused: [] };
  const name = basename(input).replace(/\.(md|markdown)$/i, '');
  const draftPath = options.draft ?? `${name}.runbook.md`;
  const reportPath = options.report ?? join(dirname(draftPath), `${basename(draftPath).replace(/(\.runbook)?\.md$/i, '')}.import-report.md`);
  // The draft names its source relative to itself, so it holds no machine path.
  const source = relative(dirname(resolve(draftPath)), resolve(input)).split(sep).join('/');
  let result: ImportResult;
  try {
    result = importHowTo(text, source, basename(draftPath));
  } catch (e) {
    if (!(e instanceof NotSpellableInMarkdown)) throw e;
    const what = e.paths.map(describeSpellingPath).join(', ') || 'the whole draft';
    const message = `Unexpected text that does not read back the same once written as a Markdown runbook (${what}), expected a how-to whose titles and paragraphs Markdown can hold; nothing was written`;
    return { diagnostics: [diagnosticAt(EMIT_CODES.notSpellableInMarkdown, { file: input, line: 1, column: 1 }, message)], written: [], refused: [] };
  }
  const targets: Array<[string, string]> = [
    [draftPath, result.draft],
    [reportPath, result.reportText],
  ];
  if (!options.force) {
    const refused: string[] = [];
    for (const [path] of targets) if (await exists(path)) refused.push(path);
    if (refused.length > 0) return { diagnostics: [], report: result.report, reportText: result.reportText, written: [], refused };
  }
  for (const [path, content] of targets) await writeFile(path, content, 'utf8');
  return { diagnostics: [], report: result.report, reportText: result.reportText, written: targets.map(([p]) => p), refused: [] };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
