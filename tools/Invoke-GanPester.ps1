# Runs tests/Pester in a process of its own (the module under test loads there, not in the build's
# session) and writes the counts and each file's time to $SummaryFile for build.ps1.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestsPath,
    [string] $Filter = '*',
    [Parameter(Mandatory)] [string] $SummaryFile
)
$files = @(Get-ChildItem $TestsPath -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
if ($files.Count -eq 0) {
    # A run that tests nothing is not green.
    Write-Host "No test file in $TestsPath matches -PesterFilter '$Filter'."
    @{ Passed = 0; Failed = 1; Skipped = 0; Files = @() } | ConvertTo-Json | Set-Content $SummaryFile
    return
}
Import-Module $PesterPath -Force
$config = New-PesterConfiguration
$config.Run.Path = $files
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
@{
    Passed = $result.PassedCount
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
    Seconds = $result.Duration.TotalSeconds
    Files = @($result.Containers | ForEach-Object { @{ Suite = 'Pester'; Name = Split-Path -Leaf "$($_.Item)"; Seconds = $_.Duration.TotalSeconds } })
} | ConvertTo-Json -Depth 4 | Set-Content $SummaryFile
