import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPsCode,
  psBlockComment,
  psBool,
  psComment,
  psInt,
  psOrderedHashtable,
  psString,
  psStringByTerms,
  psStringArray,
  psStringLiteral,
} from '../../src/emitters/powershell/quote.js';
import { describeWithPwsh, lastJsonLine, runPwshScript } from '../powershell/pwsh.js';
import { propertySeed } from '../support/property-seed.js';

/** Values that break naive quoting, each named for the failure message. */
export const DANGEROUS: Array<[string, string]> = [
  ['apostrophe', "it's"],
  ['left single quote U+2018', 'a\u2018b'],
  ['right single quote U+2019', 'a\u2019; Remove-Item C:\\ -Recurse; \u2019'],
  ['low-9 single quote U+201A', '\u201Ax'],
  ['reversed-9 single quote U+201B', 'x\u201B'],
  ['double quote', 'say "hi"'],
  ['typographic double quotes U+201C-201E', '\u201Cq\u201D \u201E'],
  ['subexpression', '$(Remove-Item C:\\ -Recurse)'],
  ['variable', '$env:COMPUTERNAME $Credential'],
  ['backtick', 'a`b`n`0'],
  ['CR', 'a\rb'],
  ['LF', 'a\nb'],
  ['CRLF', 'line1\r\nline2'],
  ['NUL', 'a\u0000b'],
  ['NBSP', 'a\u00A0b'],
  ['en dash', '\u2013Force'],
  ['em dash', '\u2014eq'],
  ['lone high surrogate', 'a\uD800b'],
  ['lone low surrogate', '\uDC00'],
  ['astral character', 'smile \u{1F600}'],
  ['block comment end', 'x #> y <# z'],
  ['here-string footer at a line start', "x\n'@\nRemove-Item C:\\"],
  ['stop-parsing token', '--%'],
  ['leading dash', '-Force'],
  ['splat', '@args'],
  ['empty', ''],
  ['only non-ASCII', '\u00E9'],
  ['accented', 'caf\u00E9 na\u00EFve'],
  ['format braces', '{0} {1}'],
  ['semicolon and pipe', 'a; b | c & d'],
  ['hash', '# not a comment'],
  ['tab and VT', 'a\tb\u000Bc'],
];

describe('psString', () => {
  it('single-quotes plain ASCII and doubles apostrophes', () => {
    expect(psString('abc')).toBe("'abc'");
    expect(psString("it's")).toBe("'it''s'");
    expect(psString('')).toBe("''");
  });

  it('never leaves a typographic single quote inside a literal', () => {
    // Each of U+2018..U+201B ends a PowerShell single-quoted string; they must be split out.
    for (const q of ['\u2018', '\u2019', '\u201A', '\u201B']) {
      const out = psString(`a${q}b`);
      expect(out).toBe(`('a' + [char]0x${q.charCodeAt(0).toString(16).toUpperCase()} + 'b')`);
    }
  });

  it('produces printable ASCII only, for every dangerous value', () => {
    for (const [name, value] of DANGEROUS) {
      expect(psString(value), name).toMatch(/^[\x20-\x7E]*$/);
    }
  });

  it('starts a concatenation with a string, so [char] terms are not added as numbers', () => {
    expect(psString('\u00E9')).toBe("('' + [char]0x00E9)");
    expect(psString('\u00E9x')).toBe("('' + [char]0x00E9 + 'x')");
  });

  it('splits astral characters into their two surrogates', () => {
    expect(psString('\u{1F600}')).toBe("('' + [char]0xD83D + [char]0xDE00)");
  });

  it('keeps $, backtick, double quotes and --% inside the single-quoted literal, where they are plain text', () => {
    expect(psString('$(x) `n "y" --%')).toBe('\'$(x) `n "y" --%\'');
    // A value that is exactly the stop-parsing token is parenthesised: quoted, it still stops parsing in command mode.
    expect(psString('--%')).toBe("('--%')");
    expect(psString('--% ')).toBe("'--% '");
  });

  it('rejects non-strings', () => {
    expect(() => psString(42 as unknown as string)).toThrow(/expects a string/);
  });

  it('quotes printable ASCII through its shortcut exactly as term by term (the shortcut changes nothing)', () => {
    const alphabet = [...`a Z0'"\`$-%@;{}()#&|~`, '\u2018', '\u2019', '\u201A', '\u201B', '\t', '\n', '\r', '\u0000', '\u007F', '\u00E9', '\uD83D'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 10 });
    fc.assert(fc.property(text, (value) => psString(value) === psStringByTerms(value)), { numRuns: 20_000, seed: propertySeed() });
    for (const [name, value] of DANGEROUS) expect(psString(value), name).toBe(psStringByTerms(value));
    for (const value of ['', '--%', '--% ', "'", "''", 'a\'b']) expect(psString(value), value).toBe(psStringByTerms(value));
  });
});

describe('literal helpers', () => {
  it('builds branded code from values', () => {
    expect(psInt(20349).text).toBe('20349');
    expect(psInt(-5).text).toBe('(-5)');
    expect(() => psInt(1.5)).toThrow(/32-bit integer/);
    expect(() => psInt(2 ** 31)).toThrow(/32-bit integer/);
    expect(psBool(true).text).toBe('$true');
    expect(psBool(false).text).toBe('$false');
    expect(psStringArray([]).text).toBe('@()');
    expect(psStringArray(['a', "b'c"]).text).toBe("@('a', 'b''c')");
    expect(psStringLiteral('x').text).toBe("'x'");
    expect(isPsCode(psInt(1))).toBe(true);
    expect(isPsCode({ text: 'x' })).toBe(false);
  });

  it('builds ordered hashtables and rejects keys that differ only in case', () => {
    expect(psOrderedHashtable([['WuConnected', psStringLiteral('true')]]).text).toBe("[ordered]@{ 'WuConnected' = 'true' }");
    expect(psOrderedHashtable([]).text).toBe('[ordered]@{}');
    expect(() => psOrderedHashtable([['a', psInt(1)], ['A', psInt(2)]])).toThrow(/Duplicate hashtable key/);
  });
});

describe('comments', () => {
  it('keeps a line comment on one ASCII line', () => {
    expect(psComment('a\r\nb\nc')).toBe('# a b c');
    expect(psComment('\u2014 caf\u00E9 \u2018x\u2019')).toBe("# - cafe 'x'");
    expect(psComment('emoji \u{1F600}')).toBe('# emoji ?');
    expect(psComment('trailing   ')).toBe('# trailing');
  });

  it('cannot produce a #Requires directive or a signature block', () => {
    expect(psComment('Requires -Version 7')).toBe('# Requires -Version 7');
    expect(psComment('SIG # Begin signature block')).toBe('# (SIG # Begin signature block)');
  });

  it('escapes block comment delimiters and help keywords in help text', () => {
    expect(psBlockComment('a #> b <# c')).toBe('    a #`> b <`# c');
    expect(psBlockComment('.PARAMETER Evil\nok')).toBe('    :.PARAMETER Evil\n    ok');
    expect(psBlockComment('x  \n\ny')).toBe('    x\n\n    y');
  });
});

function utf16Units(s: string): number[] {
  return Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
}

describeWithPwsh('psString in PowerShell', (pwsh) => {
  it('delivers every dangerous value byte-exact, as an expression and as a command argument', () => {
    // One pwsh run: each value is emitted twice, assigned in expression mode and passed in command
    // mode; PowerShell prints the UTF-16 code units it received.
    const lines = [
      'Set-StrictMode -Version 3.0',
      "$ErrorActionPreference = 'Stop'",
      // -After follows the value so that a value read as the stop-parsing token (`--%`) would swallow it.
      "function Get-Units { param([string]$Value, [string]$After) if ($After -cne 'end') { throw ('-After lost: ' + $After) }; return ,([int[]][char[]]$Value) }",
      '$out = [ordered]@{}',
    ];
    DANGEROUS.forEach(([, value], i) => {
      lines.push(`$v = ${psString(value)}`);
      lines.push(`$out['e${i}'] = [int[]][char[]]$v`);
      lines.push(`$out['c${i}'] = Get-Units -Value ${psString(value)} -After 'end'`);
      lines.push(`$out['n${i}'] = $v.Length`);
    });
    lines.push('$out | ConvertTo-Json -Depth 5 -Compress');
    const result = runPwshScript(pwsh, lines.join('\n') + '\n');
    expect(result.stderr).toBe('');
    const got = lastJsonLine<Record<string, number[] | number | null>>(result);
    DANGEROUS.forEach(([name, value], i) => {
      const want = utf16Units(value);
      const asArray = (x: number[] | number | null | undefined) => (x === null || x === undefined ? [] : Array.isArray(x) ? x : [x]);
      expect(asArray(got[`e${i}`]), `${name} (expression)`).toEqual(want);
      expect(asArray(got[`c${i}`]), `${name} (command argument)`).toEqual(want);
      expect(got[`n${i}`], `${name} (length)`).toBe(value.length);
    });
  });
});
