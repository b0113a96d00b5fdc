# Packaging, as a user meets it: both modules publish to a local PSResourceGet repository (a folder),
# install from it into a clean scope, import by name in a new process, and run. The shipped example
# tests (examples/Send-Videos.Tests.ps1) run from a copy outside the repository, under Pester 5 and
# Pester 6, against the installed modules. The child processes get their own HOME (and Windows
# profile folders), so nothing touches the user's settings or module folders.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator

    $script:root = Join-Path $TestDrive 'package'
    $script:profileRoot = Join-Path $root 'profile'
    $script:repository = Join-Path $root 'repository'
    # The packaging step of ./build.ps1 Package, on the modules this run built, from an empty current
    # directory (the caller's: the repository, for ./build.ps1), which must stay empty, and so must the
    # caller's own data folder (XDG_DATA_HOME, where PSResourceGet keeps its repositories when it is set).
    $script:callerFolder = (New-Item -ItemType Directory (Join-Path $TestDrive 'caller')).FullName
    $script:callerData = (New-Item -ItemType Directory (Join-Path $TestDrive 'caller-data')).FullName
    $savedData = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = $callerData
    Push-Location $callerFolder # the directory a child process starts in
    try { Publish-GanPackage -ModuleFolder (Split-Path $ModuleManifest), (Split-Path $EmulatorModule) -Destination $repository -ProfileRoot $profileRoot }
    finally { Pop-Location; $env:XDG_DATA_HOME = $savedData }

    # Runs a script block in a new PowerShell whose profile is the clean one; returns its output and exit code.
    function Invoke-InCleanScope([scriptblock] $Script, [object[]] $ArgumentList = @()) {
        Invoke-InCleanProfile $profileRoot {
            $output = & (Get-TestPwsh) -NoProfile -NonInteractive -OutputFormat Text -Command $Script -args $ArgumentList 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output); Text = ($output | Out-String) }
        }
    }
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Packaging with PSResourceGet' {
    It 'leaves nothing in the caller''s current directory (PSResourceGet writes a NuGet.Config there) nor in its data folder' {
        @(Get-ChildItem -Force $callerFolder).Name | Should -BeNullOrEmpty
        @(Get-ChildItem -Force -Recurse $callerData).FullName | Should -BeNullOrEmpty -Because 'a clean profile touches none of the user''s settings'
    }

    It 'writes one package per module, each with its manifest, and the emulator''s declares GanAi' {
        (Get-ChildItem $repository -Filter '*.nupkg').Name | Sort-Object | Should -Be @('GanAi.0.1.0.nupkg', 'GanAi.Emulator.0.1.0.nupkg')
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $repository 'GanAi.Emulator.0.1.0.nupkg'))
        try {
            $names = $zip.Entries.FullName
            $names | Should -Contain 'GanAi.Emulator.psd1'
            $names | Should -Contain 'GanAi.Emulator.dll'
            $names | Should -Contain 'GanAi.Emulator.runtimeconfig.json'
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'GanAi.Emulator.nuspec').Open())
            $nuspec = [xml] $reader.ReadToEnd()
            $reader.Dispose()
            $nuspec.package.metadata.dependencies.dependency.id | Should -Be 'GanAi'
        }
        finally { $zip.Dispose() }
    }

    It 'installs GanAi.Emulator (and GanAi, its dependency) into a clean scope, imports them by name in a new process and runs a batch' {
        $install = Invoke-InCleanScope {
            param($repository)
            $ErrorActionPreference = 'Stop'
            Register-PSResourceRepository -Name GanAiTest -Uri $repository -Trusted
            Install-PSResource -Name GanAi.Emulator -Repository GanAiTest -Scope CurrentUser -TrustRepository
            (Get-Module -ListAvailable GanAi, GanAi.Emulator | Sort-Object Name).ModuleBase -join '|'
        } $repository
        $install.ExitCode | Should -Be 0 -Because $install.Text
        $bases = $install.Output[-1].Split('|')
        $bases.Count | Should -Be 2 -Because 'installing the emulator installs GanAi, which it requires'
        $bases | ForEach-Object { $_ | Should -BeLike "$profileRoot*" } # the clean scope, not the real one

        $run = Invoke-InCleanScope {
            param($baseUri)
            $ErrorActionPreference = 'Stop'
            Import-Module GanAi # by name: found through the clean profile's module path
            Connect-GanAi -BaseUri $baseUri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force)
            $results = @(1..12 | ForEach-Object { [pscustomobject]@{ unique_id = "pkg-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 5)
            "$((Get-Module GanAi).ModuleBase)|$($results.Count)|$((Get-Help New-GanVideoBatch).Synopsis)|$((Get-Help Start-GanEmulator).Synopsis)"
        } $emulator.BaseUri
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $base, $count, $synopsis, $emulatorSynopsis = $run.Output[-1].Split('|')
        $base | Should -Be $bases[0]
        $count | Should -Be 12
        $synopsis | Should -Match 'one personalized video per input row'
        $emulatorSynopsis | Should -Match 'Starts a local Gan\.ai'
    }

    It 'runs the shipped example tests from a copy outside the repository under Pester <_>' -ForEach '5.7.1', '6.2.0' {
        $pester = Join-Path $RepoRoot ".tools/packages/pester/$_/tools/Pester.psd1"
        $pester | Should -Exist
        $examples = Join-Path $TestDrive "examples-$_"
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples') $examples

        $run = Invoke-InCleanScope {
            param($pester, $tests)
            Import-Module $pester
            $result = Invoke-Pester -Path $tests -PassThru -Output None
            '{0}|{1}|{2}|{3}' -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), (Get-Module Pester).Version, (Get-Module GanAi).ModuleBase
        } $pester, (Join-Path $examples 'Send-Videos.Tests.ps1')

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $passed, $failed, $version, $base = $run.Output[-1].Split('|')
        $version | Should -Be $_
        $failed | Should -Be 0 -Because $run.Text
        $passed | Should -Be 13
        $base | Should -BeLike "$profileRoot*" -Because 'the installed module, not the build'
    }

    It 'runs the example''s mock-only tests with no server and the base URI at a closed port' {
        $examples = Join-Path $TestDrive 'examples-mocked'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples') $examples
        $run = Invoke-InCleanScope {
            param($pester, $tests, $nowhere)
            Import-Module $pester
            # No dotnet to be found: an emulator could not start, so the tests pass without one.
            $env:PATH = $nowhere; $env:DOTNET_ROOT = $nowhere
            Remove-Item Env:DOTNET_HOST_PATH -ErrorAction SilentlyContinue
            $config = New-PesterConfiguration
            $config.Run.Path = $tests
            $config.Run.PassThru = $true
            $config.Output.Verbosity = 'None'
            $config.Filter.FullName = 'Send-Videos.ps1 with GanAi mocked*'
            $result = Invoke-Pester -Configuration $config
            $emulatorCouldStart = try { $e = Start-GanEmulator -TimeoutSec 5; Stop-GanEmulator $e; $true } catch { $false }
            '{0}|{1}|{2}' -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), $emulatorCouldStart
        } (Join-Path $RepoRoot '.tools/packages/pester/5.7.1/tools/Pester.psd1'), (Join-Path $examples 'Send-Videos.Tests.ps1'), (New-Item -ItemType Directory (Join-Path $TestDrive 'nowhere')).FullName

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $passed, $failed, $emulatorCouldStart = $run.Output[-1].Split('|')
        $failed | Should -Be 0 -Because $run.Text
        $passed | Should -Be 6
        $emulatorCouldStart | Should -Be 'False' -Because 'the check that no server could run must hold'
    }
}
