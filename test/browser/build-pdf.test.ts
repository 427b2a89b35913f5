import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInBrowser } from './chromium.js';
import { readPdf } from './pdf-structure.js';

const BUNDLED = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';

function runbookc(env: NodeJS.ProcessEnv, ...args: string[]) {
  return runCli({ env }, ...args);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runbookc-pdf-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describeInBrowser('runbookc build --pdf', () => {
  it('prints a PDF next to every HTML checklist, lists it in the manifest, and prints the same bytes again', async () => {
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    for (const out of [a, b]) {
      const result = await runbookc({}, 'build', BUNDLED, '--out', out, '--pdf', '--paper', 'Letter');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const root = join(a, 'azure-stack-hci-22h2-to-23h2');
    const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
    const html = manifest.files.filter((f) => f.path.endsWith('.checklist.html'));
    const pdfs = manifest.files.filter((f) => f.path.endsWith('.checklist.pdf'));
    expect(pdfs.map((f) => f.path)).toEqual(html.map((f) => f.path.replace(/\.html$/, '.pdf')));
    for (const entry of pdfs) {
      const bytes = await readFile(join(root, entry.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      expect(bytes.equals(await readFile(join(b, 'azure-stack-hci-22h2-to-23h2', entry.path)))).toBe(true);
      const pdf = readPdf(bytes);
      expect(pdf.pages[0]).toEqual({ width: 612, height: 792 });
      expect(pdf.outline.some((o) => o.title === 'Rolling back')).toBe(true);
    }
  });
});

describe('runbookc build --pdf without chromium', () => {
  it('stops with RB603, says how to install chromium, and writes nothing', async () => {
    const out = join(work, 'none');
    const result = await runbookc({ RUNBOOKC_CHROMIUM: join(work, 'no-such-chromium') }, 'build', BUNDLED, '--out', out, '--pdf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RB603');
    expect(result.stderr).toContain('apt-get install -y chromium');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const written = await readdir(out).catch(() => [] as string[]);
    expect(written.filter((e) => !e.startsWith('.'))).toEqual([]);
  });

  it('builds as before when --pdf is not given, without looking for chromium', async () => {
    const out = join(work, 'plain');
    const result = await runbookc({ RUNBOOKC_CHROMIUM: join(work, 'no-such-chromium') }, 'build', BUNDLED, '--out', out);
    expect(result.code).toBe(0);
    const files = await readdir(join(out, 'azure-stack-hci-22h2-to-23h2', 'offline'));
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(false);
    expect(files.some((f) => f.endsWith('.checklist.html'))).toBe(true);
  });
});
