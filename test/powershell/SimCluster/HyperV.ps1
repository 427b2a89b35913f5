# Hyper-V stand-ins. Signatures: docset/winserver2022-ps/hyper-v (see cmdlet-catalog.json). VM objects carry
# the type name Microsoft.HyperV.PowerShell.VirtualMachine, and -VM accepts nothing else.

function New-SimVmObject($vm) {
    $o = [pscustomobject][ordered]@{
        Name = $vm.Name; VMName = $vm.Name; Id = $vm.Id; VMId = $vm.Id; State = $vm.State; Version = $vm.Version
        ComputerName = (Get-SimVmHost $vm); IsClustered = $true
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VirtualMachine')
    $o
}

function Get-SimVmRecords {
    # Resolves -VM objects or -Name (+ -ComputerName) to VM records, writing an error for each miss.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [object[]]$VM, [string[]]$Name, [string[]]$ComputerName)
    if ($VM) {
        foreach ($v in $VM) {
            $r = $script:Sim.Vms | Where-Object { $_.Id -eq $v.Id } | Select-Object -First 1
            if ($r) { $r } else { Write-SimError -Cmdlet $Cmdlet -Message ("The virtual machine '{0}' no longer exists." -f $v.Name) -ErrorId 'ObjectNotFound' -Category 'ObjectNotFound' -Target $v.Name }
        }
        return
    }
    $hosts = @($ComputerName | Where-Object { $_ })
    if ($hosts.Count -eq 0) { $hosts = @(Get-SimCurrentContext) }
    $hostNodes = @()
    foreach ($h in $hosts) {
        $r = Resolve-SimComputer -Cmdlet $Cmdlet -Name $h -Protocol 'Hyper-V (WMI)'
        if ($r -and $r -isnot [string]) { $hostNodes += $r.Name }
    }
    foreach ($n in $Name) {
        $found = @($script:Sim.Vms | Where-Object { $_.Name -like $n -and (Get-SimVmHost $_) -in $hostNodes })
        if ($found.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
            Write-SimError -Cmdlet $Cmdlet -Message ("Hyper-V was unable to find a virtual machine with name '{0}'." -f $n) -ErrorId 'InvalidParameter' -Category 'InvalidArgument' -Target $n
        }
        $found
    }
}

function Get-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][string[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][guid]$Id,
        [Parameter(ParameterSetName = 'ClusterObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][psobject]$ClusterObject
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-VM'
        if ($PSCmdlet.ParameterSetName -eq 'ClusterObject') {
            $r = $script:Sim.Vms | Where-Object { $_.Name -eq $ClusterObject.Name } | Select-Object -First 1
            if ($r) { New-SimVmObject $r }
            return
        }
        $names = $(if ($Name) { $Name } else { @('*') })
        foreach ($r in @(Get-SimVmRecords -Cmdlet $PSCmdlet -Name $names -ComputerName @($ComputerName + $CimSession))) {
            if ($PSCmdlet.ParameterSetName -eq 'Id' -and $r.Id -ne $Id) { continue }
            New-SimVmObject $r
        }
    }
}

function Set-SimVmState {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Verb, [hashtable]$Bound, [scriptblock]$Change)
    $records = @(Get-SimVmRecords -Cmdlet $Cmdlet -VM $Bound['VM'] -Name $Bound['Name'] -ComputerName @($Bound['ComputerName']))
    foreach ($r in $records) {
        try { & $Change $r }
        catch {
            Add-SimLog -Cmdlet $Verb -Target $r.Name -Outcome ('failed: ' + $_.Exception.Message)
            Write-SimError -Cmdlet $Cmdlet -Message $_.Exception.Message -ErrorId ('{0}Failed' -f ($Verb -replace '-', '')) -Target $r.Name
            continue
        }
        Add-SimLog -Cmdlet $Verb -Target $r.Name -Parameters ([ordered]@{ State = $r.State; Version = $r.Version })
        if ($Bound['Passthru']) { New-SimVmObject $r }
    }
}

function Stop-VM {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name')][string[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [switch]$Save,
        [switch]$TurnOff,
        [switch]$Force,
        [switch]$AsJob,
        [switch]$Passthru
    )
    process {
        Assert-SimReady; Add-SimCall 'Stop-VM'
        Set-SimVmState -Cmdlet $PSCmdlet -Verb 'Stop-VM' -Bound $PSBoundParameters -Change {
            param($r)
            $r.State = $(if ($Save) { 'Saved' } else { 'Off' })
        }
    }
}

function Start-VM {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name')][string[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [switch]$AsJob,
        [switch]$Passthru
    )
    process {
        Assert-SimReady; Add-SimCall 'Start-VM'
        Set-SimVmState -Cmdlet $PSCmdlet -Verb 'Start-VM' -Bound $PSBoundParameters -Change {
            param($r)
            $vmHost = Get-SimNodeRecord (Get-SimVmHost $r)
            if (-not $vmHost -or (Get-SimNodeState $vmHost) -eq 'Down') { throw ("The host of virtual machine '{0}' is not available." -f $r.Name) }
            $r.State = 'Running'
        }
    }
}

function Update-VMVersion {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name')][string[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [switch]$Force,
        [switch]$AsJob,
        [switch]$Passthru
    )
    process {
        Assert-SimReady; Add-SimCall 'Update-VMVersion'
        Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Update-VMVersion' -Suppressed ($Force -or (Test-SimConfirmFalse $PSBoundParameters)) -How '-Force'
        Set-SimVmState -Cmdlet $PSCmdlet -Verb 'Update-VMVersion' -Bound $PSBoundParameters -Change {
            param($r)
            if ($r.State -ne 'Off') { throw ("Cannot upgrade the configuration version of virtual machine '{0}' while it is {1}; turn it off first." -f $r.Name, $r.State) }
            $c = $script:Sim.Cluster
            if ($c.FunctionalLevel -lt $c.RaisedFunctionalLevel) { throw ("The configuration version of '{0}' cannot be upgraded before the cluster functional level is updated." -f $r.Name) }
            if ($r.Version -ne $script:Sim.UpdatedVmVersion) { $r.Version = $script:Sim.UpdatedVmVersion; $r.Updates++ }
        }
    }
}
