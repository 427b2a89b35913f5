/**
 * The parameters every generated script declares itself (templates/powershell/script.ps1.hbs), besides
 * the runbook's own. The emitter refuses a runbook name that collides with one; the command rules
 * know a local command can read them. PowerShell's common parameters (`-WhatIf`, `-Verbose`, ...)
 * are not among them: an advanced script binds those without making variables of them.
 */
export const SCRIPT_PARAMETERS: readonly string[] = ['JournalPath', 'FromStep', 'OnlyPhase', 'Force'];
