/**
 * The command reader against PowerShell's own parser: for every command of the bundled runbook,
 * of the rule fixtures and of a set of tricky samples, the commands found (in order, with their
 * parameter names), the variables (in order, and which ones the script sets) and the
 * PowerShell-7-only constructs must be the ones PowerShell's AST shows.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Runbook } from '../../src/model/runbook.js';
import { parsePowerShell } from '../../src/rules/commands/parse.js';
import { commandsOf } from '../../src/model/step-commands.js';
import { stepsWithPhase } from '../../src/rules/helpers.js';
import { describeWithPwsh, lastJsonLine, runPwshScript } from '../powershell/pwsh.js';
import { diagnose } from './harness.js';

const SAMPLES = [
  "Set-Service \u2013Name \u2018ClusSvc\u2019 -StartupType \u201CDisabled\u201D",
  'Stop-Cluster `\n  -Cluster $c `\n  -Force\nGet-Cluster',
  'Write-Output "Level $((Get-Cluster).ClusterFunctionalLevel)"\n$t = @"\n$(Get-Date)\n"@',
  "$x = $a ? 1 : 2; $b ?? 3; $c ??= 4; ${d}?.e; ${f}?[0]",
  'Get-X && Get-Y || Get-Z',
  'Get-W &',
  "Get-ClusterNode -Cluster $c\n  | Where-Object { $_.State -eq 'Up' }\n  # a comment\n  | Select-Object -First 1\n(Get-A\n| Get-B).Count",
  'Get-A |\n  Get-B\nGet-C',
  '"`e[1m `u{2195}"; 0b101; 10uy; 5n',
  'function F { clean { Get-A } }',
  "$a?.b; if ($x -eq 1) { 'a' } elseif ($y) { Get-B } else { Get-Y | ? { $_ } | % { $_ } }; 1..10; 0x1F; 10kb",
  "Invoke-CauRun -CauPluginArguments @{'WuConnected'='true'; Other = (Get-Date)} -Force:$true @rest",
  'foreach ($vm in @(Get-VM -ComputerName (Get-ClusterNode -Cluster $c).Name)) { Stop-VM -VM $vm -Force; Start-VM -VM $vm }',
  'try { Get-A -Name x } catch [System.Exception] { Write-Warning $_ } finally { Get-B }',
  'do { Start-Sleep -Seconds 5 } until ((Get-C).State -eq \'Up\')',
  '$r = Get-CimInstance -ComputerName $n -ClassName Win32_OperatingSystem | Select-Object -ExpandProperty BuildNumber',
  "& 'C:\\Program Files\\x.exe' -flag; . $PSScriptRoot\\lib.ps1 -Name y",
  'Get-Item -Path x 2>&1 > $null; Get-Z *>> log.txt',
  "switch -regex ($s) { 'a' { Get-A } default { Get-B } }",
  '[int](Get-CimInstance -ComputerName $Node -ClassName Win32_OperatingSystem).BuildNumber -eq $TargetBuild',
  "Get-A -Name x # a comment with Get-B -Fake\nGet-C <# block Get-D #> -Path y",
  "$s = @'\nGet-NotACommand -X\n'@\nGet-E -Value $s",
  'cmd.exe /c --% dir /s "a b" -notaparameter',
  "Update-StoragePool -FriendlyName $p -Confirm:$false -WhatIf:$true",
  "Invoke-Command -ComputerName $n -ScriptBlock { param($x) Get-F -Name $using:Node -Value $x } -ArgumentList 1, 2",
  "$h = [ordered]@{ A = (Get-G -Name a); B = @(Get-H | Sort-Object Name) }",
  "[System.Net.Dns]::GetHostName(); $x.Method('a', (Get-I -Name b)); [int]::Parse('1')",
  'Write-Output "Node $($n.Name) is $(Get-J -Name $n.Name)"',
  "Get-K -Path 'C:\\x' | ForEach-Object -Process { Get-L $_ } | Where-Object -FilterScript { $_.Ok }",
  "Get-M -Name a,b, 'c' -Count:3 -Flag:$true -Names @('x', 'y')",
  "if (-not (Test-Path $p)) { throw 'missing' } else { return (Get-N) }",
  "while ($i -lt 3) { $i++; continue }; for ($i = 0; $i -lt 2; $i++) { Get-O -Index $i }",
  "Get-P -Filter \u2018Name -like \u201Ca*\u201D\u2019 -Other \u201Cx\u201D",
  "$a = 1; $b = -1; $c = $a -band 0x0F; Get-Q -Value (-1) -Other -2",
  "Get-R -Value 5.5 -Size 10MB -Ratio 1e3",
  "Get-S | Out-Null; $null = Get-T; [void](Get-U)",
  '[int]$n = 3; $a, $b = 1, 2; $h = @{}; $h[$k] = 1; $o.Name = $v; $c += 1; $d ??= 2',
  'Write-Output "Server ${Node}: $Node.Name is $(Get-V -Name $Nodes) `$notAVariable $env:COMPUTERNAME"',
  "$t = @\"\nUp: $Up, `$skip, $($x.Count)\n\"@; $u = @'\n$NotExpanded\n'@",
  'Get-W @splat -Name $_ ; $? ; $$ ; $^ ; ${with space} = 1; $a?.b',
  'function G { param([string]$Name = $Default, $Other) Get-X -Name $Name }',
  // A value right after a value: casts, a foreach header, switch clauses and redirections are
  // PowerShell's; a space inside a member name, two strings or two numbers are parse errors.
  "[int][string]$x; [int[]] [string[]] $y; $z = [int]$x[0]; $x 2>&1; switch ($x) { 1 { 'a' } default { 'b' } }",
  "@(Get-ClusterNode -Cluster $c | Where-Object { $_.St ate -ne 'Up' }).Count -eq 0",
  '$x = 1 2',
  '"a" "b"',
  '[Math]::Max(1, 2) 3',
];

function corpus(): string[] {
  const texts = new Set(SAMPLES);
  const add = (file: string) => {
    let runbook: Runbook | undefined;
    diagnose(file, (r) => (runbook = r));
    for (const { step } of runbook ? stepsWithPhase(runbook) : []) for (const c of commandsOf(step)) texts.add(c.text);
  };
  add('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
  for (const folder of readdirSync('test/fixtures/rules')) for (const f of readdirSync(join('test/fixtures/rules', folder))) add(join('test/fixtures/rules', folder, f));
  return [...texts];
}

const SCRIPT = String.raw`
$texts = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json
$out = foreach ($text in $texts) {
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
  $commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | Sort-Object { $_.Extent.StartOffset } | ForEach-Object {
    [ordered]@{
      name = [string]$_.GetCommandName()
      parameters = @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })
    }
  })
  $kinds = [System.Collections.Generic.List[string]]::new()
  $all = @($ast.FindAll({ $true }, $true))
  foreach ($n in $all) {
    $t = $n.GetType().Name
    if ($t -eq 'PipelineChainAst') { $kinds.Add('pipeline-chain'); if ($n.Background) { $kinds.Add('background-operator') } }
    if ($t -eq 'PipelineAst' -and $n.Background) { $kinds.Add('background-operator') }
    if ($t -eq 'TernaryExpressionAst') { $kinds.Add('ternary') }
    if ($t -eq 'BinaryExpressionAst' -and $n.Operator -eq 'QuestionQuestion') { $kinds.Add('null-coalescing') }
    if ($t -eq 'AssignmentStatementAst' -and $n.Operator -eq 'QuestionQuestionEquals') { $kinds.Add('null-coalescing-assignment') }
    if (($t -eq 'MemberExpressionAst' -or $t -eq 'InvokeMemberExpressionAst') -and $n.NullConditional) { $kinds.Add('null-conditional-member') }
    if ($t -eq 'IndexExpressionAst' -and $n.NullConditional) { $kinds.Add('null-conditional-index') }
    if ($t -eq 'ScriptBlockAst' -and $null -ne $n.CleanBlock) { $kinds.Add('clean-block') }
    if (($t -eq 'StringConstantExpressionAst' -or $t -eq 'ExpandableStringExpressionAst') -and $n.StringConstantType -like 'DoubleQuoted*') {
      if ($n.Extent.Text -cmatch '` + '`' + String.raw`e') { $kinds.Add('escape-e') }
      if ($n.Extent.Text -cmatch '` + '`' + String.raw`u\{') { $kinds.Add('escape-u') }
    }
    if ($t -eq 'ConstantExpressionAst' -and $n.Extent.Text -match '^0b') { $kinds.Add('binary-literal') }
    elseif ($t -eq 'ConstantExpressionAst' -and $n.Extent.Text -match '^[0-9.]+(y|uy|s|us|u|ul|n)$') { $kinds.Add('numeric-suffix') }
  }
  # A | whose previous token (comments aside) is a line break continues the pipeline of the line before.
  $previous = $null
  foreach ($token in $tokens) {
    if ($token.Kind -eq 'Comment') { continue }
    if ($token.Kind -eq 'Pipe' -and $null -ne $previous -and $previous.Kind -eq 'NewLine') { $kinds.Add('leading-pipe') }
    $previous = $token
  }
  $variables = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) | Sort-Object { $_.Extent.StartOffset } | ForEach-Object {
    $p = $_.Parent
    $target = if ($p -is [System.Management.Automation.Language.ConvertExpressionAst] -or $p -is [System.Management.Automation.Language.ArrayLiteralAst]) { $p } else { $_ }
    $sets = ($target.Parent -is [System.Management.Automation.Language.AssignmentStatementAst] -and $target.Parent.Left -eq $target) -or
      ($p -is [System.Management.Automation.Language.ForEachStatementAst] -and $p.Variable -eq $_) -or
      ($p -is [System.Management.Automation.Language.ParameterAst])  # its name, and (as the reader takes it) what its default names
    # $using:Node is the variable Node inside a UsingExpressionAst; the reader keeps the scope in the name.
    $scope = if ($p -is [System.Management.Automation.Language.UsingExpressionAst]) { 'using:' } else { '' }
    '{0}{1}{2}' -f $scope, $_.VariablePath.UserPath, $(if ($sets) { '=' } else { '' })
  })
  [ordered]@{ errors = $errors.Count; commands = $commands; kinds = @($kinds | Sort-Object -Unique); variables = $variables }
}
ConvertTo-Json -InputObject @($out) -Depth 6 -Compress
`;

interface PwshView {
  errors: number;
  commands: Array<{ name: string; parameters: string[] }>;
  kinds: string[];
  /** Every variable in order, `Name=` where the script sets it. */
  variables: string[];
}

describeWithPwsh('the command reader agrees with PowerShell', (pwsh) => {
  it('finds the same commands, parameters, variables and PowerShell 7 constructs', async () => {
    const texts = corpus();
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'runbookc-reader-'));
    try {
      const input = join(dir, 'texts.json');
      writeFileSync(input, JSON.stringify(texts), 'utf8');
      const views = lastJsonLine<PwshView[]>(runPwshScript(pwsh, SCRIPT, [input]));
      expect(views).toHaveLength(texts.length);
      let compared = 0;
      texts.forEach((text, i) => {
        const theirs = views[i]!;
        const mine = parsePowerShell(text);
        if (theirs.errors > 0) {
          // PowerShell rejects it: the reader must have noticed something too.
          expect.soft(mine.problems.length + mine.placeholders.length, text).toBeGreaterThan(0);
          return;
        }
        compared++;
        expect.soft(mine.problems, text).toEqual([]);
        const ours = mine.commands.map((c) => ({ name: c.name, parameters: c.elements.flatMap((e) => (e.kind === 'parameter' ? [e.name] : [])) }));
        // Two deliberate differences: a command named by an expression (`. $PSScriptRoot\x.ps1`) has no
        // static name in either; `-Node<node>` is one parameter token to PowerShell, while the reader
        // splits off the placeholder so that both the parameter and the placeholder can be reported.
        const normalise = (cs: Array<{ name: string; parameters: string[] }>) =>
          cs.map((c) => `${c.name.startsWith('$') ? '' : c.name.replace(/^['"]|['"]$/g, '')}(${c.parameters.map((p) => p.replace(/<[^<>]*>$/, '')).join(',')})`);
        expect.soft(normalise(ours), text).toEqual(normalise(theirs.commands.map((c) => ({ name: c.name, parameters: c.parameters }))));
        expect.soft([...new Set(mine.ps7Syntax.map((s) => s.kind))].sort(), text).toEqual([...theirs.kinds].sort());
        expect.soft(mine.variables.map((v) => `${v.name}${v.sets ? '=' : ''}`), text).toEqual(theirs.variables);
      });
      expect(compared).toBeGreaterThan(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
