<#
.SYNOPSIS
    Runs one generated script against the simulated cluster; driven by test/e2e/harness.ts.

.DESCRIPTION
    Seeds SimCluster from a scenario (JSON), sets up a Windows-like environment for the script
    (orchestrator name, ProgramData/TEMP and the script's journal in a scratch folder), runs the script with the scenario's
    parameters and -Force (which skips only the script's own ShouldProcess confirmations, never its
    gates), and writes the final state, the call log, the operator transcript and the failure, if
    any, to -ResultPath as JSON. The script's host output goes to stdout.
#>
param(
    [Parameter(Mandatory = $true)][string]$ScriptPath,
    [Parameter(Mandatory = $true)][string]$ScenarioPath,
    [Parameter(Mandatory = $true)][string]$ResultPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module (Join-Path $PSScriptRoot '..' 'powershell' 'SimCluster' 'SimCluster.psm1') -Force
. (Join-Path $PSScriptRoot '..' 'powershell' 'script-outcome.ps1')

function Get-ScenarioValue {
    param($Scenario, [string]$Name, $Default)
    if ($Scenario.PSObject.Properties[$Name]) { return $Scenario.$Name }
    return $Default
}

function Invoke-SimScenario {
    # Everything lives in this function's scope, so the script under test sees none of it.
    $scenario = [System.IO.File]::ReadAllText($ScenarioPath) | ConvertFrom-Json
    Reset-SimCluster -ClusterName (Get-ScenarioValue $scenario 'clusterName' 'hci-cluster1') -NodeCount $scenario.nodeCount `
        -StorageJobPolls (Get-ScenarioValue $scenario 'storageJobPolls' 3) -QualityUpdatesPending ([bool](Get-ScenarioValue $scenario 'qualityUpdatesPending' $true)) `
        -RegistrationStatus (Get-ScenarioValue $scenario 'registrationStatus' 'Registered') `
        -FailoverClustersToolsInstalled ([bool](Get-ScenarioValue $scenario 'failoverClustersToolsInstalled' $true))
    $kinds = @{}
    foreach ($p in $scenario.stepKinds.PSObject.Properties) { $kinds[$p.Name] = [string]$p.Value }
    Set-SimOperator -StepKinds $kinds -DeclineGate @(Get-ScenarioValue $scenario 'declineGate' @()) -Answers @(Get-ScenarioValue $scenario 'answers' @())
    Set-SimFault -NeverReturn @(Get-ScenarioValue $scenario 'neverReturn' @()) -DrainNeverFinishes @(Get-ScenarioValue $scenario 'drainNeverFinishes' @()) -StorageJobsNeverFinish:([bool](Get-ScenarioValue $scenario 'storageJobsNeverFinish' $false)) `
        -CauFailNodes @(Get-ScenarioValue $scenario 'cauFailNodes' @())

    $scratch = Split-Path -Parent $ResultPath
    $env:ProgramData = Join-Path $scratch 'ProgramData'
    $env:TEMP = Join-Path $scratch 'Temp'
    $env:TMP = $env:TEMP
    $null = New-Item -ItemType Directory -Force -Path $env:ProgramData, $env:TEMP

    $parameters = @{ Credential = (Get-Credential -UserName 'CONTOSO\hci-admin' -Message 'simulated'); Force = $true }
    # Each scenario keeps its own journal, or a later scenario would resume an earlier one's run.
    if ((Get-Command -Name $ScriptPath).Parameters.ContainsKey('JournalPath')) { $parameters['JournalPath'] = Join-Path $scratch 'journal.json' }
    foreach ($p in $scenario.scriptParameters.PSObject.Properties) { $parameters[$p.Name] = $p.Value }

    # A scenario may rerun the script (same parameters, same journal) after nodes were repaired,
    # as an operator does after a stop.
    $failures = @()
    $exitCodes = @()
    $reruns = @(Get-ScenarioValue $scenario 'reruns' @())
    for ($run = 0; $run -le $reruns.Count; $run++) {
        if ($run -gt 0) {
            $recover = @($reruns[$run - 1].recoverNodes)
            if ($recover.Count -gt 0) { Restore-SimNode -Name $recover }
        }
        $result = Invoke-ScriptOutcome -Run { & $ScriptPath @parameters | Out-Host }
        $failure = $result.failure
        $failures += , $failure
        $exitCodes += , $result.exitCode
    }
    Export-SimResult -Path $ResultPath -Extra @{ failure = $failure; failures = $failures; exitCode = $exitCodes[-1]; exitCodes = $exitCodes }
}

Invoke-SimScenario
