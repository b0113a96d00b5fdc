# Dependency isolation: GanAi keeps working beside another Polly.Core (8.1.0) that the session loaded
# first or later, does not break it, and never loads a second System.Text.Json. Each case runs in a
# fresh pwsh, since assemblies cannot be unloaded.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:otherPolly = Join-Path $RepoRoot '.tools/packages/polly.core/8.1.0/lib/net6.0/Polly.Core.dll'
    if (-not (Test-Path $otherPolly)) { throw "Polly.Core 8.1.0 is missing at $otherPolly (./build.ps1 Test restores it)." }
    $script:emulator = Start-GanEmulator

    # Runs a batch in a new process, with Polly 8.1.0 loaded before or after Import-Module GanAi; returns what it saw as JSON.
    function Invoke-IsolationCase([ValidateSet('Before', 'After')] [string] $PollyLoaded) {
        $script = {
            param($manifest, $polly, $order, $baseUri, $token)
            $ErrorActionPreference = 'Stop'
            if ($order -eq 'Before') { Add-Type -Path $polly }
            Import-Module $manifest
            if ($order -eq 'After') { Add-Type -Path $polly }
            $secure = ConvertTo-SecureString $token -AsPlainText -Force
            Connect-GanAi -BaseUri $baseUri -Token $secure 6>$null # its host line is not the JSON read back
            $results = @(1..30 | ForEach-Object { [pscustomobject]@{ unique_id = "iso-$order-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -MaxRetries 2)
            # The other module's Polly still works: build and run a pipeline with it.
            $builder = [Polly.ResiliencePipelineBuilder]::new()
            $null = [Polly.TimeoutResiliencePipelineBuilderExtensions]::AddTimeout($builder, [timespan]::FromSeconds(5))
            $script:ran = $false
            $builder.Build().Execute([Action] { $script:ran = $true })
            if (-not $ran) { throw 'The other Polly did not run its pipeline.' }
            $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Polly.Core', 'System.Text.Json', 'GanAi.Core' } |
                ForEach-Object { [pscustomobject]@{ Name = $_.GetName().Name; Location = $_.Location; Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name } }
            [pscustomobject]@{ Results = $results.Count; PublicType = $results[0].GetType().FullName + ([GanAi.VideoResult] -as [type] ? '' : ' (not resolvable)'); OtherPolly = [Polly.ResiliencePipelineBuilder].Assembly.Location; Loaded = @($loaded) } | ConvertTo-Json -Depth 4
        }
        $token = 'emulator-token'
        $json = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $script -args $ModuleManifest, $otherPolly, $PollyLoaded, $emulator.BaseUri, $token
        if ($LASTEXITCODE -ne 0) { throw "The isolation case failed: $json" }
        ($json -join "`n") | ConvertFrom-Json
    }
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Dependency isolation' {
    It 'works beside a Polly.Core 8.1.0 loaded <_> Import-Module, and leaves it working' -ForEach 'Before', 'After' {
        $seen = Invoke-IsolationCase $_
        $seen.Results | Should -Be 30
        $seen.OtherPolly | Should -Be $otherPolly # the session's Polly is still the one it loaded

        $polly = @($seen.Loaded | Where-Object Name -EQ 'Polly.Core')
        $polly.Count | Should -Be 2
        $ours = $polly | Where-Object { $_.Location -like '*GanAi*dependencies*' }
        $ours | Should -Not -BeNullOrEmpty
        $ours.Context | Should -Be 'GanAiLoadContext'
        ($seen.Loaded | Where-Object Name -EQ 'GanAi.Core').Context | Should -Be 'GanAiLoadContext'
        $seen.PublicType | Should -Be 'GanAi.VideoResult' # the public types stay visible to scripts
    }

    It 'shares PowerShell''s System.Text.Json instead of loading its own' {
        $seen = Invoke-IsolationCase 'Before'
        $json = @($seen.Loaded | Where-Object Name -EQ 'System.Text.Json')
        $json.Count | Should -Be 1
        $json[0].Location | Should -Not -BeLike '*GanAi*'
    }

    It 'refuses PowerShell 7.0 to 7.3 at import, with the versions, instead of failing at the first request' {
        # Only PowerShell 7.6 runs here, so the decision is checked on its own; OnImport throws its message.
        $check = [GanAi.ModuleInitializer].GetMethod('UnsupportedRuntime', [Reflection.BindingFlags] 'NonPublic, Static')
        $check.Invoke($null, @([version] '6.0.36', [version] '7.2.24.500')) |
            Should -Be 'GanAi needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is PowerShell 7.2.24 on .NET 6.0.36.'
        $check.Invoke($null, @([version] '8.0.11', [version] '7.4.6.500')) | Should -BeNullOrEmpty
        $check.Invoke($null, @([Environment]::Version, [psobject].Assembly.GetName().Version)) | Should -BeNullOrEmpty
    }

    It 'keeps the PowerShell 7 load context out of GanAi.dll, in dependencies/net8.0' {
        # GanAi.dll is what Windows PowerShell 5.1 loads too: it must not name System.Runtime.Loader.
        $references = [Reflection.Assembly]::LoadFile((Join-Path (Split-Path $ModuleManifest) 'GanAi.dll')).GetReferencedAssemblies().Name
        $references | Should -Not -Contain 'System.Runtime.Loader'
        $references | Should -Not -Contain 'GanAi.Isolation'
        Join-Path (Split-Path $ModuleManifest) 'dependencies/net8.0/GanAi.Isolation.dll' | Should -Exist
        [AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'GanAi.Isolation' }).Location | Should -BeLike '*dependencies*net8.0*'
    }

    It 'ships its dependencies in dependencies/, and never System.Management.Automation' {
        $moduleFolder = Split-Path $ModuleManifest
        @(Get-ChildItem $moduleFolder -Filter *.dll).Name | Sort-Object | Should -Be @('GanAi.dll', 'GanAi.Models.dll')
        Join-Path $moduleFolder 'dependencies/Polly.Core.dll' | Should -Exist
        Join-Path $moduleFolder 'dependencies/GanAi.Core.dll' | Should -Exist
        @(Get-ChildItem $moduleFolder -Recurse -Filter 'System.Management.Automation*.dll').Count | Should -Be 0
    }
}

Describe 'Windows PowerShell 5.1 before .NET Framework 4.7.1' {
    BeforeAll {
        $script:guard = Join-Path (Split-Path $ModuleManifest) 'GanAi.Requirements.psm1'
    }

    It 'is told apart by the .NET Framework setup''s Release value: <Edition> <Release>' -ForEach @(
        @{ Edition = 'Core'; Release = $null; Refused = $false }
        @{ Edition = 'Desktop'; Release = 461308; Refused = $false } # 4.7.1
        @{ Edition = 'Desktop'; Release = 528040; Refused = $false } # 4.8
        @{ Edition = 'Desktop'; Release = 460805; Refused = $true } # 4.7
        @{ Edition = 'Desktop'; Release = 394802; Refused = $true } # 4.6.2
        @{ Edition = 'Desktop'; Release = $null; Refused = $true } # no 4.5 or later at all
    ) {
        $problem = & (Import-Module $guard -PassThru -Force) { param($e, $r) Get-GanAiFrameworkProblem $e $r } $Edition $Release
        if ($Refused) {
            $problem | Should -BeLike 'GanAi needs .NET Framework 4.7.1 or later on Windows PowerShell 5.1*Install .NET Framework 4.8*'
        }
        else { $problem | Should -BeNullOrEmpty }
    }

    It 'ends the import with what to install, before any of the module''s code runs or its types are read' {
        # Only PowerShell 7 runs here: a copy of the module whose guard is told it runs on 4.6.2.
        $copy = Join-Path $TestDrive 'GanAi'
        Copy-Item -Recurse (Split-Path $ModuleManifest) $copy
        $guardCopy = Join-Path $copy 'GanAi.Requirements.psm1'
        $text = Get-Content $guardCopy -Raw
        $decision = '$problem = Get-GanAiFrameworkProblem $PSVersionTable.PSEdition $release'
        $text | Should -Match ([regex]::Escape($decision))
        Set-Content $guardCopy ($text.Replace($decision, '$problem = Get-GanAiFrameworkProblem Desktop 394802'))

        $seen = & (Get-TestPwsh) -NoProfile -NonInteractive -Command {
            param($manifest)
            try { Import-Module $manifest -ErrorAction Stop; 'imported' } catch { $_.Exception.Message }
            @([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -like 'GanAi*') -join ','
            @(Get-Module GanAi).Count
        } -args (Join-Path $copy 'GanAi.psd1')
        $seen[0] | Should -BeLike '*GanAi needs .NET Framework 4.7.1 or later*this computer has .NET Framework release 394802 (before 4.7.1)*'
        # PowerShell loads the root module's file (GanAi.dll) before the nested modules, without running
        # it: what must not have happened is the public types' load (GanAi.Models.psd1, after the guard)
        # and the initializer's (it loads GanAi.Isolation on PowerShell 7, GanAi.Core at the first request).
        $seen[1] | Should -Be 'GanAi'
        $seen[2] | Should -Be 0
    }
}
