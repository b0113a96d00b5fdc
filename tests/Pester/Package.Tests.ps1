# Packaging: the built module publishes to a local PSResourceGet repository (a folder), installs from
# it into a clean scope, imports in a new process and runs a batch against the emulator. The child
# processes get their own HOME (and Windows profile folders), so nothing touches the user's settings
# or module folders.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Packaging with PSResourceGet' {
    It 'publishes, installs with Install-PSResource into a clean scope, imports in a new process and runs a batch' {
        $root = Join-Path $TestDrive 'package'
        $repository = New-Item -ItemType Directory -Force (Join-Path $root 'repository')
        $saved = @{}
        foreach ($name in 'HOME', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, (New-Item -ItemType Directory -Force (Join-Path $root $name)).FullName)
        }
        try {
            $install = & (Get-TestPwsh) -NoProfile -NonInteractive -Command {
                param($module, $repository)
                $ErrorActionPreference = 'Stop'
                Register-PSResourceRepository -Name GanAiTest -Uri $repository -Trusted
                Publish-PSResource -Path $module -Repository GanAiTest
                Install-PSResource -Name GanAi -Repository GanAiTest -Scope CurrentUser -TrustRepository
                (Get-Module -ListAvailable GanAi).ModuleBase
            } -args (Split-Path $ModuleManifest), $repository.FullName 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($install | Out-String)
            @(Get-ChildItem $repository -Filter 'GanAi.0.1.0.nupkg').Count | Should -Be 1
            $moduleBase = @($install)[-1]
            $moduleBase | Should -BeLike "$root*" # installed under the clean profile, not the real one

            $run = & (Get-TestPwsh) -NoProfile -NonInteractive -Command {
                param($baseUri)
                $ErrorActionPreference = 'Stop'
                Import-Module GanAi # by name: found through the clean profile's module path
                Connect-GanAi -BaseUri $baseUri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force)
                $results = @(1..12 | ForEach-Object { [pscustomobject]@{ unique_id = "pkg-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 5)
                "$((Get-Module GanAi).ModuleBase)|$($results.Count)|$((Get-Help New-GanVideoBatch).Synopsis)"
            } -args $emulator.BaseUri 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($run | Out-String)
            $base, $count, $synopsis = (@($run)[-1]).Split('|')
            $base | Should -Be $moduleBase
            $count | Should -Be 12
            $synopsis | Should -Match 'one personalized video per input row'
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}
