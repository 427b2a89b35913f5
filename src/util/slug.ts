/**
 * An id made of a title's words, as the schema's id pattern allows (lower-case letters, digits and
 * single dashes, starting with a letter): `Drain the node` -> `drain-the-node`. Used where runbookc
 * proposes an id: the drafts of `runbookc import` and the diagnostic for a missing id.
 */
export function slug(text: string, fallback: string): string {
  const words = text
    .toLowerCase()
    .replace(/`/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let id = '';
  for (const w of words) {
    if ((id ? id.length + 1 : 0) + w.length > 48) break;
    id = id ? `${id}-${w}` : w;
  }
  if (!id) id = fallback;
  return /^[a-z]/.test(id) ? id : `${fallback}-${id}`;
}
