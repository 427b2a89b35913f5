/**
 * The one way a value from a runbook becomes PowerShell source text.
 *
 * Every string that reaches a generated script goes through `psString`: a single-quoted literal
 * (nothing inside it is expanded), with every character PowerShell treats as a single quote doubled,
 * and every character outside printable ASCII split out as a `[char]0xNNNN` term. The result is
 * ASCII, parses the same on Windows PowerShell 5.1 and PowerShell 7 whatever the code page, survives
 * line-ending conversion, and is a single expression wherever it is placed (it is parenthesised
 * whenever it is a concatenation). See docs/powershell-runtime.md and the reference on escaping.
 *
 * Everything else here (integers, booleans, arrays, hashtables, comments) is built on psString,
 * and returns a branded `PsCode` object so that templates can tell generated code from plain data.
 */

const PS_CODE = Symbol('PsCode');

/**
 * PowerShell source text produced by this module or by the view model (author commands).
 * Templates print it with `{{code x}}`, which refuses anything that is not a PsCode.
 */
export interface PsCode {
  readonly [PS_CODE]: true;
  readonly text: string;
}

/** Wraps text that is already valid PowerShell. Only for code built here or taken verbatim from an author's command. */
export function psCode(text: string): PsCode {
  return Object.freeze({ [PS_CODE]: true as const, text });
}

export function isPsCode(value: unknown): value is PsCode {
  return typeof value === 'object' && value !== null && (value as { [PS_CODE]?: unknown })[PS_CODE] === true;
}

/** U+0027 and the four characters PowerShell's tokenizer also accepts as single quotes (CharTraits.IsSingleQuote). */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/**
 * Escapes the content of a single-quoted literal the way PowerShell's own
 * CodeGeneration.EscapeSingleQuotedStringContent does: every single-quote character is doubled.
 */
function escapeSingleQuotedContent(s: string): string {
  return s.replace(SINGLE_QUOTES, '$&$&');
}

const STOP_PARSING = '--%';

function isPrintableAscii(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

function charTerm(code: number): string {
  return `[char]0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A PowerShell expression whose value is exactly `value` (UTF-16 code unit for code unit, lone
 * surrogates included). Printable ASCII stays inside single quotes; every other code unit (CR, LF,
 * NUL, tab, NBSP, dashes, typographic quotes, surrogates, ...) becomes `[char]0xNNNN`.
 *
 *   psString("it's")     -> 'it''s'
 *   psString('--%')      -> ('--%')
 *   psString('caf\u00e9') -> ('caf' + [char]0x00E9)
 */
export function psString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`psString expects a string, got ${typeof value}`);
  // Most values (ids, titles, messages) are printable ASCII: one single-quoted term, built directly
  // (a build quotes some 400,000 values at 10,000 steps). A test holds this to psStringByTerms.
  if (PRINTABLE_ASCII.test(value)) {
    if (value === STOP_PARSING) return `('${STOP_PARSING}')`;
    return `'${value.includes("'") ? value.replaceAll("'", "''") : value}'`;
  }
  return psStringByTerms(value);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** psString without its shortcut for printable ASCII: the value split into terms, every rule applied. */
export function psStringByTerms(value: string): string {
  const terms: string[] = [];
  // Runs of printable ASCII, by their start; most values are one such run.
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!isPrintableAscii(code)) {
      if (i > runStart) terms.push(`'${escapeSingleQuotedContent(value.slice(runStart, i))}'`);
      runStart = i + 1;
      terms.push(charTerm(code));
    }
  }
  if (runStart < value.length || terms.length === 0) terms.push(`'${escapeSingleQuotedContent(value.slice(runStart))}'`);
  // In command mode PowerShell takes an argument whose value is `--%` as the stop-parsing token even
  // when it is quoted: the rest of the line would become raw text. Parentheses make it an expression.
  if (terms.length === 1 && terms[0] === `'${STOP_PARSING}'`) return `(${terms[0]})`;
  if (terms.length === 1 && terms[0]!.startsWith("'")) return terms[0]!;
  // `[char] + [char]` would add numbers, so a concatenation always starts with a string.
  if (!terms[0]!.startsWith("'")) terms.unshift("''");
  return `(${terms.join(' + ')})`;
}

/** An Int32 literal. Negative values are parenthesised so they stay one argument in command mode. */
export function psInt(value: number): PsCode {
  if (!Number.isSafeInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new RangeError(`Unexpected integer \`${String(value)}\`, expected a 32-bit integer`);
  }
  return psCode(value < 0 ? `(${value})` : String(value));
}

export function psBool(value: boolean): PsCode {
  if (typeof value !== 'boolean') throw new TypeError(`psBool expects a boolean, got ${typeof value}`);
  return psCode(value ? '$true' : '$false');
}

export function psStringLiteral(value: string): PsCode {
  return psCode(psString(value));
}

/** `@('a', 'b')`; `@()` when empty. */
export function psStringArray(values: readonly string[]): PsCode {
  return psCode(`@(${values.map(psString).join(', ')})`);
}

/**
 * `[ordered]@{ 'key' = value; ... }` on one line. Keys are compared case-insensitively, as PowerShell
 * does (two constant keys differing only in case are a parse error), so a duplicate throws here.
 */
export function psOrderedHashtable(entries: ReadonlyArray<readonly [string, PsCode]>): PsCode {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const [key, value] of entries) {
    const folded = key.toLowerCase();
    if (seen.has(folded)) throw new Error(`Duplicate hashtable key \`${key}\` (PowerShell keys are case-insensitive)`);
    seen.add(folded);
    if (!isPsCode(value)) throw new TypeError(`Hashtable value for \`${key}\` is not generated code`);
    parts.push(`${psString(key)} = ${value.text}`);
  }
  return psCode(parts.length === 0 ? '[ordered]@{}' : `[ordered]@{ ${parts.join('; ')} }`);
}

const ASCII_REPLACEMENTS: Record<string, string> = {
  '\u00A0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2026': '...',
  '\u2192': '->',
  '\u00D7': 'x',
};

/**
 * Readable ASCII for comments and help text, which are for people and never parsed as data:
 * typographic punctuation becomes its ASCII look-alike, accents are dropped, anything else is `?`.
 * Tabs become spaces; other control characters are dropped.
 */
export function toAsciiText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    const code = ch.codePointAt(0)!;
    if (code === 0x09) out += ' ';
    else if (code === 0x0a) out += '\n';
    else if (isPrintableAscii(code)) out += ch;
    else if (ASCII_REPLACEMENTS[ch] !== undefined) out += ASCII_REPLACEMENTS[ch];
    else if (/\p{M}/u.test(ch) || code < 0x20 || (code >= 0x7f && code <= 0x9f)) continue;
    else out += '?';
  }
  return out;
}

/**
 * One `#` line comment: CR and LF become spaces, ASCII only, no trailing whitespace. The text is
 * put after `# ` (with a space), so it can never form a `#Requires` directive; a comment that would
 * read as the start of a signature block is defused.
 */
export function psComment(text: string): string {
  let body = toAsciiText(text.replace(/\r\n|\r|\n/g, ' ')).replace(/\s+$/, '');
  if (/^SIG\s*#\s*Begin signature block/i.test(body)) body = `(${body})`;
  return body === '' ? '#' : `# ${body}`;
}

/**
 * Content for a `<# ... #>` block comment (comment-based help), one output line per input line,
 * each indented by `indent`. `<#` and `#>` are broken with a backtick (PowerShell's
 * EscapeBlockCommentContent), and a line that starts with `.` gets a leading `:` so that text can
 * never start a new help keyword such as `.PARAMETER`.
 */
export function psBlockComment(text: string, indent = '    '): string {
  const ascii = toAsciiText(text.replace(/\r\n|\r/g, '\n'));
  return ascii
    .split('\n')
    .map((line) => {
      let l = line.replace(/<#/g, '<`#').replace(/#>/g, '#`>').replace(/\s+$/, '');
      if (/^\s*\./.test(l)) l = `:${l.trimStart()}`;
      return l === '' ? '' : indent + l;
    })
    .join('\n');
}

/** A variable or function-name fragment we generate: letters, digits and underscores only. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertIdentifier(name: string, what: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new Error(`Unexpected ${what} \`${String(name)}\`, expected letters, digits and underscores`);
  }
  return name;
}
