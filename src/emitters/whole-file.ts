import { RenderedText } from '../util/rendered-text.js';
import type { OutputFile, RenderedFile } from './types.js';

/** The file with its text whole: a RenderedText is rendered once (and hashed from that string). */
export function wholeFile(file: RenderedFile): OutputFile {
  return file.content instanceof RenderedText ? { path: file.path, content: file.content.toString() } : (file as OutputFile);
}
