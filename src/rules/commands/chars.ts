/**
 * PowerShell's character classes, as its tokenizer defines them (PowerShell/PowerShell:
 * src/System.Management.Automation/engine/parser/CharTraits.cs). Typographic quotes and dashes are
 * real quotes and dashes to PowerShell, so text pasted from a Word document or a web page still parses.
 */

export const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
export const DOUBLE_QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);
export const DASHES = new Set(['-', '\u2013', '\u2014', '\u2015']);

export function isSingleQuote(c: string | undefined): boolean {
  return c !== undefined && SINGLE_QUOTES.has(c);
}

export function isDoubleQuote(c: string | undefined): boolean {
  return c !== undefined && DOUBLE_QUOTES.has(c);
}

export function isDash(c: string | undefined): boolean {
  return c !== undefined && DASHES.has(c);
}

/** Space, tab, VT, FF, NBSP, NEL and any Unicode separator above U+00FF; CR and LF are newlines, not whitespace. */
export function isBlank(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\u00A0' || c === '\u0085') return true;
  return c.charCodeAt(0) > 0xff && /\p{Z}/u.test(c);
}

export function isNewline(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

export function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
}

/** Characters that end a bareword (generic token) in command mode. */
export function endsBareword(c: string | undefined): boolean {
  if (c === undefined) return true;
  if (isBlank(c) || isNewline(c)) return true;
  return '|;&(){},<>'.includes(c);
}
