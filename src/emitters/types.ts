/** What emitters produce: files, by path relative to the build's output folder. */
import type { RenderedText } from '../util/rendered-text.js';

export interface OutputFile {
  /** Forward-slash path relative to the output folder, built only from validated ids. */
  path: string;
  content: string | Uint8Array;
}

/**
 * A file as an emitter returns it: a large text (a script, a checklist) may be a RenderedText,
 * rendered in pieces as it is written instead of whole (see util/rendered-text.ts).
 */
export interface RenderedFile {
  path: string;
  content: string | Uint8Array | RenderedText;
}

/** Read by emitters that show or check other outputs (a checklist prints the script's hash). */
export interface EmitContext {
  /** SHA-256 (lower-case hex) of every file emitted so far, by path. */
  sha256: ReadonlyMap<string, string>;
}
