/**
 * Writing a build's outputs atomically: every file of a runbook goes into a staging folder
 * next to the destination, which then replaces the runbook's output folder in one rename. An
 * error or a kill during a build leaves the previous outputs intact and no partial file.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { sha256 } from './emitters/index.js';
import type { OutputFile } from './emitters/types.js';

export interface Manifest {
  runbook: string;
  version: string;
  files: Array<{ path: string; sha256: string; bytes: number }>;
}

/** Output paths are built from schema-validated ids; this refuses anything else rather than trusting it. */
const SAFE_PATH = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function assertSafeOutputPath(path: string, runbookId: string): void {
  if (!SAFE_PATH.test(path) || path.split('/').some((part) => part === '.' || part === '..' || part.startsWith('..')) || !path.startsWith(`${runbookId}/`)) {
    throw new Error(`internal error: refusing to write output path ${JSON.stringify(path)} outside ${runbookId}/`);
  }
}

export function manifestFor(runbookId: string, version: string, files: readonly OutputFile[]): Manifest {
  const entries = files
    .map((f) => ({ path: f.path.slice(runbookId.length + 1), sha256: sha256(f.content), bytes: typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { runbook: runbookId, version, files: entries };
}

/** Replaces `<outDir>/<runbookId>/` with exactly `files`. */
export async function writeOutputsAtomically(outDir: string, runbookId: string, files: readonly OutputFile[]): Promise<void> {
  const root = resolve(outDir);
  const final = join(root, runbookId);
  const staging = join(root, `.runbookc-tmp-${runbookId}-${process.pid}`);
  const previous = join(root, `.runbookc-old-${runbookId}-${process.pid}`);
  await mkdir(root, { recursive: true });
  await rm(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      assertSafeOutputPath(file.path, runbookId);
      const target = join(staging, file.path.slice(runbookId.length + 1));
      if (!target.startsWith(staging + sep)) throw new Error(`internal error: output path escapes the staging folder: ${file.path}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    await rm(previous, { recursive: true, force: true });
    let hadPrevious = true;
    try {
      await rename(final, previous);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      hadPrevious = false;
    }
    try {
      await rename(staging, final);
    } catch (e) {
      if (hadPrevious) await rename(previous, final);
      throw e;
    }
    await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
