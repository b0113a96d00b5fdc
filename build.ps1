#requires -Version 7.2
<#
.SYNOPSIS
Builds, tests and demonstrates the GanAi module.

.DESCRIPTION
  ./build.ps1 Build      assembles the module in out/GanAi and the emulator in out/GanAi.Emulator
  ./build.ps1 Test       builds, then runs every test (xunit, then Pester against out/GanAi and the
                         emulator) and ends with the line "N passed, N failed"
  ./build.ps1 Demo       builds, starts the emulator, runs Import-Csv examples/rows.csv | New-GanVideoBatch
                         -ProjectId demo, waits for the videos and saves them to out/demo-videos
  ./build.ps1 Emulator   builds and runs the emulator in the foreground (Ctrl+C stops it)
  ./build.ps1 Bench      builds, runs the benchmarks against the emulator, prints a table and writes
                         out/bench.json (not a test; CI runs only -Smoke, small inputs, via Pester)
  ./build.ps1 Package    builds, then makes out/packages/GanAi.<version>.nupkg and
                         GanAi.Emulator.<version>.nupkg with PSResourceGet (Publish-PSResource to a
                         folder repository; your own PSResourceGet settings are not touched)
  ./build.ps1 Clean      removes out/ and the restored tools

Run it with the pinned PowerShell: dotnet tool restore && dotnet pwsh ./build.ps1 <Task>
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Emulator', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Emulator task: the loopback port to listen on.
    [int] $Port = 5080,

    # Emulator task: extra options, e.g. -EmulatorArgument '--latency-ms','50'.
    [string[]] $EmulatorArgument = @(),

    # Test task: run only the Pester tests whose file name matches (e.g. 'NewGanVideoBatch').
    [string] $PesterFilter = '*',

    # Bench task: small inputs, to check the benchmark runs (its numbers mean nothing).
    [switch] $Smoke
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'GanAi'
$EmulatorOut = Join-Path $Out 'GanAi.Emulator'
$ToolsDir = Join-Path $Root '.tools'
$PesterVersion = '5.7.1'
# Pester 6 too: the package test runs the shipped examples under both (users have either).
$OtherPesterVersion = '6.2.0'
# An older Polly that tests load before GanAi, to prove the module's dependency isolation.
$OtherPollyVersion = '8.1.0'
Import-Module (Join-Path $Root 'tools/GanAi.Build.psm1') -Force # Get-PwshPath, Set-GanModuleLayout, Publish-GanPackage, Restore-GanTestTool
Import-Module (Join-Path $Root 'tools/GanAi.TestRun.psm1') -Force # Get-GanTrxResult, Write-GanTestTime

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Write-Host "Building GanAi ($Configuration)..." -ForegroundColor Cyan
    Invoke-Dotnet build (Join-Path $Root 'GanAi.sln') -c $Configuration --nologo -v quiet '-clp:ErrorsOnly'

    foreach ($folder in $ModuleOut, $EmulatorOut) {
        if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
    }
    Invoke-Dotnet publish (Join-Path $Root 'src/GanAi/GanAi.csproj') -c $Configuration --no-build --nologo -v quiet -o $ModuleOut
    # The core's net8.0 build, for PowerShell 7 (the one above is netstandard2.0, for Windows PowerShell 5.1).
    $net8 = Join-Path $Out 'core-net8.0'
    Invoke-Dotnet publish (Join-Path $Root 'src/GanAi.Core/GanAi.Core.csproj') -f net8.0 -c $Configuration --no-build --nologo -v quiet -o $net8
    $isolation = Join-Path $Out 'isolation-net8.0' # PowerShell 7's load context (src/GanAi.Isolation)
    Invoke-Dotnet publish (Join-Path $Root 'src/GanAi.Isolation/GanAi.Isolation.csproj') -c $Configuration --no-build --nologo -v quiet -o $isolation
    Invoke-Dotnet publish (Join-Path $Root 'src/GanAi.Emulator/GanAi.Emulator.csproj') -c $Configuration --no-build --nologo -v quiet -o $EmulatorOut
    Set-GanModuleLayout -ModuleFolder $ModuleOut -Net8Folder $net8 -IsolationFolder $isolation # dependencies/ and dependencies/net8.0 (tools/GanAi.Build.psm1)
    Invoke-HelpBuild
    Copy-Item (Join-Path $Root 'LICENSE'), (Join-Path $Root 'CHANGELOG.md') $ModuleOut
    Copy-Item (Join-Path $Root 'LICENSE') $EmulatorOut
    Write-Host "Module: $ModuleOut" -ForegroundColor Green
    Write-Host "Emulator: $EmulatorOut" -ForegroundColor Green
}

# MAML help (en-US/GanAi.dll-Help.xml) from docs/cmdlets, checked against the built cmdlets
# (tools/Build-GanHelp.ps1, in a process of its own: it imports the module), and the about topics.
function Invoke-HelpBuild {
    $helpFolder = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'en-US')
    Copy-Item (Join-Path $Root 'docs/about_GanAi.help.txt'), (Join-Path $Root 'docs/about_GanAi_Testing.help.txt') $helpFolder.FullName
    & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Build-GanHelp.ps1') `
        -ModuleManifest (Join-Path $ModuleOut 'GanAi.psd1') -CmdletDocs (Join-Path $Root 'docs/cmdlets') -OutputFolder $helpFolder.FullName
    if ($LASTEXITCODE -ne 0) { throw 'Building the help failed (see above).' }
}

function Invoke-Test {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Build
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }

    # The core's tests twice: against its net8.0 build (PowerShell 7's) and its netstandard2.0 build
    # (5.1's); then Windows PowerShell 5.1's checks (docs/installing.md), which read the built module.
    $xunitExit = 0
    foreach ($project in 'GanAi.Core.Tests', 'GanAi.Core.Tests.NetStandard', 'GanAi.Compatibility.Tests') {
        Write-Host "xunit: $project" -ForegroundColor Cyan
        & dotnet test (Join-Path $Root "tests/$project/$project.csproj") -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$project.trx" --logger 'console;verbosity=normal' --results-directory $results
        if ($LASTEXITCODE -ne 0) { $xunitExit = $LASTEXITCODE }
    }
    $xunit = Get-GanTrxResult $results
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 } # the run itself broke

    Write-Host 'Pester: tests/Pester' -ForegroundColor Cyan
    $pesterPath = Restore-GanTestTool -ToolsFolder $ToolsDir -PesterVersion $PesterVersion, $OtherPesterVersion -PollyVersion $OtherPollyVersion
    $summaryFile = Join-Path $results 'pester-summary.json'
    # A warning or a "What if" line between the results is output a test let through: each one fails the run.
    $stray = [Collections.Generic.List[string]]::new()
    # A script block's -args travel serialized: on Linux a bare '*' given to a native command would be
    # expanded into file names. -OutputFormat Text: the lines are read here, not CLIXML.
    & (Get-PwshPath) -NoProfile -NonInteractive -OutputFormat Text -Command { param($run, $arguments) & $run @arguments } -args (Join-Path $Root 'tools/Invoke-GanPester.ps1'),
        @{ PesterPath = $pesterPath; TestsPath = (Join-Path $Root 'tests/Pester'); Filter = $PesterFilter; SummaryFile = $summaryFile } 2>&1 | ForEach-Object {
        $line = "$_"
        if (($line -replace '\x1b\[[0-9;]*m', '') -match '^(WARNING|What if):') { $stray.Add($line) }
        $_
    } | Out-Host
    $pester = if (Test-Path $summaryFile) { Get-Content $summaryFile -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Seconds = 0; Files = @() } }
    if ($stray.Count -gt 0) {
        Write-Host "Pester printed $($stray.Count) stray WARNING or What if line(s); capture them in the test that causes them:" -ForegroundColor Red
        $stray | Out-Host
        $pester.Failed++
    }

    Write-GanTestTime -Files (@($xunit.Files) + @($pester.Files)) -Suites (@($xunit.Projects) + [pscustomobject]@{ Name = 'Pester'; Seconds = $pester.Seconds }) -Whole $clock.Elapsed
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped" -f
        $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped)
    Write-Output ("{0} passed, {1} failed" -f $passed, $failed)
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = Get-PwshPath
    & $pwsh -NoProfile -NonInteractive -Command {
        param($moduleOut, $emulatorOut, $csv, $videos)
        $ErrorActionPreference = 'Stop'
        Import-Module (Join-Path $moduleOut 'GanAi.psd1')
        Import-Module (Join-Path $emulatorOut 'GanAi.Emulator.psd1')
        $emulator = Start-GanEmulator -ArgumentList '--render-seconds', '2', '--project', 'demo:names,company'
        try {
            Write-Host "Emulator on $($emulator.BaseUri)" -ForegroundColor Cyan
            Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
            Get-GanProject | Format-Table | Out-Host
            Write-Host "Import-Csv $csv | New-GanVideoBatch -ProjectId demo" -ForegroundColor Cyan
            $results = @(Import-Csv $csv | New-GanVideoBatch -ProjectId demo)
            $results | Format-Table | Out-Host
            Write-Host "$($results.Count) videos created." -ForegroundColor Green
            if ($results.Count -eq 0) { exit 1 }
            Write-Host "`$results | Wait-GanVideo | Save-GanVideo -Path $videos" -ForegroundColor Cyan
            $files = @($results | Wait-GanVideo -PollIntervalSec 0.5 | Save-GanVideo -Path $videos -Force)
            $files | Format-Table Name, Length, UniqueId | Out-Host
            Write-Host "$($files.Count) videos saved in $videos." -ForegroundColor Green
            if ($files.Count -ne $results.Count) { exit 1 }
        }
        finally {
            Stop-GanEmulator $emulator
        }
    } -args $ModuleOut, $EmulatorOut, (Join-Path $Root 'examples/rows.csv'), (Join-Path $Out 'demo-videos')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Benchmarks (tests/Benchmarks/Invoke-GanBenchmark.ps1) against the emulator: a table and out/bench.json.
# -Smoke runs them on small inputs (CI does, through a Pester test); the numbers then mean nothing.
function Invoke-Bench {
    Invoke-Build
    $name = if ($Smoke) { 'bench-smoke.json' } else { 'bench.json' }
    & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmarks/Invoke-GanBenchmark.ps1') `
        -ModuleManifest (Join-Path $ModuleOut 'GanAi.psd1') -EmulatorModule (Join-Path $EmulatorOut 'GanAi.Emulator.psd1') `
        -OutFile (Join-Path $Out $name) -WorkFolder (Join-Path $Out 'bench') -Smoke:$Smoke
    if ($LASTEXITCODE -ne 0) { throw 'The benchmark failed (see above).' }
}

function Invoke-Emulator {
    Invoke-Build
    Write-Host "Starting the emulator on http://127.0.0.1:$Port (token 'emulator-token', project 'demo'); Ctrl+C stops it." -ForegroundColor Cyan
    & dotnet (Join-Path $EmulatorOut 'GanAi.Emulator.dll') --urls "http://127.0.0.1:$Port" @EmulatorArgument
}

# The .nupkg files of GanAi and GanAi.Emulator (which requires GanAi, so it is published second)
# through PSResourceGet, in out/packages; your own PSResourceGet settings are not touched.
function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $Out 'packages'
    if (Test-Path $packages) { Remove-Item -Recurse -Force $packages }
    $profileRoot = Join-Path $Out 'package-profile'
    try { Publish-GanPackage -ModuleFolder $ModuleOut, $EmulatorOut -Destination $packages -ProfileRoot $profileRoot }
    finally { Remove-Item -Recurse -Force $profileRoot -ErrorAction SilentlyContinue }
    foreach ($name in 'GanAi', 'GanAi.Emulator') {
        $package = Get-ChildItem $packages -Filter '*.nupkg' | Where-Object Name -Match "^$([regex]::Escape($name))\.\d" | Select-Object -First 1
        if (-not $package) { throw "No $name package was written to $packages." }
        Write-Host "Package: $($package.FullName)" -ForegroundColor Green
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Emulator' { Invoke-Emulator }
    'Bench' { Invoke-Bench }
    'Clean' {
        foreach ($folder in $Out, $ToolsDir) { if (Test-Path $folder) { Remove-Item -Recurse -Force $folder } }
        Invoke-Dotnet clean (Join-Path $Root 'GanAi.sln') --nologo -v quiet
    }
}
