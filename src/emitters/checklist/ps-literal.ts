/**
 * PowerShell literals for the commands the checklist prints (the CAU command line, the hash check).
 * Same rules as the script emitter (powershell.md section 3): single-quoted, every single-quote
 * character doubled, anything outside printable ASCII split out as [char] concatenations.
 */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

export function powershellString(value: string): string {
  const parts: string[] = [];
  let ascii = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) {
      ascii += ch;
      continue;
    }
    if (ascii !== '') parts.push(quoted(ascii));
    ascii = '';
    if (code > 0xffff) parts.push(`[char]::ConvertFromUtf32(0x${hex(code)})`);
    else parts.push(`[char]0x${hex(code)}`);
  }
  if (ascii !== '' || parts.length === 0) parts.push(quoted(ascii));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}

function quoted(ascii: string): string {
  return `'${ascii.replace(SINGLE_QUOTES, (c) => c + c)}'`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
