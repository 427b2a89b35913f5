/**
 * Writing a build's outputs atomically: every file of a runbook goes into a staging folder
 * next to the destination, which then replaces the runbook's output folder in one rename. An
 * error or a kill during a build leaves the previous outputs intact and no partial file.
 */
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { sha256 } from './util/sha256.js';
import type { OutputFile } from './emitters/types.js';
import { textSlices } from './util/text-slices.js';

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

/** `hashes`: SHA-256 already computed for some of `files`, by path; the others are hashed here. */
export function manifestFor(runbookId: string, version: string, files: readonly OutputFile[], hashes?: ReadonlyMap<string, string>): Manifest {
  const entries = files
    .map((f) => ({ path: f.path.slice(runbookId.length + 1), sha256: hashes?.get(f.path) ?? sha256(f.content), bytes: typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength }))
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
  await recoverInterruptedBuilds(root, runbookId);
  const scratch = new ScratchBuffer();
  try {
    for (const file of files) {
      assertSafeOutputPath(file.path, runbookId);
      const target = join(staging, file.path.slice(runbookId.length + 1));
      if (!target.startsWith(staging + sep)) throw new Error(`internal error: output path escapes the staging folder: ${file.path}`);
      await mkdir(dirname(target), { recursive: true });
      await writeOutput(target, file.content, scratch);
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

/** UTF-16 code units encoded and written at a time; at most 3 bytes each in UTF-8. */
const WRITE_SLICE = 1 << 18;

/** One buffer for every large output of a build, allocated when the first one is written. */
class ScratchBuffer {
  private buffer: Buffer | undefined;
  get(): Buffer {
    this.buffer ??= Buffer.allocUnsafe(3 * (WRITE_SLICE + 1));
    return this.buffer;
  }
}

/**
 * Writes one output. A large text (a checklist of 10,000 steps is 15 MB) is encoded a slice at a
 * time into the scratch buffer rather than whole: the whole would be one more copy of the file in
 * memory, kept until the next garbage collection.
 */
async function writeOutput(path: string, content: string | Uint8Array, scratch: ScratchBuffer): Promise<void> {
  if (typeof content !== 'string' || content.length <= WRITE_SLICE) return writeFile(path, content);
  const buffer = scratch.get();
  const handle = await open(path, 'w');
  try {
    for (const slice of textSlices(content, WRITE_SLICE)) {
      const bytes = buffer.write(slice, 'utf8');
      for (let written = 0; written < bytes; ) written += (await handle.write(buffer, written, bytes - written)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A build killed mid-way leaves its staging folder behind (never the destination), or, in the
 * instant between its two renames, the previous outputs under `.runbookc-old-*`. The next
 * build removes the first and puts the second back before doing anything else.
 */
async function recoverInterruptedBuilds(root: string, runbookId: string): Promise<void> {
  const pattern = new RegExp(`^\\.runbookc-(tmp|old)-${runbookId}-(\\d+)$`);
  for (const name of await readdir(root)) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    const path = join(root, name);
    if (match[1] === 'old' && !(await exists(join(root, runbookId)))) await rename(path, join(root, runbookId));
    else await rm(path, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
