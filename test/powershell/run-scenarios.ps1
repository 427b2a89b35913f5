<#
.SYNOPSIS
    Runs a generated script (the behaviour fixture of test/emitters/powershell-runtime.test.ts)
    against stand-in cluster commands, once per scenario, and prints what happened as JSON.

.DESCRIPTION
    The stand-ins keep their state in $global:RbTest because the generated script runs in its own
    script scope and calls them from there. Read-Host is replaced by a function that records the
    prompt and returns the next scripted answer, as the operator prompt contract allows.
#>
param(
    [Parameter(Mandatory = $true)][string]$ScriptPath,
    [Parameter(Mandatory = $true)][string]$StandInPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

. $StandInPath
. (Join-Path $PSScriptRoot 'script-outcome.ps1')

# Invoke-CauScan / Invoke-CauRun stand-ins come from the catalog; wrap them to record the call.
Rename-Item -Path Function:\Invoke-CauScan -NewName Invoke-CauScanSignature
Rename-Item -Path Function:\Invoke-CauRun -NewName Invoke-CauRunSignature
function Invoke-CauScan { $b = Invoke-CauScanSignature @args; Add-Call ('Invoke-CauScan ' + ((@($b.Keys) | Sort-Object) -join ',')) }
function Invoke-CauRun { $b = Invoke-CauRunSignature @args; Add-Call ('Invoke-CauRun ' + ((@($b.Keys) | Sort-Object) -join ',')) }

function Add-Call { param([string]$What) $null = $global:RbTest.Calls.Add($What) }
function Read-Host {
    param([string]$Prompt)
    $null = $global:RbTest.Prompts.Add($Prompt)
    if ($global:RbTest.Answers.Count -eq 0) { throw ('no scripted answer for prompt: {0}' -f $Prompt) }
    return $global:RbTest.Answers.Dequeue()
}
function Start-Sleep { param([int]$Seconds) Add-Call ('sleep ' + $Seconds) }
function Get-ClusterNode { param([string]$Cluster) Add-Call ('Get-ClusterNode ' + $Cluster); @([pscustomobject]@{ Name = 'NODE2' }, [pscustomobject]@{ Name = 'NODE1' }) }
function Get-Level { $global:RbTest.Level }
function Set-Level { param([int]$Value) Add-Call ('Set-Level ' + $Value); if (-not $global:RbTest.SetLevelBroken) { $global:RbTest.Level = $Value } }
function Invoke-Flaky { $global:RbTest.Flaky++; Add-Call ('flaky ' + $global:RbTest.Flaky); if ($global:RbTest.Flaky -lt 2) { throw 'transient failure' } }
function Test-Ready { param([string]$Node) $global:RbTest.Polls++; Add-Call ('poll ' + $Node); return ($global:RbTest.Polls % 2) -eq 0 }
function Invoke-Command {
    param([string[]]$ComputerName, [pscredential]$Credential, [scriptblock]$ScriptBlock, [object[]]$ArgumentList, [int]$ThrottleLimit)
    if ($ComputerName.Count -gt 1) { Add-Call ('Invoke-Command {0} throttle {1}' -f ($ComputerName -join ','), $ThrottleLimit) }
    else { Add-Call ('Invoke-Command ' + ($ComputerName -join ',')) }
    & $ScriptBlock @ArgumentList
}

# What the remote side of a parallel step reads as its own name.
$env:COMPUTERNAME = 'SIMNODE'

$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'operator', (New-Object -TypeName System.Security.SecureString)

$scenarios = @(
    @{ Name = 'whatif'; Parameters = @{ WhatIf = $true }; Answers = @() }
    @{ Name = 'full'; Parameters = @{ Force = $true; DoOptional = $true }; Answers = @('yes', 'cluster1', 'done', ' DONE ') }
    @{ Name = 'gate-wrong-answer'; Parameters = @{ Force = $true }; Answers = @('yes', 'CLUSTER2') }
    @{ Name = 'gate-empty-with-confirm-false'; Parameters = @{ Force = $true; Confirm = $false }; Answers = @('yes', '') }
    @{ Name = 'confirm-no'; Parameters = @{ Force = $true }; Answers = @('no') }
    @{ Name = 'manual-not-done'; Parameters = @{ Confirm = $false }; Answers = @('yes', 'CLUSTER1', 'later') }
    @{ Name = 'already-raised'; Parameters = @{ Force = $true }; Answers = @('yes', 'done', 'done'); Level = 5 }
    @{ Name = 'verify-fails'; Parameters = @{ Force = $true }; Answers = @('yes', 'CLUSTER1'); SetLevelBroken = $true }
    @{ Name = 'profile-tampered'; Parameters = @{ Force = $true }; Answers = @('yes'); Tamper = $true }
    # Journal and resume: the first run stops at the gate, the rerun (same journal) carries on from there.
    @{ Name = 'resume-1-stops-at-gate'; Parameters = @{ Force = $true }; Answers = @('yes', 'no') }
    @{ Name = 'resume-2-carries-on'; Parameters = @{ Force = $true }; Answers = @('CLUSTER1', 'done', 'done'); KeepJournal = $true }
    @{ Name = 'resume-3-all-done'; Parameters = @{ Force = $true }; Answers = @(); KeepJournal = $true }
    @{ Name = 'journal-other-cluster'; Parameters = @{ Force = $true }; Answers = @(); KeepJournal = $true; ClusterName = 'CLUSTER9' }
    @{ Name = 'journal-other-script'; Parameters = @{ Force = $true }; Answers = @(); JournalText = '{"schema":"runbookc-journal/1","scriptSha256":"0000","cluster":"CLUSTER1","steps":{},"captures":{}}' }
    @{ Name = 'journal-not-json'; Parameters = @{ Force = $true }; Answers = @(); JournalText = '{"schema":"runbookc-journal/1","steps":{"cluster/look":' }
    # Dot-sourced, a stop must not exit (it would end the operator's session, here this runner).
    @{ Name = 'journal-not-json-dot-sourced'; Parameters = @{ Force = $true }; Answers = @(); JournalText = '{"schema":"runbookc-journal/1","steps":{"cluster/look":'; DotSource = $true }
)

$results = foreach ($s in $scenarios) {
    $global:RbTest = @{
        Calls          = New-Object -TypeName System.Collections.ArrayList
        Prompts        = New-Object -TypeName System.Collections.ArrayList
        Answers        = New-Object -TypeName System.Collections.Queue
        Level          = 1
        Flaky          = 0
        Polls          = 0
        SetLevelBroken = [bool]$s['SetLevelBroken']
    }
    if ($s.ContainsKey('Level')) { $global:RbTest.Level = $s.Level }
    foreach ($a in $s.Answers) { $global:RbTest.Answers.Enqueue($a) }
    $journal = [System.IO.Path]::ChangeExtension($ScriptPath, '.journal.json')
    if (-not $s['KeepJournal']) {
        foreach ($j in @($journal, "$journal.bak")) { if (Test-Path -LiteralPath $j) { Remove-Item -LiteralPath $j } }
    }
    if ($s['JournalText']) { [System.IO.File]::WriteAllText($journal, $s.JournalText) }
    $clusterName = 'CLUSTER1'
    if ($s['ClusterName']) { $clusterName = $s.ClusterName }
    $profiles = @(Get-ChildItem -Path (Join-Path (Split-Path $ScriptPath) 'profiles') -Filter *.xml)
    $saved = @{}
    if ($s['Tamper']) {
        foreach ($p in $profiles) { $saved[$p.FullName] = [System.IO.File]::ReadAllBytes($p.FullName); [System.IO.File]::AppendAllText($p.FullName, ' ') }
    }
    $parameters = $s.Parameters
    $output = New-Object -TypeName System.Collections.ArrayList
    # The output takes every stream, the stop's error included.
    $outcome = Invoke-ScriptOutcome -Run {
        if ($s['DotSource']) {
            & { param($p) . $ScriptPath -ClusterName $clusterName -Credential $credential @p } $parameters *>&1 | ForEach-Object -Process { $null = $output.Add([string]$_) }
        }
        else {
            & $ScriptPath -ClusterName $clusterName -Credential $credential @parameters *>&1 | ForEach-Object -Process { $null = $output.Add([string]$_) }
        }
    }
    $errorText = [string]$outcome.failure
    foreach ($k in $saved.Keys) { [System.IO.File]::WriteAllBytes($k, $saved[$k]) }
    [ordered]@{
        name    = $s.Name
        error   = $errorText
        exitCode = $outcome.exitCode
        prompts = @($global:RbTest.Prompts)
        calls   = @($global:RbTest.Calls)
        output  = @($output)
        level   = $global:RbTest.Level
        journal = $(if (Test-Path -LiteralPath $journal) { [System.IO.File]::ReadAllText($journal) } else { '' })
    }
}
ConvertTo-Json -InputObject @($results) -Depth 5 -Compress
