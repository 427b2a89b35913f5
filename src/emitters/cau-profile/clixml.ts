/**
 * A small CLIXML writer: the subset of PowerShell's serialization format (MS-PSRP 2.2.5.2) that a
 * CAU run profile needs, written the way Export-Clixml writes it, so that Import-Clixml reads it
 * back into a System.Collections.Hashtable with typed values.
 *
 * The XML is built here rather than in a Handlebars template because its shape is recursive
 * (hashtables holding arrays of hashtables) and carries state (RefId counters, type-name lists
 * referenced by TNRef); a template would need logic to express that. All text goes through one
 * escaping function, `clixmlText`.
 */

export type ClixmlValue =
  | { kind: 'S'; value: string }
  | { kind: 'I32'; value: number }
  | { kind: 'B'; value: boolean }
  /** A TimeSpan, as an xs:duration (`PT12H`). */
  | { kind: 'TS'; value: string }
  | { kind: 'StringArray'; value: string[] }
  | { kind: 'HashtableArray'; value: Array<Array<[string, ClixmlValue]>> };

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Escapes a string for a CLIXML text node, the way PowerShell's serializer does, plus one choice
 * of ours:
 * - characters XML cannot carry, and those the serializer always encodes (C0 and C1 controls, tab,
 *   CR, LF, every surrogate, U+FFFE, U+FFFF) become `_xHHHH_`, and a `_` followed by `x` or `X`
 *   becomes `_x005F_` so that the decoder does not take it for an escape;
 * - `&`, `<`, `>` become entities;
 * - other non-ASCII characters become numeric character references, so that the file is ASCII and
 *   reads the same whatever encoding a reader assumes.
 */
export function clixmlText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c === 0x5f && (s[i + 1] === 'x' || s[i + 1] === 'X')) out += '_x005F_';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) out += `_x${hex4(c)}_`;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (c > 0x7e) out += `&#x${hex4(c)};`;
    else out += ch;
  }
  return out;
}

const HASHTABLE_TYPES = ['System.Collections.Hashtable', 'System.Object'];
const STRING_ARRAY_TYPES = ['System.String[]', 'System.Array', 'System.Object'];
const HASHTABLE_ARRAY_TYPES = ['System.Collections.Hashtable[]', 'System.Array', 'System.Object'];

class Writer {
  private readonly lines: string[] = [];
  private nextObjectRef = 0;
  private readonly typeLists = new Map<string, number>();

  line(depth: number, text: string): void {
    this.lines.push('  '.repeat(depth) + text);
  }

  private typeNames(depth: number, types: string[]): void {
    const key = types.join('\n');
    const known = this.typeLists.get(key);
    if (known !== undefined) {
      this.line(depth, `<TNRef RefId="${known}" />`);
      return;
    }
    const id = this.typeLists.size;
    this.typeLists.set(key, id);
    this.line(depth, `<TN RefId="${id}">`);
    for (const t of types) this.line(depth + 1, `<T>${clixmlText(t)}</T>`);
    this.line(depth, '</TN>');
  }

  private objectStart(depth: number, name: 'Key' | 'Value' | undefined, types: string[]): void {
    const n = name === undefined ? '' : ` N="${name}"`;
    this.line(depth, `<Obj${n} RefId="${this.nextObjectRef++}">`);
    this.typeNames(depth + 1, types);
  }

  hashtable(depth: number, name: 'Value' | undefined, entries: Array<[string, ClixmlValue]>): void {
    this.objectStart(depth, name, HASHTABLE_TYPES);
    if (entries.length === 0) {
      this.line(depth + 1, '<DCT />');
    } else {
      this.line(depth + 1, '<DCT>');
      for (const [key, value] of entries) {
        this.line(depth + 2, '<En>');
        this.line(depth + 3, `<S N="Key">${clixmlText(key)}</S>`);
        this.value(depth + 3, 'Value', value);
        this.line(depth + 2, '</En>');
      }
      this.line(depth + 1, '</DCT>');
    }
    this.line(depth, '</Obj>');
  }

  value(depth: number, name: 'Value' | undefined, v: ClixmlValue): void {
    const n = name === undefined ? '' : ` N="${name}"`;
    switch (v.kind) {
      case 'S':
        this.line(depth, `<S${n}>${clixmlText(v.value)}</S>`);
        return;
      case 'I32':
        if (!Number.isInteger(v.value) || v.value < -2147483648 || v.value > 2147483647) {
          throw new RangeError(`Unexpected Int32 \`${v.value}\`, expected a 32-bit integer`);
        }
        this.line(depth, `<I32${n}>${v.value}</I32>`);
        return;
      case 'B':
        this.line(depth, `<B${n}>${v.value ? 'true' : 'false'}</B>`);
        return;
      case 'TS':
        if (!/^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(v.value) || /T$/.test(v.value) || v.value === 'P') {
          throw new Error(`Unexpected duration \`${v.value}\`, expected an xs:duration such as PT12H`);
        }
        this.line(depth, `<TS${n}>${v.value}</TS>`);
        return;
      case 'StringArray':
        this.objectStart(depth, name, STRING_ARRAY_TYPES);
        this.list(depth + 1, v.value.map((s) => ({ kind: 'S', value: s }) as ClixmlValue));
        this.line(depth, '</Obj>');
        return;
      case 'HashtableArray':
        this.objectStart(depth, name, HASHTABLE_ARRAY_TYPES);
        if (v.value.length === 0) {
          this.line(depth + 1, '<LST />');
        } else {
          this.line(depth + 1, '<LST>');
          for (const entries of v.value) this.hashtable(depth + 2, undefined, entries);
          this.line(depth + 1, '</LST>');
        }
        this.line(depth, '</Obj>');
        return;
    }
  }

  private list(depth: number, items: ClixmlValue[]): void {
    if (items.length === 0) {
      this.line(depth, '<LST />');
      return;
    }
    this.line(depth, '<LST>');
    for (const item of items) this.value(depth + 1, undefined, item);
    this.line(depth, '</LST>');
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** The CLIXML document of one System.Collections.Hashtable, entries in the given order. */
export function clixmlHashtable(entries: Array<[string, ClixmlValue]>): string {
  const keys = new Set<string>();
  for (const [key] of entries) {
    const folded = key.toLowerCase();
    if (keys.has(folded)) throw new Error(`Duplicate hashtable key \`${key}\` (keys are case-insensitive)`);
    keys.add(folded);
  }
  const w = new Writer();
  w.line(0, '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">');
  w.hashtable(1, undefined, entries);
  w.line(0, '</Objs>');
  return w.text();
}

/** `hhh:mm:ss` (the runbook's spelling of a TimeSpan) as an xs:duration, normalised like .NET's XmlConvert. */
export function durationFromClock(clock: string): string {
  const m = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/.exec(clock);
  if (!m) throw new Error(`Unexpected duration \`${clock}\`, expected hh:mm:ss`);
  const totalHours = Number(m[1]);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  let time = '';
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${seconds}S`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
