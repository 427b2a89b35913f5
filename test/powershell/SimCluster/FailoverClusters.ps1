# FailoverClusters stand-ins. Signatures: MicrosoftDocs/windows-powershell-docs, docset/winserver2022-ps/FailoverClusters
# (see cmdlet-catalog.json). Name parameters are StringCollection like the real ones.

function Get-SimTargetClusterName {
    # -InputObject (a cluster object from the pipeline) wins over -Cluster, as in the real cmdlets.
    param($InputObject, [string]$Cluster)
    if ($null -ne $InputObject -and $InputObject.PSObject.Properties['Cluster']) { return [string]$InputObject.Cluster }
    if ($null -ne $InputObject -and $InputObject.PSTypeNames -contains 'Microsoft.FailoverClusters.PowerShell.Cluster') { return [string]$InputObject.Name }
    return $Cluster
}

function Get-Cluster {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string]$Name,
        [string]$Domain
    )
    Assert-SimReady; Add-SimCall 'Get-Cluster'
    if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name $Name)) { return }
    New-SimClusterObject
}

function Get-ClusterNode {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-ClusterNode'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        Step-SimDrains
        if ($null -eq $Name -or $Name.Count -eq 0) {
            foreach ($n in $script:Sim.Nodes.Values) { New-SimNodeObject $n }
            return
        }
        foreach ($wanted in $Name) {
            $n = Get-SimNodeRecord $wanted
            if ($n) { New-SimNodeObject $n }
            else { Write-SimError -Cmdlet $PSCmdlet -Message ("The cluster node '{0}' was not found." -f $wanted) -ErrorId 'ClusterNodeNotFound' -Category 'ObjectNotFound' -Target $wanted }
        }
    }
}

function Suspend-ClusterNode {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [switch]$Drain,
        [switch]$ForceDrain,
        [switch]$Wait,
        [Parameter(Position = 1)][string]$TargetNode,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Suspend-ClusterNode'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        $names = @()
        if ($null -ne $Name -and $Name.Count -gt 0) { $names = @($Name) }
        elseif ($null -ne $InputObject -and $InputObject.PSTypeNames -contains 'Microsoft.FailoverClusters.PowerShell.ClusterNode') { $names = @($InputObject.Name) }
        else { $names = @(Get-SimCurrentContext) }
        foreach ($wanted in $names) {
            $n = Get-SimNodeRecord $wanted
            $params = [ordered]@{ Drain = [bool]($Drain -or $ForceDrain); Wait = [bool]$Wait; TargetNode = $TargetNode }
            if (-not $n) {
                Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $wanted -Parameters $params -Outcome 'failed: no such node'
                Write-SimError -Cmdlet $PSCmdlet -Message ("The cluster node '{0}' was not found." -f $wanted) -ErrorId 'ClusterNodeNotFound' -Category 'ObjectNotFound' -Target $wanted
                continue
            }
            if (-not $PSCmdlet.ShouldProcess($n.Name, 'Suspend-ClusterNode')) { continue }
            try {
                if ($Drain -or $ForceDrain) { Invoke-SimDrain -node $n -TargetNode $TargetNode -Background:(-not $Wait) }
                elseif ((Get-SimNodeState $n) -eq 'Down') { throw ("The node '{0}' is down and cannot be paused." -f $n.Name) }
                else { $n.Paused = $true }
            }
            catch {
                Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $n.Name -Parameters $params -Outcome ('failed: ' + $_.Exception.Message)
                Write-SimError -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId 'SuspendClusterNodeFailed' -Target $n.Name
                continue
            }
            Add-SimLog -Cmdlet 'Suspend-ClusterNode' -Target $n.Name -Parameters $params
            New-SimNodeObject $n
        }
    }
}

function Resume-ClusterNode {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [Parameter(Position = 1)][ValidateSet('NoFailback', 'Immediate', 'Policy')][string]$Failback,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Resume-ClusterNode'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        $names = @()
        if ($null -ne $Name -and $Name.Count -gt 0) { $names = @($Name) }
        elseif ($null -ne $InputObject -and $InputObject.PSTypeNames -contains 'Microsoft.FailoverClusters.PowerShell.ClusterNode') { $names = @($InputObject.Name) }
        else { $names = @(Get-SimCurrentContext) }
        $mode = $(if ($Failback) { $Failback } else { 'NoFailback' })
        foreach ($wanted in $names) {
            $n = Get-SimNodeRecord $wanted
            if (-not $n) {
                Add-SimLog -Cmdlet 'Resume-ClusterNode' -Target $wanted -Parameters ([ordered]@{ Failback = $mode }) -Outcome 'failed: no such node'
                Write-SimError -Cmdlet $PSCmdlet -Message ("The cluster node '{0}' was not found." -f $wanted) -ErrorId 'ClusterNodeNotFound' -Category 'ObjectNotFound' -Target $wanted
                continue
            }
            try { Invoke-SimResume -node $n -Failback $mode }
            catch {
                Add-SimLog -Cmdlet 'Resume-ClusterNode' -Target $n.Name -Parameters ([ordered]@{ Failback = $mode }) -Outcome ('failed: ' + $_.Exception.Message)
                Write-SimError -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId 'ResumeClusterNodeFailed' -Target $n.Name
                continue
            }
            Add-SimLog -Cmdlet 'Resume-ClusterNode' -Target $n.Name -Parameters ([ordered]@{ Failback = $mode })
            New-SimNodeObject $n
        }
    }
}

function Get-ClusterGroup {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][guid]$VMId,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-ClusterGroup'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        $groups = @($script:Sim.Groups)
        if ($null -ne $InputObject -and $InputObject.PSTypeNames -contains 'Microsoft.FailoverClusters.PowerShell.ClusterNode') {
            $groups = @($groups | Where-Object { $_.OwnerNode -ieq $InputObject.Name })
        }
        if ($null -ne $Name -and $Name.Count -gt 0) {
            foreach ($wanted in $Name) {
                $g = $groups | Where-Object { $_.Name -ieq $wanted } | Select-Object -First 1
                if ($g) { New-SimGroupObject $g }
                else { Write-SimError -Cmdlet $PSCmdlet -Message ("The cluster group '{0}' was not found." -f $wanted) -ErrorId 'ClusterGroupNotFound' -Category 'ObjectNotFound' -Target $wanted }
            }
            return
        }
        foreach ($g in $groups) { New-SimGroupObject $g }
    }
}

function Get-ClusterSharedVolume {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-ClusterSharedVolume'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        foreach ($d in $script:Sim.VirtualDisks) {
            if ($null -ne $Name -and $Name.Count -gt 0 -and -not (@($Name) -icontains $d.CsvName)) { continue }
            New-SimCsvObject $d
        }
    }
}

function Set-SimCsvState {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Verb, [System.Collections.Specialized.StringCollection]$Name, $InputObject, [string]$Cluster, [bool]$Online)
    if (-not (Resolve-SimCluster -Cmdlet $Cmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
    $names = @()
    if ($null -ne $Name -and $Name.Count -gt 0) { $names = @($Name) }
    elseif ($null -ne $InputObject) { $names = @([string]$InputObject.Name) }
    else {
        Stop-SimCmdlet -Cmdlet $Cmdlet -Message ('{0}: specify -Name or pipe a cluster resource.' -f $Verb) -ErrorId 'MissingResource' -Category 'InvalidArgument'
    }
    foreach ($wanted in $names) {
        $d = $script:Sim.VirtualDisks | Where-Object { $_.CsvName -ieq $wanted } | Select-Object -First 1
        if (-not $d) {
            Add-SimLog -Cmdlet $Verb -Target $wanted -Outcome 'failed: no such resource'
            Write-SimError -Cmdlet $Cmdlet -Message ("The cluster resource '{0}' was not found." -f $wanted) -ErrorId 'ClusterResourceNotFound' -Category 'ObjectNotFound' -Target $wanted
            continue
        }
        $d.CsvOnline = $Online
        Add-SimLog -Cmdlet $Verb -Target $d.CsvName
        $o = [pscustomobject][ordered]@{ Name = $d.CsvName; State = $(if ($Online) { 'Online' } else { 'Offline' }); OwnerGroup = 'Cluster Shared Volume'; ResourceType = 'Physical Disk' }
        $o.PSTypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterResource')
        $o
    }
}

function Stop-ClusterResource {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [switch]$IgnoreLocked,
        [int]$Wait,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Stop-ClusterResource'
        Set-SimCsvState -Cmdlet $PSCmdlet -Verb 'Stop-ClusterResource' -Name $Name -InputObject $InputObject -Cluster $Cluster -Online $false
    }
}

function Start-ClusterResource {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Name,
        [switch]$IgnoreLocked,
        [switch]$ChooseSubsystemNode,
        [int]$Wait,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Start-ClusterResource'
        Set-SimCsvState -Cmdlet $PSCmdlet -Verb 'Start-ClusterResource' -Name $Name -InputObject $InputObject -Cluster $Cluster -Online $true
    }
}

function Stop-Cluster {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Cluster name')]
    param(
        [Parameter(Position = 0, ParameterSetName = 'Cluster name')][Alias('Name')][string]$Cluster,
        [switch]$Force,
        [int]$Wait,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][psobject]$InputObject
    )
    process {
        Assert-SimReady; Add-SimCall 'Stop-Cluster'
        $name = Get-SimTargetClusterName $InputObject $Cluster
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name $name)) { return }
        Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Stop-Cluster' -Suppressed ($Force -or (Test-SimConfirmFalse $PSBoundParameters)) -How '-Force'
        if (-not $PSCmdlet.ShouldProcess($script:Sim.Cluster.Name, 'Stop-Cluster')) { return }
        $online = @($script:Sim.VirtualDisks | Where-Object { $_.CsvOnline } | ForEach-Object { $_.CsvName })
        $script:Sim.Cluster.Running = $false
        foreach ($n in $script:Sim.Nodes.Values) { $n.ClusSvcRunning = $false }
        foreach ($g in $script:Sim.Groups) { if ($g.GroupType -eq 'VirtualMachine') { $g.State = 'Offline' } }
        foreach ($vm in $script:Sim.Vms) { $vm.State = 'Off' }
        Add-SimLog -Cmdlet 'Stop-Cluster' -Target $script:Sim.Cluster.Name -Parameters ([ordered]@{ Force = [bool]$Force; CsvsStillOnline = ($online -join ',') })
    }
}

function Start-Cluster {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][Alias('Cluster')][string]$Name,
        [Alias('ips')][switch]$IgnorePersistentState,
        [int]$Wait
    )
    Assert-SimReady; Add-SimCall 'Start-Cluster'
    $s = $script:Sim
    if ($Name -and $Name -ine $s.Cluster.Name -and -not (Get-SimNodeRecord $Name)) {
        Add-SimLog -Cmdlet 'Start-Cluster' -Target $Name -Outcome 'failed: unknown cluster'
        Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("Failed to start cluster '{0}': the name could not be resolved." -f $Name) -ErrorId 'ClusterNotFound' -Category 'ObjectNotFound' -Target $Name
    }
    if ($s.Cluster.Running) { Add-SimLog -Cmdlet 'Start-Cluster' -Target $s.Cluster.Name -Outcome 'already running'; return (New-SimClusterObject) }
    $startable = @($s.Nodes.Values | Where-Object { $_.OsUp -and $_.ClusSvcStartType -ne 'Disabled' })
    $blocked = @($s.Nodes.Values | Where-Object { -not ($_.OsUp -and $_.ClusSvcStartType -ne 'Disabled') } | ForEach-Object { $_.Name })
    if ($startable.Count -le [math]::Floor($s.Nodes.Count / 2)) {
        Add-SimLog -Cmdlet 'Start-Cluster' -Target $s.Cluster.Name -Parameters ([ordered]@{ NodesNotStarted = ($blocked -join ',') }) -Outcome 'failed: no quorum'
        Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("Failed to start cluster '{0}': the cluster service could not be started on enough nodes to achieve quorum (not started on: {1})." -f $s.Cluster.Name, ($blocked -join ', ')) -ErrorId 'ClusterQuorumNotAchieved' -Target $s.Cluster.Name
    }
    $s.Cluster.Running = $true
    foreach ($n in $startable) { $n.ClusSvcRunning = $true }
    foreach ($g in $s.Groups) {
        if ($g.GroupType -eq 'VirtualMachine') { $g.State = 'Online' }
        $owner = Get-SimNodeRecord $g.OwnerNode
        if ((Get-SimNodeState $owner) -ne 'Up') {
            $up = $startable | Where-Object { -not $_.Paused } | Select-Object -First 1
            if ($up) { $g.OwnerNode = $up.Name }
        }
    }
    foreach ($vm in $s.Vms) { $vm.State = 'Running' }
    # Every node rejoins with stale storage: Storage Spaces Direct resynchronises.
    Start-SimStorageRepair -Node '*'
    Add-SimLog -Cmdlet 'Start-Cluster' -Target $s.Cluster.Name -Parameters ([ordered]@{ NodesNotStarted = ($blocked -join ',') })
    if ($blocked.Count -gt 0) {
        Write-SimError -Cmdlet $PSCmdlet -Message ("The cluster service could not be started on node(s) {0}." -f ($blocked -join ', ')) -ErrorId 'ClusterNodeNotStarted' -Target $s.Cluster.Name
    }
    New-SimClusterObject
}

function Update-ClusterFunctionalLevel {
    # Only -WhatIf is documented (no -Confirm), so it is declared by hand rather than via SupportsShouldProcess.
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [switch]$Force,
        [switch]$WhatIf,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Update-ClusterFunctionalLevel'
        $name = Get-SimTargetClusterName $InputObject $Cluster
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name $name)) {
            Add-SimLog -Cmdlet 'Update-ClusterFunctionalLevel' -Target $name -Outcome 'failed: cluster unavailable'
            return
        }
        $blocker = Get-SimFunctionalLevelBlocker
        if ($WhatIf) {
            Add-SimLog -Cmdlet 'Update-ClusterFunctionalLevel' -Target $script:Sim.Cluster.Name -Parameters ([ordered]@{ WhatIf = $true }) -Outcome $(if ($blocker) { 'whatif: blocked' } else { 'whatif: ok' })
            return
        }
        if ($blocker) {
            Add-SimLog -Cmdlet 'Update-ClusterFunctionalLevel' -Target $script:Sim.Cluster.Name -Parameters ([ordered]@{ Force = [bool]$Force }) -Outcome ('failed: ' + $blocker)
            Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("Update-ClusterFunctionalLevel failed: {0}." -f $blocker) -ErrorId 'UpdateClusterFunctionalLevelFailed' -Target $script:Sim.Cluster.Name
        }
        if (-not $Force) {
            Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Update-ClusterFunctionalLevel' -Suppressed $false -How '-Force (the "You cannot undo this operation" prompt)'
        }
        $raised = Invoke-SimRaiseFunctionalLevel
        Add-SimLog -Cmdlet 'Update-ClusterFunctionalLevel' -Target $script:Sim.Cluster.Name -Parameters ([ordered]@{ Force = [bool]$Force }) -Outcome $(if ($raised) { 'raised' } else { 'already current' })
        New-SimClusterObject
    }
}

function Test-Cluster {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Position = 0)][System.Collections.Specialized.StringCollection]$Node,
        [object[]]$Disk,
        [object[]]$Pool,
        [string]$ReportName,
        [switch]$List,
        [System.Collections.Specialized.StringCollection]$Include,
        [System.Collections.Specialized.StringCollection]$Ignore,
        [switch]$Force,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [string]$Cluster
    )
    process {
        Assert-SimReady; Add-SimCall 'Test-Cluster'
        if (-not (Resolve-SimCluster -Cmdlet $PSCmdlet -Name (Get-SimTargetClusterName $InputObject $Cluster))) { return }
        $notUp = @($script:Sim.Nodes.Values | Where-Object { (Get-SimNodeState $_) -ne 'Up' } | ForEach-Object { $_.Name })
        if ($notUp.Count -gt 0) { Write-Warning ('Test-Cluster: node(s) {0} are not Up; validation is incomplete.' -f ($notUp -join ', ')) }
        $report = [pscustomobject][ordered]@{
            Name = 'Validation Report.htm'; FullName = 'C:\Users\admin\AppData\Local\Temp\Validation Report.htm'; Length = 4096
        }
        $report
    }
}
