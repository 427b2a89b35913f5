import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULE_META } from '../src/rules/index.js';

describe('every diagnostic id has a doc page', () => {
  it('has unique ids and names', () => {
    expect(new Set(ALL_RULE_META.map((m) => m.id)).size).toBe(ALL_RULE_META.length);
    expect(new Set(ALL_RULE_META.map((m) => m.name)).size).toBe(ALL_RULE_META.length);
  });
  for (const meta of ALL_RULE_META) {
    it(`${meta.id} ${meta.name}`, () => {
      const page = `docs/rules/${meta.id}.md`;
      expect(existsSync(page)).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.split('\n')[0]).toBe(`# ${meta.id} ${meta.name}`);
      for (const heading of ['## Why', '## Problematic runbook', '## Correct runbook']) expect(text).toContain(`\n${heading}\n`);
    });
  }
});
