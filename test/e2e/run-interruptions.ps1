<#
.SYNOPSIS
    Interrupts one generated script at every step in turn, reruns it, and reports what the simulated
    cluster saw; driven by test/e2e/resume.test.ts.

.DESCRIPTION
    For k = 1, 2, ...: seeds a fresh simulated cluster, runs the script with a new journal and stops
    it as the k-th step starts (a stand-in Write-Host throws when the script prints the k-th
    "-- Step" line, as an operator's Ctrl+C or a lost session would), then reruns the same script
    with the same journal and no interruption. The loop ends with the first k that the script
    completes before reaching. For each k it records both outcomes, the call log and the operator
    transcript.

    Then, each on a fresh cluster: a copy of the script changed by one comment line is run against
    a journal of the original (it must refuse), and a -WhatIf run (it must change nothing and
    write no journal).

    Every run gets a credential whose password is the scenario's secretMarker (read from the
    scenario file: on the command line it would be in every transcript's header); every output, journal, backup and
    transcript is kept so that the test can search them for it. What the script prints is also
    passed on to the real Write-Host, so that it reaches the transcript and stdout.
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

# Which step start to interrupt at (0: none), and how many have started in this run.
$global:RbTestInterruptAt = 0
$global:RbTestStepsStarted = 0
$global:RbTestOutput = [System.Collections.Generic.List[string]]::new()

# Stands in for Write-Host: the script prints "-- Step <label>" as each step starts. Everything it
# prints is kept, so the test can search it.
function global:Write-Host {
    param(
        [Parameter(Position = 0, ValueFromRemainingArguments = $true)][object[]]$Object = @(),
        [object]$ForegroundColor,
        [object]$BackgroundColor,
        [switch]$NoNewline
    )
    $text = @($Object) -join ' '
    $global:RbTestOutput.Add($text)
    Microsoft.PowerShell.Utility\Write-Host -Object $text
    if ($text.StartsWith('-- Step ')) {
        $global:RbTestStepsStarted++
        if ($global:RbTestStepsStarted -eq $global:RbTestInterruptAt) {
            throw ('simulated interruption as step {0} starts' -f $global:RbTestStepsStarted)
        }
    }
}

function Invoke-SimRun {
    param([string]$Script, [hashtable]$Parameters, [int]$InterruptAt)
    $global:RbTestInterruptAt = $InterruptAt
    $global:RbTestStepsStarted = 0
    $global:RbTestOutput.Clear()
    $outcome = Invoke-ScriptOutcome -Run { & $Script @Parameters 2>$null | Out-Null }
    [ordered]@{
        failure = $outcome.failure
        exitCode = $outcome.exitCode
        stepsStarted = $global:RbTestStepsStarted
        interrupted = ($InterruptAt -gt 0 -and $global:RbTestStepsStarted -ge $InterruptAt)
        output = $global:RbTestOutput.ToArray()
    }
}

function Reset-Scenario {
    param($Scenario)
    Reset-SimCluster -ClusterName $Scenario.clusterName -NodeCount $Scenario.nodeCount -StorageJobPolls $Scenario.storageJobPolls -QualityUpdatesPending ([bool]$Scenario.qualityUpdatesPending)
    $kinds = @{}
    foreach ($p in $Scenario.stepKinds.PSObject.Properties) { $kinds[$p.Name] = [string]$p.Value }
    Set-SimOperator -StepKinds $kinds -DeclineGate @() -Answers @()
}

function Get-Artefact {
    param([string]$Path)
    if ([System.IO.File]::Exists($Path)) { return [System.IO.File]::ReadAllText($Path) }
    return $null
}

function Invoke-Interruptions {
    $scenario = [System.IO.File]::ReadAllText($ScenarioPath) | ConvertFrom-Json
    $scratch = Split-Path -Parent $ResultPath
    $env:ProgramData = Join-Path $scratch 'ProgramData'
    $env:TEMP = Join-Path $scratch 'Temp'
    $env:TMP = $env:TEMP
    $null = New-Item -ItemType Directory -Force -Path $env:ProgramData, $env:TEMP

    $secret = ConvertTo-SecureString -String $scenario.secretMarker -AsPlainText -Force
    $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\hci-admin', $secret
    $base = @{ Credential = $credential; Force = $true }
    foreach ($p in $scenario.scriptParameters.PSObject.Properties) { $base[$p.Name] = $p.Value }

    $cases = [System.Collections.Generic.List[object]]::new()
    $artefacts = [System.Collections.Generic.List[object]]::new()
    for ($k = 1; $k -le 500; $k++) {
        Reset-Scenario $scenario
        $journal = Join-Path $scratch ('journal-{0}.json' -f $k)
        $parameters = @{ JournalPath = $journal } + $base
        $first = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt $k
        if (-not $first.interrupted) {
            break
        }
        $afterFirst = @(Get-SimLog).Count
        $second = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt 0
        $state = Get-SimState
        $cases.Add([ordered]@{
                k = $k
                first = $first
                second = $second
                logSplit = $afterFirst
                log = @(Get-SimLog | ForEach-Object { [ordered]@{ seq = $_.seq; cmdlet = $_.cmdlet; target = $_.target; outcome = $_.outcome; source = $_.source } })
                operator = @(Get-SimOperatorTranscript)
                nodes = @($state.nodes | ForEach-Object { '{0}:{1}:{2}' -f $_.name, $_.build, $_.state })
                functionalLevelRaises = $state.cluster.functionalLevelRaises
                poolUpdates = $state.pool.updates
                violations = @($state.violations)
            })
        foreach ($path in @($journal, "$journal.bak", [System.IO.Path]::ChangeExtension($journal, '.transcript.txt'))) {
            $artefacts.Add([ordered]@{ path = $path; text = (Get-Artefact $path) })
        }
    }

    # A script changed after the interruption must not resume the journal of the original.
    Reset-Scenario $scenario
    $journal = Join-Path $scratch 'journal-changed.json'
    $parameters = @{ JournalPath = $journal } + $base
    $original = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt 3
    $changedScript = Join-Path (Split-Path -Parent $ScriptPath) 'changed.ps1'
    [System.IO.File]::WriteAllText($changedScript, ([System.IO.File]::ReadAllText($ScriptPath) + "`n# changed after the interruption`n"))
    $logBefore = @(Get-SimLog).Count
    $changed = Invoke-SimRun -Script $changedScript -Parameters $parameters -InterruptAt 0
    $changedCase = [ordered]@{
        original = $original
        changed = $changed
        callsAfterRefusal = @(Get-SimLog | Select-Object -Skip $logBefore | ForEach-Object { '{0} {1}' -f $_.cmdlet, $_.target })
        journal = (Get-Artefact $journal)
    }

    # -WhatIf on a fresh cluster: nothing changes, no journal is written.
    Reset-Scenario $scenario
    $journal = Join-Path $scratch 'journal-whatif.json'
    $parameters = @{ JournalPath = $journal; WhatIf = $true } + $base
    $whatIf = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt 0
    $whatIfCase = [ordered]@{
        run = $whatIf
        log = @(Get-SimLog | ForEach-Object { '{0} {1}' -f $_.cmdlet, $_.target })
        operator = @(Get-SimOperatorTranscript)
        journalWritten = [System.IO.File]::Exists($journal)
        transcriptWritten = [System.IO.File]::Exists([System.IO.Path]::ChangeExtension($journal, '.transcript.txt'))
    }

    # -OnlyPhase and -FromStep on a fresh cluster: the per-node phase alone upgrades the nodes; the
    # post-installation phase alone then refuses its irreversible steps, whose earlier steps were
    # never run, and so does -FromStep straight to a gate. Once the missing steps are run, phase by
    # phase, the post-installation phase completes.
    Reset-Scenario $scenario
    $journal = Join-Path $scratch 'journal-selection.json'
    $runs = [ordered]@{}
    $marks = [ordered]@{}
    foreach ($selection in @(
            @{ Name = 'onlyNodes'; Extra = @{ OnlyPhase = 'sconfig-feature-update' } },
            @{ Name = 'onlyPost'; Extra = @{ OnlyPhase = 'post-installation' } },
            @{ Name = 'fromGate'; Extra = @{ FromStep = 'post-installation/update-storage-pool' } },
            @{ Name = 'onlyOsUpdates'; Extra = @{ OnlyPhase = 'install-os-updates' } },
            @{ Name = 'onlyValidation'; Extra = @{ OnlyPhase = 'validate-cluster' } },
            @{ Name = 'onlyMedia'; Extra = @{ FromStep = 'prerequisites/update-media-available'; OnlyPhase = 'prerequisites' } },
            @{ Name = 'rest'; Extra = @{ FromStep = 'post-installation/all-nodes-on-target' } }
        )) {
        $marks[$selection.Name] = @(Get-SimLog).Count
        $parameters = @{ JournalPath = $journal } + $base + $selection.Extra
        $runs[$selection.Name] = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt 0
    }
    $parameters = @{ JournalPath = (Join-Path $scratch 'journal-invalid.json'); FromStep = 'no-such/step' } + $base
    $invalid = Invoke-SimRun -Script $ScriptPath -Parameters $parameters -InterruptAt 0
    $selectionCase = [ordered]@{
        runs = $runs
        marks = $marks
        invalid = $invalid
        log = @(Get-SimLog | ForEach-Object { [ordered]@{ seq = $_.seq; cmdlet = $_.cmdlet; target = $_.target; outcome = $_.outcome; source = $_.source } })
        nodes = @((Get-SimState).nodes | ForEach-Object { '{0}:{1}:{2}' -f $_.name, $_.build, $_.state })
    }

    $result = [ordered]@{ cases = $cases.ToArray(); changed = $changedCase; whatIf = $whatIfCase; selection = $selectionCase; artefacts = $artefacts.ToArray() }
    [System.IO.File]::WriteAllText($ResultPath, (ConvertTo-Json -InputObject $result -Depth 12), [System.Text.UTF8Encoding]::new($false))
}

Invoke-Interruptions
