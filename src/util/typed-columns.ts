/**
 * Columns of numbers for tables of nodes (the YAML reader's, the Markdown reader's positions): a
 * table that is full grows every column to twice its room.
 */
export function doubled<T extends Int32Array | Uint8Array>(column: T): T {
  const wider = new (column.constructor as new (length: number) => T)(column.length * 2);
  wider.set(column);
  return wider;
}
