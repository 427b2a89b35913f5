import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkScript } from '../../src/rules/commands/check.js';
import { parsePowerShell } from '../../src/rules/commands/parse.js';

const kinds = (text: string) => checkScript(text).findings.map((f) => `${f.kind}: ${f.message}`);

describe('parsePowerShell', () => {
  it('finds commands inside groups, script blocks and pipelines', () => {
    const r = parsePowerShell(
      "@(Get-ClusterNode -Cluster $ClusterName | Where-Object {\n  $_.State -ne 'Up' -or\n  [int](Get-CimInstance -ComputerName $_.Name -ClassName Win32_OperatingSystem).BuildNumber -ne $TargetBuild\n}).Count -eq 0",
    );
    expect(r.commands.map((c) => [c.name, c.pipelinePosition, c.hasPipelineInput])).toEqual([
      ['Get-ClusterNode', 0, false],
      ['Where-Object', 1, true],
      ['Get-CimInstance', 0, false],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('reads hashtables, colon arguments and splats', () => {
    const r = parsePowerShell("Invoke-CauRun -CauPluginArguments @{'WuConnected'='true'; Other = 'x'} -Force:$true @rest");
    const cmd = r.commands[0]!;
    const hash = cmd.elements[1];
    expect(hash?.kind === 'argument' && hash.value.kind === 'hashtable' ? hash.value.entries.map((e) => [e.key, e.value?.kind === 'string' ? e.value.value : undefined]) : undefined).toEqual([
      ['WuConnected', 'true'],
      ['Other', 'x'],
    ]);
    expect(cmd.elements[2]).toMatchObject({ kind: 'parameter', name: 'Force', colonValue: { kind: 'variable', name: 'true' } });
    expect(cmd.elements[3]).toMatchObject({ kind: 'argument', value: { kind: 'splat', name: 'rest' } });
  });

  it('treats typographic quotes and dashes as PowerShell does', () => {
    const r = parsePowerShell('Set-Service \u2013Name \u2018Clus\u2019\u2019Svc\u2019 -StartupType \u201CDisabled\u201D');
    expect(r.commands[0]!.elements).toMatchObject([
      { kind: 'parameter', name: 'Name', dash: '\u2013' },
      { kind: 'argument', value: { kind: 'string', value: 'Clus\u2019Svc', expandable: false } },
      { kind: 'parameter', name: 'StartupType', dash: '-' },
      { kind: 'argument', value: { kind: 'string', value: 'Disabled' } },
    ]);
  });

  it('follows backtick line continuations', () => {
    const r = parsePowerShell('Stop-Cluster `\n  -Cluster $c `\n  -Force\nGet-Cluster');
    expect(r.commands.map((c) => [c.name, c.elements.length])).toEqual([
      ['Stop-Cluster', 3],
      ['Get-Cluster', 0],
    ]);
  });

  it('finds commands in subexpressions of expandable strings and here-strings', () => {
    const r = parsePowerShell('Write-Output "Level $((Get-Cluster).ClusterFunctionalLevel)"\n$t = @"\n$(Get-Date)\n"@');
    expect(r.commands.map((c) => c.name)).toEqual(['Write-Output', 'Get-Cluster', 'Get-Date']);
  });

  it('reports every PowerShell 7 construct and nothing in 5.1 code', () => {
    const r = parsePowerShell("$x = $a ? 1 : 2; $b ?? 3; $c ??= 4; ${d}?.e; ${f}?[0]; Get-X && Get-Y || Get-Z; Get-W &\n\"`e[1m `u{2195}\"; 0b101; 10uy\nfunction F { clean { } }");
    expect(r.ps7Syntax.map((s) => s.kind)).toEqual([
      'ternary',
      'null-coalescing',
      'null-coalescing-assignment',
      'null-conditional-member',
      'null-conditional-index',
      'pipeline-chain',
      'pipeline-chain',
      'background-operator',
      'escape-e',
      'escape-u',
      'binary-literal',
      'numeric-suffix',
      'clean-block',
    ]);
    const ok = parsePowerShell("$a?.b; if ($x -eq 1) { 'a' } else { Get-Y | ? { $_ } | % { $_ } }; 1..10; 0x1F; 10kb; \"`n`t\"; & 'x' -y; . $f");
    expect(ok.ps7Syntax).toEqual([]);
  });

  it('never throws on broken input', () => {
    for (const text of ["'unterminated", '@{ a = ', '$(', '{{{', ')))', '"`', '@"\nx', '<# x', '[int', '-', '&', '|']) {
      expect(() => parsePowerShell(text)).not.toThrow();
    }
    expect(parsePowerShell("Get-X 'open").problems.map((p) => p.message)).toEqual([
      'Unexpected end of text in a single-quoted string, expected a closing quote',
    ]);
  });
});

describe('checkScript', () => {
  it('reports the seed procedure command defects', () => {
    expect(kinds('Get-Storage-Job')).toEqual(['misspelled-command: Unknown command `Get-Storage-Job`, did you mean `Get-StorageJob`?']);
    expect(kinds('Update-ClusterFunctional Level')).toEqual([
      'misspelled-command: Unexpected space in `Update-ClusterFunctional Level`, expected `Update-ClusterFunctionalLevel`',
    ]);
    expect(kinds('Suspend-ClusterNode -Node<node> -Drain')).toEqual([
      'unknown-parameter: Unknown parameter `-Node` of `Suspend-ClusterNode`, did you mean `-Name`?',
      'placeholder: Unexpected placeholder `<node>`, expected a value or a runbook parameter such as `$ClusterName` or `$Node`',
    ]);
    expect(kinds('Resume-ClusterNode -Node <nodename> -Failback')).toEqual([
      'unknown-parameter: Unknown parameter `-Node` of `Resume-ClusterNode`, did you mean `-Name`?',
      'placeholder: Unexpected placeholder `<nodename>`, expected a value or a runbook parameter such as `$ClusterName` or `$Node`',
      'parameter-value: Unexpected end of command after `-Failback`, expected a value: one of `NoFailback`, `Immediate`, `Policy`',
    ]);
  });

  it('resolves abbreviations and aliases as PowerShell does', () => {
    expect(kinds('Get-ClusterNode -Clus x -Verb -ea Stop')).toEqual([]);
    expect(kinds('Set-Service -SN ClusSvc -ST Disabled -cn n1')).toEqual([]);
    expect(kinds('Invoke-CauRun -Force -f -Max 1')).toEqual([
      'unknown-parameter: Ambiguous parameter `-Max` of `Invoke-CauRun`, expected one of `-MaxFailedNodes`, `-MaxRetriesPerNode` in full',
    ]);
  });

  it('checks enumerated values, missing values and mandatory parameters', () => {
    expect(kinds('Resume-ClusterNode -Name n1 -Failback Imediate')).toEqual([
      'parameter-value: Unexpected value `Imediate` for `-Failback`, expected one of `NoFailback`, `Immediate`, `Policy` (did you mean `Immediate`?)',
    ]);
    expect(kinds('Resume-ClusterNode n1 Policy')).toEqual([]);
    expect(kinds('Set-Service -Name ClusSvc -StartupType $mode')).toEqual([]);
    expect(kinds('Update-StoragePool')).toEqual([
      'missing-mandatory: Unexpected `Update-StoragePool` without `-FriendlyName`, expected it (mandatory in parameter set `ByFriendlyName`); PowerShell would stop and prompt for it',
    ]);
    expect(kinds("Update-StoragePool 'S2D on c1'")).toEqual([]);
    expect(kinds('Get-StoragePool -IsPrimordial $false | Update-StoragePool')).toEqual([]);
    expect(kinds('$cred = Get-Credential')).toEqual([]);
  });

  it('checks parameter sets and positional arguments', () => {
    expect(kinds('Stop-VM -VM $v -Name x')).toEqual([
      'parameter-set: Unexpected `-Name` together with `-VM`: no parameter set of `Stop-VM` takes both, expected one of `Name`, `VMObject`',
    ]);
    expect(kinds('Update-ClusterFunctionalLevel Level')).toEqual([
      'parameter-set: Unexpected argument `Level`: `Update-ClusterFunctionalLevel` takes no positional argument here, expected a named parameter',
    ]);
    expect(kinds('Update-ClusterFunctionalLevel -Cluster c -Force -Confirm:$false -WhatIf')).toEqual([]);
  });

  it('warns about en dashes and reports unknown commands as unchecked', () => {
    expect(checkScript('Set-Service \u2013Name ClusSvc -StartupType Disabled').findings.map((f) => f.kind)).toEqual(['en-dash']);
    expect(checkScript('Get-NetAdapter -Name x').findings.map((f) => f.kind)).toEqual(['unknown-command']);
    expect(checkScript('& "$env:windir\\system32\\sconfig.cmd"; function Test-It { }; Test-It -Any 1').findings).toEqual([]);
  });
});

describe('robustness', () => {
  it('never throws on random PowerShell-like input, and every range stays inside the text', () => {
    const alphabet = ["'", '"', '\u2018', '\u201C', '`', '$', '(', ')', '{', '}', '[', ']', '@', '-', '\u2013', '|', '&', ';', '?', ':', '#', '<', '>', ',', '.', '=', ' ', '\n', 'a', 'Get-', 'Node', '0', '1b', '%', '\\', '--%', '@"\n', '"@', "@'\n", "'@", '<#', '#>', 'clean', 'if', 'Update-StoragePool', 'Suspend-ClusterNode', ' -Name '];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const { parsed, findings } = checkScript(text);
      for (const r of [...findings.map((f) => f.range), ...parsed.commands.map((c) => c.range)]) {
        expect(r.start, text).toBeGreaterThanOrEqual(0);
        expect(r.end, text).toBeLessThanOrEqual(text.length);
        expect(r.start, text).toBeLessThanOrEqual(r.end);
      }
    }
  });
});

describe('RB511 unknown-variable', () => {
  it('says why a variable is not set and what it was probably meant to be', async () => {
    const { diagnose } = await import('./harness.js');
    const found = diagnose('test/fixtures/rules/RB511/not-ok.yaml').diagnostics.filter((d) => d.ruleId === 'RB511');
    const hints = found.map((d) => [d.line, d.message.slice(d.message.indexOf(', expected ') + 2)]);
    expect(hints).toEqual([
      [24, 'expected a runbook parameter or a variable the command sets itself (each step runs in its own scope); did you mean `$ClusterName`?'],
      [
        27,
        'expected a runbook parameter or a variable the command sets itself (each step runs in its own scope); step `read-pool` sets it, but its scope ends with it: have that step output the value and name it with `capture`',
      ],
      [31, 'expected it read after that step: until then the script holds `$null` in it'],
      [40, 'expected a runbook parameter, a capture of this or an earlier step, or a variable the command sets itself (each step runs in its own scope); `$Node` is set only in a phase with `scope: each-node`'],
      [49, 'expected a runbook parameter (not a credential) or `$Node` (the command runs on the server, with `runOn: node`), or a variable the command sets itself'],
    ]);
    expect(found.find((d) => d.line === 31)!.message).toBe(
      'Unexpected `$PoolName` in step `capture-too-early` before step `capture-pool-name` captures it, expected it read after that step: until then the script holds `$null` in it',
    );
    for (const d of found.filter((d) => d.line !== 31)) {
      expect(d.message).toMatch(/^Unexpected variable `\$\w+` in step `[\w-]+`: it is not set when the command runs, and the script stops there \(Set-StrictMode\), expected /);
    }
  });

  it('judges a capture on every path: one made only with a `when` parameter is $null on the runs without it', async () => {
    const { diagnose, diagnoseText } = await import('./harness.js');
    const found = diagnose('test/fixtures/rules/RB511/not-ok-when.yaml').diagnostics.filter((d) => d.ruleId === 'RB511');
    // The step under the same `when` reads it only on runs that captured it: not reported.
    expect(found.map((d) => [d.line, d.message])).toEqual([
      [
        36,
        'Unexpected `$LevelBefore` in step `level-not-lower` on a run without `-RaiseLevel`: step `read-level`, which captures it, runs only with `-RaiseLevel`, and the script holds `$null` in it on such a run; expected the reading step under the same `when: RaiseLevel`, or the value captured on every run',
      ],
    ]);
    // Captured on every run, it is read after its step on every path.
    const fixed = readFileSync('test/fixtures/rules/RB511/not-ok-when.yaml', 'utf8').replace('        when: RaiseLevel\n        capture:', '        capture:');
    expect(diagnoseText(fixed).filter((d) => d.ruleId === 'RB511')).toEqual([]);
  });
});

describe('RB512 per-node-capture', () => {
  it('names the capturing step and its phase where a per-node capture is read outside its pass over the server', async () => {
    const { diagnose } = await import('./harness.js');
    const found = diagnose('test/fixtures/rules/RB512/not-ok.yaml').diagnostics.filter((d) => d.ruleId === 'RB512');
    expect(found.map((d) => [d.line, d.severity])).toEqual([
      [34, 'warning'],
      [42, 'warning'],
    ]);
    expect(found[0]!.message).toBe(
      "Unexpected `$BuildBefore` in step `build-not-lower`: step `read-build` captures it on each server of phase `read-builds` in turn, so here it holds the value of the last server only; expected it read in phase `read-builds` after that step (the same server's value), or captured in a phase that is not per-node",
    );
  });
});
