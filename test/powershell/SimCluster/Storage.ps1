# Storage (CDXML) stand-ins. Signatures: docset/winserver2022-ps/storage (see cmdlet-catalog.json). Every
# set takes -CimSession (alias Session), -ThrottleLimit and -AsJob; a computer name passed to -CimSession
# is accepted, as the real cmdlets do. Sets keyed by CIM objects from other Storage cmdlets are left out.

$script:JobStates = @('New', 'Starting', 'Running', 'Suspended', 'ShuttingDown', 'Completed', 'Terminated', 'Killed', 'Exception', 'Service', 'QueryPending')
$script:HealthStates = @('Healthy', 'Warning', 'Unhealthy', 'Unknown')

function Resolve-SimStorageTarget {
    # Returns $true when the storage of the simulated cluster can be reached through -CimSession.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string[]]$CimSession)
    $target = $(if ($CimSession -and $CimSession.Count -gt 0) { [string]$CimSession[0] } else { Get-SimCurrentContext })
    $r = Resolve-SimComputer -Cmdlet $Cmdlet -Name $target -Protocol 'The WinRM client (CIM)'
    if ($null -eq $r) { return $false }
    if ($r -is [string]) { return $false }
    return $true
}

function New-SimStorageJobObject($job) {
    $o = [pscustomobject][ordered]@{
        Name = $job.Name; Description = $job.Description; JobState = $job.JobState; PercentComplete = $job.PercentComplete
        IsBackgroundTask = $true; ElapsedTime = '00:05:00'; BytesProcessed = 0; BytesTotal = 0; UniqueId = ('{0}-{1}' -f $job.VirtualDisk, $job.Node)
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StorageJob')
    $o
}

function Get-StorageJob {
    [CmdletBinding(DefaultParameterSetName = 'ByFriendlyName')]
    param(
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)][Alias('Id')][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByVirtualDisk')][Parameter(ParameterSetName = 'ByStoragePool')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByUniqueId')][Parameter(ParameterSetName = 'ByVirtualDisk')][Parameter(ParameterSetName = 'ByStoragePool')]
        [ValidateSet('New', 'Starting', 'Running', 'Suspended', 'ShuttingDown', 'Completed', 'Terminated', 'Killed', 'Exception', 'Service', 'QueryPending')][string[]]$JobState,
        [Parameter(ParameterSetName = 'ByStoragePool', ValueFromPipeline = $true)][psobject]$StoragePool,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimReady; Add-SimCall 'Get-StorageJob'
    if (-not (Resolve-SimStorageTarget -Cmdlet $PSCmdlet -CimSession $CimSession)) { return }
    if (-not $script:Sim.Cluster.Running) { return }
    # Each query is one poll of the storage subsystem: repair advances between polls.
    Step-SimStorageJobs
    foreach ($j in $script:Sim.StorageJobs) {
        if ($JobState -and $j.JobState -notin $JobState) { continue }
        if ($Name -and $j.Name -notin $Name) { continue }
        New-SimStorageJobObject $j
    }
}

function New-SimPoolObject([bool]$Primordial) {
    $p = $script:Sim.Pool
    $o = [pscustomobject][ordered]@{
        FriendlyName = $(if ($Primordial) { 'Primordial' } else { $p.FriendlyName })
        IsPrimordial = $Primordial
        OperationalStatus = $(if ($script:Sim.Cluster.Running) { 'OK' } else { 'Detached' })
        HealthStatus = $(if ($Primordial) { 'Healthy' } else { Get-SimPoolHealth })
        IsReadOnly = $false
        Version = $(if ($Primordial) { 0 } else { $p.Version })
        Size = 0; AllocatedSize = 0; UniqueId = $(if ($Primordial) { 'primordial' } else { 'pool-1' })
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StoragePool')
    $o
}

function Get-StoragePool {
    [CmdletBinding(DefaultParameterSetName = 'ByFriendlyName')]
    param(
        [Parameter(ParameterSetName = 'ByFriendlyName', Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)][Alias('Id')][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'ByFriendlyName', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ByUsage', ValueFromPipelineByPropertyName = $true)]
        [ValidateSet('Unknown', 'Other', 'Unrestricted', 'ReservedForComputerSystem', 'ReservedAsDeltaReplicaContainer', 'ReservedForMigrationServices', 'ReservedForLocalReplicationServices', 'ReservedForRemoteReplicationServices', 'ReservedForSparing')][string[]]$Usage,
        [Parameter(ParameterSetName = 'ByUsage', ValueFromPipelineByPropertyName = $true)][string[]]$OtherUsageDescription,
        [bool[]]$IsPrimordial,
        [ValidateSet('Healthy', 'Warning', 'Unhealthy', 'Unknown')][string[]]$HealthStatus,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimReady; Add-SimCall 'Get-StoragePool'
    if (-not (Resolve-SimStorageTarget -Cmdlet $PSCmdlet -CimSession $CimSession)) { return }
    foreach ($primordial in @($true, $false)) {
        if ($null -ne $IsPrimordial -and $IsPrimordial.Count -gt 0 -and $primordial -notin $IsPrimordial) { continue }
        $o = New-SimPoolObject $primordial
        if ($FriendlyName -and -not ($FriendlyName | Where-Object { $o.FriendlyName -like $_ })) { continue }
        if ($HealthStatus -and $o.HealthStatus -notin $HealthStatus) { continue }
        $o
    }
}

function Update-StoragePool {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ByFriendlyName')]
    param(
        [Parameter(ParameterSetName = 'ByFriendlyName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByUniqueId', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('Id')][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][psobject[]]$InputObject,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        Assert-SimReady; Add-SimCall 'Update-StoragePool'
        $p = $script:Sim.Pool
        $wanted = $(switch ($PSCmdlet.ParameterSetName) {
                'ByFriendlyName' { @($FriendlyName) }
                'InputObject (cdxml)' { @($InputObject | ForEach-Object { $_.FriendlyName }) }
                default { @($p.FriendlyName) }
            })
        if (-not (Resolve-SimStorageTarget -Cmdlet $PSCmdlet -CimSession $CimSession)) {
            Add-SimLog -Cmdlet 'Update-StoragePool' -Target ($wanted -join ',') -Outcome 'failed: storage unreachable'
            return
        }
        if (-not ($wanted | Where-Object { $p.FriendlyName -like $_ })) {
            Add-SimLog -Cmdlet 'Update-StoragePool' -Target ($wanted -join ',') -Outcome 'failed: no such pool'
            Write-SimError -Cmdlet $PSCmdlet -Message ("No MSFT_StoragePool objects found with property 'FriendlyName' equal to '{0}'. Verify the value of the property and retry." -f ($wanted -join ',')) -ErrorId 'CmdletizationQuery_NotFound_FriendlyName,Update-StoragePool' -Category 'ObjectNotFound' -Target ($wanted -join ',')
            return
        }
        Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Update-StoragePool' -Suppressed ((Test-SimConfirmFalse $PSBoundParameters) -or $WhatIfPreference) -How '-Confirm:$false'
        if (-not $PSCmdlet.ShouldProcess($p.FriendlyName, 'Update-StoragePool')) { return }
        $c = $script:Sim.Cluster
        if (-not $c.Running) {
            Add-SimLog -Cmdlet 'Update-StoragePool' -Target $p.FriendlyName -Outcome 'failed: pool offline'
            Stop-SimCmdlet -Cmdlet $PSCmdlet -Message 'Update-StoragePool failed: the storage pool is offline (the cluster is stopped).' -ErrorId 'StorageWMI 40001,Update-StoragePool' -Target $p.FriendlyName
        }
        if ($c.FunctionalLevel -lt $c.RaisedFunctionalLevel) {
            Add-SimLog -Cmdlet 'Update-StoragePool' -Target $p.FriendlyName -Outcome 'failed: functional level not raised'
            Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("Update-StoragePool failed: the storage pool '{0}' cannot be upgraded until the cluster functional level has been updated (Update-ClusterFunctionalLevel)." -f $p.FriendlyName) -ErrorId 'StorageWMI 40001,Update-StoragePool' -Target $p.FriendlyName
        }
        $outcome = 'already current'
        if ($p.Version -lt $p.UpdatedVersion) { $p.Version = $p.UpdatedVersion; $p.Updates++; $outcome = 'updated' }
        Add-SimLog -Cmdlet 'Update-StoragePool' -Target $p.FriendlyName -Parameters ([ordered]@{ Version = $p.Version }) -Outcome $outcome
        if ($PassThru) { New-SimPoolObject $false }
    }
}

function Get-VirtualDisk {
    [CmdletBinding(DefaultParameterSetName = 'ByFriendlyName')]
    param(
        [Parameter(ParameterSetName = 'ByFriendlyName', Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)][Alias('Id')][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'ByStoragePool', ValueFromPipeline = $true)][psobject]$StoragePool,
        [ValidateSet('Unknown', 'Other', 'Unrestricted', 'ReservedForComputerSystem', 'ReservedForReplicationServices', 'ReservedForMigrationServices', 'LocalReplicaSource', 'RemoteReplicaSource', 'LocalReplicaTarget', 'RemoteReplicaTarget', 'LocalReplicaSourceOrTarget', 'RemoteReplicaSourceOrTarget', 'DeltaReplicaTarget', 'ElementComponent', 'ReservedAsPoolContributer', 'CompositeVolumeMember', 'CompositeVirtualDiskMember', 'ReservedForSparing')][string[]]$Usage,
        [string[]]$OtherUsageDescription,
        [bool[]]$IsSnapshot,
        [ValidateSet('Healthy', 'Warning', 'Unhealthy', 'Unknown')][string[]]$HealthStatus,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-VirtualDisk'
        if (-not (Resolve-SimStorageTarget -Cmdlet $PSCmdlet -CimSession $CimSession)) { return }
        foreach ($d in $script:Sim.VirtualDisks) {
            if ($FriendlyName -and -not ($FriendlyName | Where-Object { $d.FriendlyName -like $_ })) { continue }
            $health = Get-SimDiskHealth $d
            if ($HealthStatus -and $health -notin $HealthStatus) { continue }
            $o = [pscustomobject][ordered]@{
                FriendlyName = $d.FriendlyName; HealthStatus = $health
                OperationalStatus = $(if (-not $script:Sim.Cluster.Running -or -not $d.CsvOnline) { 'Detached' } elseif ($health -eq 'Healthy') { 'OK' } else { 'Degraded' })
                ResiliencySettingName = 'Mirror'; IsManualAttach = $true; UniqueId = $d.FriendlyName
            }
            $o.PSTypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_VirtualDisk')
            $o
        }
    }
}

function Get-Volume {
    [CmdletBinding(DefaultParameterSetName = 'ByDriveLetter')]
    param(
        [Parameter(ParameterSetName = 'ByDriveLetter', Position = 0, ValueFromPipelineByPropertyName = $true)][char[]]$DriveLetter,
        [Parameter(ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true)][Alias('Id')][string[]]$ObjectId,
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByPaths', ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByLabel', ValueFromPipelineByPropertyName = $true)][string[]]$FileSystemLabel,
        [Parameter(ParameterSetName = 'ByFilePath', ValueFromPipelineByPropertyName = $true)][Alias('FullName')][string]$FilePath,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimReady; Add-SimCall 'Get-Volume'
    if (-not (Resolve-SimStorageTarget -Cmdlet $PSCmdlet -CimSession $CimSession)) { return }
    foreach ($d in $script:Sim.VirtualDisks) {
        # A CSV volume is visible only while its disk is online in a running cluster.
        if (-not $script:Sim.Cluster.Running -or -not $d.CsvOnline) { continue }
        if ($FileSystemLabel -and $d.FriendlyName -notin $FileSystemLabel) { continue }
        $o = [pscustomobject][ordered]@{
            DriveLetter = $null; FileSystemLabel = $d.FriendlyName; FileSystem = 'CSVFS_ReFS'; FileSystemType = 'CSVFS_ReFS'
            HealthStatus = (Get-SimDiskHealth $d); OperationalStatus = 'OK'; Path = ('C:\ClusterStorage\{0}' -f $d.FriendlyName)
            Size = 1TB; SizeRemaining = 512GB
        }
        $o.PSTypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Volume')
        $o
    }
}
