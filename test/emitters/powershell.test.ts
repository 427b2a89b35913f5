import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitCauProfiles } from '../../src/emitters/cau-profile/index.js';
import { emitPowerShell } from '../../src/emitters/powershell/index.js';
import { POWERSHELL_OUTPUT_HELPERS, POWERSHELL_TEMPLATE_DIR } from '../../src/emitters/powershell/render.js';
import { planAll } from '../../src/model/plan.js';
import { everyKindRunbook, param, phase, runbook, step, STANDARD_PARAMETERS } from '../fixtures/ir-builder.js';
import { emitScripts, hostileTextRunbook, writeAllScripts, type WrittenScripts } from '../powershell/generated.js';
import { describeWithPwsh, lastJsonLine, runPwshFile, runPwshScript } from '../powershell/pwsh.js';

/** Invoke-CauRun, Invoke-CauScan and Get-ClusterNode from the reference cmdlet catalog: commands pwsh on Linux lacks. */
const CATALOG_SUBSET = 'test/fixtures/catalog-subset.json';

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'indent']);

/** Every `{{...}}` in a .ps1 template that prints something without going through an output helper. */
export function bareMustaches(source: string): string[] {
  const problems: string[] = [];
  const visit = (node: hbs.AST.Node | undefined | null): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        const name = (m.path as hbs.AST.PathExpression).original;
        const at = `${m.loc.start.line}:${m.loc.start.column + 1}`;
        if (!m.escaped) problems.push(`${at} triple-stash {{{${name}}}}`);
        else if (!(POWERSHELL_OUTPUT_HELPERS as readonly string[]).includes(name) || m.params.length === 0) problems.push(`${at} bare {{${name}}}`);
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const name = (b.path as hbs.AST.PathExpression).original;
        if (!BLOCK_HELPERS.has(name)) problems.push(`${b.loc.start.line}:${b.loc.start.column + 1} block {{#${name}}}`);
        visit(b.program);
        visit(b.inverse);
        return;
      }
      default:
        return;
    }
  };
  visit(Handlebars.parse(source));
  return problems;
}

describe('PowerShell templates', () => {
  const templates = readdirSync(POWERSHELL_TEMPLATE_DIR).filter((f) => f.endsWith('.ps1.hbs'));

  it('exist', () => {
    expect(templates).toEqual(expect.arrayContaining(['script.ps1.hbs', 'runtime.ps1.hbs', 'step.ps1.hbs']));
  });

  it('print values only through output helpers', () => {
    for (const t of templates) {
      expect(bareMustaches(readFileSync(join(POWERSHELL_TEMPLATE_DIR, t), 'utf8')), t).toEqual([]);
    }
  });

  it('the template check finds bare and triple-stash mustaches', () => {
    expect(bareMustaches('a {{title}} b')).toEqual(['1:3 bare {{title}}']);
    expect(bareMustaches('{{{title}}}')).toEqual(['1:1 triple-stash {{{title}}}']);
    expect(bareMustaches('{{#if x}}{{ps x}}{{else}}{{x}}{{/if}}')).toEqual(['1:26 bare {{x}}']);
    expect(bareMustaches('{{ps}}')).toEqual(['1:1 bare {{ps}}']);
    expect(bareMustaches('{{#with x}}{{/with}}')).toEqual(['1:1 block {{#with}}']);
  });

  it('are ASCII with LF line endings and no trailing whitespace', () => {
    for (const t of templates) {
      const text = readFileSync(join(POWERSHELL_TEMPLATE_DIR, t), 'utf8');
      expect(text, t).toMatch(/^[\x0A\x20-\x7E]*$/);
      expect(text.split('\n').filter((l) => /\s$/.test(l)), t).toEqual([]);
    }
  });
});

function script(files: ReturnType<typeof emitScripts>, suffix = '.ps1'): string {
  const f = files.find((x) => x.path.endsWith(suffix));
  if (!f) throw new Error(`no ${suffix}`);
  return String(f.content);
}

describe('emitPowerShell', () => {
  const files = emitScripts(everyKindRunbook());
  const text = script(files);

  it('writes one script per variant at the layout path', () => {
    expect(files.filter((f) => f.path.endsWith('.ps1')).map((f) => f.path)).toEqual(['fixture/default/fixture.default.ps1']);
  });

  it('is deterministic', () => {
    expect(emitScripts(everyKindRunbook())).toEqual(files);
  });

  it('is ASCII, LF only, without trailing whitespace', () => {
    expect(text).toMatch(/^[\x0A\x20-\x7E]*$/);
    expect(text.split('\n').filter((l) => /[ \t]$/.test(l))).toEqual([]);
  });

  it('starts with #Requires 5.1, help, CmdletBinding and the strict prologue', () => {
    // The blank line matters: PowerShell reads a comment right above a help block as part of it, and
    // then ignores the block (Get-Help shows the syntax only; see the Get-Help test below).
    expect(text.startsWith('#Requires -Version 5.1\n\n<#\n.SYNOPSIS\n')).toBe(true);
    expect(text).toContain("[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]\nparam(\n");
    expect(text).toMatch(/\n\)\n\nSet-StrictMode -Version 3\.0\n\$ErrorActionPreference = 'Stop'\n/);
  });

  it('declares typed, validated parameters', () => {
    expect(text).toContain("    [Parameter(Mandatory = $true)]\n    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9-]{0,62}$')]\n    [string]$ClusterName,");
    expect(text).toContain(
      '    [System.Management.Automation.PSCredential]\n    [System.Management.Automation.Credential()]\n    $Credential = [System.Management.Automation.PSCredential]::Empty,',
    );
    expect(text).toContain('    [ValidateRange(1, [int]::MaxValue)]\n    [int]$TargetBuild = 25398,');
    expect(text).toContain("    [ValidateSet('Rolling', 'Offline')]\n    [string]$Mode = 'Rolling',");
    expect(text).toContain("    [string[]]$Servers = @('a', 'b'),");
    expect(text).toContain('    [switch]$IncludeVMs,');
    expect(text).toContain('    [bool]$KeepLogs = $true,');
    expect(text).toContain('.PARAMETER TargetBuild\n    The TargetBuild.');
    expect(text).toContain('$Credential = Get-Credential -Message');
  });

  it('has one function per phase with an approved verb, called in order', () => {
    const functions = [...text.matchAll(/^function (Invoke-Phase\w+) \{$/gm)].map((m) => m[1]);
    expect(functions).toEqual(['Invoke-Phase01Checks', 'Invoke-Phase02ClusterWork', 'Invoke-Phase03PerNode', 'Invoke-Phase04AllAtOnce']);
    expect(text).toMatch(/try \{\n    Show-RbBanner\n    Initialize-RbJournal -RbPath \$JournalPath\n    \$null = Get-RbClusterNodeName\n    Invoke-Phase01Checks\n    Invoke-Phase02ClusterWork\n    Invoke-Phase03PerNode\n    Invoke-Phase04AllAtOnce\n    \$script:RbJournal.outcome = Get-RbCompletedOutcome\n    Save-RbJournal\n\}/);
  });

  it('names every step by id above it, and cites no file, line or column of the runbook', () => {
    const rb = everyKindRunbook();
    for (const ph of rb.phases) {
      for (const s of ph.steps) {
        expect(text).toContain(`# Runbook step ${ph.id}/${s.id}\n`);
      }
    }
    expect(text).not.toContain(rb.span.file);
  });

  it('loops over the cluster nodes with $Node, and runs node steps through Invoke-Command without the credential in the arguments', () => {
    expect(text).toContain('    $rbNodes = @(Get-RbClusterNodeName)\n    foreach ($Node in $rbNodes) {');
    expect(text).toContain('Invoke-Command -ComputerName $Node -Credential $Credential -ScriptBlock {');
    expect(text).toContain('param($ClusterName, $TargetBuild, $Retries, $Mode, $Servers, $IncludeVMs, $KeepLogs, $Node)');
    expect(text).toContain('-ArgumentList @($ClusterName, $TargetBuild, $Retries, $Mode, $Servers, $IncludeVMs.IsPresent, $KeepLogs, $Node)');
    expect(text).toContain('Invoke-Command -ComputerName $rbNodes -Credential $Credential -ThrottleLimit 4 -ScriptBlock {');
  });

  it('embeds the hash of each run profile and splats it into the CAU cmdlet', () => {
    const profile = files.find((f) => f.path.endsWith('cluster-work.run.xml'))!;
    const hash = createHash('sha256').update(String(profile.content)).digest('hex');
    expect(text).toContain(`$rbProfile = Import-RbCauProfile -RbFileName 'profiles/cluster-work.run.xml' -RbSha256 '${hash}'`);
    expect(text).toContain('Invoke-CauRun -ClusterName $ClusterName -Credential $Credential -Force @rbProfile');
    expect(text).toContain('Invoke-CauScan -ClusterName $ClusterName -Credential $Credential @rbProfile');
  });

  it('gates irreversible steps, and marks when/capture/retries/probe/verify', () => {
    expect(text).toContain("RbIrreversibleReason = 'The cluster cannot go back to the previous OS.'");
    expect(text).toContain("RbWhenName = 'IncludeVMs'\n        RbEnabled = [bool]$IncludeVMs");
    expect(text).toContain("RbCapture = 'LevelBefore'");
    expect(text).toContain('$script:LevelBefore = $null');
    expect(text).toContain('RbRetries = 2');
    expect(text).toContain("$rbStep.RbProbe = {\n            (Get-ClusterNode -Name $Node -Cluster $ClusterName).State -eq 'Paused'\n        }");
  });

  it('states the operator prompt contract', () => {
    expect(text).toContain('# OPERATOR PROMPT CONTRACT');
    expect(text).toContain("$rbPrompt = '{0} on {1}: {2}' -f $RbStepId, $RbNode, $RbQuestion");
    expect(text).toContain("$rbPrompt = '{0}: {1}' -f $RbStepId, $RbQuestion");
  });

  it('quotes every runbook text and keeps author code verbatim', () => {
    const hostile = script(emitScripts(hostileTextRunbook()));
    // Non-ASCII in an author command: the file is UTF-8 with a BOM.
    expect(hostile.startsWith('\uFEFF#Requires -Version 5.1')).toBe(true);
    expect(hostile).toContain("RbTitle = ('it''s ' + [char]0x2019 + '; Remove-Item C:\\ -Recurse; ' + [char]0x2019 + ' $(Get-Date) `n \"q\" #> <# --% ' + [char]0x2014 + 'Force caf' + [char]0x00E9)");
    // The here-string's lines keep their exact indentation.
    expect(hostile).toContain("$x = @'\nkeep  indentation\n  exactly\n'@\n$x.Length\n");
    // Help text cannot close the help block.
    const help = hostile.slice(0, hostile.indexOf('#>\n[CmdletBinding'));
    expect(help).not.toContain('#>');
    expect(help).toContain('#`> <`#');
  });

  it('writes a pure-ASCII script without a BOM when every author command is ASCII', () => {
    expect(text.charCodeAt(0)).toBe('#'.charCodeAt(0));
  });
});

describe('emitPowerShell refuses what it cannot emit safely', () => {
  const ctx = { sha256: new Map<string, string>() };
  const emit = (rb: ReturnType<typeof runbook>) => planAll(rb).map((p) => emitPowerShell(p, ctx));

  it('per-node phases without a ClusterName parameter', () => {
    expect(() => emit(runbook([phase('n', 'each-node', [step.run('r', 'Get-Date')])], { parameters: [] }))).toThrow(/Missing string parameter `ClusterName`/);
  });

  it('`when` naming something other than a bool parameter', () => {
    expect(() => emit(runbook([phase('c', 'cluster', [step.run('r', 'Get-Date', { when: 'ClusterName' })])]))).toThrow(/expected the name of a bool parameter/);
  });

  it('names that would collide with the runtime or the script\'s own parameters', () => {
    expect(() => emit(runbook([phase('c', 'cluster', [step.run('r', 'Get-Date')])], { parameters: [...STANDARD_PARAMETERS, param('journalPath', 'string')] }))).toThrow(
      /expected a name other than `JournalPath`, `FromStep`, `OnlyPhase`, `Force`/,
    );
    expect(() => emit(runbook([phase('c', 'cluster', [step.run('r', 'Get-Date')])], { parameters: [...STANDARD_PARAMETERS, param('RbStep', 'string')] }))).toThrow(
      /does not start with `Rb`/,
    );
    expect(() => emit(runbook([phase('c', 'cluster', [step.run('r', 'Get-Date', { capture: 'rbOutput' })])]))).toThrow(/does not start with `Rb`/);
  });

  it('a cau step whose profile was not emitted first', () => {
    expect(() => emit(runbook([phase('c', 'cluster', [step.cau('s', 'scan')])]))).toThrow(/No SHA-256 for the run profile `fixture\/default\/profiles\/c.s.xml`/);
    const plan = planAll(runbook([phase('c', 'cluster', [step.cau('s', 'scan')])]))[0]!;
    const profiles = emitCauProfiles(plan);
    expect(() => emitPowerShell(plan, { sha256: new Map(profiles.map((f) => [f.path, 'f'.repeat(64)])) })).not.toThrow();
  });

  it('runOn: node outside an each-node phase', () => {
    expect(() => emit(runbook([phase('c', 'cluster', [step.run('r', 'Get-Date', { runOn: 'node' })])]))).toThrow(/expected it only in each-node phases/);
  });
});

interface CheckReport {
  file: string;
  parseErrors: Array<{ line: number; column: number; message: string }>;
  findings: Array<{ rule: string; line: number; column: number; text: string }>;
}

describeWithPwsh('generated scripts under PowerShell', (pwsh) => {
  let written: WrittenScripts;
  beforeAll(async () => {
    written = await writeAllScripts();
  });
  afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

  it('parse with zero errors, use only 5.1 syntax and pass the analyzer rules (one pwsh run for all)', () => {
    expect(written.scripts.length).toBe(5);
    const result = runPwshFile(pwsh, 'test/powershell/check-scripts.ps1', ['-CatalogPath', CATALOG_SUBSET, ...written.scripts]);
    const reports = lastJsonLine<CheckReport[]>(result);
    expect(reports.map((r) => r.file)).toEqual(written.scripts);
    for (const r of reports) {
      expect(r.parseErrors, r.file).toEqual([]);
      expect(r.findings, r.file).toEqual([]);
    }
  });

  it('Get-Help reads their comment-based help: synopsis, every parameter, the examples and the exit codes', () => {
    // PowerShell ignores a help block it cannot read, silently: Get-Help then shows the syntax only.
    const result = runPwshScript(
      pwsh,
      `$reports = foreach ($file in $args) {
         $help = Get-Help -Name $file -Full
         $parameters = @(if ($help.parameters) { $help.parameters.parameter })
         [ordered]@{
           file = $file
           synopsis = [string]$help.Synopsis
           undescribed = @($parameters | Where-Object -FilterScript { -not $_.description } | ForEach-Object -Process { $_.name })
           parameters = $parameters.Count
           examples = @(if ($help.examples) { $help.examples.example }).Count
           notes = ($help.alertSet | Out-String)
         }
       }
       ConvertTo-Json -InputObject @($reports) -Compress -Depth 4`,
      written.scripts,
    );
    const reports = lastJsonLine<Array<{ file: string; synopsis: string; undescribed: string[]; parameters: number; examples: number; notes: string }>>(result);
    expect(reports.map((r) => r.file)).toEqual(written.scripts);
    for (const r of reports) {
      expect(r.synopsis, r.file).not.toMatch(/^\s*$|\.ps1 \[/);
      expect(r.parameters, r.file).toBeGreaterThanOrEqual(4);
      expect(r.undescribed, r.file).toEqual([]);
      expect(r.examples, r.file).toBeGreaterThanOrEqual(2);
      expect(r.notes.replace(/\s+/g, ' '), r.file).toContain('Exit code: 0 the run completed (or was a -WhatIf run), 1 a step failed, 2 the operator declined');
    }
  });

  it('are ASCII, or UTF-8 with a BOM (byte check)', () => {
    for (const path of written.scripts) {
      const bytes = readFileSync(path);
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      const ascii = bytes.every((b) => b < 0x80);
      expect(bom || ascii, path).toBe(true);
      if (bom) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), path).not.toThrow();
      expect(bytes.includes(0x0d), `${path} has CR`).toBe(false);
    }
  });

  it('the checker reports every rule on a script that breaks them all', () => {
    const result = runPwshFile(pwsh, 'test/powershell/check-scripts.ps1', ['-CatalogPath', CATALOG_SUBSET, 'test/powershell/fixtures/defects.ps1']);
    const [report] = lastJsonLine<CheckReport[]>(result);
    const rules = new Set(report!.findings.map((f) => f.rule));
    for (const rule of [
      'ps7-null-coalescing', 'ps7-null-coalescing-assignment', 'ps7-ternary', 'ps7-pipeline-chain', 'ps7-null-conditional-member',
      'ps7-null-conditional-index', 'ps7-background-operator', 'ps7-escape-sequence', 'ps7-numeric-literal', 'ps7-clean-block',
      'ps7-parameter', 'ps7-variable', 'avoid-invoke-expression', 'avoid-scriptblock-create', 'avoid-plain-text-password',
      'use-pscredential-type', 'use-should-process-for-state-changing-functions', 'should-process', 'use-approved-verbs', 'avoid-alias',
      'avoid-empty-catch', 'avoid-global-variable', 'null-on-left', 'avoid-write-host', 'prologue', 'requires-version-5.1',
      'assignment-in-condition', 'avoid-assignment-to-automatic-variable', 'avoid-convertto-securestring-plaintext', 'avoid-wmi-cmdlet',
      'use-supports-should-process', 'avoid-add-type', 'avoid-broken-hash', 'signature-block-comment', 'unknown-parameter',
    ]) {
      expect(rules.has(rule), rule).toBe(true);
    }
  });
});
