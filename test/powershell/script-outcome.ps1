# How a run of a generated script ended, as `pwsh -File` would report it: its exit code, and the
# stop's message, which the script writes to the error stream after its summary (see
# docs/powershell-runtime.md). Dot-sourced by the runners that drive generated scripts.

function Invoke-ScriptOutcome {
    <#
    .SYNOPSIS
        Runs $Run (which invokes a generated script and disposes of its output) and returns
        @{ failure; exitCode }: failure is null when the run completed; exitCode is null when the
        script threw instead of exiting (a parameter PowerShell refused, or a dot-sourced script).
    #>
    param([Parameter(Mandatory = $true)][scriptblock]$Run)
    $global:LASTEXITCODE = $null
    $Error.Clear()
    try {
        & $Run
    }
    catch {
        return @{ failure = $_.Exception.Message; exitCode = $null }
    }
    $failure = $null
    if ($LASTEXITCODE -ne 0) { $failure = $Error[0].Exception.Message }
    return @{ failure = $failure; exitCode = $LASTEXITCODE }
}
