/**
 * SHA-256 of an output, as the script, the checklists and the manifest print it (lower-case hex).
 * A module of its own so that writing outputs (output.ts) does not load the emitters.
 */
import { createHash } from 'node:crypto';

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
