/**
 * Golden files: every output of the bundled runbook, committed under test/golden/ and compared
 * byte for byte. Regenerate on purpose with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// The built CLI renders with the templates precompiled by `npm run build`; the sources above compile
// them from the files. Both must give the same bytes.
describe('golden outputs of the built CLI', () => {
  it('writes every golden file, byte for byte, and nothing else', () => {
    const out = mkdtempSync(join(tmpdir(), 'runbookc-golden-'));
    try {
      const r = spawnSync(process.execPath, ['dist/cli.js', 'build', 'runbooks/azure-stack-hci-22h2-to-23h2.yaml', '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const id = 'azure-stack-hci-22h2-to-23h2';
      const written = listFiles(join(out, id));
      expect(written).toEqual(listFiles(join(GOLDEN, id)));
      const differing = written.filter((p) => !readFileSync(join(out, id, p)).equals(readFileSync(join(GOLDEN, id, p))));
      expect(differing).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
