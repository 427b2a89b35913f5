/** Reads the published authoring schema (schema/runbook.schema.json at the package root). */
import { readFileSync } from 'node:fs';
import { SCHEMA_FILE } from '../resources.js';

export { SCHEMA_FILE };

export function loadRunbookSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}
