<#
.SYNOPSIS
    Reads run profiles back with Import-Clixml and splats them into stand-ins of the CAU cmdlets.

.DESCRIPTION
    Dot-sources the stand-in functions (generated from the cmdlet catalog by the test), then for
    every profile in the manifest reports its .NET type, each key's value type (and element types
    for arrays, entry value types for hashtables), and the outcome of splatting it into the cmdlet
    together with -ClusterName and -Credential (and -Force for runs), as the generated script does.
    Prints one JSON line.
#>
param(
    [Parameter(Mandatory = $true)][string]$StandInPath,
    [Parameter(Mandatory = $true)][string]$ManifestPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

. $StandInPath

$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'operator', (New-Object -TypeName System.Security.SecureString)
$manifest = Get-Content -LiteralPath $ManifestPath -Raw | ConvertFrom-Json

$results = foreach ($item in $manifest) {
    $runProfile = Import-Clixml -LiteralPath $item.file
    $keys = [ordered]@{}
    foreach ($key in @($runProfile.Keys | Sort-Object)) {
        $value = $runProfile[$key]
        $elements = @()
        $entries = @()
        if ($value -is [System.Collections.IList]) {
            $elements = @($value | ForEach-Object -Process { $_.GetType().FullName })
            $entries = @($value | Where-Object -FilterScript { $_ -is [hashtable] } | ForEach-Object -Process {
                    $h = $_
                    [ordered]@{ keys = @($h.Keys | Sort-Object); types = @($h.Keys | Sort-Object | ForEach-Object -Process { $h[$_].GetType().FullName }); units = @($h.Keys | Sort-Object | ForEach-Object -Process { , ([int[]][char[]][string]$h[$_]) }) }
                })
        }
        $keys[$key] = [ordered]@{ type = $value.GetType().FullName; value = [string]$value; elements = $elements; entries = $entries }
    }
    $bindError = ''
    $bound = @()
    try {
        if ($item.cmdlet -eq 'Invoke-CauRun') {
            $b = & $item.cmdlet -ClusterName 'CLUSTER1' -Credential $credential -Force @runProfile
        }
        else {
            $b = & $item.cmdlet -ClusterName 'CLUSTER1' -Credential $credential @runProfile
        }
        $bound = @($b.Keys | Sort-Object)
    }
    catch {
        $bindError = $_.Exception.Message
    }
    [ordered]@{ file = $item.file; type = $runProfile.GetType().FullName; keys = $keys; bound = $bound; bindError = $bindError }
}
ConvertTo-Json -InputObject @($results) -Depth 8 -Compress
