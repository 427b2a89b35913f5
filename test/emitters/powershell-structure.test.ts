import { describe, expect, it } from 'vitest';
import { emitPowerShell } from '../../src/emitters/powershell/index.js';
import { findStructureProblem } from '../../src/powershell/structure.js';
import { planAll } from '../../src/model/plan.js';
import { loadRunbook } from '../../src/index.js';
import { phase, runbook, step } from '../fixtures/ir-builder.js';
import { psString } from '../../src/emitters/powershell/quote.js';
import { describeWithPwsh, lastJsonLine, runPwshScript } from '../powershell/pwsh.js';
import fc from 'fast-check';
import { commandsOf } from '../../src/model/step-commands.js';
import { parsePowerShell } from '../../src/rules/commands/parse.js';
import { propertySeed } from '../support/property-seed.js';

const BALANCED = [
  'Get-Date',
  "@(Get-ClusterNode | Where-Object { $_.State -ne 'Up' }).Count -eq 0",
  "Write-Output 'a } b ) c ]'",
  'Write-Output "x $(Get-Date -Format \'{0}\') }"',
  'Write-Output "nested $(\"$(1 + (2))\") ok"',
  "Write-Output 'it''s } fine'",
  'Write-Output "say `"}`" ok"',
  "# a comment with } and '\nGet-Date",
  '<# block } ( [ #> Get-Date',
  "$x = @'\n}\n) ' \"\n'@\n$x",
  '$y = @"\n} $(Get-Date) {\n"@\n$y',
  '${odd name with `} brace} = 1',
  'Get-Item C:\\a#b',
  'Write-Output a`}b',
  '\u2018typographic } quote\u2019 + \u201Cdouble ( too\u201D',
];

const UNBALANCED: Array<[string, RegExp]> = [
  ['Get-Date }; Remove-Item C:\\x -Recurse; {', /^Unexpected `}` with nothing open/],
  ['Get-Date {', /^Unexpected `\{` that is never closed, expected `}`/],
  ['Get-Date )', /^Unexpected `\)` with nothing open/],
  ['@(1, 2}', /^Unexpected `}`, expected `\)` to close the `\(` at line 1, column 2/],
  ["Write-Output 'open", /^Unexpected string that is never closed/],
  ['Write-Output "open $(Get-Date', /^Unexpected end of the command inside `\$\(`/],
  ["$x = @'\nnever closed\n", /^Unexpected here-string that is never closed/],
  ['<# never closed', /^Unexpected `<#` comment that is never closed/],
  ['Write-Output a#b }', /^Unexpected `}` with nothing open/],
  ['Write-Output \u2019x }', /never closed/],
];

describe('author command structure guard', () => {
  it('accepts balanced commands, whatever their strings and comments hold', () => {
    for (const ok of BALANCED) {
      expect(findStructureProblem(ok), ok).toBeUndefined();
    }
  });

  it('refuses commands that would close or leave open the script block they are wrapped in', () => {
    for (const [bad, message] of UNBALANCED) {
      expect(findStructureProblem(bad)?.message, bad).toMatch(message);
    }
    expect(findStructureProblem('Get-Date\n  }')).toEqual({ index: 11, line: 2, column: 3, message: expect.stringMatching(/^Unexpected `}`/) });
  });

  it('stops the emitter with the runbook position of the problem', () => {
    const rb = runbook([phase('p', 'cluster', [step.run('r', 'Get-Date\nGet-Item x }; Remove-Item y; {')])]);
    const cmdLine = (rb.phases[0]!.steps[0] as { command: { span: { line: number } } }).command.span.line;
    expect(() => planAll(rb).map((p) => emitPowerShell(p, { sha256: new Map() }))).toThrow(
      new RegExp(`^runbooks/fixture\\.yaml:${cmdLine + 1}:12: Unexpected \`}\` with nothing open`),
    );
  });

  it('accepts every command of the bundled runbook', async () => {
    const { runbook: bundled } = await loadRunbook('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
    for (const plan of planAll(bundled!)) {
      for (const ph of plan.phases) {
        for (const s of ph.steps) {
          const texts = [s.verify?.text, s.probe?.text, s.kind === 'run' ? s.command.text : undefined, s.kind === 'check' ? s.assert.text : undefined, s.kind === 'wait' ? s.until.text : undefined];
          for (const t of texts) if (t !== undefined) expect(findStructureProblem(t), `${ph.id}/${s.id}: ${t}`).toBeUndefined();
        }
      }
    }
  });
});

describeWithPwsh('the structure guard agrees with PowerShell', (pwsh) => {
  it('wrapped in a script block, a balanced command stays one block and an unbalanced one does not', () => {
    // One pwsh run: each command is wrapped as the emitter does (`$b = {` newline command newline `}`)
    // and parsed; the wrapping is intact when there is no parse error and the file is one statement.
    const all = [...BALANCED, ...UNBALANCED.map(([t]) => t)];
    const lines = ['$out = @()'];
    all.forEach((t) => {
      lines.push(`$text = '$b = {' + [char]10 + ${psString(t)} + [char]10 + '}'`);
      lines.push('$tokens = $null; $errors = $null');
      lines.push('$ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)');
      lines.push('$out += ,(@($errors).Count -eq 0 -and @($ast.EndBlock.Statements).Count -eq 1 -and $ast.EndBlock.Statements[0].Extent.EndOffset -eq $text.Length)');
    });
    lines.push('ConvertTo-Json -InputObject $out -Compress');
    const intact = lastJsonLine<boolean[]>(runPwshScript(pwsh, lines.join('\n') + '\n'));
    BALANCED.forEach((t, i) => expect(intact[i], t).toBe(true));
    UNBALANCED.forEach(([t], i) => expect(intact[BALANCED.length + i], t).toBe(false));
  });

  it('for the bundled commands with random edits: what the guard accepts stays one block, and what RB510 reports PowerShell rejects', async () => {
    const { runbook: bundled } = await loadRunbook('runbooks/azure-stack-hci-22h2-to-23h2.yaml');
    const commands = bundled!.phases.flatMap((p) => p.steps.flatMap((s) => commandsOf(s).map((c) => c.text)));
    const pasted = ['{', '}', '(', ')', '[', ']', '"', "'", '`', '#', '<#', '#>', '@"\n', '\n"@', '$(', '${', '\n', ' ', '\u2018', '\u201C', ';', '|', '-eq', 'a'];
    const texts = fc.sample(
      fc.tuple(fc.constantFrom(...commands), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...pasted), fc.nat({ max: 3 })), { minLength: 1, maxLength: 3 })).map(([text, edits]) =>
        edits.reduce((t, [at, insert, remove]) => t.slice(0, at % (t.length + 1)) + insert + t.slice((at % (t.length + 1)) + remove), text),
      ),
      { numRuns: 800, seed: propertySeed() },
    );
    const lines = ['$out = @()'];
    for (const t of texts) {
      lines.push(`$text = ${psString(t)}; $wrapped = '$b = {' + [char]10 + $text + [char]10 + '}'`);
      lines.push('$tokens = $null; $errors = $null; $ast = [System.Management.Automation.Language.Parser]::ParseInput($wrapped, [ref]$tokens, [ref]$errors)');
      lines.push('$oneBlock = @($ast.EndBlock.Statements).Count -eq 1 -and $ast.EndBlock.Statements[0].Extent.EndOffset -eq $wrapped.Length');
      lines.push('$e2 = $null; [void][System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$e2)');
      lines.push('$out += ,@(@($errors).Count, $oneBlock, @($e2).Count)');
    }
    lines.push('ConvertTo-Json -InputObject $out -Compress');
    const results = lastJsonLine<Array<[number, boolean, number]>>(runPwshScript(pwsh, lines.join('\n') + '\n'));
    // Safety: a command the guard lets through never closes or leaves open its script block. (One
    // PowerShell cannot parse at all is no escape: a script with a parse error never starts.)
    const escaped = texts.filter((t, i) => findStructureProblem(t) === undefined && results[i]![0] === 0 && !results[i]![1]);
    expect(escaped, 'accepted by the guard, escapes its block').toEqual([]);
    // RB510's checks of a statement's shape report only what PowerShell rejects too. (Where the
    // reader reports other problems as well, it has lost its way earlier in the text: a `<#` or `#`
    // inside a word, which it takes for a comment, is a known gap, and not what this holds.)
    const SHAPE = /second statement in `\( \)`|after `\|`|after an operator|in a `\$\{ \}` variable name|right after a value/;
    const onlyShape = (t: string) => {
      const problems = parsePowerShell(t).problems;
      return problems.length > 0 && problems.every((p) => SHAPE.test(p.message));
    };
    const wrong = texts.filter((t, i) => results[i]![2] === 0 && onlyShape(t));
    expect(wrong.map((t) => [t, parsePowerShell(t).problems.map((p) => p.message)]), 'shape reported, PowerShell parses').toEqual([]);
    expect(texts.filter((t) => findStructureProblem(t) === undefined).length).toBeGreaterThan(100);
  }, 120_000);
});

