import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'runbookc-watch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('rebuilds a runbook when it changes, reports errors without writing, and stops on SIGINT', async () => {
  const file = join(work, 'r.yaml');
  const out = join(work, 'out');
  const original = readFileSync('runbooks/azure-stack-hci-22h2-to-23h2.yaml', 'utf8');
  writeFileSync(file, original);
  const child = spawn(process.execPath, ['dist/cli.js', 'build', file, '--out', out, '--watch'], { env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  let waiting: (() => void) | undefined;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    waiting?.();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got:\n${output}`)), 20_000);
      waiting = () => {
        if (!pattern.test(output)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve();
      };
      waiting();
    });
  const exited = new Promise<number | null>((r) => child.once('exit', r));

  await waitFor(/watching 1 runbook/);
  writeFileSync(file, original.replace('version: 1.0.0', 'version: 1.0.1'));
  await waitFor(/rebuilt \d+ files in \d+ ms/);
  const manifest = JSON.parse(readFileSync(join(out, 'azure-stack-hci-22h2-to-23h2/manifest.json'), 'utf8')) as { version: string };
  expect(manifest.version).toBe('1.0.1');

  writeFileSync(file, original.replace('version: 1.0.0', 'version: one'));
  await waitFor(/not rebuilt, fix the errors above/);
  expect(output).toMatch(/r\.yaml:\d+:\d+  error  Unexpected `one` for `version`/);
  expect(JSON.parse(readFileSync(join(out, 'azure-stack-hci-22h2-to-23h2/manifest.json'), 'utf8')).version).toBe('1.0.1');

  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
