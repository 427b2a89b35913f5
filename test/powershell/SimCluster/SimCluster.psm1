# SimCluster: a simulated Azure Stack HCI cluster for end-to-end tests of generated scripts.
#
# Every function below stands in for a real cmdlet (FailoverClusters, ClusterAwareUpdating, Storage,
# Hyper-V, NetSecurity, AzureStackHCI, and a few core cmdlets) with the real parameter names, sets,
# positions, aliases and mandatory flags, so that a wrong parameter in generated code fails binding
# exactly as it would on a node. The cluster is one module-scoped state object; tests seed it with
# Reset-SimCluster, steer the operator and faults with Set-SimOperator / Set-SimFault, and read the
# outcome with Get-SimState, Get-SimLog and Export-SimResult. What is modelled and what is not is
# described in docs/simulated-cluster.md.

Set-StrictMode -Version 3.0

class SimNodeRef {
    # Stands in for Microsoft.FailoverClusters.PowerShell.ClusterNode where a cmdlet returns a node as
    # a property (OwnerNode): compares equal to the node's name, as scripts expect, and has .Name.
    [string]$Name
    SimNodeRef([string]$name) { $this.Name = $name }
    [string] ToString() { return $this.Name }
    [bool] Equals([object]$other) {
        if ($null -eq $other) { return $false }
        return [string]::Equals([string]$other, $this.Name, [System.StringComparison]::OrdinalIgnoreCase)
    }
    [int] GetHashCode() { return $this.Name.ToLowerInvariant().GetHashCode() }
}

$script:Sim = $null
$script:SimulatedModules = @('FailoverClusters', 'ClusterAwareUpdating', 'Storage', 'Hyper-V', 'NetSecurity', 'AzureStackHCI')

# ---------------------------------------------------------------------------------------------
# State, seeding and the test-facing API
# ---------------------------------------------------------------------------------------------

function Reset-SimCluster {
    <#
    .SYNOPSIS
    Replaces the simulated cluster with a fresh one: every node Up on the source build, cluster running,
    functional level and pool version at their "before" values, one VM role per node, one CSV per two nodes.
    #>
    [CmdletBinding()]
    param(
        [string]$ClusterName = 'hci-cluster1',
        [ValidateRange(1, 64)][int]$NodeCount = 4,
        [string[]]$NodeNames,
        [int]$SourceBuild = 20349,
        [int]$TargetBuild = 25398,
        [int]$FunctionalLevel = 11,
        [int]$RaisedFunctionalLevel = 12,
        [int]$PoolVersion = 1,
        [int]$UpdatedPoolVersion = 2,
        [string]$StoragePoolName,
        [int]$VirtualDiskCount = 0,
        [int]$VmsPerNode = 1,
        [string]$VmVersion = '10.0',
        [string]$UpdatedVmVersion = '11.0',
        # Steps a repair job stays Running after a node returns: one per Get-StorageJob poll and per simulated wait.
        [int]$StorageJobPolls = 3,
        # Steps a drain started without -Wait reports InProgress before Completed (polls of Get-ClusterNode and simulated waits).
        [int]$DrainPolls = 3,
        [string]$OrchestratorName = 'MGMT01',
        [string]$OrchestratorCaption = 'Microsoft Windows Server 2022 Datacenter',
        [int]$OrchestratorBuild = 20348,
        [bool]$FailoverClustersToolsInstalled = $true,
        [string]$RegistrationStatus = 'Registered',
        [bool]$RemoteShutdownFirewallEnabled = $false,
        # Whether Windows Update offers each node a quality update (a CAU run with the Windows Update
        # plug-in then drains and restarts it); false for a cluster that is already fully patched.
        [bool]$QualityUpdatesPending = $true,
        [datetime]$StartTime = [datetime]'2026-01-05T22:00:00'
    )
    if (-not $NodeNames) { $NodeNames = 1..$NodeCount | ForEach-Object { 'NODE{0}' -f $_ } }
    if (-not $StoragePoolName) { $StoragePoolName = 'S2D on {0}' -f $ClusterName }
    if ($VirtualDiskCount -le 0) { $VirtualDiskCount = [math]::Max(1, [math]::Ceiling($NodeNames.Count / 2)) }

    $nodes = [ordered]@{}
    foreach ($n in $NodeNames) {
        $nodes[$n] = [pscustomobject]@{
            Name = $n; Id = [string]($nodes.Count + 1); Build = $SourceBuild; OsUp = $true; ClusSvcStartType = 'Automatic'; ClusSvcRunning = $true
            Paused = $false; NeverReturns = $false; CannotDrain = $false; DrainPolls = 0; DrainFailed = $false; Reboots = 0; RemoteShutdownFirewall = $RemoteShutdownFirewallEnabled
            WsmanConfigured = $true; RemotingEnabled = $true; QualityUpdatePending = $QualityUpdatesPending
        }
    }
    $groups = [System.Collections.Generic.List[object]]::new()
    $groups.Add([pscustomobject]@{ Name = 'Cluster Group'; OwnerNode = $NodeNames[0]; State = 'Online'; GroupType = 'Cluster'; DrainedFrom = $null })
    $groups.Add([pscustomobject]@{ Name = 'Available Storage'; OwnerNode = $NodeNames[0]; State = 'Offline'; GroupType = 'AvailableStorage'; DrainedFrom = $null })
    $vms = [System.Collections.Generic.List[object]]::new()
    foreach ($n in $NodeNames) {
        for ($i = 1; $i -le $VmsPerNode; $i++) {
            $vmName = 'VM-{0}-{1}' -f $n, $i
            $groups.Add([pscustomobject]@{ Name = $vmName; OwnerNode = $n; State = 'Online'; GroupType = 'VirtualMachine'; DrainedFrom = $null })
            $vms.Add([pscustomobject]@{ Name = $vmName; Id = [guid]::NewGuid(); State = 'Running'; Version = $VmVersion; Updates = 0 })
        }
    }
    $disks = [System.Collections.Generic.List[object]]::new()
    for ($i = 1; $i -le $VirtualDiskCount; $i++) {
        $disks.Add([pscustomobject]@{
            FriendlyName = 'Volume{0}' -f $i; CsvName = 'Cluster Virtual Disk (Volume{0})' -f $i
            CsvOnline = $true; OwnerNode = $NodeNames[($i - 1) % $NodeNames.Count]; DriveLetter = $null
        })
    }
    $script:Sim = [pscustomobject]@{
        Cluster = [pscustomobject]@{
            Name = $ClusterName; Running = $true; FunctionalLevel = $FunctionalLevel; RaisedFunctionalLevel = $RaisedFunctionalLevel
            FunctionalLevelRaises = 0; SourceBuild = $SourceBuild; TargetBuild = $TargetBuild; RegistrationStatus = $RegistrationStatus
        }
        Nodes = $nodes
        Groups = $groups
        Vms = $vms
        UpdatedVmVersion = $UpdatedVmVersion
        Pool = [pscustomobject]@{ FriendlyName = $StoragePoolName; Version = $PoolVersion; UpdatedVersion = $UpdatedPoolVersion; Updates = 0 }
        VirtualDisks = $disks
        StorageJobs = [System.Collections.Generic.List[object]]::new()
        StorageJobPolls = $StorageJobPolls
        DrainPolls = $DrainPolls
        CauRuns = [System.Collections.Generic.List[object]]::new()
        Orchestrator = [pscustomobject]@{ Name = $OrchestratorName; Caption = $OrchestratorCaption; Build = $OrchestratorBuild; FailoverClustersTools = $FailoverClustersToolsInstalled }
        Faults = [pscustomobject]@{ StorageJobsNeverFinish = $false; CauFailNodes = @() }
        Operator = [pscustomobject]@{
            StepKinds = @{}; Answers = [System.Collections.Generic.Queue[string]]::new(); DeclineGates = @(); UpgradeSteps = @('sconfig-update', 'apply-update')
            Transcript = [System.Collections.Generic.List[object]]::new()
        }
        Log = [System.Collections.Generic.List[object]]::new()
        Calls = [System.Collections.Generic.List[object]]::new()
        Violations = [System.Collections.Generic.List[string]]::new()
        ContextStack = [System.Collections.Generic.Stack[string]]::new()
        StartTime = $StartTime
        ClockSeconds = [double]0
        Sleeps = 0
    }
    $env:COMPUTERNAME = $OrchestratorName
}

function Set-SimOperator {
    <#
    .SYNOPSIS
    How the simulated operator answers Read-Host. StepKinds maps a step id to manual | confirm | gate
    (what the runbook says the step is); Answers is a scripted queue used before the policy; DeclineGate
    lists step ids whose confirm or gate prompt the operator refuses.
    #>
    [CmdletBinding()]
    param(
        [hashtable]$StepKinds,
        [string[]]$Answers,
        [string[]]$DeclineGate,
        [string[]]$UpgradeSteps
    )
    $op = $script:Sim.Operator
    if ($PSBoundParameters.ContainsKey('StepKinds')) { $op.StepKinds = @{} + $StepKinds }
    if ($PSBoundParameters.ContainsKey('Answers')) { foreach ($a in $Answers) { $op.Answers.Enqueue($a) } }
    if ($PSBoundParameters.ContainsKey('DeclineGate')) { $op.DeclineGates = @($DeclineGate) }
    if ($PSBoundParameters.ContainsKey('UpgradeSteps')) { $op.UpgradeSteps = @($UpgradeSteps) }
}

function Set-SimFault {
    <#
    .SYNOPSIS
    Injects faults: nodes that never come back from a restart, nodes whose drain cannot finish (a
    VM that cannot live-migrate), storage repair that never completes, nodes on which a
    Cluster-Aware Updating run fails.
    #>
    [CmdletBinding()]
    param(
        [string[]]$NeverReturn,
        [string[]]$DrainNeverFinishes,
        [switch]$StorageJobsNeverFinish,
        [string[]]$CauFailNodes
    )
    foreach ($n in @($NeverReturn | Where-Object { $_ })) { (Get-SimNodeRecord $n).NeverReturns = $true }
    foreach ($n in @($DrainNeverFinishes | Where-Object { $_ })) { (Get-SimNodeRecord $n).CannotDrain = $true }
    if ($PSBoundParameters.ContainsKey('StorageJobsNeverFinish')) { $script:Sim.Faults.StorageJobsNeverFinish = [bool]$StorageJobsNeverFinish }
    if ($PSBoundParameters.ContainsKey('CauFailNodes')) { $script:Sim.Faults.CauFailNodes = @($CauFailNodes) }
}

function Restore-SimNode {
    <#
    .SYNOPSIS
    Someone fixes a node that did not come back: it boots (on whatever build it has) and rejoins the
    cluster, still paused if it was; its storage is repaired.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string[]]$Name)
    foreach ($n in $Name) {
        $node = Get-SimNodeRecord $n
        if (-not $node) { throw ("SimCluster: no node '{0}'." -f $n) }
        $node.NeverReturns = $false
        if ($node.OsUp) { continue }
        $node.OsUp = $true
        $node.ClusSvcRunning = ($node.ClusSvcStartType -ne 'Disabled') -and $script:Sim.Cluster.Running
        Add-SimLog -Cmdlet 'NodeRecovered' -Target $node.Name -Parameters ([ordered]@{ Build = $node.Build }) -Source 'test'
        if ($node.ClusSvcRunning) { Start-SimStorageRepair -Node $node.Name }
    }
}

function Get-SimState {
    <# .SYNOPSIS The simulated cluster as plain data (for assertions and JSON export). #>
    [CmdletBinding()] param()
    $s = $script:Sim
    [ordered]@{
        cluster = [ordered]@{
            name = $s.Cluster.Name; running = $s.Cluster.Running; functionalLevel = $s.Cluster.FunctionalLevel
            functionalLevelRaises = $s.Cluster.FunctionalLevelRaises; targetBuild = $s.Cluster.TargetBuild
        }
        nodes = @($s.Nodes.Values | ForEach-Object {
            [ordered]@{
                name = $_.Name; build = $_.Build; state = (Get-SimNodeState $_); osUp = $_.OsUp; paused = $_.Paused
                clusSvcStartType = $_.ClusSvcStartType; clusSvcRunning = $_.ClusSvcRunning; reboots = $_.Reboots
                remoteShutdownFirewall = $_.RemoteShutdownFirewall
            }
        })
        groups = @($s.Groups | ForEach-Object { [ordered]@{ name = $_.Name; ownerNode = $_.OwnerNode; state = $_.State; groupType = $_.GroupType } })
        vms = @($s.Vms | ForEach-Object { [ordered]@{ name = $_.Name; state = $_.State; version = $_.Version; updates = $_.Updates; host = (Get-SimVmHost $_) } })
        pool = [ordered]@{ friendlyName = $s.Pool.FriendlyName; version = $s.Pool.Version; updates = $s.Pool.Updates; healthStatus = (Get-SimPoolHealth) }
        virtualDisks = @($s.VirtualDisks | ForEach-Object { [ordered]@{ friendlyName = $_.FriendlyName; csvOnline = $_.CsvOnline; healthStatus = (Get-SimDiskHealth $_) } })
        storageJobs = @($s.StorageJobs | ForEach-Object { [ordered]@{ name = $_.Name; jobState = $_.JobState; node = $_.Node } })
        cauRuns = @($s.CauRuns | ForEach-Object { $_.Summary })
        clockSeconds = $s.ClockSeconds
        sleeps = $s.Sleeps
        violations = @($s.Violations)
    }
}

function Get-SimLog {
    <# .SYNOPSIS The call log: every state-changing call (and every attempt at one), in order. #>
    [CmdletBinding()] param()
    @($script:Sim.Log)
}

function Get-SimOperatorTranscript {
    [CmdletBinding()] param()
    @($script:Sim.Operator.Transcript)
}

function Export-SimResult {
    <# .SYNOPSIS Writes state, call log, operator transcript and read-only call counts as JSON. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [hashtable]$Extra = @{})
    $result = [ordered]@{
        state = Get-SimState
        log = @($script:Sim.Log)
        operator = @($script:Sim.Operator.Transcript)
        calls = @($script:Sim.Calls | Group-Object -Property Cmdlet | Sort-Object -Property Name | ForEach-Object { [ordered]@{ cmdlet = $_.Name; count = $_.Count } })
    }
    foreach ($k in $Extra.Keys) { $result[$k] = $Extra[$k] }
    $json = ConvertTo-Json -InputObject $result -Depth 20
    [System.IO.File]::WriteAllText($Path, $json, [System.Text.UTF8Encoding]::new($false))
}

# ---------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------

function Assert-SimReady {
    if ($null -eq $script:Sim) { throw 'SimCluster: call Reset-SimCluster before using the simulated cmdlets.' }
}

function Get-SimNodeRecord([string]$Name) {
    foreach ($n in $script:Sim.Nodes.Values) { if ($n.Name -ieq $Name) { return $n } }
    return $null
}

function Get-SimNodeState($node) {
    if (-not $script:Sim.Cluster.Running -or -not $node.OsUp -or -not $node.ClusSvcRunning) { return 'Down' }
    if ($node.Paused) { return 'Paused' }
    return 'Up'
}

function Get-SimCurrentContext {
    if ($script:Sim.ContextStack.Count -gt 0) { return $script:Sim.ContextStack.Peek() }
    return $script:Sim.Orchestrator.Name
}

function Get-SimRunningJobCount {
    $count = 0
    foreach ($j in $script:Sim.StorageJobs) { if ($j.JobState -ne 'Completed') { $count++ } }
    $count
}

function Test-SimStorageDegraded {
    if (Get-SimRunningJobCount) { return $true }
    foreach ($n in $script:Sim.Nodes.Values) { if ((Get-SimNodeState $n) -eq 'Down') { return $true } }
    return $false
}

function Get-SimPoolHealth {
    if (-not $script:Sim.Cluster.Running) { return 'Unknown' }
    if (Test-SimStorageDegraded) { return 'Warning' }
    return 'Healthy'
}

function Get-SimDiskHealth($disk) {
    if (-not $script:Sim.Cluster.Running) { return 'Unknown' }
    if (Test-SimStorageDegraded) { return 'Warning' }
    return 'Healthy'
}

function Get-SimVmHost($vm) {
    foreach ($g in $script:Sim.Groups) { if ($g.Name -eq $vm.Name) { return $g.OwnerNode } }
    return $null
}

function Add-SimLog {
    param([string]$Cmdlet, [string]$Target, [System.Collections.IDictionary]$Parameters = @{}, [string]$Outcome = 'ok', [string]$Source = 'script')
    $notUp = [System.Collections.Generic.List[string]]::new()
    foreach ($n in $script:Sim.Nodes.Values) {
        if ($n.Name -ieq $Target) { continue }
        $state = Get-SimNodeState $n
        if ($state -ne 'Up') { $notUp.Add(('{0}:{1}' -f $n.Name, $state)) }
    }
    $params = [ordered]@{}
    foreach ($k in $Parameters.Keys) { $params[$k] = [string]$Parameters[$k] }
    $script:Sim.Log.Add([pscustomobject][ordered]@{
        seq = $script:Sim.Log.Count + 1
        cmdlet = $Cmdlet
        target = $Target
        parameters = $params
        outcome = $Outcome
        source = $Source
        context = (Get-SimCurrentContext)
        clusterRunning = $script:Sim.Cluster.Running
        otherNodesNotUp = $notUp.ToArray()
        storageJobsRunning = (Get-SimRunningJobCount)
        functionalLevel = $script:Sim.Cluster.FunctionalLevel
        clockSeconds = $script:Sim.ClockSeconds
    })
}

function Add-SimCall([string]$Cmdlet) {
    $script:Sim.Calls.Add([pscustomobject]@{ Cmdlet = $Cmdlet; Context = (Get-SimCurrentContext) })
}

function New-SimErrorRecord {
    param([string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category = 'InvalidOperation', [object]$Target)
    $ex = [System.InvalidOperationException]::new($Message)
    [System.Management.Automation.ErrorRecord]::new($ex, $ErrorId, $Category, $Target)
}

function Write-SimError {
    # Non-terminating, like a compiled cmdlet's WriteError. A compiled cmdlet honours the caller's
    # $ErrorActionPreference; a module function would see the module's, so the caller's is read here.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category = 'InvalidOperation', [object]$Target)
    $record = New-SimErrorRecord -Message $Message -ErrorId $ErrorId -Category $Category -Target $Target
    $bound = $Cmdlet.MyInvocation.BoundParameters
    $preference = $(if ($bound.ContainsKey('ErrorAction')) { [string]$bound['ErrorAction'] } else { [string]$Cmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') })
    switch ($preference) {
        'Stop' { $Cmdlet.ThrowTerminatingError($record) }
        'Ignore' { return }
        'SilentlyContinue' { return }
        default { $Cmdlet.WriteError($record) }
    }
}

function Stop-SimCmdlet {
    # Terminating, like a cmdlet's ThrowTerminatingError.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category = 'InvalidOperation', [object]$Target)
    $Cmdlet.ThrowTerminatingError((New-SimErrorRecord -Message $Message -ErrorId $ErrorId -Category $Category -Target $Target))
}

function Assert-SimNoPrompt {
    # A cmdlet that would stop and ask the operator Y/N: in an unattended generated script that is a
    # defect (the script has its own gates), so the simulation refuses instead of answering. This is
    # the only confirmation the stand-ins model; their ShouldProcess calls serve -WhatIf.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Name, [bool]$Suppressed, [string]$How)
    if (-not $Suppressed) {
        Add-SimLog -Cmdlet $Name -Target '' -Outcome 'failed: would prompt' 
        Stop-SimCmdlet -Cmdlet $Cmdlet -Message ("{0} would prompt for confirmation here; the script must pass {1}." -f $Name, $How) -ErrorId 'SimWouldPrompt' -Category 'InvalidOperation'
    }
}

function Test-SimConfirmFalse([hashtable]$Bound) {
    $Bound.ContainsKey('Confirm') -and -not [bool]$Bound['Confirm']
}

function Resolve-SimCluster {
    # Resolves a -Cluster / -ClusterName / -CimSession value to the simulated cluster. Returns $null
    # (after writing the error) when the name is unknown or the cluster is not running.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Name, [string]$What = 'cluster')
    $s = $script:Sim
    if ([string]::IsNullOrEmpty($Name) -or $Name -eq '.') {
        $ctx = Get-SimCurrentContext
        if (-not (Get-SimNodeRecord $ctx)) {
            Write-SimError -Cmdlet $Cmdlet -Message ("The cluster service is not running on '{0}': this computer is not a cluster node. Pass -Cluster." -f $ctx) -ErrorId 'ClusterNotFound' -Category 'ObjectNotFound' -Target $ctx
            return $null
        }
        $Name = $s.Cluster.Name
    }
    $node = Get-SimNodeRecord $Name
    if ($Name -ine $s.Cluster.Name -and -not $node) {
        Write-SimError -Cmdlet $Cmdlet -Message ("Failed to connect to {0} '{1}': the name could not be resolved." -f $What, $Name) -ErrorId 'ClusterNotFound' -Category 'ObjectNotFound' -Target $Name
        return $null
    }
    if ($node -and -not $node.OsUp) {
        Write-SimError -Cmdlet $Cmdlet -Message ("Failed to connect to '{0}': the computer is not reachable (The RPC server is unavailable)." -f $Name) -ErrorId 'ClusterUnreachable' -Category 'ConnectionError' -Target $Name
        return $null
    }
    if (-not $s.Cluster.Running -or ($node -and -not $node.ClusSvcRunning)) {
        Write-SimError -Cmdlet $Cmdlet -Message ("The cluster service is not running on cluster '{0}'. Make sure that the cluster service is running on the nodes (The RPC server is unavailable)." -f $Name) -ErrorId 'ClusterServiceNotRunning' -Category 'ConnectionError' -Target $Name
        return $null
    }
    return $s.Cluster
}

function Resolve-SimComputer {
    # Resolves a remote computer name: a node, the cluster name (its owner node) or the orchestrator.
    # Returns the node record or the orchestrator name; $null (after writing the error) when unreachable.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Name, [string]$Protocol = 'WinRM')
    $s = $script:Sim
    if ([string]::IsNullOrEmpty($Name) -or $Name -in @('.', 'localhost')) { $Name = Get-SimCurrentContext }
    if ($Name -ieq $s.Orchestrator.Name) { return $s.Orchestrator.Name }
    if ($Name -ieq $s.Cluster.Name) {
        if (-not $s.Cluster.Running) {
            Write-SimError -Cmdlet $Cmdlet -Message ("Connecting to remote server {0} failed: {1} cannot complete the operation. The cluster name is offline because the cluster is stopped." -f $Name, $Protocol) -ErrorId 'CannotConnect' -Category 'OpenError' -Target $Name
            return $null
        }
        $core = $s.Groups | Where-Object { $_.GroupType -eq 'Cluster' } | Select-Object -First 1
        $Name = $core.OwnerNode
    }
    $node = Get-SimNodeRecord $Name
    if (-not $node) {
        Write-SimError -Cmdlet $Cmdlet -Message ("Connecting to remote server {0} failed: {1} cannot process the request because the computer name could not be resolved." -f $Name, $Protocol) -ErrorId 'CannotConnect' -Category 'OpenError' -Target $Name
        return $null
    }
    if (-not $node.OsUp) {
        Write-SimError -Cmdlet $Cmdlet -Message ("Connecting to remote server {0} failed: {1} cannot complete the operation. The computer is not running or not reachable." -f $Name, $Protocol) -ErrorId 'CannotConnect' -Category 'OpenError' -Target $Name
        return $null
    }
    return $node
}

function New-SimClusterObject {
    $c = $script:Sim.Cluster
    $o = [pscustomobject][ordered]@{
        Name = $c.Name; Domain = 'contoso.local'; ClusterFunctionalLevel = [uint32]$c.FunctionalLevel
        ClusterUpgradeVersion = [uint32]0; Id = '00000000-0000-0000-0000-000000000001'
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.Cluster')
    $o
}

function New-SimNodeObject($node) {
    $o = [pscustomobject][ordered]@{
        Name = $node.Name; NodeName = $node.Name; State = (Get-SimNodeState $node); Cluster = $script:Sim.Cluster.Name
        Id = $node.Id
        DrainStatus = $(if (-not $node.Paused) { 'NotInitiated' } elseif ($node.DrainFailed) { 'Failed' } elseif ($node.DrainPolls -gt 0) { 'InProgress' } else { 'Completed' })
        StatusInformation = 'Normal'; NodeWeight = 1; DynamicWeight = 1
        MajorVersion = 10; MinorVersion = 0; BuildNumber = $node.Build
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterNode')
    $o
}

function New-SimGroupObject($group) {
    $o = [pscustomobject][ordered]@{
        Name = $group.Name; OwnerNode = [SimNodeRef]::new($group.OwnerNode); State = $group.State
        GroupType = $group.GroupType; Cluster = $script:Sim.Cluster.Name; Priority = 2000
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterGroup')
    $o
}

function New-SimCsvObject($disk) {
    $o = [pscustomobject][ordered]@{
        Name = $disk.CsvName; State = $(if ($disk.CsvOnline) { 'Online' } else { 'Offline' })
        OwnerNode = [SimNodeRef]::new($disk.OwnerNode); Cluster = $script:Sim.Cluster.Name
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterSharedVolume')
    $o
}

function Move-SimGroupsOff {
    # Moves the online roles owned by $node to the least-loaded other Up node. Returns $false when no
    # node can take them.
    param($node, [string]$TargetNode, [switch]$Drain)
    $others = @($script:Sim.Nodes.Values | Where-Object { $_.Name -ine $node.Name -and (Get-SimNodeState $_) -eq 'Up' })
    if ($TargetNode) { $others = @($others | Where-Object { $_.Name -ieq $TargetNode }) }
    if ($others.Count -eq 0) { return $false }
    $load = @{}
    foreach ($o in $others) { $load[$o.Name] = 0 }
    foreach ($g in $script:Sim.Groups) { if ($load.ContainsKey($g.OwnerNode)) { $load[$g.OwnerNode]++ } }
    foreach ($g in @($script:Sim.Groups | Where-Object { $_.OwnerNode -ieq $node.Name })) {
        $target = $others[0]
        foreach ($o in $others) { if ($load[$o.Name] -lt $load[$target.Name]) { $target = $o } }
        $load[$target.Name]++
        $g.OwnerNode = $target.Name
        if ($Drain) { $g.DrainedFrom = $node.Name }
    }
    foreach ($d in @($script:Sim.VirtualDisks | Where-Object { $_.OwnerNode -ieq $node.Name })) { $d.OwnerNode = $others[0].Name }
    return $true
}

function Start-SimStorageRepair {
    param([string]$Node)
    foreach ($d in $script:Sim.VirtualDisks) {
        $script:Sim.StorageJobs.Add([pscustomobject]@{
            Name = 'Repair'; Description = 'Regeneration'; Node = $Node; VirtualDisk = $d.FriendlyName
            JobState = 'Running'; RemainingPolls = $script:Sim.StorageJobPolls; PercentComplete = 0
        })
    }
}

function Step-SimStorageJobs {
    # One step of storage repair, taken at each poll of Get-StorageJob and each simulated wait: every
    # running repair job moves one step towards completion.
    foreach ($j in $script:Sim.StorageJobs) {
        if ($j.JobState -ne 'Running' -or $script:Sim.Faults.StorageJobsNeverFinish) { continue }
        $j.RemainingPolls--
        if ($j.RemainingPolls -le 0) { $j.JobState = 'Completed'; $j.PercentComplete = 100 }
        else { $j.PercentComplete = [int](100 * ($script:Sim.StorageJobPolls - $j.RemainingPolls) / [math]::Max(1, $script:Sim.StorageJobPolls)) }
    }
}

function Invoke-SimReboot {
    # Restarts a node. A node marked NeverReturns stays down. Roles it still owns fail over (an
    # unplanned failover, logged); when it returns into a running cluster its storage is repaired.
    param($node, [string]$Source = 'script', [string]$Reason = 'restart')
    $stateBefore = Get-SimNodeState $node
    $online = @($script:Sim.Groups | Where-Object { $_.OwnerNode -ieq $node.Name -and $_.State -eq 'Online' -and $_.GroupType -eq 'VirtualMachine' })
    if ($script:Sim.Cluster.Running -and $online.Count -gt 0) {
        [void](Move-SimGroupsOff -node $node)
        Add-SimLog -Cmdlet 'UnplannedFailover' -Target $node.Name -Parameters ([ordered]@{ Roles = ($online.Name -join ',') }) -Source $Source
    }
    $node.Reboots++
    if ($node.NeverReturns) {
        $node.OsUp = $false; $node.ClusSvcRunning = $false
        Add-SimLog -Cmdlet 'NodeRestart' -Target $node.Name -Parameters ([ordered]@{ Reason = $Reason; StateBefore = $stateBefore }) -Outcome 'did not come back' -Source $Source
        return $false
    }
    $node.OsUp = $true
    $node.ClusSvcRunning = ($node.ClusSvcStartType -ne 'Disabled') -and $script:Sim.Cluster.Running
    Add-SimLog -Cmdlet 'NodeRestart' -Target $node.Name -Parameters ([ordered]@{ Reason = $Reason; StateBefore = $stateBefore; Build = $node.Build }) -Source $Source
    if ($node.ClusSvcRunning) { Start-SimStorageRepair -Node $node.Name }
    return $true
}

function Invoke-SimDrain {
    # Drains a node (Suspend-ClusterNode -Drain, or CAU entering maintenance mode). Throws a message
    # on the same conditions the real cmdlet refuses: node not Up, storage degraded, nowhere to go.
    # -Background: Suspend-ClusterNode without -Wait, which returns once the node is paused while its
    # roles go on moving: DrainStatus reports InProgress for DrainPolls steps, and on a node that
    # cannot be drained a VM role stays on it and the drain ends Failed.
    param($node, [string]$TargetNode, [string]$Source = 'script', [switch]$Background)
    $state = Get-SimNodeState $node
    if ($state -eq 'Down') { throw ("The node '{0}' is down and cannot be paused." -f $node.Name) }
    if ($state -eq 'Paused') { return }
    if (Test-SimStorageDegraded) {
        throw ("Suspend-ClusterNode failed for node '{0}': a clustered space is in a degraded condition and the requested action cannot be completed at this time (ERROR_CLUSTER_SPACE_DEGRADED). Wait for storage repair jobs to finish and for every node to be Up." -f $node.Name)
    }
    $stuck = @($script:Sim.Groups | Where-Object { $_.OwnerNode -ieq $node.Name -and $_.GroupType -eq 'VirtualMachine' } | Select-Object -First 1)
    if ($node.CannotDrain -and $stuck.Count -gt 0 -and -not $Background) {
        throw ("Suspend-ClusterNode failed for node '{0}': the drain failed, '{1}' could not be live-migrated." -f $node.Name, $stuck[0].Name)
    }
    if (-not (Move-SimGroupsOff -node $node -TargetNode $TargetNode -Drain)) {
        throw ("Suspend-ClusterNode failed for node '{0}': no other node is available to host its roles." -f $node.Name)
    }
    $node.Paused = $true
    if ($Background) {
        $node.DrainPolls = $script:Sim.DrainPolls
        if ($node.CannotDrain -and $stuck.Count -gt 0) {
            # The VM that could not be live-migrated is still running on the node.
            $stuck[0].OwnerNode = $node.Name
            $stuck[0].DrainedFrom = $null
            $node.DrainFailed = $true
        }
    }
}

function Step-SimDrains {
    # One step of the drains started without -Wait, taken at each Get-ClusterNode and each simulated wait.
    foreach ($n in $script:Sim.Nodes.Values) { if ($n.DrainPolls -gt 0) { $n.DrainPolls-- } }
}

function Invoke-SimResume {
    param($node, [string]$Failback = 'NoFailback')
    if ((Get-SimNodeState $node) -eq 'Down') { throw ("The node '{0}' is down and cannot be resumed." -f $node.Name) }
    $node.Paused = $false
    $node.DrainPolls = 0
    $node.DrainFailed = $false
    if ($Failback -in @('Immediate', 'Policy')) {
        foreach ($g in @($script:Sim.Groups | Where-Object { $_.DrainedFrom -ieq $node.Name })) { $g.OwnerNode = $node.Name; $g.DrainedFrom = $null }
    }
}

function Get-SimFunctionalLevelBlocker {
    foreach ($n in $script:Sim.Nodes.Values) {
        $state = Get-SimNodeState $n
        if ($state -ne 'Up') { return ("node '{0}' is {1}; every node must be Up (in active membership, not paused or down)" -f $n.Name, $state) }
        if ($n.Build -ne $script:Sim.Cluster.TargetBuild) { return ("node '{0}' runs build {1}, an earlier operating system than the cluster's newest" -f $n.Name, $n.Build) }
    }
    return $null
}

function Invoke-SimRaiseFunctionalLevel {
    $c = $script:Sim.Cluster
    if ($c.FunctionalLevel -lt $c.RaisedFunctionalLevel) {
        $c.FunctionalLevel = $c.RaisedFunctionalLevel
        $c.FunctionalLevelRaises++
        return $true
    }
    return $false
}

# The stand-ins, one file per real module.
. (Join-Path $PSScriptRoot 'FailoverClusters.ps1')
. (Join-Path $PSScriptRoot 'ClusterAwareUpdating.ps1')
. (Join-Path $PSScriptRoot 'Storage.ps1')
. (Join-Path $PSScriptRoot 'HyperV.ps1')
. (Join-Path $PSScriptRoot 'Host.ps1')

$script:StandIns = @(
    # FailoverClusters
    'Get-Cluster', 'Get-ClusterNode', 'Suspend-ClusterNode', 'Resume-ClusterNode', 'Get-ClusterGroup', 'Get-ClusterSharedVolume',
    'Stop-ClusterResource', 'Start-ClusterResource', 'Stop-Cluster', 'Start-Cluster', 'Update-ClusterFunctionalLevel', 'Test-Cluster',
    # ClusterAwareUpdating
    'Invoke-CauScan', 'Invoke-CauRun', 'Get-CauRun', 'Get-CauReport', 'Test-CauSetup',
    # Storage
    'Get-StorageJob', 'Get-StoragePool', 'Update-StoragePool', 'Get-VirtualDisk', 'Get-Volume',
    # Hyper-V
    'Get-VM', 'Stop-VM', 'Update-VMVersion', 'Start-VM',
    # Windows and PowerShell
    'Set-Service', 'Get-Service', 'Restart-Computer', 'Invoke-Command', 'Get-CimInstance', 'Set-WSManQuickConfig', 'Enable-PSRemoting',
    'Set-NetFirewallRule', 'Get-Module', 'Get-AzureStackHCI', 'Get-Credential', 'Read-Host', 'Start-Sleep', 'Get-Date'
)
$script:SimApi = @('Reset-SimCluster', 'Set-SimOperator', 'Set-SimFault', 'Restore-SimNode', 'Get-SimState', 'Get-SimLog', 'Get-SimOperatorTranscript', 'Export-SimResult')

Export-ModuleMember -Function ($script:StandIns + $script:SimApi)
