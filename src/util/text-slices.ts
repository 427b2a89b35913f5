/**
 * A long string in consecutive slices of about `size` UTF-16 code units, never cut between the two
 * halves of a surrogate pair (each half alone would encode as U+FFFD): the UTF-8 of the slices, one
 * after the other, is the UTF-8 of the string.
 */
export function* textSlices(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    if (isHighSurrogate(text.charCodeAt(end - 1)) && end < text.length) end++;
    yield text.slice(start, end);
    start = end;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
