import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runbookToMarkdown } from '../../src/convert/markdown.js';
import { irFromFile, irFromText, withoutSpans } from '../support/ir.js';

const YAML_FILE = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';
const SEED = join(process.cwd(), 'test/fixtures/import/upgrade-22h2-to-23h2.md');

function runbookc(cwd: string, ...args: string[]) {
  return runCli({ cwd }, ...args);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runbookc-md-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('runbookc convert', () => {
  it('writes the Markdown form of a YAML runbook to standard output', async () => {
    const { code, stdout } = await runbookc(process.cwd(), 'convert', YAML_FILE);
    expect(code).toBe(0);
    expect(stdout).toBe(runbookToMarkdown(irFromFile(YAML_FILE)));
  });

  it('writes the YAML form of a Markdown runbook to a file', async () => {
    const md = join(work, 'bundled.md');
    expect((await runbookc(process.cwd(), 'convert', YAML_FILE, '--out', md)).code).toBe(0);
    const yaml = join(work, 'back.yaml');
    const { code, stdout } = await runbookc(process.cwd(), 'convert', md, '--out', yaml);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(withoutSpans(irFromText(await readFile(yaml, 'utf8'), 'back.yaml'))).toEqual(withoutSpans(irFromFile(YAML_FILE)));
  });

  it('refuses a runbook with errors and writes nothing', async () => {
    const bad = join(work, 'bad.md');
    await writeFile(bad, '---\nrunbook: demo\nversion: 1.0.0\n---\n\n# Demo\n\nA demo.\n\n## Phase\n<!-- id: p, scope: cluster -->\n\n### Step\n<!-- id: s -->\n\n```powershell verfy\n$true\n```\n');
    const { code, stdout, stderr } = await runbookc(process.cwd(), 'convert', bad);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${bad}:16:1`);
    expect(stderr).toContain('RB113/markdown-code-block');
  });

  it('refuses, with the step named, a title no Markdown heading can hold, instead of failing', async () => {
    const yaml = join(work, 'closing-hashes.yaml');
    const text = (await readFile(YAML_FILE, 'utf8')).replace('title: Update the storage pool', 'title: "Update the storage pool #"');
    await writeFile(yaml, text);
    const md = join(work, 'closing-hashes.md');
    const { code, stdout, stderr } = await runbookc(process.cwd(), 'convert', yaml, '--out', md);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const line = text.split('\n').findIndex((l) => l.includes('id: update-storage-pool')) + 1;
    expect(stderr).toMatch(new RegExp(`closing-hashes\\.yaml:${line}:\\d+ +error +Unexpected \`title\` of step \`update-storage-pool\` that does not read back the same from Markdown.*RB605/not-spellable-in-markdown`));
    expect(stderr).not.toContain('internal error');
    await expect(readFile(md, 'utf8')).rejects.toThrow();
  });
});

describe('runbookc import', () => {
  it('writes a draft and a report, and never overwrites an earlier draft without --force', async () => {
    const first = await runbookc(work, 'import', SEED);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/wrote upgrade-22h2-to-23h2\.runbook\.md and upgrade-22h2-to-23h2\.import-report\.md/);
    const draft = await readFile(join(work, 'upgrade-22h2-to-23h2.runbook.md'), 'utf8');
    const report = await readFile(join(work, 'upgrade-22h2-to-23h2.import-report.md'), 'utf8');
    expect(draft).toContain('draft: true\n');
    expect(draft).not.toContain(work);
    expect(report).toContain('Misspelled cmdlet `Get-Storage-Job`');

    await writeFile(join(work, 'upgrade-22h2-to-23h2.runbook.md'), 'an author edited this\n');
    const second = await runbookc(work, 'import', SEED);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exist');
    expect(await readFile(join(work, 'upgrade-22h2-to-23h2.runbook.md'), 'utf8')).toBe('an author edited this\n');

    const forced = await runbookc(work, 'import', SEED, '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(join(work, 'upgrade-22h2-to-23h2.runbook.md'), 'utf8')).toBe(draft);

    // The draft is checked: its review markers are warnings, and the rules report what the import report lists.
    const check = await runbookc(work, 'check', 'upgrade-22h2-to-23h2.runbook.md');
    expect(check.stderr).toContain('RB114/import-review-pending');
    expect(check.stderr).toContain('RB403/');
  });

  it('reports a missing how-to as a diagnostic', async () => {
    const { code, stderr } = await runbookc(work, 'import', 'missing.md');
    expect(code).toBe(1);
    expect(stderr).toContain('RB100');
  });
});
