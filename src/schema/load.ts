/** Reads the published authoring schema (schema/runbook.schema.json at the package root). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/runbook.schema.json', import.meta.url));

export function loadRunbookSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}
