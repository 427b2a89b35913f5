<#
.SYNOPSIS
    Static checks of generated PowerShell scripts, run by the vitest suite under PowerShell 7.

.DESCRIPTION
    For every file given: parse with PowerShell's own parser, then walk the AST for
    (1) syntax that Windows PowerShell 5.1 does not have, and (2) our re-implementation of the
    PSScriptAnalyzer rules that matter for generated scripts (docs/powershell-checks.md).
    Prints one JSON line: [{ file, parseErrors: [...], findings: [{ rule, line, column, text }] }].
#>
param(
    # Cmdlet catalog (JSON) for commands that do not exist in pwsh on this machine, e.g. Invoke-CauRun.
    [string]$CatalogPath = '',
    [Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)]
    [string[]]$Path
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$LanguageNs = 'System.Management.Automation.Language'

$StateChangingVerbs = @('New', 'Set', 'Remove', 'Start', 'Stop', 'Restart', 'Reset', 'Update')
$ApprovedVerbs = @(Get-Verb | ForEach-Object -Process { $_.Verb })
$KnownAliases = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)

# Windows PowerShell 5.1 aliases that PowerShell 7 on Linux does not define, so Get-Alias misses them.
$WindowsOnlyAliases = @('ac', 'cat', 'clear', 'compare', 'cp', 'cpp', 'diff', 'kill', 'lp', 'ls', 'man', 'mount',
    'mv', 'ps', 'rm', 'rmdir', 'sleep', 'sort', 'start', 'tee', 'write', 'curl', 'wget', 'sc', 'gwmi', 'iwmi', 'rwmi', 'swmi', 'gsnp', 'asnp', 'rsnp')

foreach ($a in @(Get-Alias | ForEach-Object -Process { $_.Name }) + $WindowsOnlyAliases) { $null = $KnownAliases.Add($a) }

$PwshOnlyCommands = @{
    'ForEach-Object'   = @('Parallel', 'ThrottleLimit', 'AsJob', 'TimeoutSeconds')
    'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate')
    'Get-Content'      = @('AsByteStream')
    'Set-Content'      = @('AsByteStream')
    'Add-Content'      = @('AsByteStream')
    'Test-Connection'  = @('TargetName', 'TcpPort', 'Traceroute', 'MtuSize')
}
$PwshOnlyCommandNames = @('Start-ThreadJob', 'Test-Json', 'Join-String', 'Get-Error', 'ConvertTo-CliXml', 'ConvertFrom-CliXml', 'Get-SecureRandom', 'ConvertFrom-Markdown', 'Show-Markdown', 'Remove-Alias', 'Remove-Service', 'Get-Uptime')
$PwshOnlyVariables = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle', 'PSNativeCommandArgumentPassing', 'PSNativeCommandUseErrorActionPreference')
$AutomaticVariables = @('_', 'PSItem', 'args', 'input', 'this', 'Matches', 'Error', 'Host', 'PSCmdlet', 'MyInvocation', 'PSBoundParameters', 'ExecutionContext', 'true', 'false', 'PID', 'PWD', 'HOME', 'ShellId', 'StackTrace', 'LASTEXITCODE', 'PSScriptRoot', 'PSCommandPath', 'Event', 'EventArgs', 'Sender')
$PasswordNames = @('Password', 'Pass', 'Passwords', 'Passphrase', 'Passphrases', 'PasswordParam')
$CredentialTypes = @('PSCredential', 'System.Management.Automation.PSCredential', 'pscredential')
$WmiCmdlets = @('Get-WmiObject', 'Remove-WmiObject', 'Invoke-WmiMethod', 'Register-WmiEvent', 'Set-WmiInstance')
$ComparisonOperators = @('Eq', 'Ieq', 'Ceq', 'Ne', 'Ine', 'Cne', 'Gt', 'Igt', 'Cgt', 'Ge', 'Ige', 'Cge', 'Lt', 'Ilt', 'Clt', 'Le', 'Ile', 'Cle')

$CommonParameters = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable',
    'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable')

# Parameter names (and aliases) of commands known without running the script: the catalog, then pwsh itself.
$CatalogParameters = @{}
$script:KnownCache = @{}
if ($CatalogPath) {
    foreach ($entry in (Get-Content -LiteralPath $CatalogPath -Raw | ConvertFrom-Json)) {
        $names = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($set in $entry.parameterSets) {
            foreach ($p in $set.parameters) {
                $null = $names.Add($p.name)
                foreach ($alias in @($p.PSObject.Properties | Where-Object -FilterScript { $_.Name -eq 'aliases' } | ForEach-Object -Process { $_.Value })) { if ($alias) { $null = $names.Add($alias) } }
            }
        }
        foreach ($c in $CommonParameters) { $null = $names.Add($c) }
        if ($entry.supportsShouldProcess) { $null = $names.Add('WhatIf'); $null = $names.Add('Confirm') }
        $CatalogParameters[$entry.name] = $names
    }
}

function Get-KnownParameterName {
    param([string]$Name, [hashtable]$ScriptFunctions)
    if ($ScriptFunctions.ContainsKey($Name)) { return $ScriptFunctions[$Name] }
    if ($CatalogParameters.ContainsKey($Name)) { return $CatalogParameters[$Name] }
    $command = Get-Command -Name $Name -CommandType Cmdlet, Function -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) { return $null }
    $names = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($p in $command.Parameters.Values) {
        $null = $names.Add($p.Name)
        foreach ($alias in $p.Aliases) { $null = $names.Add($alias) }
    }
    return $names
}

# One walk per script: nodes bucketed by their exact type; Find-Ast picks the buckets assignable to
# the type asked for, so 40 rules do not walk the whole tree 40 times.
$script:IndexedRoot = $null
$script:AstIndex = @{}

function Set-AstIndex {
    param($Root)
    $script:IndexedRoot = $Root
    $script:AstIndex = @{}
    foreach ($n in $Root.FindAll({ $true }, $true)) {
        $t = $n.GetType()
        if (-not $script:AstIndex.ContainsKey($t)) { $script:AstIndex[$t] = New-Object -TypeName System.Collections.ArrayList }
        $null = $script:AstIndex[$t].Add($n)
    }
}

function Find-Ast {
    param($Root, [string]$TypeName, [scriptblock]$Where = $null)
    $type = "$LanguageNs.$TypeName" -as [type]
    if ($null -eq $type) { return @() }
    if ([object]::ReferenceEquals($Root, $script:IndexedRoot)) {
        $candidates = foreach ($k in $script:AstIndex.Keys) { if ($type.IsAssignableFrom($k)) { $script:AstIndex[$k] } }
    }
    else {
        $candidates = $Root.FindAll({ param($n) $n -is $type }, $true)
    }
    if ($null -eq $Where) { return @($candidates) }
    $out = New-Object -TypeName System.Collections.ArrayList
    foreach ($c in $candidates) { if (& $Where $c) { $null = $out.Add($c) } }
    return $out.ToArray()
}

function Get-EnclosingFunctionName {
    param($Node)
    $p = $Node.Parent
    while ($null -ne $p) {
        if ($p -is [System.Management.Automation.Language.FunctionDefinitionAst]) { return $p.Name }
        $p = $p.Parent
    }
    return ''
}

function Test-IsNullVariable {
    param($Node)
    return ($Node -is [System.Management.Automation.Language.VariableExpressionAst]) -and ($Node.VariablePath.UserPath -eq 'null')
}

function Get-ParameterTypeName {
    param($ParameterAst)
    $names = @($ParameterAst.Attributes | Where-Object -FilterScript { $_ -is [System.Management.Automation.Language.TypeConstraintAst] } | ForEach-Object -Process { $_.TypeName.FullName })
    return $names
}

function Get-ScriptFinding {
    param($Ast, [System.Management.Automation.Language.Token[]]$Tokens)
    $findings = New-Object -TypeName System.Collections.ArrayList
    $add = {
        param([string]$Rule, $Node, [string]$Text = '')
        if (-not $Text) { $Text = $Node.Extent.Text }
        if ($Text.Length -gt 120) { $Text = $Text.Substring(0, 120) + '...' }
        $null = $findings.Add([ordered]@{ rule = $Rule; line = $Node.Extent.StartLineNumber; column = $Node.Extent.StartColumnNumber; text = $Text })
    }

    # ---- Section 1 of the reference: syntax that Windows PowerShell 5.1 does not parse or reads differently.
    foreach ($n in Find-Ast $Ast 'PipelineChainAst') { & $add 'ps7-pipeline-chain' $n }
    foreach ($n in Find-Ast $Ast 'TernaryExpressionAst') { & $add 'ps7-ternary' $n }
    foreach ($n in Find-Ast $Ast 'BinaryExpressionAst' { param($x) $x.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestion }) { & $add 'ps7-null-coalescing' $n }
    foreach ($n in Find-Ast $Ast 'AssignmentStatementAst' { param($x) $x.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestionEquals }) { & $add 'ps7-null-coalescing-assignment' $n }
    foreach ($n in Find-Ast $Ast 'MemberExpressionAst' { param($x) $x.NullConditional }) { & $add 'ps7-null-conditional-member' $n }
    foreach ($n in Find-Ast $Ast 'IndexExpressionAst' { param($x) $x.NullConditional }) { & $add 'ps7-null-conditional-index' $n }
    foreach ($n in Find-Ast $Ast 'ScriptBlockAst' { param($x) $null -ne $x.CleanBlock }) { & $add 'ps7-clean-block' $n.CleanBlock }
    foreach ($n in Find-Ast $Ast 'PipelineAst' { param($x) $x.Background }) { & $add 'ps7-background-operator' $n }
    foreach ($n in Find-Ast $Ast 'PipelineChainAst' { param($x) $x.Background }) { & $add 'ps7-background-operator' $n }
    foreach ($n in Find-Ast $Ast 'ExpandableStringExpressionAst' { param($x) $x.Extent.Text -cmatch '`(e|u\{)' }) { & $add 'ps7-escape-sequence' $n }
    foreach ($n in Find-Ast $Ast 'StringConstantExpressionAst' {
            param($x) $x.StringConstantType -ne [System.Management.Automation.Language.StringConstantType]::SingleQuoted -and
            $x.StringConstantType -ne [System.Management.Automation.Language.StringConstantType]::SingleQuotedHereString -and
            $x.Extent.Text -cmatch '`(e|u\{)' }) { & $add 'ps7-escape-sequence' $n }
    foreach ($n in Find-Ast $Ast 'ConstantExpressionAst' {
            param($x) $x -isnot [System.Management.Automation.Language.StringConstantExpressionAst] -and
            $x.Extent.Text -match '^(0b[01]+|(0x[0-9a-f]+|[0-9]+)(y|uy|s|us|u|ul|n))$' }) { & $add 'ps7-numeric-literal' $n }
    foreach ($n in Find-Ast $Ast 'FunctionDefinitionAst' { param($x) $x.IsWorkflow }) { & $add 'workflow' $n "workflow $($n.Name)" }
    foreach ($n in Find-Ast $Ast 'VariableExpressionAst' { param($x) $PwshOnlyVariables -contains $x.VariablePath.UserPath }) { & $add 'ps7-variable' $n }

    # Parameters of the functions the script defines (the runtime and the phases).
    $scriptFunctions = @{}
    foreach ($f in Find-Ast $Ast 'FunctionDefinitionAst') {
        $names = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        if ($null -ne $f.Body.ParamBlock) {
            foreach ($p in $f.Body.ParamBlock.Parameters) { $null = $names.Add($p.Name.VariablePath.UserPath) }
            $cb = $f.Body.ParamBlock.Attributes | Where-Object -FilterScript { $_.TypeName.FullName -eq 'CmdletBinding' } | Select-Object -First 1
            if ($null -ne $cb) {
                foreach ($c in $CommonParameters) { $null = $names.Add($c) }
                if (@($cb.NamedArguments | Where-Object -FilterScript { $_.ArgumentName -eq 'SupportsShouldProcess' }).Count -gt 0) { $null = $names.Add('WhatIf'); $null = $names.Add('Confirm') }
            }
        }
        $scriptFunctions[$f.Name] = $names
    }

    foreach ($cmd in Find-Ast $Ast 'CommandAst') {
        $name = $cmd.GetCommandName()
        if (-not $name) { continue }
        if ($scriptFunctions.ContainsKey($name)) { $known = $scriptFunctions[$name] }
        else {
            if (-not $script:KnownCache.ContainsKey($name)) { $script:KnownCache[$name] = Get-KnownParameterName -Name $name -ScriptFunctions @{} }
            $known = $script:KnownCache[$name]
        }
        if ($null -ne $known) {
            foreach ($element in $cmd.CommandElements) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and -not $known.Contains($element.ParameterName)) {
                    & $add 'unknown-parameter' $element ('{0} has no parameter -{1}' -f $name, $element.ParameterName)
                }
            }
        }
        $parameters = @($cmd.CommandElements | Where-Object -FilterScript { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object -Process { $_.ParameterName })
        if ($PwshOnlyCommandNames -contains $name) { & $add 'ps7-command' $cmd }
        if ($PwshOnlyCommands.ContainsKey($name)) {
            foreach ($p in $parameters) {
                foreach ($only in $PwshOnlyCommands[$name]) {
                    if ($only -like "$p*") { & $add 'ps7-parameter' $cmd ('{0} -{1}' -f $name, $p) }
                }
            }
        }
        # ---- Analyzer rules (docs/powershell-checks.md).
        if ($name -eq 'Invoke-Expression' -or $name -eq 'iex') { & $add 'avoid-invoke-expression' $cmd }
        if ($name -eq 'ConvertTo-SecureString' -and ($parameters | Where-Object -FilterScript { 'AsPlainText' -like "$_*" })) { & $add 'avoid-convertto-securestring-plaintext' $cmd }
        if ($WmiCmdlets -contains $name) { & $add 'avoid-wmi-cmdlet' $cmd }
        if ($KnownAliases.Contains($name)) { & $add 'avoid-alias' $cmd ('alias {0}' -f $name) }
        if ($name -eq 'Write-Host' -and -not ((Get-EnclosingFunctionName $cmd) -like 'Show-*')) { & $add 'avoid-write-host' $cmd }
        if ($name -eq 'Add-Type') { & $add 'avoid-add-type' $cmd }
        if ($name -eq 'Get-FileHash' -and ($cmd.Extent.Text -match '(?i)-Algorithm\s+(MD5|SHA1)\b')) { & $add 'avoid-broken-hash' $cmd }
    }

    foreach ($n in Find-Ast $Ast 'InvokeMemberExpressionAst' {
            param($x) $x.Static -and $x.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and
            @('scriptblock', 'System.Management.Automation.ScriptBlock') -contains $x.Expression.TypeName.FullName -and
            $x.Member.Extent.Text -eq 'Create' }) { & $add 'avoid-scriptblock-create' $n }

    foreach ($n in Find-Ast $Ast 'CatchClauseAst' { param($x) $x.Body.Statements.Count -eq 0 }) { & $add 'avoid-empty-catch' $n }
    foreach ($n in Find-Ast $Ast 'VariableExpressionAst' { param($x) $x.VariablePath.IsGlobal }) { & $add 'avoid-global-variable' $n }
    foreach ($n in Find-Ast $Ast 'AssignmentStatementAst' {
            param($x) $x.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
            $AutomaticVariables -contains $x.Left.VariablePath.UserPath }) { & $add 'avoid-assignment-to-automatic-variable' $n }
    foreach ($n in Find-Ast $Ast 'BinaryExpressionAst' {
            param($x) $ComparisonOperators -contains [string]$x.Operator -and (Test-IsNullVariable $x.Right) -and -not (Test-IsNullVariable $x.Left) }) { & $add 'null-on-left' $n }
    foreach ($n in Find-Ast $Ast 'IfStatementAst') {
        foreach ($clause in $n.Clauses) {
            if ($clause.Item1 -is [System.Management.Automation.Language.AssignmentStatementAst]) { & $add 'assignment-in-condition' $clause.Item1 }
        }
    }

    foreach ($p in Find-Ast $Ast 'ParameterAst') {
        $pname = $p.Name.VariablePath.UserPath
        $types = @(Get-ParameterTypeName $p)
        if ($PasswordNames -contains $pname -and -not ($types | Where-Object -FilterScript { @('SecureString', 'System.Security.SecureString') -contains $_ })) { & $add 'avoid-plain-text-password' $p }
        if (($pname -like '*Credential' -or $pname -eq 'Cred') -and -not ($types | Where-Object -FilterScript { $CredentialTypes -contains $_ })) {
            & $add 'use-pscredential-type' $p
        }
        if (@('WhatIf', 'Confirm') -contains $pname) { & $add 'use-supports-should-process' $p }
    }

    foreach ($f in Find-Ast $Ast 'FunctionDefinitionAst') {
        $verb = ($f.Name -split '-', 2)[0]
        if ($f.Name -notlike '*-*' -or $ApprovedVerbs -notcontains $verb) { & $add 'use-approved-verbs' $f ('function {0}' -f $f.Name) }
        if ($f.Name -match '[#,(){}\[\]&/\\$^;:"''<>|?@`*%+=~]') { & $add 'reserved-cmdlet-char' $f ('function {0}' -f $f.Name) }
        $binding = $null
        if ($null -ne $f.Body.ParamBlock) {
            $binding = $f.Body.ParamBlock.Attributes | Where-Object -FilterScript { $_.TypeName.FullName -eq 'CmdletBinding' } | Select-Object -First 1
        }
        $supports = $null -ne $binding -and @($binding.NamedArguments | Where-Object -FilterScript { $_.ArgumentName -eq 'SupportsShouldProcess' }).Count -gt 0
        if ($StateChangingVerbs -contains $verb -and -not $supports) { & $add 'use-should-process-for-state-changing-functions' $f ('function {0}' -f $f.Name) }
        $calls = @(Find-Ast $f.Body 'InvokeMemberExpressionAst' { param($x) $x.Member.Extent.Text -eq 'ShouldProcess' }).Count -gt 0
        if ($supports -and -not $calls) { & $add 'should-process' $f ('function {0} declares SupportsShouldProcess but never calls ShouldProcess' -f $f.Name) }
    }

    # ---- The script itself: #Requires 5.1, CmdletBinding with ShouldProcess, and the prologue.
    $scriptBinding = $null
    if ($null -ne $Ast.ParamBlock) {
        $scriptBinding = $Ast.ParamBlock.Attributes | Where-Object -FilterScript { $_.TypeName.FullName -eq 'CmdletBinding' } | Select-Object -First 1
    }
    if ($null -eq $Ast.ScriptRequirements -or $null -eq $Ast.ScriptRequirements.RequiredPSVersion -or $Ast.ScriptRequirements.RequiredPSVersion -ne [version]'5.1') {
        & $add 'requires-version-5.1' $Ast '#Requires -Version 5.1 missing'
    }
    if ($null -eq $scriptBinding -or @($scriptBinding.NamedArguments | Where-Object -FilterScript { $_.ArgumentName -eq 'SupportsShouldProcess' }).Count -eq 0) {
        & $add 'script-should-process' $Ast 'the script does not declare SupportsShouldProcess'
    }
    elseif (@(Find-Ast $Ast 'InvokeMemberExpressionAst' { param($x) $x.Member.Extent.Text -eq 'ShouldProcess' }).Count -eq 0) {
        & $add 'should-process' $Ast 'the script declares SupportsShouldProcess but never calls ShouldProcess'
    }
    $statements = @($Ast.EndBlock.Statements)
    $strict = $statements.Count -ge 1 -and $statements[0].Extent.Text -match '^Set-StrictMode\s+-Version\s+3\.0$'
    $stop = $statements.Count -ge 2 -and $statements[1].Extent.Text -match "^\`$ErrorActionPreference\s*=\s*'Stop'$"
    if (-not $strict -or -not $stop) {
        & $add 'prologue' $Ast 'the first statements must be Set-StrictMode -Version 3.0 and $ErrorActionPreference = ''Stop'''
    }

    foreach ($t in $Tokens) {
        if ($t.Kind -eq [System.Management.Automation.Language.TokenKind]::Comment -and $t.Text -match '^#\s*SIG\s*#\s*Begin signature block') { & $add 'signature-block-comment' $t }
    }
    return $findings.ToArray()
}

$results = foreach ($file in $Path) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    $parseErrors = @($errors | ForEach-Object -Process { [ordered]@{ line = $_.Extent.StartLineNumber; column = $_.Extent.StartColumnNumber; message = $_.Message } })
    $findings = @()
    if ($parseErrors.Count -eq 0) {
        Set-AstIndex -Root $ast
        $findings = @(Get-ScriptFinding -Ast $ast -Tokens $tokens)
    }
    [ordered]@{ file = $file; parseErrors = $parseErrors; findings = $findings }
}
ConvertTo-Json -InputObject @($results) -Depth 6 -Compress
