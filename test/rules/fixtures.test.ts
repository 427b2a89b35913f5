/**
 * Fixture-driven rule tests. Every file under test/fixtures/rules/<id>/ is a runbook whose lines
 * carry the diagnostics expected on them as `{RB301}` markers (`{RB301:+1}` for the next line,
 * `{RB301:12}` for line 12). The test fails on too few or too many diagnostics, of any rule.
 * A `# profile: strict` line selects another profile than `safe`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULE_META } from '../../src/rules/index.js';
import { diagnose, expectedMarkers } from './harness.js';

const ROOT = 'test/fixtures/rules';

const folders = readdirSync(ROOT).sort();

describe('rule fixtures', () => {
  for (const folder of folders) {
    for (const name of readdirSync(join(ROOT, folder)).sort()) {
      const file = join(ROOT, folder, name);
      it(`${folder}/${name}`, () => {
        const { text, diagnostics } = diagnose(file);
        const actual = diagnostics.map((d) => `${d.ruleId}@${d.line}`).sort();
        const detail = diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`).join('\n');
        expect(actual, `Too few or too many diagnostics:\n${detail}`).toEqual(expectedMarkers(text));
      });
    }
  }

  it('every rule of the safe profile has an ok and a not-ok fixture', () => {
    const ids = ALL_RULE_META.filter((m) => /^RB[345]/.test(m.id) && m.id !== 'RB499').map((m) => m.id);
    for (const id of ids) {
      const files = readdirSync(join(ROOT, id));
      expect(files.some((f) => f.startsWith('ok')), `${id} has no ok fixture`).toBe(true);
      expect(files.some((f) => f.startsWith('not-ok')), `${id} has no not-ok fixture`).toBe(true);
      const markers = files.filter((f) => f.startsWith('not-ok')).flatMap((f) => expectedMarkers(readFileSync(join(ROOT, id, f), 'utf8')));
      expect(markers.some((m) => m.startsWith(`${id}@`)), `${id}'s not-ok fixtures expect no ${id}`).toBe(true);
    }
  });
});
