# Dot-sourced by each test file's BeforeAll: imports the built module (never the source tree) and
# the emulator helpers from out/.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $RepoRoot 'out/GanAi/GanAi.psd1'
$script:EmulatorModule = Join-Path $RepoRoot 'out/GanAi.Emulator/GanAi.Emulator.psm1'
if (-not (Test-Path $ModuleManifest)) { throw "Build first: $ModuleManifest is missing (./build.ps1 Build)." }
Import-Module $EmulatorModule -Force
Import-Module $ModuleManifest -Force

function ConvertTo-TestSecureString([string] $Text) {
    $secure = [securestring]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

# The PowerShell running the tests, to start child processes with a clean session.
function Get-TestPwsh {
    foreach ($name in 'pwsh.exe', 'pwsh') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path $candidate -PathType Leaf) { return $candidate }
    }
    (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
}

function New-TestCsv([string] $Path, [int] $Count, [string] $Prefix = 'row') {
    1..$Count | ForEach-Object { [pscustomobject]@{ unique_id = "$Prefix-$_"; names = "Name $_"; company = "Company $_" } } |
        Export-Csv -Path $Path -NoTypeInformation
    $Path
}

# Runs a script in a new runspace with the module imported, and returns that runspace's PowerShell
# once the emulator has seen $BulkRequests bulk requests (or 20 s passed): the caller asserts the
# count, then stops (Ctrl+C) and disposes it.
function Start-BackgroundBatch([string] $Script, [object] $Emulator, [int] $BulkRequests) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$ModuleManifest'; $Script")
    $null = $ps.BeginInvoke()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while ((Get-GanEmulatorStat $Emulator).bulkRequests -lt $BulkRequests -and $clock.Elapsed.TotalSeconds -lt 20) { Start-Sleep -Milliseconds 50 }
    $ps
}

# Rows for project demo: unique_id "<Prefix>-<n>", names "N<n>".
function New-Rows([int] $Count, [string] $Prefix) {
    1..$Count | ForEach-Object { [pscustomobject]@{ unique_id = "$Prefix-$_"; names = "N$_" } }
}
