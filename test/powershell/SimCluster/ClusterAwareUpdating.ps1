# ClusterAwareUpdating stand-ins. Signatures: docset/winserver2022-ps/ClusterAwareUpdating (see
# cmdlet-catalog.json). An updating run happens synchronously inside Invoke-CauRun: node by node, CAU
# waits for storage repair, drains the node, runs the plug-in, restarts the node and resumes it.

$script:CauPlugins = @('Microsoft.WindowsUpdatePlugin', 'Microsoft.HotfixPlugin', 'Microsoft.RollingUpgradePlugin')
# How many storage polls CAU makes (one per simulated minute) before it gives up on a degraded space.
$script:CauStorageWaitPolls = 240

function Resolve-SimCauCluster {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$ClusterName)
    $name = $ClusterName
    if (-not $name) {
        $ctx = Get-SimCurrentContext
        if (Get-SimNodeRecord $ctx) { $name = $script:Sim.Cluster.Name }
        else {
            Stop-SimCmdlet -Cmdlet $Cmdlet -Message ('{0}: this computer is not a cluster node; pass -ClusterName.' -f $Cmdlet.MyInvocation.MyCommand.Name) -ErrorId 'ClusterNameRequired' -Category 'InvalidArgument'
        }
    }
    if ($name -ine $script:Sim.Cluster.Name) {
        Stop-SimCmdlet -Cmdlet $Cmdlet -Message ("Failed to connect to cluster '{0}': the cluster could not be found." -f $name) -ErrorId 'ClusterNotFound' -Category 'ObjectNotFound' -Target $name
    }
    if (-not $script:Sim.Cluster.Running) {
        Stop-SimCmdlet -Cmdlet $Cmdlet -Message ("Failed to connect to cluster '{0}': the cluster service is not running." -f $name) -ErrorId 'ClusterNotRunning' -Category 'ConnectionError' -Target $name
    }
}

function Get-SimPluginArguments {
    param([string[]]$PluginNames, [hashtable[]]$PluginArguments)
    $result = @{}
    for ($i = 0; $i -lt $PluginNames.Count; $i++) {
        $result[$PluginNames[$i]] = $(if ($PluginArguments -and $i -lt $PluginArguments.Count) { $PluginArguments[$i] } else { @{} })
    }
    $result
}

function Test-SimCauPlugins {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string[]]$PluginNames, [hashtable]$Arguments)
    foreach ($p in $PluginNames) {
        if ($p -notin $script:CauPlugins) {
            Stop-SimCmdlet -Cmdlet $Cmdlet -Message ("The plug-in '{0}' is not registered (Get-CauPlugin)." -f $p) -ErrorId 'PluginNotFound' -Category 'ObjectNotFound' -Target $p
        }
        if ($p -eq 'Microsoft.RollingUpgradePlugin') {
            $a = $Arguments[$p]
            $wu = $(if ($a.ContainsKey('WuConnected')) { [string]$a['WuConnected'] } else { $null })
            if ($wu -notin @('true', 'false')) {
                Stop-SimCmdlet -Cmdlet $Cmdlet -Message ("Microsoft.RollingUpgradePlugin needs the argument WuConnected='true' or 'false' (got '{0}')." -f $wu) -ErrorId 'PluginArgumentInvalid' -Category 'InvalidArgument'
            }
            if ($wu -eq 'false' -and -not $a['PathToSetupMedia']) {
                Stop-SimCmdlet -Cmdlet $Cmdlet -Message "Microsoft.RollingUpgradePlugin with WuConnected='false' needs PathToSetupMedia." -ErrorId 'PluginArgumentInvalid' -Category 'InvalidArgument'
            }
        }
        if ($p -eq 'Microsoft.HotfixPlugin' -and -not $Arguments[$p]['HotfixRootFolderPath']) {
            Stop-SimCmdlet -Cmdlet $Cmdlet -Message 'Microsoft.HotfixPlugin needs the argument HotfixRootFolderPath.' -ErrorId 'PluginArgumentInvalid' -Category 'InvalidArgument'
        }
    }
}

function Invoke-CauScan {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string]$ClusterName,
        [Parameter(Position = 1)][string[]]$CauPluginName,
        [Parameter(Position = 2)][pscredential]$Credential,
        [hashtable[]]$CauPluginArguments,
        [switch]$RunPluginsSerially,
        [switch]$StopOnPluginFailure,
        [switch]$OsRollingUpgrade,
        [switch]$AttemptSoftReboot,
        [ValidateSet('ClusProp', 'FullReboot', 'SoftReboot', 'PluginCustomReboot', 'OrchestratorDefault')][string]$RebootMode
    )
    Assert-SimReady; Add-SimCall 'Invoke-CauScan'
    Resolve-SimCauCluster -Cmdlet $PSCmdlet -ClusterName $ClusterName
    $plugins = $(if ($CauPluginName) { $CauPluginName } else { @('Microsoft.WindowsUpdatePlugin') })
    $arguments = Get-SimPluginArguments $plugins $CauPluginArguments
    Test-SimCauPlugins -Cmdlet $PSCmdlet -PluginNames $plugins -Arguments $arguments
    foreach ($n in $script:Sim.Nodes.Values) {
        foreach ($p in $plugins) {
            if ($p -eq 'Microsoft.RollingUpgradePlugin') {
                if ($n.Build -ge $script:Sim.Cluster.TargetBuild) { continue }
                $title = 'Azure Stack HCI, version 23H2'
            }
            else {
                if (-not $n.QualityUpdatePending) { continue }
                $title = ('Cumulative Update for Azure Stack HCI (build {0})' -f $n.Build)
            }
            $o = [pscustomobject][ordered]@{ NodeName = $n.Name; UpdateId = ('{0}-{1}' -f $p, $n.Build); UpdateTitle = $title; CauPluginName = $p }
            $o.PSTypeNames.Insert(0, 'Microsoft.ClusterAwareUpdating.UpdateInfo')
            $o
        }
    }
}

function Wait-SimStorageForCau {
    # CAU retries entering maintenance mode while a clustered space is degraded. Returns $false when
    # storage is still degraded after the retries.
    for ($i = 0; $i -lt $script:CauStorageWaitPolls; $i++) {
        if (-not (Test-SimStorageDegraded)) { return $true }
        Step-SimStorageJobs
        $script:Sim.ClockSeconds += 60
    }
    return -not (Test-SimStorageDegraded)
}

function Invoke-CauRun {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'DefaultParamSet')]
    param(
        [Parameter(ParameterSetName = 'DefaultParamSet')][int]$MaxFailedNodes,
        [Parameter(ParameterSetName = 'DefaultParamSet')][int]$MaxRetriesPerNode,
        [Parameter(ParameterSetName = 'DefaultParamSet')][string[]]$NodeOrder,
        [Parameter(ParameterSetName = 'DefaultParamSet')][string]$PreUpdateScript,
        [Parameter(ParameterSetName = 'DefaultParamSet')][string]$PostUpdateScript,
        [Parameter(ParameterSetName = 'DefaultParamSet')][string]$ConfigurationName,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$RequireAllNodesOnline,
        [Parameter(ParameterSetName = 'DefaultParamSet')][timespan]$WarnAfter,
        [Parameter(ParameterSetName = 'DefaultParamSet')][timespan]$StopAfter,
        [Parameter(ParameterSetName = 'DefaultParamSet')][int]$RebootTimeoutMinutes,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$SeparateReboots,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$EnableFirewallRules,
        [Parameter(ParameterSetName = 'DefaultParamSet')][ValidateSet('NoFailback', 'Immediate', 'Policy')][string]$FailbackMode,
        [Parameter(ParameterSetName = 'DefaultParamSet')][int]$SuspendClusterNodeTimeoutMinutes,
        [Alias('f')][switch]$Force,
        [switch]$ForcePauseNoDrain,
        [switch]$ForcePauseAndDrain,
        [switch]$ForcePauseDrainAndReboot,
        [switch]$SkipUpdateChecks,
        [switch]$ForceSelfUpdate,
        [Parameter(ParameterSetName = 'DefaultParamSet')][string[]]$SiteAwareUpdatingOrder,
        [Parameter(Position = 0)][string]$ClusterName,
        [Parameter(ParameterSetName = 'DefaultParamSet', Position = 1)][string[]]$CauPluginName,
        [Parameter(Position = 2)][pscredential]$Credential,
        [Parameter(ParameterSetName = 'DefaultParamSet')][hashtable[]]$CauPluginArguments,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$RunPluginsSerially,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$StopOnPluginFailure,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$OsRollingUpgrade,
        [Parameter(ParameterSetName = 'DefaultParamSet')][switch]$AttemptSoftReboot,
        [Parameter(ParameterSetName = 'DefaultParamSet')][ValidateSet('ClusProp', 'FullReboot', 'SoftReboot', 'PluginCustomReboot', 'OrchestratorDefault')][string]$RebootMode,
        [Parameter(ParameterSetName = 'RecoverParamSet', Mandatory = $true)][Alias('Recover')][switch]$ForceRecovery
    )
    Assert-SimReady; Add-SimCall 'Invoke-CauRun'
    $s = $script:Sim
    $plugins = $(if ($CauPluginName) { $CauPluginName } else { @('Microsoft.WindowsUpdatePlugin') })
    $logParams = [ordered]@{ Plugins = ($plugins -join ','); MaxFailedNodes = $(if ($PSBoundParameters.ContainsKey('MaxFailedNodes')) { $MaxFailedNodes } else { 'default' }); RequireAllNodesOnline = [bool]$RequireAllNodesOnline; EnableFirewallRules = [bool]$EnableFirewallRules; Force = [bool]$Force }
    if ($PSCmdlet.ParameterSetName -eq 'RecoverParamSet') {
        Add-SimLog -Cmdlet 'Invoke-CauRun' -Target $ClusterName -Parameters ([ordered]@{ ForceRecovery = $true }) -Outcome 'nothing to recover'
        return
    }
    Resolve-SimCauCluster -Cmdlet $PSCmdlet -ClusterName $ClusterName
    $arguments = Get-SimPluginArguments $plugins $CauPluginArguments
    Test-SimCauPlugins -Cmdlet $PSCmdlet -PluginNames $plugins -Arguments $arguments
    Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Invoke-CauRun' -Suppressed ($Force -or (Test-SimConfirmFalse $PSBoundParameters)) -How '-Force'
    if (-not $PSCmdlet.ShouldProcess($s.Cluster.Name, 'Invoke-CauRun')) { return }

    $rolling = $plugins -contains 'Microsoft.RollingUpgradePlugin'
    $maxFailed = $(if ($PSBoundParameters.ContainsKey('MaxFailedNodes')) { $MaxFailedNodes } else { [int][math]::Floor($s.Nodes.Count / 3) })
    $failback = $(if ($FailbackMode) { $FailbackMode } else { 'Immediate' })
    $run = [pscustomobject]@{
        RunId = [guid]::NewGuid(); Plugins = $plugins; StartClock = $s.ClockSeconds; NodeResults = [System.Collections.Generic.List[object]]::new()
        Status = 'InProgress'; Reason = $null; Summary = $null
    }
    Add-SimLog -Cmdlet 'Invoke-CauRun' -Target $s.Cluster.Name -Parameters $logParams -Outcome 'started'

    $cancel = $null
    if (Get-SimNodeRecord (Get-SimCurrentContext)) {
        $cancel = ('the updating run was started on cluster node {0}; start it from a computer outside the cluster' -f (Get-SimCurrentContext))
    }
    elseif ($MaxFailedNodes -lt 0 -or $maxFailed -gt ($s.Nodes.Count - 1)) {
        $cancel = ('MaxFailedNodes must be between 0 and {0}' -f ($s.Nodes.Count - 1))
    }
    elseif ($RequireAllNodesOnline -and @($s.Nodes.Values | Where-Object { (Get-SimNodeState $_) -ne 'Up' }).Count -gt 0) {
        $cancel = ('RequireAllNodesOnline: node(s) {0} are not online' -f ((@($s.Nodes.Values | Where-Object { (Get-SimNodeState $_) -ne 'Up' }) | ForEach-Object { $_.Name }) -join ', '))
    }
    elseif (-not $EnableFirewallRules -and @($s.Nodes.Values | Where-Object { -not $_.RemoteShutdownFirewall }).Count -gt 0) {
        $cancel = ('the Remote Shutdown firewall rules are not enabled on node(s) {0}; pass -EnableFirewallRules' -f ((@($s.Nodes.Values | Where-Object { -not $_.RemoteShutdownFirewall }) | ForEach-Object { $_.Name }) -join ', '))
    }
    if ($EnableFirewallRules) { foreach ($n in $s.Nodes.Values) { $n.RemoteShutdownFirewall = $true } }

    $failed = 0
    if (-not $cancel) {
        $order = $(if ($NodeOrder) { @($NodeOrder | ForEach-Object { Get-SimNodeRecord $_ } | Where-Object { $_ }) } else {
                @($s.Nodes.Values | Sort-Object -Property @{ Expression = { $n = $_.Name; @($s.Groups | Where-Object { $_.OwnerNode -ieq $n }).Count } }, Name)
            })
        foreach ($node in $order) {
            $result = [pscustomobject][ordered]@{ Node = $node.Name; Status = 'Succeeded'; Reason = $null; Installed = 0; BuildBefore = $node.Build; BuildAfter = $null }
            $run.NodeResults.Add($result)
            $featureUpdate = $rolling -and $node.Build -lt $s.Cluster.TargetBuild
            $qualityUpdate = @($plugins | Where-Object { $_ -ne 'Microsoft.RollingUpgradePlugin' }).Count -gt 0 -and $node.QualityUpdatePending
            if (-not $featureUpdate -and -not $qualityUpdate) {
                # Nothing applicable: CAU neither drains nor restarts the node.
                $result.Reason = 'no applicable update'; $result.BuildAfter = $node.Build
                continue
            }
            if (-not (Wait-SimStorageForCau)) {
                $result.Status = 'Failed'; $result.Reason = 'a clustered space stayed degraded; the node could not enter maintenance mode'
                Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $node.Name -Parameters ([ordered]@{ Drain = $true }) -Outcome 'failed: storage degraded' -Source 'Invoke-CauRun'
            }
            else {
                try {
                    Invoke-SimDrain -node $node
                    Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $node.Name -Parameters ([ordered]@{ Drain = $true }) -Source 'Invoke-CauRun'
                }
                catch {
                    $result.Status = 'Failed'; $result.Reason = $_.Exception.Message
                    Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $node.Name -Parameters ([ordered]@{ Drain = $true }) -Outcome ('failed: ' + $_.Exception.Message) -Source 'Invoke-CauRun'
                }
                if ($result.Status -eq 'Succeeded') {
                    if ($s.Faults.CauFailNodes -contains $node.Name) {
                        $result.Status = 'Failed'; $result.Reason = 'the plug-in failed to install the update'
                        Add-SimLog -Cmdlet 'CauInstall' -Target $node.Name -Parameters ([ordered]@{ Plugins = ($plugins -join ',') }) -Outcome 'failed' -Source 'Invoke-CauRun'
                        Invoke-SimResume -node $node -Failback $failback
                        Add-SimLog -Cmdlet 'Resume-ClusterNode' -Target $node.Name -Parameters ([ordered]@{ Failback = $failback }) -Source 'Invoke-CauRun'
                    }
                    else {
                        if ($featureUpdate) { $node.Build = $s.Cluster.TargetBuild }
                        $result.Installed = 1
                        # The feature update brings the node up to date; a quality update installs what was pending.
                        $node.QualityUpdatePending = $false
                        Add-SimLog -Cmdlet 'CauInstall' -Target $node.Name -Parameters ([ordered]@{ Plugins = ($plugins -join ','); Build = $node.Build }) -Source 'Invoke-CauRun'
                        if (Invoke-SimReboot -node $node -Source 'Invoke-CauRun' -Reason 'updating run') {
                            Invoke-SimResume -node $node -Failback $failback
                            Add-SimLog -Cmdlet 'Resume-ClusterNode' -Target $node.Name -Parameters ([ordered]@{ Failback = $failback }) -Source 'Invoke-CauRun'
                        }
                        else {
                            $result.Status = 'Failed'; $result.Reason = 'the node did not come back within RebootTimeoutMinutes'
                        }
                    }
                }
            }
            $result.BuildAfter = $node.Build
            if ($result.Status -eq 'Failed') { $failed++ }
            if ($failed -gt $maxFailed) {
                $cancel = ('MaxFailedNodes ({0}) exceeded: {1} node(s) failed' -f $maxFailed, $failed)
                break
            }
        }
    }
    if ($cancel) { $run.Status = 'Failed'; $run.Reason = $cancel }
    elseif ($failed -gt 0) { $run.Status = 'PartiallyFailed' }
    else { $run.Status = 'Succeeded' }
    if ($run.Status -eq 'Succeeded' -and $rolling -and ($arguments['Microsoft.RollingUpgradePlugin']['UpdateClusterFunctionalLevel'] -eq 'true') -and -not (Get-SimFunctionalLevelBlocker)) {
        if (Invoke-SimRaiseFunctionalLevel) { Add-SimLog -Cmdlet 'Update-ClusterFunctionalLevel' -Target $s.Cluster.Name -Outcome 'raised' -Source 'Invoke-CauRun' }
    }
    $run.Summary = [ordered]@{
        runId = [string]$run.RunId; plugins = @($plugins); status = $run.Status; reason = $run.Reason; maxFailedNodes = $maxFailed
        nodeResults = @($run.NodeResults | ForEach-Object { [ordered]@{ node = $_.Node; status = $_.Status; reason = $_.Reason; buildAfter = $_.BuildAfter } })
    }
    $s.CauRuns.Add($run)
    Add-SimLog -Cmdlet 'Invoke-CauRun' -Target $s.Cluster.Name -Parameters $logParams -Outcome $run.Status.ToLowerInvariant()

    $clusterResult = [pscustomobject][ordered]@{
        ClusterName = $s.Cluster.Name; RunId = $run.RunId; Status = $run.Status; ErrorRecordData = $run.Reason
        NodeResults = @($run.NodeResults | ForEach-Object {
                $nr = [pscustomobject][ordered]@{ Node = $_.Node; Status = $_.Status; ErrorRecordData = $(if ($_.Status -eq 'Failed') { $_.Reason } else { $null }); NumberOfSucceededUpdates = $_.Installed; NumberOfFailedUpdates = $(if ($_.Status -eq 'Failed') { 1 } else { 0 }) }
                $nr.PSTypeNames.Insert(0, 'Microsoft.ClusterAwareUpdating.NodeResult')
                $nr
            })
    }
    $clusterResult.PSTypeNames.Insert(0, 'Microsoft.ClusterAwareUpdating.ClusterResult')
    $clusterResult
    if ($run.Status -eq 'Failed') {
        Write-SimError -Cmdlet $PSCmdlet -Message ("The Updating Run on cluster '{0}' failed: {1}." -f $s.Cluster.Name, $run.Reason) -ErrorId 'UpdatingRunFailed' -Category 'OperationStopped' -Target $s.Cluster.Name
    }
}

function Get-CauRun {
    [CmdletBinding(DefaultParameterSetName = 'DefaultParamSet')]
    param(
        [Parameter(Position = 0)][string]$ClusterName,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'WaitForStart')][switch]$WaitForStart,
        [Parameter(ParameterSetName = 'WaitForCompletion')][switch]$WaitForCompletion,
        [Parameter(ParameterSetName = 'ShowClusterNodeState')][switch]$ShowClusterNodeState
    )
    Assert-SimReady; Add-SimCall 'Get-CauRun'
    Resolve-SimCauCluster -Cmdlet $PSCmdlet -ClusterName $ClusterName
    # Runs complete inside Invoke-CauRun, so none is ever in progress when this is called.
    Write-Warning ('No Updating Run is currently in progress on cluster {0}.' -f $script:Sim.Cluster.Name)
    'RunNotInProgress'
}

function Get-CauReport {
    [CmdletBinding(DefaultParameterSetName = 'AllParamsSet')]
    param(
        [Parameter(Position = 0)][string]$ClusterName,
        [Parameter(ParameterSetName = 'RangeParamSet', Position = 1)][datetime]$StartDate,
        [Parameter(ParameterSetName = 'RangeParamSet', Position = 2)][datetime]$EndDate,
        [Parameter(ParameterSetName = 'LastParamSet')][switch]$Last,
        [Parameter(ParameterSetName = 'AllParamsSet')][Parameter(ParameterSetName = 'RangeParamSet')][Parameter(ParameterSetName = 'LastParamSet')][switch]$Detailed,
        [Parameter(ParameterSetName = 'SpecificReportParamSet', ValueFromPipeline = $true)][psobject]$Report,
        [pscredential]$Credential
    )
    Assert-SimReady; Add-SimCall 'Get-CauReport'
    Resolve-SimCauCluster -Cmdlet $PSCmdlet -ClusterName $ClusterName
    $runs = @($script:Sim.CauRuns)
    if ($Last) { $runs = @($runs | Select-Object -Last 1) }
    foreach ($r in $runs) {
        $o = [pscustomobject][ordered]@{
            ClusterName = $script:Sim.Cluster.Name; RunId = $r.RunId; Status = $r.Status; Plugins = ($r.Plugins -join ',')
            ClusterResult = [pscustomobject][ordered]@{ Status = $r.Status; NodeResults = @($r.NodeResults) }
        }
        $o.PSTypeNames.Insert(0, 'Microsoft.ClusterAwareUpdating.CauReport')
        $o
    }
}

function Test-CauSetup {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string]$ClusterName,
        [Parameter(Position = 1)][pscredential]$Credential
    )
    Assert-SimReady; Add-SimCall 'Test-CauSetup'
    Resolve-SimCauCluster -Cmdlet $PSCmdlet -ClusterName $ClusterName
    $o = [pscustomobject][ordered]@{ ClusterName = $script:Sim.Cluster.Name; Status = 'Completed'; PercentComplete = 100 }
    $o.PSTypeNames.Insert(0, 'Microsoft.ClusterAwareUpdating.CauBpaProgress')
    $o
}
