<#
.SYNOPSIS
    Exercises the SimCluster state machine and parameter binding; driven by test/powershell/simcluster.test.ts.

.DESCRIPTION
    Each case starts from a fresh cluster, does something, and returns what it observed (values, or the
    error it got). Prints one JSON line mapping case name -> observation; the assertions live in the
    vitest file, so a failure names the case and the value.
#>
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'SimCluster.psm1') -Force

$Results = [ordered]@{}

function Test-Case {
    param([string]$Name, [scriptblock]$Body)
    Reset-SimCluster -NodeCount 4 -StorageJobPolls 3
    try {
        $value = & $Body
        $Results[$Name] = [ordered]@{ value = $value; error = $null; errorId = $null }
    }
    catch {
        $Results[$Name] = [ordered]@{ value = $null; error = $_.Exception.Message; errorId = $_.FullyQualifiedErrorId }
    }
}

function Get-Err([scriptblock]$Body) {
    try { & $Body | Out-Null; return $null } catch { return [ordered]@{ message = $_.Exception.Message; errorId = $_.FullyQualifiedErrorId } }
}

function Get-NodeStates { @(Get-ClusterNode -Cluster hci-cluster1 | ForEach-Object { '{0}={1}' -f $_.Name, $_.State }) -join ',' }

# --- parameter binding -------------------------------------------------------------------------

Test-Case 'binding' {
    [ordered]@{
        suspendNode = (Get-Err { Suspend-ClusterNode -Node NODE1 -Cluster hci-cluster1 -Drain })
        failbackWithoutValue = (Get-Err { Resume-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Failback })
        failbackBadValue = (Get-Err { Resume-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Failback Now })
        poolWithoutName = (Get-Err { Update-StoragePool -CimSession hci-cluster1 -Confirm:$false })
        sleepDuration = (Get-Err { Start-Sleep -Duration ([timespan]::FromSeconds(1)) })
        readHostMaskInput = (Get-Err { Read-Host -Prompt 'x: y' -MaskInput })
        startupTypeBad = (Get-Err { Set-Service -ComputerName NODE1 -Name ClusSvc -StartupType Off })
        stopVmString = (Get-Err { Stop-VM -VM 'VM-NODE1-1' -Force })
        firewallEnabledBad = (Get-Err { Set-NetFirewallRule -Group 'x' -Enabled Yes })
        cauScanForce = (Get-Err { Invoke-CauScan -ClusterName hci-cluster1 -Force })
        credentialNoArgs = (Get-Credential).UserName
        getClusterNodeNode = (Get-Err { Get-ClusterNode -Node NODE1 -Cluster hci-cluster1 })
    }
}

# --- drain and resume --------------------------------------------------------------------------

Test-Case 'drain-resume' {
    $before = @(Get-ClusterGroup -Cluster hci-cluster1 | Where-Object { $_.OwnerNode -eq 'NODE1' } | ForEach-Object { $_.Name })
    Suspend-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Drain -Wait | Out-Null
    $drained = [ordered]@{
        state = (Get-ClusterNode -Name NODE1 -Cluster hci-cluster1).State
        onlineOnNode = @(Get-ClusterGroup -Cluster hci-cluster1 | Where-Object { $_.OwnerNode -eq 'NODE1' -and $_.State -eq 'Online' }).Count
        ownerNameProperty = (Get-ClusterGroup -Cluster hci-cluster1 -Name 'VM-NODE1-1').OwnerNode.Name
    }
    Resume-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Failback Immediate | Out-Null
    $after = @(Get-ClusterGroup -Cluster hci-cluster1 | Where-Object { $_.OwnerNode -eq 'NODE1' } | ForEach-Object { $_.Name })
    Suspend-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Drain | Out-Null
    Resume-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Failback NoFailback | Out-Null
    [ordered]@{
        groupsBefore = $before; drained = $drained; groupsAfterFailback = $after
        node2OwnsAfterNoFailback = @(Get-ClusterGroup -Cluster hci-cluster1 | Where-Object { $_.OwnerNode -eq 'NODE2' }).Count
        states = (Get-NodeStates)
        log = @(Get-SimLog | ForEach-Object { '{0} {1} {2}' -f $_.cmdlet, $_.target, $_.outcome })
    }
}

# --- storage repair gates the next drain ---------------------------------------------------------

Test-Case 'storage-gates-drain' {
    Set-SimOperator -StepKinds @{ 'sconfig-update' = 'manual' }
    Suspend-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Drain | Out-Null
    $answer = Read-Host -Prompt 'sconfig-update on NODE1: Type done when every instruction above is complete'
    $afterReboot = [ordered]@{
        build = [int](Get-CimInstance -ComputerName NODE1 -ClassName Win32_OperatingSystem).BuildNumber
        state = (Get-ClusterNode -Name NODE1 -Cluster hci-cluster1).State
    }
    $whileRepairing = Get-Err { Suspend-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Drain }
    $polls = @()
    for ($i = 0; $i -lt 5; $i++) { $polls += @(Get-StorageJob -CimSession hci-cluster1 | Where-Object { $_.JobState -ne 'Completed' }).Count }
    Resume-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Failback Immediate | Out-Null
    $afterRepair = Get-Err { Suspend-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Drain | Out-Null }
    [ordered]@{
        answer = $answer; afterReboot = $afterReboot; whileRepairing = $whileRepairing; runningPerPoll = $polls
        afterRepair = $afterRepair; node2 = (Get-ClusterNode -Name NODE2 -Cluster hci-cluster1).State
    }
}

Test-Case 'storage-never-finishes' {
    Set-SimFault -StorageJobsNeverFinish
    Set-SimOperator -StepKinds @{ 'sconfig-update' = 'manual' }
    Suspend-ClusterNode -Name NODE1 -Cluster hci-cluster1 -Drain | Out-Null
    $null = Read-Host -Prompt 'sconfig-update on NODE1: Type done when every instruction above is complete'
    for ($i = 0; $i -lt 1000; $i++) { $null = Get-StorageJob -CimSession hci-cluster1 }
    [ordered]@{
        running = @(Get-StorageJob -CimSession hci-cluster1 | Where-Object { $_.JobState -eq 'Running' }).Count
        poolHealth = (Get-StoragePool -CimSession hci-cluster1 -IsPrimordial $false).HealthStatus
        diskHealth = @(Get-VirtualDisk -CimSession hci-cluster1 | ForEach-Object { $_.HealthStatus }) | Select-Object -Unique
    }
}

Test-Case 'node-never-returns' {
    Set-SimFault -NeverReturn NODE2
    Set-SimOperator -StepKinds @{ 'sconfig-update' = 'manual' }
    Suspend-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Drain | Out-Null
    $null = Read-Host -Prompt 'sconfig-update on NODE2: Type done when every instruction above is complete'
    [ordered]@{
        state = (Get-ClusterNode -Name NODE2 -Cluster hci-cluster1).State
        cim = (Get-Err { Get-CimInstance -ComputerName NODE2 -ClassName Win32_OperatingSystem })
        cimSilent = @(Get-CimInstance -ComputerName NODE2 -ClassName Win32_OperatingSystem -ErrorAction SilentlyContinue).Count
        resume = (Get-Err { Resume-ClusterNode -Name NODE2 -Cluster hci-cluster1 -Failback Immediate })
        drainOther = (Get-Err { Suspend-ClusterNode -Name NODE3 -Cluster hci-cluster1 -Drain })
    }
}

# --- functional level and pool ------------------------------------------------------------------

Test-Case 'functional-level' {
    $oldBuild = Get-Err { Update-ClusterFunctionalLevel -Cluster hci-cluster1 -Force }
    $poolTooEarly = Get-Err { Update-StoragePool -FriendlyName 'S2D on hci-cluster1' -CimSession hci-cluster1 -Confirm:$false }
    Set-SimOperator -StepKinds @{ 'sconfig-update' = 'manual' }
    foreach ($n in 'NODE1', 'NODE2', 'NODE3', 'NODE4') {
        Suspend-ClusterNode -Name $n -Cluster hci-cluster1 -Drain | Out-Null
        $null = Read-Host -Prompt ('sconfig-update on {0}: Type done when every instruction above is complete' -f $n)
        while (@(Get-StorageJob -CimSession hci-cluster1 | Where-Object { $_.JobState -ne 'Completed' }).Count -gt 0) { Start-Sleep -Seconds 30 }
        if ($n -ne 'NODE4') { Resume-ClusterNode -Name $n -Cluster hci-cluster1 -Failback Immediate | Out-Null }
    }
    $paused = Get-Err { Update-ClusterFunctionalLevel -Cluster hci-cluster1 -Force }
    Resume-ClusterNode -Name NODE4 -Cluster hci-cluster1 -Failback Immediate | Out-Null
    $prompt = Get-Err { Update-ClusterFunctionalLevel -Cluster hci-cluster1 }
    $before = (Get-Cluster -Name hci-cluster1).ClusterFunctionalLevel
    Update-ClusterFunctionalLevel -Cluster hci-cluster1 -Force | Out-Null
    $after = (Get-Cluster -Name hci-cluster1).ClusterFunctionalLevel
    Update-ClusterFunctionalLevel -Cluster hci-cluster1 -Force | Out-Null
    $poolPrompt = Get-Err { Update-StoragePool -FriendlyName 'S2D on hci-cluster1' -CimSession hci-cluster1 }
    $poolWrongName = Get-Err { Update-StoragePool -FriendlyName 'S2D on other' -CimSession hci-cluster1 -Confirm:$false }
    $poolBefore = (Get-StoragePool -FriendlyName 'S2D on hci-cluster1' -CimSession hci-cluster1).Version
    Update-StoragePool -FriendlyName 'S2D on hci-cluster1' -CimSession hci-cluster1 -Confirm:$false
    Update-StoragePool -FriendlyName 'S2D on hci-cluster1' -CimSession hci-cluster1 -Confirm:$false
    $state = Get-SimState
    [ordered]@{
        oldBuild = $oldBuild; poolTooEarly = $poolTooEarly; paused = $paused; prompt = $prompt
        before = $before; after = $after; raises = $state.cluster.functionalLevelRaises
        poolPrompt = $poolPrompt; poolWrongName = $poolWrongName; poolBefore = $poolBefore; poolAfter = $state.pool.version; poolUpdates = $state.pool.updates
        clock = $state.clockSeconds; now = (Get-Date -Format 'yyyy-MM-ddTHH:mm:ss')
    }
}

# --- cluster stopped and started -------------------------------------------------------------------

Test-Case 'offline' {
    Get-ClusterSharedVolume -Cluster hci-cluster1 | Stop-ClusterResource | Out-Null
    $csvStates = @(Get-ClusterSharedVolume -Cluster hci-cluster1 | ForEach-Object { $_.State }) | Select-Object -Unique
    $noForce = Get-Err { Stop-Cluster -Cluster hci-cluster1 }
    Stop-Cluster -Cluster hci-cluster1 -Force
    $stopped = [ordered]@{
        getNode = (Get-Err { Get-ClusterNode -Cluster hci-cluster1 })
        getNodeSilent = @(Get-ClusterNode -Cluster hci-cluster1 -ErrorAction SilentlyContinue | Where-Object { $_.State -eq 'Up' }).Count
        remoteToCluster = (Get-Err { Invoke-Command -ComputerName hci-cluster1 -ScriptBlock { 1 } })
        storageViaCluster = (Get-Err { Get-StorageJob -CimSession hci-cluster1 })
    }
    foreach ($n in 'NODE1', 'NODE2', 'NODE3', 'NODE4') { Set-Service -ComputerName $n -Name ClusSvc -StartupType Disabled }
    $startType = (Get-Service -ComputerName NODE1 -Name ClusSvc).StartType
    $startDisabled = Get-Err { Start-Cluster -Name hci-cluster1 }
    foreach ($n in 'NODE1', 'NODE2', 'NODE3') { Set-Service -ComputerName $n -Name ClusSvc -StartupType Automatic }
    $startOneDisabled = Get-Err { Start-Cluster -Name hci-cluster1 | Out-Null }
    [ordered]@{
        csvStates = $csvStates; noForce = $noForce; stopped = $stopped; startType = [string]$startType; startDisabled = $startDisabled
        startOneDisabled = $startOneDisabled; states = (Get-NodeStates)
        volumesWhileCsvOffline = @(Get-Volume -CimSession hci-cluster1).Count
    }
}

# --- Cluster-Aware Updating ---------------------------------------------------------------------------

Test-Case 'cau-rolling' {
    $scan = @(Invoke-CauScan -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin -CauPluginArguments @{ 'WuConnected' = 'true' })
    $result = Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin -CauPluginArguments @{ 'WuConnected' = 'true' } -MaxFailedNodes 0 -RequireAllNodesOnline -EnableFirewallRules -Force
    $drains = @(Get-SimLog | Where-Object { $_.cmdlet -eq 'Suspend-ClusterNode' })
    [ordered]@{
        scanTitles = @($scan | ForEach-Object { $_.UpdateTitle }) | Select-Object -Unique
        status = $result.Status
        builds = @((Get-SimState).nodes | ForEach-Object { $_.build }) | Select-Object -Unique
        states = (Get-NodeStates)
        drains = $drains.Count
        drainsWhileOthersNotUp = @($drains | Where-Object { $_.otherNodesNotUp.Count -gt 0 -or $_.storageJobsRunning -gt 0 }).Count
        getCauRun = (Get-CauRun -ClusterName hci-cluster1 -WarningAction SilentlyContinue)
        reportStatus = (Get-CauReport -ClusterName hci-cluster1 -Last).Status
    }
}

Test-Case 'cau-windows-update' {
    $result = Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.WindowsUpdatePlugin -MaxFailedNodes 1 -EnableFirewallRules -Force
    [ordered]@{ status = $result.Status; builds = @((Get-SimState).nodes | ForEach-Object { $_.build }) | Select-Object -Unique; reboots = @((Get-SimState).nodes | ForEach-Object { $_.reboots }) }
}

Test-Case 'cau-too-many-failures' {
    Set-SimFault -CauFailNodes NODE1, NODE2
    $err = Get-Err { Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin -CauPluginArguments @{ 'WuConnected' = 'true' } -MaxFailedNodes 1 -EnableFirewallRules -NodeOrder NODE1, NODE2, NODE3, NODE4 -Force }
    $state = Get-SimState
    [ordered]@{
        error = $err; run = $state.cauRuns[0]; builds = @($state.nodes | ForEach-Object { '{0}={1}' -f $_.name, $_.build }) -join ','
        states = (Get-NodeStates)
    }
}

Test-Case 'cau-partial' {
    Set-SimFault -CauFailNodes NODE3
    $result = Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin -CauPluginArguments @{ 'WuConnected' = 'true' } -MaxFailedNodes 1 -EnableFirewallRules -Force
    [ordered]@{ status = $result.Status; failed = @($result.NodeResults | Where-Object { $_.Status -eq 'Failed' } | ForEach-Object { $_.Node }) }
}

Test-Case 'cau-never-returns' {
    Set-SimFault -NeverReturn NODE2
    $err = Get-Err { Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin -CauPluginArguments @{ 'WuConnected' = 'true' } -MaxFailedNodes 0 -EnableFirewallRules -NodeOrder NODE1, NODE2, NODE3, NODE4 -Force }
    [ordered]@{ error = $err; states = (Get-NodeStates); run = (Get-SimState).cauRuns[0] }
}

Test-Case 'cau-preconditions' {
    $noForce = Get-Err { Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.WindowsUpdatePlugin -EnableFirewallRules }
    $noFirewall = Get-Err { Invoke-CauRun -ClusterName hci-cluster1 -CauPluginName Microsoft.WindowsUpdatePlugin -Force }
    Suspend-ClusterNode -Name NODE3 -Cluster hci-cluster1 | Out-Null
    $notOnline = Get-Err { Invoke-CauRun -ClusterName hci-cluster1 -RequireAllNodesOnline -EnableFirewallRules -Force }
    $noWu = Get-Err { Invoke-CauScan -ClusterName hci-cluster1 -CauPluginName Microsoft.RollingUpgradePlugin }
    [ordered]@{ noForce = $noForce; noFirewall = $noFirewall; notOnline = $notOnline; noWu = $noWu; runs = (Get-SimState).cauRuns.Count }
}

# --- remoting ---------------------------------------------------------------------------------------

function Test-Remoting {
    $callerOnly = 'visible only here'
    $Node = 'NODE3'
    [ordered]@{
        viaCluster = (Invoke-Command -ComputerName hci-cluster1 -ScriptBlock { $env:COMPUTERNAME })
        args = (Invoke-Command -ComputerName NODE2 -ScriptBlock { param($a, $b) '{0}+{1} on {2}' -f $a, $b, $env:COMPUTERNAME } -ArgumentList @('x', 'y'))
        using = (Invoke-Command -ComputerName $Node -ScriptBlock { 'using ' + $using:Node })
        isolated = (Invoke-Command -ComputerName NODE1 -ScriptBlock { $null -eq $callerOnly })
        fanOut = @(Invoke-Command -ComputerName NODE1, NODE2, NODE4 -ThrottleLimit 16 -ScriptBlock { $env:COMPUTERNAME })
        nodeScoped = (Invoke-Command -ComputerName NODE4 -ScriptBlock { (Get-CimInstance -ClassName Win32_OperatingSystem).CSName })
        registration = (Invoke-Command -ComputerName hci-cluster1 -ScriptBlock { (Get-AzureStackHCI).RegistrationStatus })
        registrationLocal = (Get-Err { Get-AzureStackHCI })
        firewall = (Invoke-Command -ComputerName NODE2 -ScriptBlock { Set-NetFirewallRule -Group '@firewallapi.dll,-36751' -Profile Domain -Enabled True; Set-WSManQuickConfig -Force; Enable-PSRemoting -Force }) 
        firewallState = @((Get-SimState).nodes | Where-Object { $_.remoteShutdownFirewall } | ForEach-Object { $_.name })
        remoteThrow = (Get-Err { Invoke-Command -ComputerName NODE1 -ScriptBlock { throw 'remote failure' } })
        remoteThrowSilent = @(Invoke-Command -ComputerName NODE1 -ScriptBlock { throw 'remote failure' } -ErrorAction SilentlyContinue).Count
        missingUsing = (Get-Err { Invoke-Command -ComputerName NODE1 -ScriptBlock { $using:NotDefinedAnywhere } })
        unknownHost = (Get-Err { Invoke-Command -ComputerName NODE9 -ScriptBlock { 1 } })
        orchestrator = $env:COMPUTERNAME
        orchestratorOs = (Get-CimInstance -ClassName Win32_OperatingSystem).Caption
        module = @(Get-Module -ListAvailable -Name FailoverClusters).Count
    }
}
Test-Case 'remoting' { Test-Remoting }

# --- the operator --------------------------------------------------------------------------------------

Test-Case 'operator' {
    Set-SimOperator -StepKinds @{ 'review-validation' = 'confirm'; 'update-functional-level' = 'gate'; 'plan-window' = 'manual' } -DeclineGate 'update-functional-level'
    $a = [ordered]@{
        confirm = (Read-Host -Prompt 'review-validation: Did it pass? Type yes to continue')
        manual = (Read-Host -Prompt 'plan-window: Type done when every instruction above is complete')
        declined = (Read-Host -Prompt 'update-functional-level: This cannot be undone. Type the cluster name to continue')
        badPrompt = (Get-Err { Read-Host -Prompt 'Are you sure?' })
        unknownStep = (Get-Err { Read-Host -Prompt 'no-such-step: Type yes' })
    }
    Set-SimOperator -DeclineGate @() -Answers 'scripted answer'
    $a.scripted = (Read-Host -Prompt 'update-functional-level: Type the cluster name')
    $a.gate = (Read-Host -Prompt 'update-functional-level: Type the cluster name')
    $a.violations = @((Get-SimState).violations).Count
    $a.transcript = @(Get-SimOperatorTranscript | ForEach-Object { '{0}|{1}|{2}' -f $_.step, $_.kind, $_.answer })
    $a
}

Test-Case 'clock' {
    $t0 = Get-Date
    Start-Sleep -Seconds 30
    Start-Sleep -Milliseconds 500
    $t1 = Get-Date
    [ordered]@{ elapsed = ($t1 - $t0).TotalSeconds; given = (Get-Date -Date '2020-01-01').Year; sleeps = (Get-SimState).sleeps }
}

$Results | ConvertTo-Json -Depth 12 -Compress
