/**
 * Reading a runbook file: every way a file can be unusable becomes an RB100 diagnostic, never
 * an exception, and the parser is chosen by the file's extension.
 *
 * The file system calls are synchronous: nothing else runs meanwhile, and an asynchronous call
 * is a round trip through libuv's thread pool for each of them.
 */
import { isUtf8 } from 'node:buffer';
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { PARSE_CODES } from './codes.js';
import type { SourceDocument } from './source-document.js';
import { parseYamlRunbook } from './yaml.js';

/** Far above any real runbook (the bundled one is ~25 KB); keeps a stray 50 MB file from stalling an editor. */
export const MAX_RUNBOOK_BYTES = 5 * 1024 * 1024;

export interface ReadResult {
  document?: SourceDocument;
  diagnostics: Diagnostic[];
}

export type RunbookSyntax = 'yaml' | 'markdown';

export function syntaxOf(file: string): RunbookSyntax | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.(md|markdown)$/i.test(file)) return 'markdown';
  return undefined;
}

export async function readRunbookText(file: string): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  const fail = (message: string) => ({ diagnostics: [diagnosticAt(PARSE_CODES.fileUnreadable, { file, line: 1, column: 1 }, message)] });
  let info;
  try {
    info = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'Unexpected missing file, expected a runbook file at this path' : `Unexpected error reading the file (${code ?? 'unknown'}), expected a readable runbook file`);
  }
  const outside = symlinkOutsideWorkingFolder(file);
  if (outside) return fail(`Unexpected symbolic link to ${outside}, outside the working folder; expected the runbook itself (pass the target's path if you mean it)`);
  if (info.isDirectory()) return fail('Unexpected directory, expected a runbook file (.yaml, .yml or .md)');
  if (!info.isFile()) return fail('Unexpected special file, expected a regular runbook file');
  if (info.size > MAX_RUNBOOK_BYTES) return fail(`Unexpected file of ${info.size} bytes, expected at most ${MAX_RUNBOOK_BYTES} bytes`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'EACCES' || code === 'EPERM' ? 'Unexpected permission error, expected a file this user can read' : `Unexpected error reading the file (${code ?? 'unknown'})`);
  }
  if (bytes.includes(0)) return fail('Unexpected binary content (a NUL byte), expected UTF-8 text');
  // isUtf8 and toString rather than a fatal TextDecoder: the same check, several times faster on a
  // large runbook. Like TextDecoder, a leading byte order mark is not part of the text.
  if (!isUtf8(bytes)) return fail('Unexpected bytes that are not UTF-8, expected UTF-8 text');
  const text = bytes.toString('utf8');
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text, diagnostics: [] };
}

export async function readRunbook(file: string): Promise<ReadResult> {
  const { text, diagnostics } = await readRunbookText(file);
  if (text === undefined) return { diagnostics };
  const syntax = syntaxOf(file);
  if (!syntax) {
    return { diagnostics: [diagnosticAt(PARSE_CODES.fileUnreadable, { file, line: 1, column: 1 }, 'Unexpected file extension, expected .yaml, .yml or .md')] };
  }
  if (syntax === 'markdown') {
    // Loaded only for Markdown input, and remark only for Markdown the fast reader leaves to it.
    const { fastMarkdownRunbook } = await import('./markdown/runbook.js');
    const fast = fastMarkdownRunbook(text, file);
    if (fast) return fast;
    const { parseMarkdownRunbook } = await import('./markdown.js');
    return parseMarkdownRunbook(text, file);
  }
  return parseYamlRunbook(text, file);
}

/**
 * A runbook reached through a symbolic link that leaves the working folder is refused: a project's
 * runbooks folder should not silently compile files from elsewhere. Returns the target when it does.
 */
function symlinkOutsideWorkingFolder(file: string): string | undefined {
  let link;
  try {
    link = lstatSync(file);
  } catch {
    return undefined;
  }
  if (!link?.isSymbolicLink()) return undefined;
  const target = realpathSync(file);
  const base = realpathSync(process.cwd());
  const rel = relative(base, target);
  return rel.startsWith('..') || isAbsolute(rel) ? target : undefined;
}
