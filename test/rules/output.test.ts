import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { ALL_RULE_META } from '../../src/rules/index.js';
import { formatSarif } from '../../src/sarif.js';

const diagnostic = (over: Partial<Diagnostic>): Diagnostic => ({
  ruleId: 'RB302',
  ruleName: 'storage-repair-before-drain',
  severity: 'error',
  message: 'Unexpected drain',
  file: 'runbooks/my runbook.yaml',
  line: 26,
  column: 14,
  docUrl: 'docs/rules/RB302.md',
  ...over,
});

describe('formatSarif', () => {
  it('writes a SARIF 2.1.0 log with a stable rule table and positioned results', () => {
    const log = JSON.parse(
      formatSarif(
        [
          diagnostic({ ruleId: 'RB502', ruleName: 'unknown-command', severity: 'info', line: 30, column: 1 }),
          diagnostic({ endLine: 26, endColumn: 33, related: { message: 'Restarted here', span: { file: 'runbooks/my runbook.yaml', line: 28, column: 9, endLine: 28, endColumn: 20 } } }),
        ],
        { rules: ALL_RULE_META, toolVersion: '0.1.0' },
      ),
    );
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('runbookc');
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(run.results).toHaveLength(2);
    const [first, second] = run.results;
    expect(first).toMatchObject({
      ruleId: 'RB302',
      level: 'error',
      message: { text: 'Unexpected drain' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'runbooks/my%20runbook.yaml' }, region: { startLine: 26, startColumn: 14, endLine: 26, endColumn: 33 } } }],
      relatedLocations: [{ message: { text: 'Restarted here' }, physicalLocation: { region: { startLine: 28, startColumn: 9 } } }],
    });
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe('RB302');
    expect(second).toMatchObject({ ruleId: 'RB502', level: 'note' });
    expect(run.tool.driver.rules[second.ruleIndex].helpUri).toBe('docs/rules/RB502.md');
  });
});

describe('command line', () => {
  const runbookc = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });

  it('explains a rule by name, and exits 2 on an unknown one', () => {
    const known = runbookc('explain', 'unbalanced-pair');
    expect(known.status).toBe(0);
    expect(known.stdout.split('\n')[0]).toBe('RB305/unbalanced-pair (ordering; min: off, safe: error, strict: error)');
    expect(known.stdout).toContain('## Correct runbook');
    const unknown = runbookc('explain', 'RB999');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown rule `RB999`');
  });

  it('prints SARIF and applies the chosen profile', () => {
    const file = 'test/fixtures/rules/RB404/not-ok.yaml';
    const safe = runbookc('check', '--format', 'sarif', file);
    expect(safe.status).toBe(0);
    expect(JSON.parse(safe.stdout).runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual(['RB404:warning']);
    const strict = runbookc('check', '--format', 'sarif', '--profile', 'strict', file);
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout).runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual(['RB404:error']);
    expect(runbookc('check', '--profile', 'min', 'test/fixtures/rules/RB301/not-ok.yaml').status).toBe(0);
    expect(runbookc('check', 'test/fixtures/rules/RB301/not-ok.yaml').status).toBe(1);
  });
});
