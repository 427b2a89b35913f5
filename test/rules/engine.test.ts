import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCmdlet } from '../../src/rules/catalog/catalog.js';
import { PROFILES, runRuleSet, severityFor, type RuleDefinition } from '../../src/rules/engine.js';
import { ALL_RULE_META, RULES, explainRule, runRules } from '../../src/rules/index.js';
import { EFFECTS } from '../../src/rules/state/effects.js';
import { COMMAND_EFFECTS } from '../../src/rules/state/step-effects.js';
import { diagnose, diagnoseText } from './harness.js';

const fixture = (path: string) => {
  const { diagnostics } = diagnose(path);
  return diagnostics;
};

describe('registry and documentation consistency', () => {
  it('lists the rules sorted by id, one file per rule named after its id and name', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
    const files = readdirSync('src/rules').filter((f) => /^rb\d{3}-/.test(f)).sort();
    expect(files).toEqual(RULES.map((r) => `${r.meta.id.toLowerCase()}-${r.meta.name}.ts`).sort());
  });

  it('puts every rule in the band its id says', () => {
    const band = { '1': 'parse', '2': 'schema', '3': 'ordering', '4': 'safety', '5': 'commands', '6': 'emit' } as const;
    for (const meta of ALL_RULE_META) expect(meta.band, meta.id).toBe(band[meta.id[2] as keyof typeof band]);
  });

  it('documents every effect of the vocabulary in docs/effects.md', () => {
    const text = readFileSync('docs/effects.md', 'utf8');
    for (const name of Object.keys(EFFECTS)) expect(text, name).toContain(`\`${name}\``);
  });

  it('ties command effects to cmdlets of the catalog', () => {
    for (const name of Object.keys(COMMAND_EFFECTS)) expect(findCmdlet(name)?.name, name).toBe(name);
  });

  it('keeps the source citation of every catalog entry', () => {
    for (const name of Object.keys(COMMAND_EFFECTS)) expect(findCmdlet(name)?.source.url).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  });
});

describe('profiles', () => {
  const meta = (id: string) => ALL_RULE_META.find((m) => m.id === id)!;

  it('extend each other min -> safe -> strict', () => {
    expect(PROFILES.safe.extends).toBe('min');
    expect(PROFILES.strict.extends).toBe('safe');
    expect(severityFor(meta('RB301'), 'min')).toBe('off');
    expect(severityFor(meta('RB301'), 'safe')).toBe('error');
    expect(severityFor(meta('RB404'), 'safe')).toBe('warning');
    expect(severityFor(meta('RB404'), 'strict')).toBe('error');
    expect(severityFor(meta('RB502'), 'strict')).toBe('warning');
    expect(severityFor(meta('RB301'), 'strict')).toBe('error');
  });

  it('runs nothing under min, and more under strict than under safe', () => {
    let runbook: Parameters<typeof runRules>[0] | undefined;
    diagnose('test/fixtures/rules/RB404/not-ok.yaml', (r) => (runbook = r));
    const bySeverity = (profile: 'min' | 'safe' | 'strict') => runRules(runbook!, { profile }).map((d) => `${d.ruleId}:${d.severity}`);
    expect(bySeverity('min')).toEqual([]);
    expect(bySeverity('safe')).toEqual(['RB404:warning']);
    expect(bySeverity('strict')).toEqual(['RB404:error']);
  });
});

describe('the engine', () => {
  const bundled = () => {
    const { diagnostics } = diagnose('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
    return diagnostics;
  };

  it('reports nothing on the bundled runbook, in the safe and the strict profile', () => {
    expect(bundled()).toEqual([]);
    expect(runRules(loadBundled(), { profile: 'strict' })).toEqual([]);
  });

  it('reports a restart during a drain started without -Wait, until a wait, check, verification or declared effect ends the drain', () => {
    const text = readFileSync('test/fixtures/rules/RB301/ok.yaml', 'utf8');
    const waited = "      - id: drained\n        title: Wait until the drain has moved every role\n        wait: (Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'\n        timeoutMinutes: 60\n        onTimeout: A role could not be moved off the server.\n";
    expect(text).toContain(waited);
    const rb301 = (yaml: string) => diagnoseText(yaml).filter((d) => d.ruleId === 'RB301');
    expect(rb301(text)).toEqual([]);
    const [unwaited] = rb301(text.replace(waited, ''));
    expect(unwaited?.message).toContain('`restart` that restarts a server whose drain (`drain`, without `-Wait`) may still be moving its roles');
    const endedBy = (step: string) => rb301(text.replace(waited, step));
    expect(endedBy("      - id: drained\n        title: Check the drain\n        check: (Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'\n")).toEqual([]);
    expect(endedBy('      - id: drained\n        title: Watch the drain in Windows Admin Center until it has finished\n        manual: Open the server in Windows Admin Center and wait for the drain.\n        effects: [node.drain-complete]\n')).toEqual([]);
    expect(endedBy("      - id: drained\n        title: Check the roles\n        check: (Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -ne 'InProgress'\n")).toHaveLength(1);
    expect(rb301(text.replace(waited, '').replace("-Drain\n        verify: (Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Paused'", "-Drain\n        verify: (Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'"))).toEqual([]);
  });

  it('reads a switch turned off with :$false as not given: -Wait:$false does not wait, -WhatIf:$false changes things', () => {
    const text = readFileSync('test/fixtures/rules/RB301/ok.yaml', 'utf8');
    const waited = "      - id: drained\n        title: Wait until the drain has moved every role\n        wait: (Get-ClusterNode -Name $Node -Cluster $ClusterName).DrainStatus -eq 'Completed'\n        timeoutMinutes: 60\n        onTimeout: A role could not be moved off the server.\n";
    const ids = (yaml: string) => diagnoseText(yaml).map((d) => d.ruleId);
    const drain = '-Cluster $ClusterName -Drain\n';
    expect(text).toContain(drain);
    // Without the wait: -Wait drains to the end (RB407 warns of the unbounded wait), -Wait:$false does not.
    expect(ids(text.replace(waited, '').replace(drain, '-Cluster $ClusterName -Drain -Wait\n'))).toEqual(['RB407']);
    expect(ids(text.replace(waited, '').replace(drain, '-Cluster $ClusterName -Drain -Wait:$false\n'))).toEqual(['RB301']);
    // A restart with -WhatIf changes nothing; with -WhatIf:$false it restarts a server that is not drained.
    const restart = 'Restart-Computer -ComputerName $Node -Force -Wait -Timeout 1800';
    expect(text).toContain(restart);
    const undrained = text.replace(waited, '').replace(drain, '-Cluster $ClusterName\n');
    expect(ids(undrained)).toEqual(['RB301']);
    expect(ids(undrained.replace(restart, `${restart} -WhatIf`))).not.toContain('RB301');
    expect(ids(undrained.replace(restart, `${restart} -WhatIf:$false`))).toEqual(['RB301']);
  });

  it('turns a throwing rule into an internal error naming it, never a silent pass', () => {
    const crashing: RuleDefinition = {
      meta: { id: 'RB398', name: 'always-crashes', band: 'ordering', defaultSeverity: 'error', description: 'Crashes.' },
      messages: {},
      check() {
        throw new Error('boom');
      },
    };
    const runbook = loadBundled();
    const diagnostics = runRuleSet([crashing, ...RULES], runbook, { profile: 'safe' });
    expect(diagnostics.map((d) => [d.ruleId, d.severity, d.message])).toEqual([
      ['RB499', 'error', 'Rule `RB398/always-crashes` failed (boom); the runbook was not fully checked, so no output is produced'],
    ]);
  });

  it('gives rules a deep-frozen IR: a rule that mutates it crashes', () => {
    const mutating: RuleDefinition = {
      meta: { id: 'RB397', name: 'mutates', band: 'ordering', defaultSeverity: 'error', description: 'Mutates.' },
      messages: {},
      check({ runbook }) {
        (runbook.phases[0]!.steps[0] as { title: string }).title = 'changed';
      },
    };
    const runbook = loadBundled();
    const diagnostics = runRuleSet([mutating, ...RULES], runbook, { profile: 'safe' });
    expect(diagnostics.map((d) => d.ruleId)).toEqual(['RB499']);
    expect(runbook.phases[0]!.steps[0]!.title).not.toBe('changed');
  });

  it('rejects an unknown message id as a crash of the rule', () => {
    const sloppy: RuleDefinition = {
      meta: { id: 'RB396', name: 'sloppy', band: 'ordering', defaultSeverity: 'error', description: 'Sloppy.' },
      messages: { known: 'x' },
      check({ runbook }, context) {
        context.report({ messageId: 'unknown', span: runbook.span });
      },
    };
    expect(runRuleSet([sloppy, ...RULES], loadBundled(), { profile: 'safe' }).map((d) => d.message)).toEqual([
      "Rule `RB396/sloppy` failed (unknown messageId 'unknown'); the runbook was not fully checked, so no output is produced",
    ]);
  });

  it('reports a finding reached on several variants once', () => {
    const diagnostics = fixture('test/fixtures/rules/RB309/not-ok.yaml');
    expect(diagnostics.filter((d) => d.ruleId === 'RB402')).toHaveLength(2);
  });
});

describe('explainRule', () => {
  it('prints the rule, its severities by profile and its doc page, by id or by name', () => {
    const text = explainRule('drain-before-reboot');
    expect(text.split('\n')[0]).toBe('RB301/drain-before-reboot (ordering; min: off, safe: error, strict: error)');
    expect(text).toContain('# RB301 drain-before-reboot');
    expect(text).toContain('## Problematic runbook');
    expect(explainRule('rb301')).toBe(text);
  });

  it('lists the known rules for an unknown one', () => {
    const text = explainRule('RB999');
    expect(text.split('\n')[0]).toBe('Unknown rule `RB999`, expected a rule id or name:');
    expect(text).toContain('RB503 unknown-command-parameter');
  });
});

function loadBundled() {
  let captured: Parameters<typeof runRules>[0] | undefined;
  const { diagnostics } = diagnose('runbooks/azure-stack-hci-22h2-to-23h2.yaml', (r) => {
    captured = r;
  });
  expect(diagnostics).toEqual([]);
  return captured!;
}

describe('docs/rules.md', () => {
  it('lists every ordering, safety and command rule with its doc page', () => {
    const text = readFileSync('docs/rules.md', 'utf8');
    for (const meta of ALL_RULE_META.filter((m) => /^RB[345]/.test(m.id))) {
      const row = text.split('\n').find((line) => line.startsWith(`| [${meta.id}](rules/${meta.id}.md) | \`${meta.name}\` |`));
      expect(row, meta.id).toBeDefined();
      // The description is the rule's own, so that the table does not go on describing a rule that changed.
      // (A | in a Markdown table cell is written \|.)
      expect(row, meta.id).toBe(row!.slice(0, row!.lastIndexOf(' | ') + 3) + meta.description.replaceAll('|', '\\|') + ' |');
    }
  });
});

describe('rules on shuffled runbooks', () => {
  it('never crash: steps of every fixture, shuffled into random phases, scopes and variants', () => {
    const steps: Array<Parameters<typeof runRules>[0]['phases'][number]['steps'][number]> = [];
    let base: Parameters<typeof runRules>[0] | undefined;
    for (const folder of readdirSync('test/fixtures/rules')) {
      for (const f of readdirSync(`test/fixtures/rules/${folder}`)) {
        diagnose(`test/fixtures/rules/${folder}/${f}`, (r) => {
          base ??= r;
          for (const p of r.phases) steps.push(...p.steps);
        });
      }
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let n = 0; n < 60; n++) {
      const phases = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => {
        const scope = pick(['orchestrator', 'cluster', 'each-node'] as const);
        const phase = {
          ...base!.phases[0]!,
          id: `p${i}`,
          scope,
          variants: random() < 0.3 ? ['a'] : [],
          steps: Array.from({ length: 1 + Math.floor(random() * 6) }, (_, j) => ({ ...pick(steps), id: `s${i}-${j}`, variants: [] })),
        };
        return scope === 'each-node' && random() < 0.4 ? { ...phase, parallel: { throttle: 1 + Math.floor(random() * 4) } } : phase;
      });
      const runbook = {
        ...base!,
        cluster: { maxNodesDown: 1 + Math.floor(random() * 2) },
        variants: random() < 0.5 ? [] : [{ id: 'a', title: 'A', description: 'A', span: base!.span }, { id: 'b', title: 'B', description: 'B', span: base!.span }],
        phases,
      };
      const diagnostics = runRules(runbook as Parameters<typeof runRules>[0], { profile: 'strict' });
      expect(diagnostics.filter((d) => d.ruleId === 'RB499').map((d) => d.message)).toEqual([]);
    }
  });
});

describe('positions inside commands', () => {
  const at = (file: string, ruleId: string) => diagnose(file).diagnostics.filter((d) => d.ruleId === ruleId).map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);

  it('points at the token in a YAML block scalar and in a one-line scalar', () => {
    // `Get-Storage-Job` on the first content line of a `wait: |-` block; `Update-ClusterFunctional Level` in a plain scalar.
    expect(at('test/fixtures/rules/RB501/not-ok-seed.yaml', 'RB501')).toEqual(['39:13-39:28', '55:14-55:44']);
  });

  it('points at the token in a fenced Markdown command', () => {
    expect(at('test/fixtures/rules/RB501/not-ok-markdown.md', 'RB501')).toEqual(['23:11-23:26']);
  });
});
