<#
.SYNOPSIS
A scheduled job: one personalized video per CSV row, a journal that makes a rerun resume, results
and failures to CSV files, a log, and exit code 1 when any row failed (2 when the run stopped: a
refused token, a broken journal, a project that does not exist, a file without its id column, a
service that asks to wait too long, is unreachable or has no credits left; the rows it had read and
not made are then in errors.csv too; 130 when Ctrl+C stopped it, and 143 after SIGTERM on
PowerShell 7).

.DESCRIPTION
The token comes from the environment (GANAI_API_TOKEN, set by the scheduler or a secret store),
never from the command line. GANAI_BASE_URI may point at the emulator for a dry run.

The journal (by default journal.jsonl in the output folder) records each row as its batch finishes.
Run the job again with the same output folder after a crash, a stop or a failed run: rows already
created are not sent again (their results are written again), so nothing is rendered twice.

PowerShell exits with 0 when Ctrl+C stops a script, as if it had finished: the stop skips catch
blocks and exit statements. So the job sets $completed as the last step of its try block, and its
finally block, which a stop does run, logs the stop and exits 130 when it is not set. SIGTERM
(docker stop, systemd) ends the process with 143 once New-GanVideoBatch has journaled its batches in
flight; no finally block runs then.

.EXAMPLE
$env:GANAI_API_TOKEN = '...'   # in the scheduler's protected settings
pwsh -NoProfile -File Send-Videos.ps1 -CsvPath leads.csv -ProjectId 1234 -OutputFolder ./runs/leads

.NOTES
For big CSVs on PowerShell 7, set DOTNET_TieredPGO=0 in the scheduled task's environment (before
pwsh starts): a fresh process then spends less time in the JIT (docs/connecting.md in the GanAi
repository).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [string] $ProjectId,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [string] $UniqueIdProperty = 'unique_id',
    # The run's journal; keep it between reruns of the same job.
    [string] $JournalPath = (Join-Path $OutputFolder 'journal.jsonl'),
    # Where GanAi is; by default the module as installed.
    [string] $ModulePath = 'GanAi'
)

$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $OutputFolder | Out-Null
$log = Join-Path $OutputFolder 'run.log'
function Write-Log([string] $Message) {
    $line = '{0:u} {1}' -f (Get-Date), $Message
    Add-Content -Path $log -Value $line
    Write-Information $line -InformationAction Continue
}

# Set as the last step of the try block (and where the catch block decides the exit code): still
# $false in finally means Ctrl+C stopped the script, which PowerShell would otherwise report as 0.
$completed = $false
try {
    Import-Module $ModulePath
    Connect-GanAi
    Write-Log "Sending $CsvPath to project $ProjectId."

    $failed = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
    $stopped = $null
    try {
        Import-Csv $CsvPath |
            New-GanVideoBatch -ProjectId $ProjectId -UniqueIdProperty $UniqueIdProperty -JournalPath $JournalPath -ErrorAction SilentlyContinue -ErrorVariable +failed |
            Export-Csv (Join-Path $OutputFolder 'results.csv') -NoTypeInformation
    }
    catch {
        # The run stopped (a refused token, a journal that cannot be written). Each row it had read
        # and not made still has its own error in $failed; rows not read yet are still in the CSV.
        $stopped = $_
    }

    $rowErrors = @($failed | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
    $rowErrors | ForEach-Object {
        [pscustomobject]@{
            RowNumber = $_.Exception.RowNumber
            UniqueId  = $_.Exception.UniqueId
            ErrorId   = $_.FullyQualifiedErrorId.Split(',')[0]
            Reason    = $_.Exception.Message
        }
    } | Export-Csv (Join-Path $OutputFolder 'errors.csv') -NoTypeInformation

    $resultsFile = Join-Path $OutputFolder 'results.csv'
    $results = if (Test-Path $resultsFile) { @(Import-Csv $resultsFile) } else { @() }
    # Results an earlier run of the journal made are written again, and counted apart: no credit was spent now.
    $fromJournal = @($results | Where-Object FromJournal -EQ 'True').Count
    $created = $results.Count - $fromJournal
    # Videos that may have been made twice (a request resent after it may have been processed): audit these.
    $flagged = @($results | Where-Object PossibleDuplicate -EQ 'True').Count
    if ($stopped) {
        Write-Log "The run stopped after $created video(s) created, $fromJournal from the journal and $($rowErrors.Count) row error(s): $($stopped.Exception.Message)"
        $exitCode = 2
    }
    else {
        Write-Log "Done: $created video(s) created, $fromJournal from the journal ($flagged flagged PossibleDuplicate), $($rowErrors.Count) row(s) failed."
        $exitCode = if ($rowErrors.Count -gt 0) { 1 } else { 0 }
    }
    $completed = $true
}
catch {
    Write-Log "The run stopped: $($_.Exception.Message)"
    $exitCode = 2
    $completed = $true
}
finally {
    if (-not $completed) {
        # The host has said how many rows the stop left unknown in the journal; the next run holds them.
        Write-Log "Stopped (Ctrl+C) before the end. Run the job again with the same output folder: the journal resumes it."
        exit 130 # 128 + SIGINT, what shells report for Ctrl+C
    }
}
exit $exitCode
