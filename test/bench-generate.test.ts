/**
 * The benchmark measures runbooks that a careful author could have written: the generated ones
 * check without a single diagnostic (a rule that starts reporting them would otherwise change what
 * is measured, and the time would go to printing warnings).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRunbook, generateYaml } from '../bench/generate.mjs';
import { checkRunbook } from '../src/compile.js';

const dir = mkdtempSync(join(tmpdir(), 'runbookc-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/generate.mjs', () => {
  it.each([10, 100, 250])('writes a runbook of exactly %i steps that checks clean under the strict profile', async (steps) => {
    const file = join(dir, `s${steps}.yaml`);
    writeFileSync(file, generateYaml(steps));
    const result = await checkRunbook(file, { profile: 'strict' });
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column} ${d.message}`)).toEqual([]);
    expect(result.runbook!.phases.reduce((n, p) => n + p.steps.length, 0)).toBe(steps);
    expect(generateRunbook(steps).phases.reduce((n, p) => n + p.steps.length, 0)).toBe(steps);
  });
});
