/**
 * Golden files: every output of the bundled runbook, committed under test/golden/ and compared
 * byte for byte. Regenerate on purpose with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitRunbook, loadRunbook } from '../src/index.js';

const GOLDEN = 'test/golden';
const update = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string, prefix = ''): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    out = entry.isDirectory() ? [...out, ...listFiles(join(dir, entry.name), rel)] : [...out, rel];
  }
  return out.sort();
}

describe('golden outputs of the bundled runbook', async () => {
  const { runbook, diagnostics } = await loadRunbook('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
  expect(diagnostics).toEqual([]);
  const { files } = emitRunbook(runbook!);
  const root = join(GOLDEN, runbook!.id);

  if (update) {
    rmSync(root, { recursive: true, force: true });
    for (const file of files) {
      const target = join(GOLDEN, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
  }

  it('has a golden file for every output and no stale ones', () => {
    expect(listFiles(root).map((p) => `${runbook!.id}/${p}`)).toEqual(files.map((f) => f.path).sort());
  });

  for (const file of files) {
    it(file.path, () => {
      const expected = readFileSync(join(GOLDEN, file.path));
      expect(Buffer.from(file.content).equals(expected), `${file.path} differs from its golden file; run UPDATE_GOLDEN=1 npm test and review the diff`).toBe(true);
    });
  }
});
