/**
 * A corpus of bad inputs: each gives a positioned diagnostic and exit code 1 or 2, in bounded
 * time and memory (the CLI runs with a 256 MB heap: exceeding it would crash with a non-zero
 * exit and a V8 message, which these assertions reject), and never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BUNDLED = readFileSync('runbooks/azure-stack-hci-22h2-to-23h2.yaml', 'utf8');
const work = mkdtempSync(join(tmpdir(), 'runbookc-hostile-'));
// Inside the working folder, so the symlink rule does not fire for ordinary cases.
const local = mkdtempSync(join(process.cwd(), '.hostile-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(local, { recursive: true, force: true });
});

function check(path: string, timeoutMs = 10_000) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', 'dist/cli.js', 'check', path], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, ms: Date.now() - started, signal: r.signal };
}

function write(name: string, content: string | Buffer): string {
  const path = join(local, name);
  writeFileSync(path, content);
  return relative(process.cwd(), path);
}

const nested = (depth: number) => 'runbook: deep\nx: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n';
const aliasBomb = ['runbook: bomb', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill('*' + String.fromCharCode(97 + i)).join(',')}]`))
  .join('\n');

const cases: Array<[string, () => string, string, number?]> = [
  ['malformed YAML', () => write('malformed.yaml', 'runbook: x\ntitle: [unclosed\n'), 'RB101'],
  ['wrong types', () => write('types.yaml', BUNDLED.replace('maxNodesDown: 1', 'maxNodesDown: [1]')), 'RB203'],
  ['duplicate keys', () => write('dupkey.yaml', BUNDLED.replace('version: 1.0.0', 'version: 1.0.0\nversion: 1.0.1')), 'RB102'],
  ['duplicate ids', () => write('dupid.yaml', BUNDLED.replace('- id: nodes-up', '- id: nodes-on-22h2')), 'RB210'],
  ['an alias bomb', () => write('bomb.yaml', aliasBomb), 'RB104'],
  ['deep nesting', () => write('deep.yaml', nested(5000)), 'RB104'],
  ['nesting just over the limit', () => write('deep70.yaml', nested(70)), 'RB104'],
  ['tabs in indentation', () => write('tabs.yaml', 'runbook: x\nparameters:\n\tA: 1\n'), 'RB101'],
  ['an empty file', () => write('empty.yaml', ''), 'RB103'],
  ['a top-level list', () => write('list.yaml', '- a\n- b\n'), 'RB103'],
  ['binary garbage', () => write('garbage.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))), 'RB100'],
  ['invalid UTF-8', () => write('latin1.yaml', Buffer.from('runbook: caf\xe9\n', 'latin1')), 'RB100'],
  ['a 50 MB file', () => write('huge.yaml', 'runbook: huge\nsummary: ' + 'x'.repeat(50 * 1024 * 1024) + '\n'), 'RB100'],
  ['a directory', () => { mkdirSync(join(local, 'dir.yaml')); return relative(process.cwd(), join(local, 'dir.yaml')); }, 'RB100'],
  ['a missing file', () => relative(process.cwd(), join(local, 'missing.yaml')), 'RB100'],
  ['a path through a file', () => write('plain.yaml', BUNDLED) + '/child.yaml', 'RB100'],
  ['a wrong extension', () => write('runbook.txt', BUNDLED), 'RB100'],
  // The command reader looks back from each assignment for the variables it sets: linear in the text, not in its square.
  [
    'a command of 30,000 assignments',
    () =>
      write(
        'assignments.yaml',
        ['runbook: many', 'title: Many', 'version: 1.0.0', 'summary: Many assignments.', 'phases:', '  - id: p', '    title: P', '    scope: cluster', '    steps:', '      - id: s', '        title: S', '        run: |-']
          .concat([`          ${'$a, $b = 1, 2; '.repeat(30_000)}Write-Output $unset`])
          .join('\n'),
      ),
    'RB511',
  ],
  [
    'a symlink that points outside the project',
    () => {
      writeFileSync(join(work, 'outside.yaml'), BUNDLED);
      symlinkSync(join(work, 'outside.yaml'), join(local, 'link.yaml'));
      return relative(process.cwd(), join(local, 'link.yaml'));
    },
    'RB100',
  ],
];

describe('bad inputs', () => {
  for (const [name, make, ruleId] of cases) {
    it(`${name}: positioned ${ruleId}, exit 1, no stack trace, in bounded time`, () => {
      const path = make();
      const r = check(path);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`${escape(path)}:\\d+:\\d+  error  .+  ${ruleId}`));
      expect(r.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
      expect(r.ms).toBeLessThan(5_000);
    });
  }

  it('accepts a BOM (YAML and Markdown) and CRLF line ends, and positions errors in a CRLF file', () => {
    expect(check(write('bom.yaml', '\ufeff' + BUNDLED)).code).toBe(0);
    // Markdown front matter must be the first line: a byte order mark before it is not.
    expect(check(write('bom.md', '\ufeff' + readFileSync('runbooks/azure-stack-hci-22h2-to-23h2.md', 'utf8'))).code).toBe(0);
    // The byte order mark is not a column: an error is where it is without one.
    const withBom = write('bom-broken.yaml', '\ufeffrunbook: Bad Id\n');
    const withoutBom = write('no-bom-broken.yaml', 'runbook: Bad Id\n');
    const bomErrors = check(withBom).stderr;
    expect(bomErrors).toMatch(new RegExp(`${escape(withBom)}:1:10  error  Unexpected \`Bad Id\``));
    expect(bomErrors.replaceAll(withBom, 'FILE')).toBe(check(withoutBom).stderr.replaceAll(withoutBom, 'FILE'));
    expect(check(write('crlf.yaml', BUNDLED.replace(/\n/g, '\r\n'))).code).toBe(0);
    const broken = BUNDLED.replace(/\n/g, '\r\n').replace('scope: each-node', 'scope: each-nod');
    const line = BUNDLED.split('\n').findIndex((l) => l.includes('scope: each-node')) + 1;
    const path = write('crlf-broken.yaml', broken);
    expect(check(path).stderr).toContain(`${path}:${line}:12  error  Unexpected \`each-nod\``);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
