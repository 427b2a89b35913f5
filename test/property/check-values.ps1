<#
.SYNOPSIS
    For each generated script of the property test: parse it, read back every string constant
    expression it holds, run it with -WhatIf, and read back its run profile; write the results as JSON.

.DESCRIPTION
    String values are written as UTF-16 code units in hex so that they reach the test byte-exact
    whatever the console encoding (lone surrogates included). Constant expressions are evaluated
    from the syntax tree, never executed: only single-quoted strings, [char]0xNNNN and + qualify.
    Invoke-RbCanary counts calls: runbook text that ever executes as code calls it.
#>
param(
    [Parameter(Mandatory = $true)][string]$CasesPath,
    [Parameter(Mandatory = $true)][string]$OutPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$global:RbCanaryCalls = 0
function global:Invoke-RbCanary { $global:RbCanaryCalls++ }

# Walking the syntax tree from a script block per node takes most of a second per script; the same
# walk in C# (compiled once per process) takes milliseconds.
Add-Type -TypeDefinition @'
using System.Collections.Generic;
using System.Management.Automation.Language;
using System.Text;

public static class RbPropertyAst
{
    public static string Hex(string text)
    {
        var sb = new StringBuilder(text.Length * 4);
        foreach (char c in text) sb.Append(((int)c).ToString("x4"));
        return sb.ToString();
    }

    // The value of a constant string expression, or null when the expression is anything else.
    public static string ConstantString(Ast ast)
    {
        var s = ast as StringConstantExpressionAst;
        if (s != null) return s.StringConstantType == StringConstantType.SingleQuoted ? s.Value : null;
        var paren = ast as ParenExpressionAst;
        if (paren != null)
        {
            var pipeline = paren.Pipeline as PipelineAst;
            if (pipeline == null || pipeline.PipelineElements.Count != 1) return null;
            var expression = pipeline.PipelineElements[0] as CommandExpressionAst;
            if (expression == null || expression.Redirections.Count != 0) return null;
            return ConstantString(expression.Expression);
        }
        var binary = ast as BinaryExpressionAst;
        if (binary != null && binary.Operator == TokenKind.Plus)
        {
            var left = ConstantString(binary.Left);
            if (left == null) return null;
            var right = ConstantString(binary.Right);
            return right == null ? null : left + right;
        }
        var convert = ast as ConvertExpressionAst;
        if (convert != null && convert.Type.TypeName.FullName == "char")
        {
            var constant = convert.Child as ConstantExpressionAst;
            if (constant != null && constant.Value is int) return ((char)(int)constant.Value).ToString();
        }
        return null;
    }

    public static string[] Constants(Ast root)
    {
        var values = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var node in root.FindAll(a => a is ParenExpressionAst || a is StringConstantExpressionAst, true))
        {
            var value = ConstantString(node);
            if (value != null) values.Add(Hex(value));
        }
        return new List<string>(values).ToArray();
    }

    public static string[] Commands(Ast root)
    {
        var names = new SortedSet<string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (var node in root.FindAll(a => a is CommandAst, true))
        {
            var name = ((CommandAst)node).GetCommandName();
            if (!string.IsNullOrEmpty(name)) names.Add(name);
        }
        return new List<string>(names).ToArray();
    }
}
'@

$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'operator', (New-Object -TypeName System.Security.SecureString)
$cases = Get-Content -LiteralPath $CasesPath -Raw | ConvertFrom-Json
$results = foreach ($case in $cases) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($case.script, [ref]$tokens, [ref]$errors)
    $constants = [RbPropertyAst]::Constants($ast)
    $commands = [RbPropertyAst]::Commands($ast)

    $global:RbCanaryCalls = 0
    $runError = ''
    $output = New-Object -TypeName System.Text.StringBuilder
    if ($errors.Count -eq 0) {
        try {
            & $case.script -ClusterName 'CLUSTER1' -Credential $credential -WhatIf *>&1 | ForEach-Object -Process { $null = $output.Append([string]$_).Append("`n") }
        }
        catch {
            $runError = $_.Exception.Message
        }
    }

    $profileArguments = @()
    $profileError = ''
    try {
        $runProfile = Import-Clixml -LiteralPath $case.profile
        $arguments = $runProfile['CauPluginArguments'][0]
        $profileArguments = @(foreach ($name in $case.argumentNames) { [RbPropertyAst]::Hex([string]$arguments[$name]) })
    }
    catch {
        $profileError = $_.Exception.Message
    }

    [ordered]@{
        parseErrors      = @($errors | ForEach-Object { '{0}:{1}: {2}' -f $_.Extent.StartLineNumber, $_.Extent.StartColumnNumber, $_.Message })
        constants        = @($constants)
        commands         = @($commands)
        runError         = $runError
        canaryCalls      = $global:RbCanaryCalls
        output           = [RbPropertyAst]::Hex($output.ToString())
        profileArguments = $profileArguments
        profileError     = $profileError
    }
}
[System.IO.File]::WriteAllText($OutPath, (ConvertTo-Json -InputObject @($results) -Depth 4 -Compress))
