/**
 * SHA-256 of an output, as the script, the checklists and the manifest print it (lower-case hex).
 * A module of its own so that writing outputs (output.ts) does not load the emitters.
 */
import { createHash } from 'node:crypto';
import { textSlices } from './text-slices.js';

/**
 * Node encodes a string given to `update` as UTF-8 in one piece, which takes several times longer
 * than hashing the bytes once a string reaches megabytes (a checklist of 10,000 steps is 15 MB).
 * Slices of this many UTF-16 code units encode fast.
 */
const SLICE = 1 << 16;

export function sha256(content: string | Uint8Array): string {
  const hash = createHash('sha256');
  if (typeof content !== 'string' || content.length <= SLICE) return hash.update(content).digest('hex');
  for (const slice of textSlices(content, SLICE)) hash.update(slice);
  return hash.digest('hex');
}
