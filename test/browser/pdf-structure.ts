/**
 * Just enough of a PDF reader for the tests: the page tree, page sizes, and the outline (bookmarks)
 * chromium writes from the headings, with the page each one points at. Chromium writes PDF 1.4 with
 * plain (uncompressed) objects for these.
 */
export interface PdfStructure {
  pages: Array<{ width: number; height: number }>;
  outline: Array<{ title: string; page: number; depth: number }>;
  tagged: boolean;
}

export function readPdf(bytes: Uint8Array): PdfStructure {
  const text = Buffer.from(bytes).toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/(?:^|\n)(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2]!);
  const root = Number(/\/Root (\d+) 0 R/.exec(text)?.[1]);
  const catalog = objects.get(root) ?? '';
  const pageIds: number[] = [];
  const collect = (id: number): void => {
    const obj = objects.get(id) ?? '';
    if (/\/Type \/Pages\b/.test(obj)) {
      const kids = /\/Kids \[([^\]]*)\]/.exec(obj)?.[1] ?? '';
      for (const k of kids.matchAll(/(\d+) 0 R/g)) collect(Number(k[1]));
    } else {
      pageIds.push(id);
    }
  };
  collect(Number(/\/Pages (\d+) 0 R/.exec(catalog)?.[1]));
  const pages = pageIds.map((id) => {
    const box = /\/MediaBox \[([^\]]*)\]/.exec(objects.get(id) ?? '')?.[1]?.trim().split(/\s+/).map(Number) ?? [];
    return { width: (box[2] ?? 0) - (box[0] ?? 0), height: (box[3] ?? 0) - (box[1] ?? 0) };
  });
  const outline: PdfStructure['outline'] = [];
  const walk = (id: number | undefined, depth: number): void => {
    while (id !== undefined) {
      const obj = objects.get(id) ?? '';
      const title = decodeString(/\/Title (\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>)/.exec(obj)?.[1] ?? '()');
      const dest = Number(/\/Dest \[(\d+) 0 R/.exec(obj)?.[1]);
      outline.push({ title, page: pageIds.indexOf(dest) + 1, depth });
      const first = /\/First (\d+) 0 R/.exec(obj)?.[1];
      if (first !== undefined) walk(Number(first), depth + 1);
      const next = /\/Next (\d+) 0 R/.exec(obj)?.[1];
      id = next === undefined ? undefined : Number(next);
    }
  };
  const outlines = objects.get(Number(/\/Outlines (\d+) 0 R/.exec(catalog)?.[1])) ?? '';
  const first = /\/First (\d+) 0 R/.exec(outlines)?.[1];
  if (first !== undefined) walk(Number(first), 0);
  return { pages, outline, tagged: /\/Marked true/.test(catalog) };
}

function decodeString(token: string): string {
  if (token.startsWith('<')) {
    const hex = token.slice(1, -1);
    const bytes = Buffer.from(hex, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  return token.slice(1, -1).replace(/\\([nrtbf()\\]|\d{1,3})/g, (_, e: string) => {
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
    return simple[e] ?? String.fromCharCode(parseInt(e, 8));
  });
}
