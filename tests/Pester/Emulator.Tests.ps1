# GanAi.Emulator as users meet it when they test their own scripts: its lifetime (it never outlives
# the process that started it, and says what to install when the runtime is missing), the typed
# fakes of GanAi.Models, and New-GanErrorRecord.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -Project 'demo:names', 'tagged:names,company'
    $script:connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru

    # The names of a table's columns, as Format-Table shows them.
    function Get-ColumnName($InputObject) {
        $lines = @(($InputObject | Format-Table | Out-String -Width 300) -split "`r?`n" | Where-Object { $_.Trim() })
        @($lines[0].Trim() -split '\s+')
    }

    # Whether a process has ended (gone, or a zombie its parent has not reaped yet).
    function Test-ProcessEnded([int] $Id) {
        $process = Get-Process -Id $Id -ErrorAction SilentlyContinue
        if (-not $process -or $process.HasExited) { return $true }
        $stat = "/proc/$Id/stat"
        (Test-Path $stat) -and ((Get-Content $stat -Raw) -replace '^.*\)\s+', '').StartsWith('Z')
    }

    # The emulator servers this process started that are still running (their --parent-pid is ours).
    function Get-OwnEmulatorProcess {
        @(Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$' | ForEach-Object {
                $line = try { [IO.File]::ReadAllText("/proc/$($_.Name)/cmdline") } catch { '' }
                if ($line -match 'GanAi\.Emulator\.dll' -and $line -match "--parent-pid\x00$PID(\x00|$)") { [int] $_.Name }
            })
    }

    function Test-PortOpen([uri] $Uri) {
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.ConnectAsync($Uri.Host, $Uri.Port).Wait(1000) -and $client.Connected } catch { $false } finally { $client.Dispose() }
    }
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Start-GanEmulator and Stop-GanEmulator' {
    It '-Connect connects the session and the environment a script connects from; Stop-GanEmulator puts the environment back' {
        $saved = $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN
        $env:GANAI_BASE_URI = 'https://before.example/'
        Remove-Item Env:GANAI_API_TOKEN -ErrorAction SilentlyContinue
        try {
            $local = Start-GanEmulator -Connect -Project 'only-here:names'
            try {
                $env:GANAI_BASE_URI | Should -Be $local.BaseUri.ToString()
                (Get-GanProject).ProjectId | Should -Be 'only-here' # the session's connection
                Connect-GanAi # as a script under test does: from the environment
                (Get-GanProject).ProjectId | Should -Be 'only-here'
            }
            finally { Stop-GanEmulator $local }
            $env:GANAI_BASE_URI | Should -Be 'https://before.example/'
            Test-Path Env:GANAI_API_TOKEN | Should -BeFalse
            $local.Process.HasExited | Should -BeTrue
        }
        finally {
            $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = $saved
            $null = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token # the file's own emulator again
        }
    }

    It 'stops within 5 s after the process that started it is killed with kill -9' {
        $ready = Join-Path $TestDrive 'started.txt'
        $script = "Import-Module '$ModuleManifest'; Import-Module '$EmulatorModule'; `$e = Start-GanEmulator; " +
            "Set-Content -LiteralPath '$(Join-Path $TestDrive 'folder.txt')' -Value `$e.LogFolder; " +
            "Set-Content -LiteralPath '$ready' -Value ('{0} {1}' -f `$e.Process.Id, `$e.BaseUri); Start-Sleep -Seconds 300"
        $starter = Start-Process -FilePath (Get-TestPwsh) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru `
            -RedirectStandardOutput (Join-Path $TestDrive 'starter.out') -RedirectStandardError (Join-Path $TestDrive 'starter.err')
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (-not (Test-Path $ready) -and $clock.Elapsed.TotalSeconds -lt 60 -and -not $starter.HasExited) { Start-Sleep -Milliseconds 100 }
            Test-Path $ready | Should -BeTrue -Because (Get-Content (Join-Path $TestDrive 'starter.err') -Raw -ErrorAction SilentlyContinue)
            $emulatorId, $baseUri = (Get-Content $ready -Raw).Trim().Split(' ')
            Test-PortOpen $baseUri | Should -BeTrue -Because 'it serves while its starter runs'

            if ($IsWindows) { $starter.Kill() } else { & kill -9 $starter.Id }
            $clock.Restart()
            while (-not (Test-ProcessEnded $emulatorId) -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 100 }
            $stoppedAfter = $clock.Elapsed.TotalSeconds

            Test-ProcessEnded $emulatorId | Should -BeTrue -Because 'the emulator must not outlive its starter'
            $stoppedAfter | Should -BeLessThan 5
            Test-PortOpen $baseUri | Should -BeFalse
            $folder = Get-Content (Join-Path $TestDrive 'folder.txt') -Raw
            Test-Path $folder.Trim() | Should -BeFalse -Because 'the server removes its log folder as it exits'
        }
        finally {
            if (-not $starter.HasExited) { $starter.Kill() }
            if ($emulatorId -and -not (Test-ProcessEnded $emulatorId)) { Stop-Process -Id $emulatorId -Force -ErrorAction SilentlyContinue }
        }
    }

    It 'fails within 10 s, naming what to install, when the .NET it finds has no ASP.NET Core runtime' {
        # A copy of this machine's .NET with only Microsoft.NETCore.App, found through DOTNET_ROOT.
        $line = @(& dotnet --list-runtimes | Where-Object { $_ -match '^Microsoft\.NETCore\.App (\S+) \[(.+)\]$' })[-1]
        $null = $line -match '^Microsoft\.NETCore\.App (\S+) \[(.+)\]$'
        $version, $shared = $Matches[1], $Matches[2]
        $dotnetRoot = Split-Path (Split-Path $shared)
        $copy = New-Item -ItemType Directory (Join-Path $TestDrive 'dotnet-core-only')
        Copy-Item (Join-Path $dotnetRoot ($IsWindows ? 'dotnet.exe' : 'dotnet')) $copy
        Copy-Item -Recurse (Join-Path $dotnetRoot 'host') $copy
        $target = New-Item -ItemType Directory (Join-Path $copy 'shared/Microsoft.NETCore.App')
        Copy-Item -Recurse (Join-Path $shared $version) $target
        @(& (Join-Path $copy 'dotnet') --list-runtimes) | Should -Be "Microsoft.NETCore.App $version [$($target.FullName)]" -Because 'the copy has the one runtime'

        $saved = $env:DOTNET_ROOT
        $env:DOTNET_ROOT = $copy.FullName
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $failure = $null
            try { $null = Start-GanEmulator -TimeoutSec 60 } catch { $failure = $_ }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
        finally {
            $env:DOTNET_ROOT = $saved
        }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -Be 'EmulatorRuntimeMissing,Start-GanEmulator'
        $failure.CategoryInfo.Category | Should -Be 'NotInstalled'
        $failure.Exception.Message | Should -Match 'ASP\.NET Core Runtime 8\.0 or later'
        $failure.Exception.Message | Should -Match ([regex]::Escape("it has: Microsoft.NETCore.App $version"))
        $failure.Exception.Message | Should -Match 'https://dotnet\.microsoft\.com/download'
        $failure.Exception.Message | Should -Not -Match '\bat \S+\(' -Because 'no stack trace'
    }
}

Describe 'Start-GanEmulator and Stop-GanEmulator under careless use' {
    It 'keeps no token on the object it returns, and connects only after the server took the token' {
        $saved = $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN
        $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = 'https://api.real.example/', 'REAL-PRODUCTION-TOKEN-abc123'
        $before = @(Get-OwnEmulatorProcess)
        try {
            $local = Start-GanEmulator -Connect
            try { ($local | Format-List * -Force | Out-String) + ($local | Select-Object * -ExcludeProperty Process | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match 'REAL-PRODUCTION' }
            finally { Stop-GanEmulator $local }
            $env:GANAI_API_TOKEN | Should -Be 'REAL-PRODUCTION-TOKEN-abc123'

            # A token the server does not take: -Connect fails, and leaves the environment and no server behind.
            { Start-GanEmulator -Connect -ArgumentList '--token', 'another' } | Should -Throw -ErrorId 'TokenRefused,*'
            $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN | Should -Be @('https://api.real.example/', 'REAL-PRODUCTION-TOKEN-abc123')
            Start-Sleep -Milliseconds 500
            @(Get-OwnEmulatorProcess).Count | Should -Be $before.Count
        }
        finally {
            $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = $saved
            $null = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        }
    }

    It 'puts the environment back whatever order emulators started with -Connect are stopped in' {
        $saved = $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN
        $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = 'https://first.example/', 'first-token'
        try {
            $a = Start-GanEmulator -Connect
            $b = Start-GanEmulator -Connect
            $env:GANAI_BASE_URI | Should -Be $b.BaseUri.ToString()
            Stop-GanEmulator $a
            $env:GANAI_BASE_URI | Should -Be $b.BaseUri.ToString() -Because 'b is still running'
            Stop-GanEmulator $b
            $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN | Should -Be @('https://first.example/', 'first-token')
        }
        finally {
            $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = $saved
            $null = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        }
    }

    It 'starts with spaces and quotes in its token and in the temporary folder''s path' -Skip:$IsWindows {
        $saved = $env:TMPDIR
        $env:TMPDIR = (New-Item -ItemType Directory (Join-Path $TestDrive 'my tmp')).FullName + '/'
        try {
            $odd = Start-GanEmulator -Token 'a b"c\'
            try {
                $odd.LogFolder | Should -BeLike "*my tmp*"
                $connection = Connect-GanAi -BaseUri $odd.BaseUri -Token $odd.Token -PassThru
                (Get-GanProject -Connection $connection).ProjectId | Should -Be 'demo'
            }
            finally { Stop-GanEmulator $odd }
            Test-Path $odd.LogFolder | Should -BeFalse
        }
        finally { $env:TMPDIR = $saved }
    }

    It 'leaves no server and no folder when it is stopped (Ctrl+C) while starting' -Skip:$IsWindows {
        $before = @(Get-OwnEmulatorProcess)
        $folders = @(Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter 'ganai-emulator-*').Count
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; Import-Module '$EmulatorModule'; Start-GanEmulator")
            $handle = $ps.BeginInvoke()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (@(Get-OwnEmulatorProcess).Count -le $before.Count -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
            $ps.Stop()
        }
        finally { $ps.Dispose() }
        Start-Sleep -Milliseconds 500
        @(Get-OwnEmulatorProcess).Count | Should -Be $before.Count
        @(Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter 'ganai-emulator-*').Count | Should -Be $folders
    }

    It 'stops a copy of the object (from a job or another runspace), and refuses what is not an emulator' {
        $local = Start-GanEmulator
        $copy = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($local))
        $copy.psobject.TypeNames[0] | Should -Be 'Deserialized.GanAi.EmulatorProcess'
        Stop-GanEmulator $copy
        $local.Process.WaitForExit(5000) | Should -BeTrue
        { Stop-GanEmulator 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Stop-GanEmulator'
        $victim = New-Item -ItemType Directory (Join-Path $TestDrive 'victim')
        { Stop-GanEmulator ([pscustomobject]@{ PSTypeName = 'GanAi.EmulatorProcess'; BaseUri = [uri] 'http://127.0.0.1:1'; LogFolder = $victim.FullName; Process = $null }) } | Should -Not -Throw
        Test-Path $victim | Should -BeTrue -Because 'only a folder Start-GanEmulator made is removed'
    }

    It 'refuses a fault value that would quietly mean off, by the ErrorId EmulatorRefused' {
        foreach ($fault in @{ errorRate = 5 }, @{ errorRate = -1 }, @{ latencyMs = -100 }, @{ rejectTokenAfter = -1 }, @{ errorAfterCreateStatus = 200 }) {
            { Set-GanEmulatorFault $emulator $fault } | Should -Throw -ErrorId 'EmulatorRefused' -Because ($fault | ConvertTo-Json -Compress)
        }
        (Invoke-RestMethod ([uri]::new($emulator.BaseUri, '/_emulator/faults'))).errorRate | Should -Be 0
    }
}

Describe 'Typed fakes: [GanAi.GanModelFactory]' {
    BeforeAll {
        $real = [pscustomobject]@{ unique_id = 'real-1'; names = 'Ann'; company = 'Contoso' } | New-GanVideoBatch -ProjectId tagged -Connection $connection
        $fake = [GanAi.GanModelFactory]::VideoResult('fake-1', $null, 'tagged', [ordered]@{ names = 'Bo'; company = 'Fabrikam' })
    }

    It 'a VideoResult formats and exports exactly like a real one: the same columns, one per tag' {
        $fake | Should -BeOfType ([GanAi.VideoResult])
        Get-ColumnName $fake | Should -Be (Get-ColumnName $real)
        ($fake | Format-Table | Out-String -Width 300) | Should -Match 'fake-1'

        $csv = Join-Path $TestDrive 'fake.csv'
        $fake, $real | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $header = ($real | ConvertTo-Csv -NoTypeInformation)[0]
        ($fake | ConvertTo-Csv -NoTypeInformation)[0] | Should -Be $header
        $header | Should -Match '"names","company"$'
        $rows[0].names | Should -Be 'Bo'
        $rows[0].company | Should -Be 'Fabrikam'
        $rows[0].ProjectId | Should -Be 'tagged'
        $rows[0].UniqueId | Should -Be 'fake-1'
    }

    It 'refuses tags and row numbers the module would never write' {
        { [GanAi.GanModelFactory]::VideoResult('a', $null, $null, @{ '' = 'v' }) } | Should -Throw '*cannot be empty*'
        $twins = [Collections.Specialized.OrderedDictionary]::new([StringComparer]::Ordinal)
        $twins['a'] = 1; $twins['A'] = 2
        { [GanAi.GanModelFactory]::VideoResult('a', $null, $null, $twins) } | Should -Throw '*but for case*'
        { [GanAi.GanModelFactory]::VideoResult('a', $null, $null, $null, $null, $null, $null, $null, $null, $false, 0) } | Should -Throw '*starts at 1*'
    }

    It 'every parameter is optional, and $null (passed as "" by PowerShell) means not given' {
        $bare = [GanAi.GanModelFactory]::VideoResult()
        $bare.UniqueId | Should -Be 'row-1'
        $bare.InferenceId | Should -Match '^[0-9a-f]{32}$'
        $bare.VideoUrl | Should -Match '^https://media\.example/'
        $status = [GanAi.GanModelFactory]::VideoStatus()
        $status.GenStatus | Should -Be ([GanAi.GenStatus]::Succeeded)
        $project = [GanAi.GanModelFactory]::GanProject()
        $project.Tags | Should -Be @('names')
        $gap = [GanAi.GanModelFactory]::VideoResult($null, $null, $null, $null, $null)
        $gap.UniqueId | Should -Be 'row-1'
        $gap.ProjectId | Should -Be 'project'
        $gap.VideoUrl | Should -Match '\.mp4$'
    }

    It 'a VideoStatus and a GanProject format like the real ones' {
        $realStatus = $real | Get-GanVideoStatus -Connection $connection
        $fakeStatus = [GanAi.GanModelFactory]::VideoStatus('tagged', 'f1', 'fake-1', 'PROCESSING')
        $fakeStatus.GenStatus | Should -Be ([GanAi.GenStatus]::Processing)
        Get-ColumnName $fakeStatus | Should -Be (Get-ColumnName $realStatus)

        $realProject = Get-GanProject tagged -Connection $connection
        $fakeProject = [GanAi.GanModelFactory]::GanProject('welcome', 'Welcome', [string[]] @('first_name', 'company'), 40)
        Get-ColumnName $fakeProject | Should -Be (Get-ColumnName $realProject)
        $fakeProject.Tags | Should -Be @('first_name', 'company')
        $fakeProject.AvailableCredits | Should -Be 40
    }

    It 'Wait-GanVideo and Save-GanVideo work on a fake registered in the emulator (rendered, rendering, failed)' {
        Reset-GanEmulator $emulator
        $done = Register-GanEmulatorVideo $emulator -ProjectId tagged -UniqueId 'fake-done' -Tag ([ordered]@{ names = 'Ann'; company = 'Contoso' })
        $later = Register-GanEmulatorVideo $emulator -ProjectId tagged -UniqueId 'fake-later' -InferenceId 'chosen-id-2' -Pending
        $failing = Register-GanEmulatorVideo $emulator -ProjectId tagged -UniqueId 'fake-fails' -Fail
        $done | Should -BeOfType ([GanAi.VideoResult])
        $done.names | Should -Be 'Ann'
        $listed = Get-GanEmulatorVideo $emulator -ProjectId tagged | Where-Object uniqueId -EQ 'fake-done'
        $listed.tags.names | Should -Be 'Ann'
        $listed.registered | Should -BeTrue
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 0 -Because 'a registered video is not one the script under test made'
        @(Get-GanEmulatorCreatedId $emulator).Count | Should -Be 0
        $later.InferenceId | Should -Be 'chosen-id-2'
        $done.VideoUrl | Should -BeLike "$($emulator.BaseUri)media/tagged/*.mp4"

        $statuses = @($done, $later, $failing | Wait-GanVideo -Connection $connection -PollIntervalSec 0.2 -TimeoutSec 60 -ErrorVariable waitErrors -ErrorAction SilentlyContinue)
        ($statuses.UniqueId | Sort-Object) | Should -Be @('fake-done', 'fake-later')
        $statuses.GenStatus | Should -Be @([GanAi.GenStatus]::Succeeded, [GanAi.GenStatus]::Succeeded)
        @($waitErrors).Count | Should -Be 1
        $waitErrors[0].FullyQualifiedErrorId | Should -BeLike 'VideoFailed,*'
        $waitErrors[0].Exception.UniqueId | Should -Be 'fake-fails'

        $files = @($statuses | Save-GanVideo -Path (Join-Path $TestDrive 'saved'))
        ($files.Name | Sort-Object) | Should -Be @('fake-done.mp4', 'fake-later.mp4')
        $files | ForEach-Object { $_.Length | Should -BeGreaterThan 0 }
    }

    It 'Save-GanVideo -WhatIf names the file a fake result would be saved to, and saves nothing' {
        $folder = Join-Path $TestDrive 'dry'
        $run = Invoke-Bounded { param($Fake, $Folder) $Fake | Save-GanVideo -Path $Folder -WhatIf } -ArgumentList $fake, $folder
        $run.Output.Count | Should -Be 0
        $run.Errors.Count | Should -Be 0
        $run.Terminating | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse

        # What it says, on the host of a child process (whose host output can be read).
        $said = & (Get-TestPwsh) -NoProfile -NonInteractive -Command {
            param($Manifest, $Folder)
            Import-Module $Manifest
            [GanAi.GanModelFactory]::VideoResult('fake-1', $null, 'tagged') | Save-GanVideo -Path $Folder -WhatIf
        } -args $ModuleManifest, $folder 2>&1 | Out-String
        $said | Should -Match ([regex]::Escape('What if: Performing the operation "Save video" on target "' + (Join-Path $folder 'fake-1.mp4') + '"'))
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'Register-GanEmulatorVideo refuses an inference id the emulator has, and one that cannot be part of a URL; Set-GanEmulatorFault refuses a fault it does not know' {
        Reset-GanEmulator $emulator
        $null = Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId 'a' -InferenceId 'taken'
        { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId 'b' -InferenceId 'taken' } | Should -Throw "*refused PUT /_emulator/videos/taken: A video with inference id 'taken' exists already*"
        { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId 'c' -InferenceId 'a/b' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Register-GanEmulatorVideo'
        # A typo must not leave a healthy emulator behind a test that meant to inject a fault.
        { Set-GanEmulatorFault $emulator @{ errrorRate = 0.5 } } | Should -Throw '*refused PUT /_emulator/faults*errrorRate*'
        (Set-GanEmulatorFault $emulator @{ errorRate = 0.5 }).errorRate | Should -Be 0.5
        Set-GanEmulatorFault $emulator @{} | Out-Null
    }
}

Describe 'New-GanErrorRecord' {
    It 'makes, for every ErrorId, a record named and categorized as the module''s, with the exception its records carry' {
        foreach ($errorId in [GanAi.ErrorIds].GetFields().Name) {
            $record = New-GanErrorRecord -ErrorId $errorId -TargetObject ([pscustomobject]@{ unique_id = 'u-1'; InferenceId = 'i-1' }) -RowNumber 7
            $record.CategoryInfo.Category | Should -Be ([GanAi.ErrorIds]::CategoryOf($errorId)) -Because $errorId
            $record.CategoryInfo.Category | Should -Not -Be 'NotSpecified' -Because $errorId
            if ([GanAi.ErrorIds]::IsAboutVideo($errorId)) {
                $record.Exception.ErrorId | Should -BeExactly $errorId
                $writer = (Get-Command -Module GanAi ([GanAi.ErrorIds]::WriterOf($errorId))).ImplementingType.Name
                $writer | Should -BeIn 'SaveGanVideoCommand', 'WaitGanVideoCommand' -Because "$errorId is about a video"
                $record.FullyQualifiedErrorId | Should -BeExactly "$errorId,GanAi.Cmdlets.$writer"
                $record.Exception | Should -BeOfType ([GanAi.VideoException])
                $record.Exception.InferenceId | Should -Be 'i-1'
                $record.Exception.UniqueId | Should -Be 'u-1'
            }
            elseif ([GanAi.ErrorIds]::IsAboutRow($errorId)) {
                $record.FullyQualifiedErrorId | Should -BeExactly "$errorId,GanAi.Cmdlets.NewGanVideoBatchCommand"
                $record.Exception | Should -BeOfType ([GanAi.VideoRowException])
                $record.Exception.ErrorId | Should -BeExactly $errorId
                $record.Exception.RowNumber | Should -Be 7
                $record.Exception.UniqueId | Should -Be 'u-1'
            }
            else {
                # Only a whole command ends with it: the record names that command, not New-GanVideoBatch.
                $record.FullyQualifiedErrorId | Should -BeLike "$errorId,GanAi.Cmdlets.*Command" -Because $errorId
                if ($errorId -notin 'NotConnected', 'PathNotOnFileSystem') { $record.FullyQualifiedErrorId | Should -Not -BeLike '*NewGanVideoBatchCommand' -Because $errorId }
                $record.Exception | Should -Not -BeOfType ([GanAi.VideoRowException])
            }
        }
    }

    It 'matches the records the module writes: a row error, a video error and the errors that end a run' {
        Reset-GanEmulator $emulator
        $rows = @([pscustomobject]@{ unique_id = 'ok-1'; names = 'A' }, [pscustomobject]@{ names = 'no id' })
        $null = $rows | New-GanVideoBatch -ProjectId demo -Connection $connection -ErrorVariable rowErrors -ErrorAction SilentlyContinue
        $null = Get-GanVideoStatus -ProjectId demo -InferenceId 'nothing-here' -Connection $connection -ErrorVariable videoErrors -ErrorAction SilentlyContinue
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'MissingUniqueId,*'
        $videoErrors[0].FullyQualifiedErrorId | Should -BeLike 'VideoNotFound,*'

        # Each way a run ends: the terminating error after the rows' own.
        Set-GanEmulatorProject $emulator -ProjectId poor -Credits 0 | Out-Null
        $endings = [ordered]@{
            TokenRefused        = @{ Fault = @{ rejectToken = $true }; Parameters = @{} }
            RateLimited         = @{ Fault = @{ tooManyRequestsRate = 1; retryAfter = '3600' }; Parameters = @{} }
            ProjectNotFound     = @{ Fault = @{}; Parameters = @{ ProjectId = 'no-such-project' } }
            InsufficientCredits = @{ Fault = @{}; Parameters = @{ ProjectId = 'poor' } }
        }
        $ended = foreach ($case in $endings.GetEnumerator()) {
            Set-GanEmulatorFault $emulator $case.Value.Fault | Out-Null
            $parameters = @{ ProjectId = 'demo' }
            foreach ($given in $case.Value.Parameters.GetEnumerator()) { $parameters[$given.Key] = $given.Value }
            try { $null = $rows[0] | New-GanVideoBatch @parameters -Connection $connection -ErrorAction SilentlyContinue -WarningAction SilentlyContinue; $null }
            catch { $_ }
            finally { Set-GanEmulatorFault $emulator @{} | Out-Null }
        }
        $ended.FullyQualifiedErrorId.ForEach({ $_.Split(',')[0] }) | Should -Be @($endings.Keys)

        foreach ($real in @($rowErrors[0], $videoErrors[0]) + @($ended)) {
            $errorId = $real.FullyQualifiedErrorId.Split(',')[0]
            $command = if ($real.FullyQualifiedErrorId -match 'GetGanVideoStatus') { 'Get-GanVideoStatus' } else { 'New-GanVideoBatch' }
            $runEnding = $ended -contains $real
            $fake = New-GanErrorRecord -ErrorId $errorId -TargetObject $real.TargetObject -CommandName $command -RunEnding:$runEnding
            $fake.FullyQualifiedErrorId | Should -BeExactly $real.FullyQualifiedErrorId
            $fake.CategoryInfo.Category | Should -Be $real.CategoryInfo.Category -Because $errorId
            $fake.Exception.GetType() | Should -Be $real.Exception.GetType() -Because $errorId
            if (-not $runEnding) { $fake.Exception.UniqueId | Should -Be $real.Exception.UniqueId }
        }
    }

    It 'matches the records of whole commands (arguments, sign-in) and takes ids from hashtables and from text' {
        $saved = $env:GANAI_API_TOKEN
        Remove-Item Env:GANAI_API_TOKEN -ErrorAction SilentlyContinue
        try {
            $real = @(
                try { Connect-GanAi -BaseUri $emulator.BaseUri } catch { $_ }
                try { Connect-GanAi -BaseUri 'ftp://example.com' -Token $emulator.Token } catch { $_ }
                try { Connect-GanAi -BaseUri $emulator.BaseUri -Credential ([pscredential]::new('who@example.com', (ConvertTo-TestSecureString 'wrong'))) } catch { $_ }
            )
        }
        finally {
            $env:GANAI_API_TOKEN = $saved
            $null = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        }
        $real.FullyQualifiedErrorId | Should -Be @('MissingToken,GanAi.Cmdlets.ConnectGanAiCommand', 'InvalidBaseUri,GanAi.Cmdlets.ConnectGanAiCommand', 'SignInFailed,GanAi.Cmdlets.ConnectGanAiCommand')
        foreach ($record in $real) {
            $fake = New-GanErrorRecord -ErrorId $record.FullyQualifiedErrorId.Split(',')[0] -TargetObject $record.TargetObject
            $fake.FullyQualifiedErrorId | Should -BeExactly $record.FullyQualifiedErrorId
            $fake.CategoryInfo.Category | Should -Be $record.CategoryInfo.Category
            $fake.Exception | Should -BeOfType $record.Exception.GetType()
        }
        (New-GanErrorRecord -ErrorId MissingTag -TargetObject @{ unique_id = 'h1' }).Exception.UniqueId | Should -Be 'h1'
        (New-GanErrorRecord -ErrorId VideoNotFound -TargetObject 'inference-9').Exception.InferenceId | Should -Be 'inference-9'
        (New-GanErrorRecord -ErrorId FileNotWritten -TargetObject $null).FullyQualifiedErrorId | Should -BeExactly 'FileNotWritten,GanAi.Cmdlets.SaveGanVideoCommand'
        (New-GanErrorRecord -ErrorId NotConnected -TargetObject $null).Exception | Should -Not -BeOfType ([GanAi.VideoRowException])
    }

    It 'takes an ErrorId in any case and spells it as the module does; refuses one the module does not have' {
        (New-GanErrorRecord -ErrorId missingtag -TargetObject $null).FullyQualifiedErrorId | Should -BeExactly 'MissingTag,GanAi.Cmdlets.NewGanVideoBatchCommand'
        { New-GanErrorRecord -ErrorId MissingTags -TargetObject $null } | Should -Throw '*MissingTags is not one of GanAi''s ErrorIds*'
    }

    It 'in a Pester mock, gives a script the errors it meets in production' {
        Mock New-GanVideoBatch { Write-Error -ErrorRecord (New-GanErrorRecord -ErrorId MissingTag -TargetObject $InputObject -RowNumber 2) }
        $null = [pscustomobject]@{ unique_id = 'm-1' } | New-GanVideoBatch -ProjectId demo -ErrorVariable mocked -ErrorAction SilentlyContinue
        @($mocked).Count | Should -Be 1
        $mocked[0].FullyQualifiedErrorId | Should -BeLike 'MissingTag,GanAi.Cmdlets.NewGanVideoBatchCommand*'
        $mocked[0].Exception.UniqueId | Should -Be 'm-1'
        $mocked[0].Exception.RowNumber | Should -Be 2
        $mocked[0].TargetObject.unique_id | Should -Be 'm-1'
    }
}
