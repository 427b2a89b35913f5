/**
 * Compares two strings by UTF-16 code units, the same way on every machine. Sorting runbookc's own
 * identifiers (rule ids, finding kinds) does not need a locale, and String#localeCompare would
 * start ICU's collator on its first call, about 15 ms of every command's start-up.
 */
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
