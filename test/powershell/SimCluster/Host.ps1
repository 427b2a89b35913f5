# Stand-ins for Windows PowerShell 5.1 host cmdlets the generated scripts use: remoting, CIM, services,
# restarts, WinRM/remoting setup, the firewall, module discovery, Azure registration, credentials, the
# operator (Read-Host) and time (Start-Sleep, Get-Date). Signatures follow Windows PowerShell 5.1 (the
# nodes' shell), so 7-only parameters such as Start-Sleep -Duration or Read-Host -MaskInput fail binding.

# ---------------------------------------------------------------------------------------------
# Remoting
# ---------------------------------------------------------------------------------------------

function ConvertTo-SimRemoteBlock {
    # Rebuilds a script block as the remote end sees it: unbound from the caller (no access to the
    # caller's variables or functions) and with every $using:name replaced by a variable whose value
    # is read from the caller now, as remoting does.
    param([scriptblock]$ScriptBlock, [System.Management.Automation.SessionState]$CallerState)
    $ast = $ScriptBlock.Ast
    $text = $ast.Extent.Text
    $base = $ast.Extent.StartOffset
    $values = @{}
    $usings = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.UsingExpressionAst] }, $true) | Sort-Object -Property { $_.Extent.StartOffset } -Descending)
    $i = 0
    foreach ($u in $usings) {
        $var = $u.SubExpression
        if ($var -isnot [System.Management.Automation.Language.VariableExpressionAst]) { throw ('SimCluster: unsupported $using expression {0}' -f $u.Extent.Text) }
        $name = $var.VariablePath.UserPath -replace '^using:', ''
        $psVar = $CallerState.PSVariable.Get($name)
        if ($null -eq $psVar) { throw ("The value of the using variable '`$using:{0}' cannot be retrieved because it has not been set in the local session." -f $name) }
        $local = '__SimUsing{0}' -f $i
        $values[$local] = $psVar.Value
        $start = $u.Extent.StartOffset - $base
        $text = $text.Remove($start, $u.Extent.EndOffset - $u.Extent.StartOffset).Insert($start, '$' + $local)
        $i++
    }
    if ($text.StartsWith('{') -and $text.EndsWith('}')) { $text = $text.Substring(1, $text.Length - 2) }
    [pscustomobject]@{ Block = [scriptblock]::Create($text); Values = $values }
}

function Invoke-SimRemoteBlock {
    # Runs a rebuilt block "on" a node: a fresh scope with remote defaults (no strict mode, errors
    # continue), $env:COMPUTERNAME and the simulation's current-node context set to the node.
    param($Remote, [string]$Node, [object[]]$Arguments, [System.Collections.Generic.List[object]]$PipelineInput)
    Set-StrictMode -Off
    $ErrorActionPreference = 'Continue'
    foreach ($k in $Remote.Values.Keys) { Set-Variable -Name $k -Value $Remote.Values[$k] }
    $savedName = $env:COMPUTERNAME
    $script:Sim.ContextStack.Push($Node)
    $env:COMPUTERNAME = $Node
    try {
        $block = $Remote.Block
        if ($null -eq $Arguments) { $Arguments = @() }
        if ($PipelineInput.Count -gt 0) { $PipelineInput | & $block @Arguments 2>&1 }
        else { & $block @Arguments 2>&1 }
    }
    finally {
        [void]$script:Sim.ContextStack.Pop()
        $env:COMPUTERNAME = $savedName
    }
}

function Invoke-Command {
    [CmdletBinding(DefaultParameterSetName = 'InProcess')]
    param(
        [Parameter(ParameterSetName = 'ComputerName', Position = 0)][Parameter(ParameterSetName = 'FilePathComputerName', Position = 0)]
        [Alias('Cn')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'FilePathComputerName', ValueFromPipelineByPropertyName = $true)]
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][ValidateRange(1, 65535)][int]$Port,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'FilePathComputerName', ValueFromPipelineByPropertyName = $true)][string]$ConfigurationName,
        [Parameter(ParameterSetName = 'ComputerName', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'FilePathComputerName', ValueFromPipelineByPropertyName = $true)][string]$ApplicationName,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][switch]$AsJob,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][Alias('Disconnected')][switch]$InDisconnectedSession,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][ValidateNotNullOrEmpty()][string[]]$SessionName,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][Alias('HCN')][switch]$HideComputerName,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][string]$JobName,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][object]$SessionOption,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')]
        [ValidateSet('Default', 'Basic', 'Negotiate', 'NegotiateWithImplicitCredential', 'Credssp', 'Digest', 'Kerberos')][string]$Authentication,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][switch]$EnableNetworkAccess,
        [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'FilePathComputerName')][string]$CertificateThumbprint,
        [Parameter(ParameterSetName = 'InProcess', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'ComputerName', Mandatory = $true, Position = 1)]
        [Alias('Command')][ValidateNotNull()][scriptblock]$ScriptBlock,
        [Parameter(ParameterSetName = 'InProcess')][switch]$NoNewScope,
        [Parameter(ParameterSetName = 'FilePathComputerName', Mandatory = $true, Position = 1)][Alias('PSPath')][string]$FilePath,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [Alias('Args')][object[]]$ArgumentList
    )
    begin { $pipelineInput = [System.Collections.Generic.List[object]]::new() }
    process { if ($PSBoundParameters.ContainsKey('InputObject')) { $pipelineInput.Add($InputObject) } }
    end {
        Assert-SimReady; Add-SimCall 'Invoke-Command'
        if ($null -eq $ArgumentList) { $ArgumentList = @() }
        if ($PSCmdlet.ParameterSetName -eq 'InProcess') {
            if ($NoNewScope) { . $ScriptBlock @ArgumentList } else { & $ScriptBlock @ArgumentList }
            return
        }
        if ($AsJob -or $InDisconnectedSession) {
            Stop-SimCmdlet -Cmdlet $PSCmdlet -Message 'SimCluster does not simulate remoting jobs (-AsJob, -InDisconnectedSession).' -ErrorId 'SimNotSupported' -Category 'NotImplemented'
        }
        if ($PSCmdlet.ParameterSetName -eq 'FilePathComputerName') {
            $ScriptBlock = [scriptblock]::Create([System.IO.File]::ReadAllText($FilePath))
        }
        $targets = $(if ($ComputerName) { $ComputerName } else { @('localhost') })
        try { $remote = ConvertTo-SimRemoteBlock -ScriptBlock $ScriptBlock -CallerState $PSCmdlet.SessionState }
        catch { Stop-SimCmdlet -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId 'UsingVariableIsUndefined' -Category 'InvalidOperation' }
        foreach ($target in $targets) {
            $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $target
            if ($null -eq $resolved) { continue }
            $nodeName = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
            try {
                foreach ($item in @(Invoke-SimRemoteBlock -Remote $remote -Node $nodeName -Arguments $ArgumentList -PipelineInput $pipelineInput)) {
                    if ($item -is [System.Management.Automation.ErrorRecord]) { Write-SimError -Cmdlet $PSCmdlet -Message $item.Exception.Message -ErrorId $item.FullyQualifiedErrorId -Category $item.CategoryInfo.Category -Target $nodeName }
                    else { $item }
                }
            }
            catch {
                # A terminating error on the remote end arrives as an error record from Invoke-Command.
                Write-SimError -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId 'RemoteTerminatingError' -Category 'OperationStopped' -Target $nodeName
            }
        }
    }
}

# ---------------------------------------------------------------------------------------------
# CIM
# ---------------------------------------------------------------------------------------------

function New-SimOperatingSystem([string]$Computer) {
    $node = Get-SimNodeRecord $Computer
    $build = $(if ($node) { $node.Build } else { $script:Sim.Orchestrator.Build })
    $caption = $(if ($node) { 'Microsoft Azure Stack HCI' } else { $script:Sim.Orchestrator.Caption })
    $o = [pscustomobject][ordered]@{
        Caption = $caption; BuildNumber = [string]$build; Version = ('10.0.{0}' -f $build); CSName = $Computer
        OSArchitecture = '64-bit'; LastBootUpTime = $script:Sim.StartTime.AddSeconds($script:Sim.ClockSeconds); PSComputerName = $Computer
    }
    $o.PSTypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_OperatingSystem')
    $o
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0)]
        [string]$ClassName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Alias('CN', 'ServerName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipeline = $true)]
        [object[]]$CimSession,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true)][string]$Query,
        [Parameter(ParameterSetName = 'QueryComputerSet')][Parameter(ParameterSetName = 'QuerySessionSet')][string]$QueryDialect,
        [string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string]$Filter,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][Alias('SelectProperties')][string[]]$Property,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][switch]$KeyOnly,
        [Alias('OT')][uint32]$OperationTimeoutSec,
        [switch]$Shallow
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-CimInstance'
        $class = $ClassName
        if ($Query) {
            $m = [regex]::Match($Query, '(?i)\bfrom\s+(\w+)')
            $class = $(if ($m.Success) { $m.Groups[1].Value } else { '' })
        }
        $computers = @($ComputerName) + @($CimSession | ForEach-Object { [string]$_ }) | Where-Object { $_ }
        if (@($computers).Count -eq 0) { $computers = @(Get-SimCurrentContext) }
        foreach ($c in $computers) {
            $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $c -Protocol 'The WinRM client (CIM)'
            if ($null -eq $resolved) { continue }
            $name = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
            switch ($class) {
                'Win32_OperatingSystem' { New-SimOperatingSystem $name }
                'Win32_ComputerSystem' { [pscustomobject][ordered]@{ Name = $name; Domain = 'contoso.local'; PartOfDomain = $true; PSComputerName = $name } }
                default { Write-SimError -Cmdlet $PSCmdlet -Message ('Invalid class {0} (SimCluster simulates Win32_OperatingSystem and Win32_ComputerSystem).' -f $class) -ErrorId 'HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category 'MetadataError' -Target $class }
            }
        }
    }
}

# ---------------------------------------------------------------------------------------------
# Services and restarts
# ---------------------------------------------------------------------------------------------

function Get-SimServiceObject($computer, [string]$Name) {
    $node = Get-SimNodeRecord $computer
    $services = @()
    if ($node) {
        $services += [pscustomobject]@{ Name = 'ClusSvc'; DisplayName = 'Cluster Service'; StartType = $node.ClusSvcStartType; Running = $node.ClusSvcRunning }
    }
    $services += [pscustomobject]@{ Name = 'WinRM'; DisplayName = 'Windows Remote Management (WS-Management)'; StartType = 'Automatic'; Running = $true }
    foreach ($s in $services) {
        if ($Name -and $s.Name -notlike $Name) { continue }
        $o = [pscustomobject][ordered]@{
            Name = $s.Name; ServiceName = $s.Name; DisplayName = $s.DisplayName
            Status = $(if ($s.Running) { 'Running' } else { 'Stopped' })
            StartType = [System.ServiceProcess.ServiceStartMode]$s.StartType; MachineName = [string]$computer
        }
        $o.PSTypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
        $o
    }
}

function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('Cn')][string[]]$ComputerName,
        [Alias('DS')][switch]$DependentServices,
        [Alias('SDO', 'ServicesDependedOn')][switch]$RequiredServices,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory = $true)][string[]]$DisplayName,
        [string[]]$Include,
        [string[]]$Exclude,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][psobject[]]$InputObject
    )
    process {
        Assert-SimReady; Add-SimCall 'Get-Service'
        $computers = $(if ($ComputerName) { $ComputerName } else { @(Get-SimCurrentContext) })
        foreach ($c in $computers) {
            $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $c -Protocol 'Service Control Manager (RPC)'
            if ($null -eq $resolved) { continue }
            $computer = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
            $names = $(if ($Name) { $Name } else { @('*') })
            foreach ($n in $names) {
                $found = @(Get-SimServiceObject $computer $n)
                if ($found.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
                    Write-SimError -Cmdlet $PSCmdlet -Message ("Cannot find any service with service name '{0}'." -f $n) -ErrorId 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand' -Category 'ObjectNotFound' -Target $n
                }
                $found
            }
        }
    }
}

function Set-Service {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('cn')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName', 'SN')][string]$Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('DN')][string]$DisplayName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string]$Description,
        [Alias('StartMode', 'SM', 'ST')][System.ServiceProcess.ServiceStartMode]$StartupType,
        [Parameter(ValueFromPipelineByPropertyName = $true)][ValidateSet('Paused', 'Running', 'Stopped')][string]$Status,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][psobject]$InputObject,
        [switch]$PassThru
    )
    process {
        Assert-SimReady; Add-SimCall 'Set-Service'
        $serviceName = $(if ($PSCmdlet.ParameterSetName -eq 'InputObject') { [string]$InputObject.Name } else { $Name })
        $computers = $(if ($ComputerName) { $ComputerName } elseif ($InputObject -and $InputObject.PSObject.Properties['MachineName']) { @($InputObject.MachineName) } else { @(Get-SimCurrentContext) })
        $params = [ordered]@{ Name = $serviceName }
        if ($PSBoundParameters.ContainsKey('StartupType')) { $params.StartupType = [string]$StartupType }
        if ($Status) { $params.Status = $Status }
        foreach ($c in $computers) {
            $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $c -Protocol 'Service Control Manager (RPC)'
            if ($null -eq $resolved) { Add-SimLog -Cmdlet 'Set-Service' -Target $c -Parameters $params -Outcome 'failed: unreachable'; continue }
            $computer = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
            if (-not @(Get-SimServiceObject $computer $serviceName)) {
                Add-SimLog -Cmdlet 'Set-Service' -Target $computer -Parameters $params -Outcome 'failed: no such service'
                Write-SimError -Cmdlet $PSCmdlet -Message ("Service {0} was not found on computer '{1}'." -f $serviceName, $computer) -ErrorId 'InvalidOperationException,Microsoft.PowerShell.Commands.SetServiceCommand' -Category 'ObjectNotFound' -Target $serviceName
                continue
            }
            if (-not $PSCmdlet.ShouldProcess(('{0} on {1}' -f $serviceName, $computer), 'Set-Service')) { continue }
            $node = Get-SimNodeRecord $computer
            if ($node -and $serviceName -ieq 'ClusSvc') {
                if ($PSBoundParameters.ContainsKey('StartupType')) { $node.ClusSvcStartType = [string]$StartupType }
                if ($Status -eq 'Stopped') { $node.ClusSvcRunning = $false }
                if ($Status -eq 'Running' -and $node.ClusSvcStartType -ne 'Disabled' -and $script:Sim.Cluster.Running) { $node.ClusSvcRunning = $true }
            }
            Add-SimLog -Cmdlet 'Set-Service' -Target $computer -Parameters $params
            if ($PassThru) { Get-SimServiceObject $computer $serviceName }
        }
    }
}

function Restart-Computer {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium', DefaultParameterSetName = 'DefaultSet')]
    param(
        [Parameter(ParameterSetName = 'AsJobSet')][switch]$AsJob,
        [Parameter(ParameterSetName = 'DefaultSet')][Parameter(ParameterSetName = 'AsJobSet')][Alias('Authentication')]
        [ValidateSet('Default', 'None', 'Connect', 'Call', 'Packet', 'PacketIntegrity', 'PacketPrivacy', 'Unchanged')][string]$DcomAuthentication,
        [ValidateSet('Default', 'Anonymous', 'Identify', 'Impersonate', 'Delegate')][string]$Impersonation,
        [Parameter(ParameterSetName = 'DefaultSet')][ValidateSet('Default', 'Basic', 'Negotiate', 'CredSSP', 'Digest', 'Kerberos')][string]$WsmanAuthentication,
        [Parameter(ParameterSetName = 'DefaultSet')][ValidateSet('DCOM', 'WSMan')][string]$Protocol,
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('CN', '__SERVER', 'Server', 'IPAddress')][string[]]$ComputerName,
        [Parameter(Position = 1)][pscredential]$Credential,
        [Alias('f')][switch]$Force,
        [int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'DefaultSet')][switch]$Wait,
        [Parameter(ParameterSetName = 'DefaultSet')][Alias('TimeoutSec')][ValidateRange(-1, [int]::MaxValue)][int]$Timeout = -1,
        [Parameter(ParameterSetName = 'DefaultSet')][ValidateSet('Wmi', 'WinRM', 'PowerShell')][string]$For,
        [Parameter(ParameterSetName = 'DefaultSet')][ValidateRange(1, [int16]::MaxValue)][int16]$Delay
    )
    process {
        Assert-SimReady; Add-SimCall 'Restart-Computer'
        $computers = $(if ($ComputerName) { $ComputerName } else { @(Get-SimCurrentContext) })
        foreach ($c in $computers) {
            $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $c -Protocol 'WMI'
            if ($null -eq $resolved) { Add-SimLog -Cmdlet 'Restart-Computer' -Target $c -Outcome 'failed: unreachable'; continue }
            if ($resolved -is [string]) {
                Add-SimLog -Cmdlet 'Restart-Computer' -Target $resolved -Outcome 'failed: refused to restart the orchestrator'
                Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ('SimCluster: the script tried to restart the machine it runs on ({0}).' -f $resolved) -ErrorId 'SimRestartOrchestrator' -Target $resolved
            }
            if ($Wait -and $resolved.Name -ieq (Get-SimCurrentContext)) {
                Stop-SimCmdlet -Cmdlet $PSCmdlet -Message 'Restart-Computer: the Wait parameter is not valid for the local computer.' -ErrorId 'RestartComputerInvalidParameter' -Category 'InvalidArgument' -Target $c
            }
            if (-not $PSCmdlet.ShouldProcess($resolved.Name, 'Restart-Computer')) { continue }
            Add-SimLog -Cmdlet 'Restart-Computer' -Target $resolved.Name -Parameters ([ordered]@{ Wait = [bool]$Wait; For = $For; Timeout = $Timeout })
            $back = Invoke-SimReboot -node $resolved -Reason 'Restart-Computer'
            if (-not $back -and $Wait) {
                Write-SimError -Cmdlet $PSCmdlet -Message ("Restart-Computer: failed to restart the computer {0}: the computer did not finish restarting within the specified time-out." -f $resolved.Name) -ErrorId 'RestartcomputerFailed,Microsoft.PowerShell.Commands.RestartComputerCommand' -Category 'OperationTimeout' -Target $resolved.Name
            }
        }
    }
}

# ---------------------------------------------------------------------------------------------
# Remote management setup and the firewall (act on the current node)
# ---------------------------------------------------------------------------------------------

function Set-WSManQuickConfig {
    [CmdletBinding(DefaultParameterSetName = 'All')]
    param(
        [Parameter(ParameterSetName = 'All')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'All')][switch]$Force,
        [Parameter(ParameterSetName = 'All')][switch]$SkipNetworkProfileCheck
    )
    Assert-SimReady; Add-SimCall 'Set-WSManQuickConfig'
    Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Set-WSManQuickConfig' -Suppressed ([bool]$Force) -How '-Force'
    $node = Get-SimNodeRecord (Get-SimCurrentContext)
    if ($node) { $node.WsmanConfigured = $true }
    Add-SimLog -Cmdlet 'Set-WSManQuickConfig' -Target (Get-SimCurrentContext) -Parameters ([ordered]@{ Force = [bool]$Force })
}

function Enable-PSRemoting {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param([switch]$Force, [switch]$SkipNetworkProfileCheck)
    Assert-SimReady; Add-SimCall 'Enable-PSRemoting'
    Assert-SimNoPrompt -Cmdlet $PSCmdlet -Name 'Enable-PSRemoting' -Suppressed ($Force -or (Test-SimConfirmFalse $PSBoundParameters)) -How '-Force'
    if (-not $PSCmdlet.ShouldProcess((Get-SimCurrentContext), 'Enable-PSRemoting')) { return }
    $node = Get-SimNodeRecord (Get-SimCurrentContext)
    if ($node) { $node.RemotingEnabled = $true }
    Add-SimLog -Cmdlet 'Enable-PSRemoting' -Target (Get-SimCurrentContext) -Parameters ([ordered]@{ Force = [bool]$Force })
}

function Set-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByDisplayGroup', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByGroup', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Group,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'ByName')][Parameter(ParameterSetName = 'ByDisplayName')][Parameter(ParameterSetName = 'ByDisplayGroup')][Parameter(ParameterSetName = 'ByGroup')][string]$PolicyStore,
        [string]$NewDisplayName,
        [string]$Description,
        [ValidateSet('True', 'False')][string]$Enabled,
        [ValidateSet('Any', 'Domain', 'Private', 'Public', 'NotApplicable')][string[]]$Profile,
        [string[]]$Platform,
        [ValidateSet('Inbound', 'Outbound')][string]$Direction,
        [ValidateSet('NotConfigured', 'Allow', 'Block')][string]$Action,
        [ValidateSet('Block', 'Allow', 'DeferToUser', 'DeferToApp')][string]$EdgeTraversalPolicy,
        [Alias('LSM')][bool]$LooseSourceMapping,
        [bool]$LocalOnlyMapping,
        [string]$Owner,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string[]]$IcmpType,
        [Alias('DynamicTransport')][ValidateSet('Any', 'ProximityApps', 'ProximitySharing', 'WifiDirectPrinting', 'WifiDirectDisplay', 'WifiDirectDevices')][string]$DynamicTarget,
        [string]$Program,
        [string]$Package,
        [string]$Service,
        [string[]]$InterfaceAlias,
        [ValidateSet('Any', 'Wired', 'Wireless', 'RemoteAccess')][string]$InterfaceType,
        [string]$LocalUser,
        [string]$RemoteUser,
        [string]$RemoteMachine,
        [ValidateSet('NotRequired', 'Required', 'NoEncap')][string]$Authentication,
        [ValidateSet('NotRequired', 'Required', 'Dynamic')][string]$Encryption,
        [bool]$OverrideBlockRules,
        [string[]]$RemoteDynamicKeywordAddresses,
        [Alias('Session')][string[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        Assert-SimReady; Add-SimCall 'Set-NetFirewallRule'
        $computer = $(if ($CimSession) { [string]$CimSession[0] } else { Get-SimCurrentContext })
        $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $computer -Protocol 'The WinRM client (CIM)'
        if ($null -eq $resolved) { return }
        $computer = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
        $selector = @($Name) + @($DisplayName) + @($DisplayGroup) + @($Group) | Where-Object { $_ }
        if (-not $PSCmdlet.ShouldProcess(('{0} on {1}' -f ($selector -join ','), $computer), 'Set-NetFirewallRule')) { return }
        $remoteShutdown = @($selector | Where-Object { $_ -eq '@firewallapi.dll,-36751' -or $_ -eq 'Remote Shutdown' }).Count -gt 0
        $node = Get-SimNodeRecord $computer
        if ($node -and $remoteShutdown -and $Enabled) { $node.RemoteShutdownFirewall = ($Enabled -eq 'True') }
        Add-SimLog -Cmdlet 'Set-NetFirewallRule' -Target $computer -Parameters ([ordered]@{ Rules = ($selector -join ','); Profile = ($Profile -join ','); Enabled = $Enabled })
    }
}

# ---------------------------------------------------------------------------------------------
# Module discovery, Azure registration, credentials
# ---------------------------------------------------------------------------------------------

function Get-Module {
    # Answers -ListAvailable for the simulated modules; everything else goes to the real Get-Module.
    [CmdletBinding(DefaultParameterSetName = 'Loaded')]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true)][string[]]$Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Microsoft.PowerShell.Commands.ModuleSpecification[]]$FullyQualifiedName,
        [Parameter(ParameterSetName = 'Loaded')][Parameter(ParameterSetName = 'Available')][switch]$All,
        [Parameter(ParameterSetName = 'Available', Mandatory = $true)][switch]$ListAvailable,
        [Parameter(ParameterSetName = 'Available')][string]$PSEdition,
        [Parameter(ParameterSetName = 'Available')][switch]$Refresh
    )
    process {
        $simulated = @($Name | Where-Object { $_ -in $script:SimulatedModules })
        if ($ListAvailable -and $Name -and $simulated.Count -eq @($Name).Count -and $null -ne $script:Sim) {
            Add-SimCall 'Get-Module'
            foreach ($n in $simulated) {
                if ($n -eq 'FailoverClusters' -and -not $script:Sim.Orchestrator.FailoverClustersTools -and -not (Get-SimNodeRecord (Get-SimCurrentContext))) { continue }
                [pscustomobject][ordered]@{ Name = $n; Version = [version]'2.0.0.0'; ModuleType = 'Manifest'; Path = ('C:\Windows\system32\WindowsPowerShell\v1.0\Modules\{0}\{0}.psd1' -f $n) }
            }
            return
        }
        Microsoft.PowerShell.Core\Get-Module @PSBoundParameters
    }
}

function Get-AzureStackHCI {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [string]$ComputerName,
        [pscredential]$Credential
    )
    Assert-SimReady; Add-SimCall 'Get-AzureStackHCI'
    $computer = Get-SimCurrentContext
    if ($ComputerName) {
        $resolved = Resolve-SimComputer -Cmdlet $PSCmdlet -Name $ComputerName
        if ($null -eq $resolved) { return }
        $computer = $(if ($resolved -is [string]) { $resolved } else { $resolved.Name })
    }
    if (-not (Get-SimNodeRecord $computer)) {
        Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("Get-AzureStackHCI: '{0}' is not an Azure Stack HCI server; run it on a cluster node or pass -ComputerName." -f $computer) -ErrorId 'NotAnHciNode' -Category 'InvalidOperation'
    }
    $registered = $script:Sim.Cluster.RegistrationStatus -eq 'Registered'
    [pscustomobject][ordered]@{
        ClusterStatus = 'Clustered'; RegistrationStatus = $script:Sim.Cluster.RegistrationStatus
        RegistrationDate = $(if ($registered) { $script:Sim.StartTime.AddDays(-90) } else { $null })
        AzureResourceName = $script:Sim.Cluster.Name; ConnectionStatus = $(if ($registered) { 'Connected' } else { 'NotYet' })
        LastConnected = $script:Sim.StartTime; IMDSAttestation = 'Disabled'; DiagnosticLevel = 'Basic'; Region = 'westeurope'
    }
}

function Get-Credential {
    # Follows the real cmdlet (neither -Credential nor -Message is mandatory), not the 5.1 help page.
    [CmdletBinding(DefaultParameterSetName = 'CredentialSet')]
    param(
        [Parameter(ParameterSetName = 'CredentialSet', Position = 0)][pscredential]$Credential,
        [Parameter(ParameterSetName = 'MessageSet')][string]$Message,
        [Parameter(ParameterSetName = 'MessageSet', Position = 0)][string]$UserName
    )
    Assert-SimReady; Add-SimCall 'Get-Credential'
    if ($Credential) { return $Credential }
    $secret = [System.Security.SecureString]::new()
    foreach ($ch in 'simulated'.ToCharArray()) { $secret.AppendChar($ch) }
    $secret.MakeReadOnly()
    $user = $(if ($UserName) { $UserName } else { 'CONTOSO\hci-admin' })
    [pscredential]::new($user, $secret)
}

# ---------------------------------------------------------------------------------------------
# The operator
# ---------------------------------------------------------------------------------------------

$script:PromptPattern = '^(?<step>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?: on (?<node>[^:\s]+))?: (?<question>\S.*)$'

function Invoke-SimOperatorUpgrade {
    # The operator installed the feature update at the node's console and let it restart.
    param($node, [string]$StepId)
    Add-SimLog -Cmdlet 'OperatorInstallsFeatureUpdate' -Target $node.Name -Parameters ([ordered]@{ Step = $StepId; StateBefore = (Get-SimNodeState $node); BuildBefore = $node.Build }) -Source 'operator'
    if (-not $node.OsUp) { return }
    $node.Build = $script:Sim.Cluster.TargetBuild
    $node.QualityUpdatePending = $false
    [void](Invoke-SimReboot -node $node -Source 'operator' -Reason 'feature update')
}

function Read-Host {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromRemainingArguments = $true)][AllowNull()][object]$Prompt,
        [switch]$AsSecureString
    )
    Assert-SimReady; Add-SimCall 'Read-Host'
    $op = $script:Sim.Operator
    $text = (@($Prompt) | ForEach-Object { [string]$_ }) -join ' '
    $m = [regex]::Match($text, $script:PromptPattern, [System.Text.RegularExpressions.RegexOptions]::Singleline)
    $entry = [ordered]@{ seq = $script:Sim.Log.Count + 1; prompt = $text; step = $null; node = $null; kind = $null; answer = $null }
    if (-not $m.Success) {
        $entry.answer = '(none: prompt does not follow the contract)'
        $op.Transcript.Add([pscustomobject]$entry)
        $script:Sim.Violations.Add(('prompt does not follow "<step-id>: <question>" or "<step-id> on <node>: <question>": {0}' -f $text))
        Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ('SimCluster operator: the prompt "{0}" does not follow "<step-id>: <question>" or "<step-id> on <NodeName>: <question>".' -f $text) -ErrorId 'SimPromptContract' -Category 'InvalidData'
    }
    $step = $m.Groups['step'].Value
    $nodeName = $(if ($m.Groups['node'].Success) { $m.Groups['node'].Value } else { $null })
    $kind = $op.StepKinds[$step]
    $entry.step = $step; $entry.node = $nodeName; $entry.kind = $kind
    if ($op.Answers.Count -gt 0) { $answer = $op.Answers.Dequeue() }
    elseif (-not $kind) {
        $entry.answer = '(none: unknown step)'
        $op.Transcript.Add([pscustomobject]$entry)
        $script:Sim.Violations.Add(('prompt for a step the operator does not know: {0}' -f $text))
        Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ("SimCluster operator: no step '{0}' is known (prompt: {1})." -f $step, $text) -ErrorId 'SimUnknownStep' -Category 'InvalidData'
    }
    elseif ($step -in $op.DeclineGates -and $kind -in @('gate', 'confirm')) { $answer = 'no' }
    else {
        $answer = switch ($kind) {
            'manual' { 'done' }
            'confirm' { 'yes' }
            'gate' { $script:Sim.Cluster.Name }
            default { throw ("SimCluster operator: unknown step kind '{0}' for step '{1}'." -f $kind, $step) }
        }
    }
    $entry.answer = $answer
    $op.Transcript.Add([pscustomobject]$entry)
    Add-SimLog -Cmdlet 'Read-Host' -Target $(if ($nodeName) { '{0} on {1}' -f $step, $nodeName } else { $step }) -Parameters ([ordered]@{ Kind = $kind; Answer = $answer }) -Source 'operator'
    if ($answer -eq 'done' -and $step -in $op.UpgradeSteps) {
        $node = $(if ($nodeName) { Get-SimNodeRecord $nodeName } else { $null })
        if (-not $node) {
            $script:Sim.Violations.Add(('manual upgrade step {0} prompted without a known node: {1}' -f $step, $text))
        }
        else { Invoke-SimOperatorUpgrade -node $node -StepId $step }
    }
    if ($AsSecureString) {
        $secure = [System.Security.SecureString]::new()
        foreach ($ch in $answer.ToCharArray()) { $secure.AppendChar($ch) }
        return $secure
    }
    $answer
}

# ---------------------------------------------------------------------------------------------
# Time: waits return at once and advance a simulated clock
# ---------------------------------------------------------------------------------------------

$script:MaxSimulatedSleeps = 100000

function Start-Sleep {
    [CmdletBinding(DefaultParameterSetName = 'Seconds')]
    param(
        [Parameter(ParameterSetName = 'Seconds', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][ValidateRange(0, 2147483)][int]$Seconds,
        [Parameter(ParameterSetName = 'Milliseconds', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('ms')][ValidateRange(0, 2147483647)][int]$Milliseconds
    )
    process {
        Assert-SimReady
        $script:Sim.Sleeps++
        $script:Sim.ClockSeconds += $(if ($PSCmdlet.ParameterSetName -eq 'Seconds') { $Seconds } else { $Milliseconds / 1000.0 })
        # Time passes for the cluster too: storage repair advances while the script waits.
        Step-SimStorageJobs
        Step-SimDrains
        if ($script:Sim.Sleeps -gt $script:MaxSimulatedSleeps) {
            Stop-SimCmdlet -Cmdlet $PSCmdlet -Message ('SimCluster: more than {0} waits; the script does not stop waiting (simulated time {1:N0} s).' -f $script:MaxSimulatedSleeps, $script:Sim.ClockSeconds) -ErrorId 'SimRunawayWait' -Category 'LimitsExceeded'
        }
    }
}

function Get-Date {
    # Without -Date, "now" is the simulated clock, so deadlines computed with Get-Date expire in
    # simulated time. With -Date the real cmdlet answers.
    [CmdletBinding(DefaultParameterSetName = 'net')]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('LastWriteTime')][datetime]$Date,
        [ValidateRange(1, 9999)][int]$Year,
        [ValidateRange(1, 12)][int]$Month,
        [ValidateRange(1, 31)][int]$Day,
        [ValidateRange(0, 23)][int]$Hour,
        [ValidateRange(0, 59)][int]$Minute,
        [ValidateRange(0, 59)][int]$Second,
        [ValidateRange(0, 999)][int]$Millisecond,
        [ValidateSet('Date', 'Time', 'DateTime')][string]$DisplayHint,
        [Parameter(ParameterSetName = 'UFormat')][string]$UFormat,
        [Parameter(ParameterSetName = 'net')][string]$Format
    )
    process {
        $bound = @{} + $PSBoundParameters
        if (-not $bound.ContainsKey('Date') -and $null -ne $script:Sim) { $bound['Date'] = $script:Sim.StartTime.AddSeconds($script:Sim.ClockSeconds) }
        Microsoft.PowerShell.Utility\Get-Date @bound
    }
}
