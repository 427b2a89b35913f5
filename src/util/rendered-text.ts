/**
 * A large text output rendered in pieces as it is read, so that it never exists whole in memory.
 *
 * A script or checklist of 10,000 steps is 5 to 15 MB. Rendered as one string, its millions of
 * fragments outlive young-generation garbage collections (each costs a copy, then a promotion),
 * and joining and encoding the whole add two more copies of it, in fresh memory. Rendered a phase
 * at a time and encoded at once into one reused buffer, each piece dies young.
 *
 * Reading the text renders it; each complete read records its SHA-256 and UTF-8 length, so that a
 * build that writes it does not render it again to hash it. A RenderedText can be read any number
 * of times: rendering is pure, every read gives the same text.
 */
import { createHash } from 'node:crypto';
import { sha256 } from './sha256.js';
import { textSlices } from './text-slices.js';

/** Bytes encoded before a chunk is handed on (a write, a hash update). */
const CHUNK_BYTES = 1 << 18;

/** Buffers of CHUNK_BYTES free for a read; reads that overlap each take their own. */
const spareBuffers: Buffer[] = [];

export class RenderedText {
  #sha256: string | undefined;
  #byteLength: number | undefined;

  /**
   * `render` yields the text in consecutive pieces. A piece may end between the two halves of a
   * surrogate pair: the high half is carried over to the next piece.
   */
  constructor(private readonly render: () => Iterable<string>) {}

  /** The pieces, as rendered. */
  pieces(): Iterable<string> {
    return this.render();
  }

  /**
   * The UTF-8 of the text, in consecutive chunks. Each chunk is a view of a shared buffer, valid
   * only until the next one is read: write or hash it at once.
   */
  *utf8Chunks(): Generator<Uint8Array> {
    const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    const hash = createHash('sha256');
    let used = 0;
    let total = 0;
    let carried = '';
    const flush = (): Uint8Array => {
      const chunk = buffer.subarray(0, used);
      hash.update(chunk);
      total += used;
      used = 0;
      return chunk;
    };
    try {
      for (let piece of this.render()) {
        if (carried !== '') {
          piece = carried + piece;
          carried = '';
        }
        if (piece.length > 0 && isHighSurrogate(piece.charCodeAt(piece.length - 1))) {
          carried = piece.slice(-1);
          piece = piece.slice(0, -1);
        }
        // At most 3 bytes per UTF-16 code unit: when that may not fit, the buffer is emptied first.
        if (used + 3 * piece.length > CHUNK_BYTES) {
          if (used > 0) yield flush();
          if (3 * piece.length > CHUNK_BYTES) {
            for (const slice of textSlices(piece, Math.floor(CHUNK_BYTES / 3) - 1)) {
              used = buffer.write(slice, 0, 'utf8');
              yield flush();
            }
            continue;
          }
        }
        used += buffer.write(piece, used, 'utf8');
      }
      if (carried !== '') used += buffer.write(carried, used, 'utf8');
      if (used > 0) yield flush();
      this.#sha256 = hash.digest('hex');
      this.#byteLength = total;
    } finally {
      spareBuffers.push(buffer);
    }
  }

  /** SHA-256 of the UTF-8 (lower-case hex); renders the text only when no read has completed yet. */
  get sha256(): string {
    if (this.#sha256 === undefined) this.drain();
    return this.#sha256!;
  }

  get byteLength(): number {
    if (this.#byteLength === undefined) this.drain();
    return this.#byteLength!;
  }

  /** The whole text, for the outputs that are used whole (a PDF is printed from its HTML, tests). */
  toString(): string {
    const text = [...this.render()].join('');
    this.#sha256 ??= sha256(text);
    this.#byteLength ??= Buffer.byteLength(text);
    return text;
  }

  private drain(): void {
    for (const _ of this.utf8Chunks());
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** SHA-256 (lower-case hex) of an output's content, however it is held. */
export function contentSha256(content: string | Uint8Array | RenderedText): string {
  return content instanceof RenderedText ? content.sha256 : sha256(content);
}

/** Length in bytes of an output's content, as written. */
export function contentByteLength(content: string | Uint8Array | RenderedText): number {
  if (content instanceof RenderedText) return content.byteLength;
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}
