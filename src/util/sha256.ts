import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of a file's content (a string is hashed as UTF-8). */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
