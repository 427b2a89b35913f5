import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { checkRunbook } from '../../src/compile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUNDLED = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';

function runbookc(...args: string[]) {
  return runCli({}, ...args);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runbookc-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('runbookc CLI', () => {
  it('shows help with examples and exit codes', async () => {
    const { code, stdout } = await runbookc('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('runbookc build runbooks/azure-stack-hci-22h2-to-23h2.yaml --out out');
    expect(stdout).toMatch(/1\s+a runbook has errors/);
  });

  it('exits 0 on the bundled runbook', async () => {
    const { code, stderr } = await runbookc('check', BUNDLED);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 1 with positioned errors and no stack trace on a broken runbook', async () => {
    const { code, stderr } = await runbookc('check', 'test/fixtures/invalid/misspelled-wrong-type-syntax.yaml', 'test/fixtures/invalid/yaml-syntax.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('test/fixtures/invalid/misspelled-wrong-type-syntax.yaml:10:5  error  Unexpected property `descripton`');
    expect(stderr).toContain('test/fixtures/invalid/misspelled-wrong-type-syntax.yaml:6:17  error  Unexpected string `one`');
    expect(stderr).toMatch(/yaml-syntax\.yaml:\d+:\d+  error  Invalid YAML/);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });

  it('prints JSON diagnostics on request', async () => {
    const { code, stdout } = await runbookc('check', '--format', 'json', 'test/fixtures/invalid/duplicate-key.yaml');
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as Array<{ ruleId: string; line: number; column: number }>;
    expect(parsed.map((d) => [d.ruleId, d.line, d.column])).toEqual([['RB102', 3, 1]]);
  });

  it('prints all of an output larger than a pipe holds, to a reader that starts reading late', async () => {
    // The CLI ends with process.exit, and writes to a pipe are asynchronous on POSIX: without
    // waiting for them, this reader got the first 250 KB of 850 KB. The reader waits with a
    // 'readable' listener, so that Node neither reads for it nor drops what the CLI has written.
    const files = Array<string>(12).fill(BUNDLED);
    const child = spawn(process.execPath, ['dist/cli.js', 'check', '--dump-ir', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    const chunks: Buffer[] = [];
    let reading = false;
    const readAll = () => {
      for (let chunk: Buffer | null; reading && (chunk = child.stdout.read() as Buffer | null) !== null; ) chunks.push(chunk);
    };
    child.stdout.on('readable', readAll);
    const ended = new Promise((done) => child.stdout.on('end', done));
    await Promise.race([exited, new Promise((done) => setTimeout(done, 1500))]);
    reading = true;
    readAll();
    await ended;
    expect(await exited).toBe(0);
    const ir = JSON.stringify((await checkRunbook(BUNDLED)).runbook, null, 2) + '\n';
    expect(Buffer.concat(chunks).toString('utf8')).toBe(ir.repeat(files.length));
  });

  it('stops printing without a stack trace when the reader goes away, and exits with its own code', async () => {
    // As `runbookc check --dump-ir ... | head -1` does: the reader closes the pipe after its first chunk.
    for (const [file, code] of [[BUNDLED, 0], ['test/fixtures/rules/RB301/not-ok.yaml', 1]] as const) {
      const child = spawn(process.execPath, ['dist/cli.js', 'check', '--dump-ir', ...Array<string>(12).fill(BUNDLED), file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdout.once('data', () => child.stdout.destroy());
      const exited = await new Promise<number | null>((done) => child.on('close', done));
      expect(stderr, file).not.toMatch(/EPIPE|node:events|at .*:\d+:\d+/);
      expect(exited, `${file}\n${stderr}`).toBe(code);
    }
  });

  it('exits 2 on a usage error', async () => {
    expect((await runbookc('frobnicate')).code).toBe(2);
    expect((await runbookc('build')).code).toBe(2);
    expect((await runbookc('check', '--format', 'xml', BUNDLED)).code).toBe(2);
  });

  it('builds every variant, with a manifest whose hashes match, byte-identical across builds', async () => {
    const first = join(work, 'first');
    const second = join(work, 'second');
    expect((await runbookc('build', BUNDLED, '--out', first)).code).toBe(0);
    expect((await runbookc('build', BUNDLED, '--out', second)).code).toBe(0);
    const files = await listFiles(first);
    expect(files).toEqual(await listFiles(second));
    for (const file of files) expect(await readFile(join(first, file))).toEqual(await readFile(join(second, file)));
    const manifest = JSON.parse(await readFile(join(first, 'azure-stack-hci-22h2-to-23h2/manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
    const { createHash } = await import('node:crypto');
    for (const entry of manifest.files) {
      const bytes = await readFile(join(first, 'azure-stack-hci-22h2-to-23h2', entry.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      files.filter((f) => f !== 'azure-stack-hci-22h2-to-23h2/manifest.json').map((f) => f.slice('azure-stack-hci-22h2-to-23h2/'.length)),
    );
  });

  it('leaves the previous outputs untouched when a build fails', async () => {
    const out = join(work, 'kept');
    expect((await runbookc('build', BUNDLED, '--out', out)).code).toBe(0);
    const before = await listFiles(out);
    const broken = join(work, 'azure-stack-hci-22h2-to-23h2.yaml');
    await writeFile(broken, (await readFile(BUNDLED, 'utf8')).replace('scope: each-node', 'scope: every-node'));
    const { code } = await runbookc('build', broken, '--out', out);
    expect(code).toBe(1);
    expect(await listFiles(out)).toEqual(before);
  });

  it('refuses an unknown variant with exit 1', async () => {
    const { code, stderr } = await runbookc('build', BUNDLED, '--variant', 'nope', '--out', join(work, 'v'));
    expect(code).toBe(1);
    expect(stderr).toContain('Unexpected variant `nope`, expected one of `cau-rolling`, `sconfig-manual`, `offline`');
  });

  it('refuses a command the script generator cannot wrap with a diagnostic, with or without the command rules', async () => {
    // PowerShell reads `]Win32_OperatingSystem` as a word; the generator refuses a lone bracket.
    const file = join(work, 'lone-bracket.yaml');
    await writeFile(file, (await readFile(BUNDLED, 'utf8')).replace('-ClassName Win32_OperatingSystem', '-ClassName ]Win32_OperatingSystem'));
    const checked = await runbookc('check', file);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/lone-bracket\.yaml:\d+:\d+ +error +Unexpected `\]`.*RB510\/command-syntax/);
    for (const profile of ['safe', 'min']) {
      const out = join(work, `lone-bracket-${profile}`);
      const built = await runbookc('build', file, '--profile', profile, '--out', out);
      expect(built.code, built.stderr).toBe(1);
      expect(built.stderr).toMatch(profile === 'min' ? /error +Unexpected `\]`.*RB604\/refused-command/ : /RB510\/command-syntax/);
      expect(built.stderr).not.toContain('internal error');
      expect(await readdir(work)).not.toContain(`lone-bracket-${profile}`);
    }
  });
});
