/**
 * Outputs are all-or-nothing: a build killed at any moment leaves the previous outputs complete
 * (every file the manifest lists, with its hash, and nothing else), builds are byte-identical
 * across time zones and locales, and no output path can leave the output folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSafeOutputPath, writeOutputsAtomically } from '../../src/output.js';

const BUNDLED = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const ID = 'azure-stack-hci-22h2-to-23h2';
const work = mkdtempSync(join(tmpdir(), 'runbookc-outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function build(out: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'build', BUNDLED, '--out', out], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(join(dir, e.name), rel) : [rel];
  });
}

/** The folder holds exactly what its manifest lists, each file with the listed hash. */
function assertComplete(dir: string) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
  expect(walk(dir).filter((p) => p !== 'manifest.json').sort()).toEqual(manifest.files.map((f) => f.path).sort());
  for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(dir, f.path))).digest('hex')).toBe(f.sha256);
}

describe('atomic, deterministic outputs', () => {
  it('survives being killed at any moment of a build', async () => {
    const out = join(work, 'killed');
    build(out);
    for (let i = 0; i < 12; i++) {
      const child = spawn(process.execPath, ['dist/cli.js', 'build', BUNDLED, '--out', out], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 60 + i * 25));
      child.kill('SIGKILL');
      await exited;
      // Whatever the moment of the kill, the next build recovers and the folder is complete.
      build(out);
      assertComplete(join(out, ID));
    }
    expect(readdirSync(out).sort()).toEqual([ID]);
  });

  it('is byte-identical across time zones and locales', () => {
    const a = join(work, 'utc');
    const b = join(work, 'elsewhere');
    build(a, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' });
    build(b, { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    const files = walk(join(a, ID)).sort();
    expect(walk(join(b, ID)).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, ID, f)).equals(readFileSync(join(a, ID, f))), f).toBe(true);
  });

  it('writes large text outputs as their UTF-8, whatever falls at the edges of the slices it writes', () => {
    const out = join(work, 'large');
    // Over 1 Mi UTF-16 code units, a surrogate pair in every 3 units, shifted so that a pair straddles any given offset once.
    const large = (shift: number) => 'x'.repeat(shift) + '\u00e9\u{1F512}'.repeat(400_000);
    const files = [
      ...[0, 1, 2].map((shift) => ({ path: `${ID}/a/large-${shift}.txt`, content: large(shift) })),
      { path: `${ID}/small.txt`, content: 'small \u{1F512}' },
    ];
    writeOutputsAtomically(out, ID, files);
    for (const f of files) expect(readFileSync(join(out, f.path)).equals(Buffer.from(f.content, 'utf8')), f.path).toBe(true);
  });

  it('refuses output paths that would leave the output folder', () => {
    for (const bad of ['../etc/passwd', `${ID}/../x`, `${ID}/a/../../x`, '/abs/path', `${ID}/.hidden`, `other/${ID}/x`, `${ID}\\x`]) {
      expect(() => assertSafeOutputPath(bad, ID), bad).toThrow(/refusing to write/);
    }
    expect(() => assertSafeOutputPath(`${ID}/cau-rolling/profiles/a.b.xml`, ID)).not.toThrow();
  });
});
