import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentByteLength, contentSha256, RenderedText } from '../../src/util/rendered-text.js';

const ofBytes = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

function readBytes(text: RenderedText): Buffer {
  // Each chunk is only valid until the next is read: copied at once.
  return Buffer.concat([...(function* () {
    for (const chunk of text.utf8Chunks()) yield Buffer.from(chunk);
  })()]);
}

describe('RenderedText', () => {
  const cases: Array<[string, string[]]> = [
    ['empty', []],
    ['empty pieces', ['', '', '']],
    ['small pieces', ['a', 'é', '\u{1F512}', 'b']],
    ['a surrogate pair split between two pieces', ['x\uD83D', '\uDD12y']],
    ['lone surrogates at piece ends', ['x\uD83D', 'y\uDD12', '\uD83D']],
    ['pieces larger than a chunk', ['a'.repeat(300_000), 'é'.repeat(200_000) + '\u{1F512}', 'z'.repeat(90_000) + '\uD83D', '\uDD12']],
    ['pieces filling a chunk to its end', Array.from({ length: 40 }, (_, i) => 'é\u{1F512}'.repeat(2000 + i))],
  ];

  for (const [name, pieces] of cases) {
    it(`reads as the UTF-8 of the whole text, with its SHA-256 and length: ${name}`, () => {
      const whole = pieces.join('');
      const text = new RenderedText(() => pieces);
      expect(readBytes(text).equals(Buffer.from(whole, 'utf8'))).toBe(true);
      expect(text.sha256).toBe(ofBytes(whole));
      expect(text.byteLength).toBe(Buffer.byteLength(whole));
      expect(String(text)).toBe(whole);
    });
  }

  it('renders once for a read that writes and hashes it, and again only when read again', () => {
    let renders = 0;
    const text = new RenderedText(function* () {
      renders++;
      yield 'a';
      yield 'b';
    });
    expect(Buffer.concat([...text.utf8Chunks()].map((c) => Buffer.from(c))).toString()).toBe('ab');
    expect([contentSha256(text), contentByteLength(text)]).toEqual([ofBytes('ab'), 2]);
    expect(renders).toBe(1);
    expect(text.toString()).toBe('ab');
    expect(renders).toBe(2);
  });

  it('hashes without being read first', () => {
    const text = new RenderedText(() => ['x'.repeat(1 << 19)]);
    expect(text.sha256).toBe(ofBytes('x'.repeat(1 << 19)));
  });
});
