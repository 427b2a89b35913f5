<#
.SYNOPSIS
    Prints the parameter metadata of every SimCluster stand-in as one JSON line (name -> parameter
    sets), for test/powershell/simcluster-signatures.test.ts to compare with the command catalog.
#>
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$module = Import-Module (Join-Path $PSScriptRoot 'SimCluster.psm1') -Force -PassThru
# WhatIf and Confirm are kept: Update-ClusterFunctionalLevel declares -WhatIf without -Confirm.
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

$result = [ordered]@{}
foreach ($name in ($module.ExportedFunctions.Keys | Sort-Object)) {
    $command = Get-Command -Name $name -Module $module.Name
    $sets = foreach ($set in $command.ParameterSets) {
        [ordered]@{
            name = $set.Name
            isDefault = $set.IsDefault
            parameters = @(foreach ($p in $set.Parameters) {
                    if ($p.Name -in $common) { continue }
                    $validValues = @()
                    $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
                    if ($validateSet) { $validValues = @($validateSet.ValidValues) }
                    elseif ($p.ParameterType.IsEnum) { $validValues = @([enum]::GetNames($p.ParameterType)) }
                    [ordered]@{
                        name = $p.Name
                        mandatory = $p.IsMandatory
                        position = $(if ($p.Position -ge 0) { $p.Position } else { $null })
                        aliases = @($p.Aliases)
                        switch = ($p.ParameterType -eq [switch])
                        validValues = $validValues
                    }
                })
        }
    }
    $result[$name] = [ordered]@{ defaultSet = $command.DefaultParameterSet; sets = @($sets) }
}
$result | ConvertTo-Json -Depth 8 -Compress
