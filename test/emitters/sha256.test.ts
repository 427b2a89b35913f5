import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/util/sha256.js';

const ofBytes = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

describe('sha256 of an output', () => {
  it('is the hash of the UTF-8 file, for large text with characters outside the BMP at every offset near a slice end', () => {
    const base = 'x'.repeat((1 << 16) - 3);
    for (let shift = 0; shift < 6; shift++) {
      const text = base + 'y'.repeat(shift) + '\u{1F512}é\u2060'.repeat(3) + 'z'.repeat(70_000) + '\u{1F512}';
      expect(sha256(text)).toBe(ofBytes(text));
    }
  });

  it('hashes a lone surrogate as the file has it (U+FFFD)', () => {
    const text = 'a'.repeat((1 << 16) - 1) + '\uD83D' + 'b'.repeat(10);
    expect(sha256(text)).toBe(ofBytes(text));
  });

  it('hashes bytes and short text as they are', () => {
    expect(sha256(new Uint8Array([1, 2, 3]))).toBe(createHash('sha256').update(new Uint8Array([1, 2, 3])).digest('hex'));
    expect(sha256('')).toBe(ofBytes(''));
  });
});
