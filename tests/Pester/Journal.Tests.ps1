BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The latest line of each row in a journal (a row has a 'sending' line, then its final one; the
    # journal's first line is its header).
    function Get-JournalLatest([string] $Path) {
        $latest = [ordered]@{}
        foreach ($line in Get-Content $Path | ConvertFrom-Json | Where-Object status) { $latest["$($line.project_id)/$($line.unique_id)"] = $line }
        @($latest.Values)
    }
    # The lock file a run holds for a journal, by the journal's device and inode (Linux and macOS).
    function Get-JournalLockFile([string] $Path) {
        $stat = (Get-Item -LiteralPath $Path).UnixStat
        $data = [Environment]::GetFolderPath('LocalApplicationData')
        Join-Path $data ('GanAi/journal-locks/dev{0:x}-ino{1:x}.lock' -f $stat.DeviceId, $stat.Inode)
    }
    $script:emulator = Start-GanEmulator -ArgumentList '--seed', '11'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'New-GanVideoBatch -JournalPath' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $journal = Join-Path $TestDrive ("journal-" + [guid]::NewGuid().ToString('N') + '.jsonl')
    }

    It 'records every result, and on a second run sends nothing again but writes the recorded results' {
        $first = @(New-Rows 30 'j' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $lines = @(Get-Content $journal | ConvertFrom-Json)
        @($lines | Where-Object status -EQ 'sending').Count | Should -Be 30 # written ahead, before each request
        @($lines | Where-Object status -EQ 'created').Count | Should -Be 30
        @(Get-JournalLatest $journal | Where-Object status -NE 'created').Count | Should -Be 0
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests

        $second = @(New-Rows 30 'j' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $second.Count | Should -Be 30
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests
        foreach ($result in $second) {
            $result.InferenceId | Should -Be ($first | Where-Object UniqueId -EQ $result.UniqueId).InferenceId
            $result.names | Should -Not -BeNullOrEmpty
        }
    }

    It 'tolerates a torn last line and sends only the rows it lacks' {
        New-Rows 20 't' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal | Out-Null
        [IO.File]::AppendAllText($journal, '{"status":"created","project_id":"demo","unique_id":"t-2')   # a crash in mid-write

        $results = @(New-Rows 25 't' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $results.Count | Should -Be 25
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 25
        $lines = @(Get-Content $journal)
        $lines.Count | Should -Be 51 # the torn line is gone; the header, then 25 rows, each with its sending and created lines
        $lines | ForEach-Object { { $_ | ConvertFrom-Json } | Should -Not -Throw }
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be 25
    }

    It 'counts with -WhatIf only the rows a real run would send, and neither writes nor creates a journal' {
        New-Rows 30 'w' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal | Out-Null
        $before = Get-FileHash $journal
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests
        $missing = Join-Path $TestDrive 'no-journal-yet.jsonl'
        $csv = New-TestCsv (Join-Path $TestDrive 'whatif.csv') 50 'w'
        $script = "Import-Module '$ModuleManifest'; Import-Csv '$csv' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath '$journal' -WhatIf | Measure-Object | ForEach-Object { 'results: ' + `$_.Count }; " +
            "Import-Csv '$csv' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath '$missing' -WhatIf"
        $output = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String

        $output | Should -Match 'What if: .*20 row\(s\) in 2 batch\(es\) of up to 10 to project ''demo'' \(30 other row\(s\) are recorded as created in the journal'
        $output | Should -Match 'results: 30'
        $output | Should -Match 'What if: .*50 row\(s\) in 5 batch\(es\) of up to 10 to project ''demo''[^(]*$'
        (Get-FileHash $journal).Hash | Should -Be $before.Hash
        Test-Path "$journal.lock" | Should -BeFalse
        Test-Path $missing | Should -BeFalse
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests
    }

    It 'creates no journal when the pre-flight ends the run before a row is read (a wrong -ProjectId)' {
        { New-Rows 3 'np' | New-GanVideoBatch -ProjectId 'dmeo' -JournalPath $journal } |
            Should -Throw -ExpectedMessage "*nothing was read or sent. Did you mean 'demo'*" -ErrorId 'ProjectNotFound,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $journal | Should -Not -Exist
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
        # With the project put right, the same command makes the journal and records the rows.
        @(New-Rows 3 'np' | New-GanVideoBatch -ProjectId demo -JournalPath $journal).Count | Should -Be 3
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be 3
    }

    It 'refuses to start while another run writes the journal' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 30000 } | Out-Null
        $ps = Start-BackgroundBatch "1..5 | ForEach-Object { [pscustomobject]@{ unique_id = `"first-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -SkipPreflight -JournalPath '$journal'" $emulator 1
        try {
            $busy = { New-Rows 3 'second' | New-GanVideoBatch -ProjectId demo -JournalPath $journal } | Should -Throw -ErrorId 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -PassThru
            $busy.CategoryInfo.Category | Should -Be 'ResourceBusy' -Because 'a script can tell "another run has it" from a journal it cannot open'
            (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 1
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }
        # Once the first run has ended, the journal is free again.
        Set-GanEmulatorFault $emulator @{} | Out-Null
        @(New-Rows 3 'third' | New-GanVideoBatch -ProjectId demo -JournalPath $journal).Count | Should -Be 3
    }

    It 'lets one run at a time write a journal, through any name, link or deleted lock file, and others read it meanwhile' -Skip:$IsWindows {
        # Two runs once both wrote one journal through a link (1,900 of 2,000 rows made twice, unflagged,
        # and lines interleaved): the lock was a file named after the journal's name.
        Set-GanEmulatorFault $emulator @{ latencyMs = 300 } | Out-Null
        $csv = New-TestCsv (Join-Path $TestDrive 'two-runs.csv') 2000 'two'
        $out = Join-Path $TestDrive 'first-run.txt'
        $script = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); " +
            "Import-Csv '$csv' | New-GanVideoBatch -ProjectId demo -BatchSize 20 -ThrottleLimit 2 -JournalPath '$journal' -WarningAction SilentlyContinue | Measure-Object | ForEach-Object Count | Set-Content '$out'"
        $first = Start-Process (Get-TestPwsh) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru -RedirectStandardError "$out.err"
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-GanEmulatorStat $emulator).bulkRequests -lt 1 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 50 }
            $symbolic = (New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'symbolic.jsonl') -Target $journal).FullName
            $hard = (New-Item -ItemType HardLink -Path (Join-Path $TestDrive 'hard.jsonl') -Target $journal).FullName
            foreach ($name in $journal, $symbolic, $hard) {
                $busy = { Import-Csv $csv | New-GanVideoBatch -ProjectId demo -JournalPath $name } | Should -Throw -ErrorId 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -Because "$name reaches the journal" -PassThru
                $busy.CategoryInfo.Category | Should -Be 'ResourceBusy' -Because $name
            }
            $lockFile = Get-JournalLockFile $journal
            Test-Path $lockFile | Should -BeTrue
            Remove-Item $lockFile # what a user tidying up might do: the run still holds the journal itself
            { Import-Csv $csv | New-GanVideoBatch -ProjectId demo -JournalPath $hard } | Should -Throw -ErrorId 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand'
            # Reading it goes on working: Get-Content, and a dry run through a link.
            @(Get-Content $symbolic -TotalCount 1) | Should -Be '{"format":"GanAi.Journal","version":2,"unique_id_property":"unique_id"}'
            $dryRun = Invoke-Bounded { param($Csv, $Journal) Import-Csv $Csv | Select-Object -First 5 | New-GanVideoBatch -ProjectId demo -JournalPath $Journal -WhatIf } -ArgumentList $csv, $symbolic
            $dryRun.Terminating | Should -BeNullOrEmpty
            $first.HasExited | Should -BeFalse -Because 'the first run must still be writing for this test to mean anything'
        }
        finally {
            if (-not $first.WaitForExit(120000)) { $first.Kill() }
        }
        "$(Get-Content $out -Raw)".Trim() | Should -Be '2000' -Because (Get-Content "$out.err" -Raw)
        $ids = @(Get-GanEmulatorCreatedId $emulator -ProjectId demo)
        $ids.Count | Should -Be 2000
        @($ids | Where-Object count -GT 1).Count | Should -Be 0 -Because 'only the first run sent anything'
        Get-Content $journal | ForEach-Object { { $_ | ConvertFrom-Json } | Should -Not -Throw } # no interleaved lines
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be 2000
    }

    It 'keeps other processes out while the running session itself reads its journal (Get-Content, -WhatIf)' -Skip:$IsWindows {
        # A classic fcntl lock goes when its process closes any handle to the file: a Get-Content of
        # the journal in the running session once let a second process in (260 of 300 ids made twice).
        Set-GanEmulatorFault $emulator @{ latencyMs = 30000 } | Out-Null
        $ps = Start-BackgroundBatch "1..5 | ForEach-Object { [pscustomobject]@{ unique_id = `"held-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -SkipPreflight -JournalPath '$journal'" $emulator 1
        try {
            @(Get-Content $journal).Count | Should -BeGreaterThan 1
            $dryRun = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Journal -WhatIf } -ArgumentList @(New-Rows 3 'held'), $journal
            $dryRun.Terminating | Should -BeNullOrEmpty
            [IO.File]::ReadAllText($journal) | Should -Not -BeNullOrEmpty

            # Another process, whose lock files live elsewhere (another user's data folder, say): only
            # the lock on the journal itself keeps it out.
            $saved = $env:XDG_DATA_HOME
            $env:XDG_DATA_HOME = (New-Item -ItemType Directory (Join-Path $TestDrive 'other-data')).FullName
            try {
                $said = & (Get-TestPwsh) -NoProfile -NonInteractive -Command {
                    param($Manifest, $BaseUri, $Journal)
                    Import-Module $Manifest
                    Connect-GanAi -BaseUri $BaseUri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force) -SkipTokenCheck
                    try { [pscustomobject]@{ unique_id = 'second-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo -SkipPreflight -JournalPath $Journal | Out-Null; 'let in' }
                    catch { $_.FullyQualifiedErrorId }
                } -args $ModuleManifest, $emulator.BaseUri, $journal 2>&1
            }
            finally { $env:XDG_DATA_HOME = $saved }
            @($said)[-1] | Should -Be 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }
    }

    It 'refuses a folder, /dev/null or a pipe as -JournalPath before anything is sent, with -WhatIf too' -Skip:$IsWindows {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'a-folder')
        $pipe = Join-Path $TestDrive 'a-pipe'
        & mkfifo $pipe
        foreach ($path in $folder.FullName, '/dev/null', $pipe) {
            foreach ($whatIf in $false, $true) {
                $run = Invoke-Bounded { param($Rows, $Path, $WhatIf) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Path -WhatIf:$WhatIf } -ArgumentList @(New-Rows 3 'path'), $path, $whatIf -TimeoutSec 30
                $run.TimedOut | Should -BeFalse -Because "$path must not hang"
                $run.Terminating.FullyQualifiedErrorId | Should -Be 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -Because "$path (-WhatIf:$whatIf)"
                $run.Terminating.Exception.Message | Should -Match 'is a folder|not a regular file'
            }
        }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'refuses to resume a journal with ids from another property (it would send every row again), and resumes with the same one in any case' {
        $rows = @(1..5 | ForEach-Object { [pscustomobject]@{ Email = "p$_@example.com"; unique_id = "other-$_"; names = "N$_" } })
        @($rows | New-GanVideoBatch -ProjectId demo -UniqueIdProperty Email -JournalPath $journal -WarningAction SilentlyContinue).Count | Should -Be 5
        $before = Get-Content $journal -Raw

        { $rows | New-GanVideoBatch -ProjectId demo -JournalPath $journal } | Should -Throw -ErrorId 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -ExpectedMessage "*'Email'*-UniqueIdProperty Email*"
        Get-Content $journal -Raw | Should -Be $before
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 5

        $resumed = @($rows | New-GanVideoBatch -ProjectId demo -UniqueIdProperty email -JournalPath $journal -WarningAction SilentlyContinue)
        $resumed.Count | Should -Be 5
        $resumed.FromJournal | Should -Be @($true, $true, $true, $true, $true)
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 5
    }

    It 'lets one runspace at a time write a journal in one process, through a link too' -Skip:$IsWindows {
        Set-GanEmulatorFault $emulator @{ latencyMs = 30000 } | Out-Null
        $ps = Start-BackgroundBatch "1..5 | ForEach-Object { [pscustomobject]@{ unique_id = `"first-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -SkipPreflight -JournalPath '$journal'" $emulator 1
        try {
            $symbolic = (New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'same-process.jsonl') -Target $journal).FullName
            { New-Rows 3 'second' | New-GanVideoBatch -ProjectId demo -JournalPath $symbolic } | Should -Throw -ErrorId 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand'
            (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 1
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
        }
    }

    It 'refuses a -JournalPath that is not a journal, with -WhatIf too, and leaves the file as it was' {
        # A slip of tab completion once cut the CSV's last line as a "torn line" and appended JSON to it.
        $csv = New-TestCsv (Join-Path $TestDrive 'leads.csv') 20 'lead'
        $before = (Get-FileHash $csv).Hash
        foreach ($whatIf in $false, $true) {
            $caught = $null
            try { Import-Csv $csv | New-GanVideoBatch -ProjectId demo -JournalPath $csv -WhatIf:$whatIf -ErrorVariable rowErrors -ErrorAction SilentlyContinue | Out-Null }
            catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -Because "-WhatIf:$whatIf"
            $caught.Exception.Message | Should -Match 'is not a GanAi journal: its line 1 is not a journal line \("unique_id","names","company"\).*It was not changed'
            $caught.CategoryInfo.Category | Should -Be 'InvalidData'
            @($rowErrors | Where-Object { $_.Exception -is [GanAi.VideoRowException] }).Count | Should -Be 0 -Because 'the run ended before it read a row'
        }
        (Get-FileHash $csv).Hash | Should -Be $before
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'keeps rows recorded as OutcomeUnknown unsent until -RetryUnknown' {
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 0.5 } | Out-Null
        $null = New-Rows 50 'u' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -NoRetryAfterSend -JournalPath $journal -ErrorVariable firstErrors -ErrorAction SilentlyContinue
        $unknown = @($firstErrors | ForEach-Object { $_.Exception.UniqueId })
        $unknown.Count | Should -BeGreaterThan 0
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests

        $again = @(New-Rows 50 'u' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -JournalPath $journal -ErrorVariable secondErrors -ErrorAction SilentlyContinue)
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests
        @($secondErrors | ForEach-Object { $_.Exception.UniqueId }) | Sort-Object | Should -Be ($unknown | Sort-Object)
        $secondErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }

        $retried = @(New-Rows 50 'u' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -JournalPath $journal -RetryUnknown)
        $retried.Count | Should -Be 50
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -BeGreaterThan $requests
    }

    It 'records rows that failed after a request that may have made their videos (<_>), and flags them when a resume sends them again' -ForEach 409, 400 {
        # Every request makes its videos, then answers 4xx: not retried, and once taken for "surely not
        # made" (as a 524 was too): a resume doubled every row, unflagged.
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1.0; errorAfterCreateStatus = $_ } | Out-Null
        $null = New-Rows 20 'm' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -MaxRetries 1 -JournalPath $journal -ErrorVariable firstErrors -ErrorAction SilentlyContinue
        $firstErrors.Count | Should -Be 20
        $firstErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ServiceError,*' }
        $firstErrors | ForEach-Object { $_.Exception.Message | Should -Match 'may or may not have been rendered.*may have created the video anyway' }
        @(Get-JournalLatest $journal | Where-Object status -EQ 'may_exist').Count | Should -Be 20
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests

        # At most once: held like unknown, nothing sent.
        $null = New-Rows 20 'm' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -NoRetryAfterSend -ErrorVariable heldErrors -ErrorAction SilentlyContinue
        $heldErrors.Count | Should -Be 20
        $heldErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests

        # At least once (the default): sent again, and every result is flagged for the audit.
        $resumed = @(New-Rows 20 'm' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $resumed.Count | Should -Be 20
        $resumed | ForEach-Object { $_.PossibleDuplicate | Should -BeTrue -Because "$($_.UniqueId) was made by the first run too" }
        $resumed | ForEach-Object { $_.SendCount | Should -Be 2 }
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -GT 1).Count | Should -Be 20

        # Then they are recorded as created: a further run sends nothing.
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests
        @(New-Rows 20 'm' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal).Count | Should -Be 20
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests
    }

    It 'sends a row twice at most after 5xx answers that came after the work (<_>), holds it across runs, and sends it once more only with -RetryUnknown' -ForEach 500, 524 {
        # Once each such batch was sent six times (-MaxRetries 5), and a resume sent it six times more.
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1.0; errorAfterCreateStatus = $_ } | Out-Null
        $null = New-Rows 10 'cap' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorVariable firstErrors -ErrorAction SilentlyContinue
        $firstErrors.Count | Should -Be 10
        $firstErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        $firstErrors[0].Exception.Message | Should -Match 'sent at most 2 times without a clear answer'
        Get-JournalLatest $journal | ForEach-Object { $_.status | Should -Be 'unknown'; $_.send_count | Should -Be 2 }
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -EQ 2).Count | Should -Be 10

        $null = New-Rows 10 'cap' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorVariable heldErrors -ErrorAction SilentlyContinue
        $heldErrors | ForEach-Object { $_.Exception.Message | Should -Match 'recorded in the journal as sent 2 time\(s\) without a clear answer' }
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -GT 2).Count | Should -Be 0 -Because 'the count held across runs'

        # -RetryUnknown: one more send, and no more (the service still answers 5xx after the work).
        $null = New-Rows 10 'cap' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -RetryUnknown -ErrorVariable retriedErrors -ErrorAction SilentlyContinue
        $retriedErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -EQ 3).Count | Should -Be 10
        Get-JournalLatest $journal | ForEach-Object { $_.send_count | Should -Be 3 }
    }

    It 'ends a row as OutcomeUnknown with -NoRetryAfterSend after any 5xx that came after sending (524 too)' {
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1.0; errorAfterCreateStatus = 524 } | Out-Null
        $null = New-Rows 5 'u' | New-GanVideoBatch -ProjectId demo -NoRetryAfterSend -JournalPath $journal -ErrorVariable unknown -ErrorAction SilentlyContinue
        @($unknown).Count | Should -Be 5
        $unknown | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        @(Get-JournalLatest $journal | Where-Object status -EQ 'unknown').Count | Should -Be 5
    }

    It 'flags every result of a resumed row whose column the pre-flight renames (Names for the tag names)' {
        # The pre-flight's copy of a row once dropped "an earlier run may have made it": 2,000 videos
        # made twice came back unflagged.
        $rows = @(1..2000 | ForEach-Object { [pscustomobject]@{ unique_id = "cap-$_"; Names = "N$_" } })
        Set-GanEmulatorFault $emulator @{ omitRate = 1.0 } | Out-Null # made, and left out of the answer
        $null = $rows | New-GanVideoBatch -ProjectId demo -JournalPath $journal -ErrorVariable firstErrors -ErrorAction SilentlyContinue -Verbose 4>$null
        $firstErrors.Count | Should -Be 2000
        @(Get-JournalLatest $journal | Where-Object status -EQ 'may_exist').Count | Should -Be 2000
        Set-GanEmulatorFault $emulator @{} | Out-Null

        $resumed = @($rows | New-GanVideoBatch -ProjectId demo -JournalPath $journal -WarningVariable warnings -WarningAction SilentlyContinue)
        $resumed.Count | Should -Be 2000
        @($resumed | Where-Object { -not $_.PossibleDuplicate }).Count | Should -Be 0 -Because 'each of these videos now exists twice'
        @($resumed | Where-Object SendCount -NE 2).Count | Should -Be 0
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -EQ 2).Count | Should -Be 2000
        @(Get-JournalLatest $journal | Where-Object { $_.status -eq 'created' -and $_.possible_duplicate }).Count | Should -Be 2000
        ($warnings -join ' ') | Should -Match '2000 video\(s\) may have been made twice'
    }

    It 'records rows whose 200 answer was too large to read as may_exist, sends them once, and flags them on resume' {
        Set-GanEmulatorFault $emulator @{ oversizeRate = 1.0 } | Out-Null # the videos are made; the answer is padded past 32 MiB
        $null = New-Rows 10 'big' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorVariable firstErrors -ErrorAction SilentlyContinue
        $firstErrors.Count | Should -Be 10
        $firstErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'MalformedAnswer,*' }
        $firstErrors | ForEach-Object { $_.Exception.Message | Should -Match 'answered 200 with more than 32 MiB.*may or may not exist' }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 1 -Because 'a 200 is never sent again within the run'
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'may_exist').Count | Should -Be 10
        Set-GanEmulatorFault $emulator @{} | Out-Null

        $resumed = @(New-Rows 10 'big' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $resumed.Count | Should -Be 10
        $resumed | ForEach-Object { $_.PossibleDuplicate | Should -BeTrue -Because "$($_.UniqueId) was made by the first run too" }
    }

    # On Windows the run holds the journal against other writers, so nothing else can destroy it there.
    It 'ends the run with JournalUnavailable when something else destroys the journal, and gives the row it was reading its error' -Skip:$IsWindows {
        $null = 1..10 | ForEach-Object { [pscustomobject]@{ unique_id = "gone-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -JournalPath $journal
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests
        $written = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        $rowErrors = $null
        try {
            1..10 | ForEach-Object {
                if ($_ -eq 1) {
                    # Before the run reads any recorded line: what it already read may stay buffered.
                    $other = [IO.FileStream]::new($journal, 'Open', 'Write', 'ReadWrite')
                    $other.SetLength(0)
                    $other.Dispose()
                }
                [pscustomobject]@{ unique_id = "gone-$_"; names = 'x' }
            } | New-GanVideoBatch -ProjectId demo -JournalPath $journal -ErrorVariable rowErrors -ErrorAction SilentlyContinue | ForEach-Object { $written.Add($_) }
        }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*'
        $caught.Exception.Message | Should -Match 'changed while this run used it'
        $written.Count | Should -Be 0
        $perRow = @($rowErrors | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $perRow.Count | Should -Be 1
        $perRow[0].FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*'
        $perRow[0].TargetObject.unique_id | Should -Be 'gone-1'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests -Because 'a row the journal may hold is never sent again on a guess'
    }

    It 'records the batches in flight when Select-Object -First ends the run early, so a resume doubles nothing' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 300 } | Out-Null
        $taken = @(New-Rows 300 'f' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal | Select-Object -First 45)
        $taken.Count | Should -Be 45
        $created = (Get-GanEmulatorStat $emulator).rowsCreated
        $created | Should -BeGreaterThan 50 # batches beyond the fifth were with the service when the run ended
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be $created # each of them answered within the grace period and was journaled
        Start-Sleep -Milliseconds 500
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be $created # and nothing was sent after the end

        Set-GanEmulatorFault $emulator @{} | Out-Null
        @(New-Rows 300 'f' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal).Count | Should -Be 300
        $ids = @(Get-GanEmulatorCreatedId $emulator -ProjectId demo)
        $ids.Count | Should -Be 300
        @($ids | Where-Object count -GT 1).Count | Should -Be 0
    }

    It 'records the batches in flight when -ErrorAction Stop ends the run at a bad row, so a resume doubles nothing' {
        Set-GanEmulatorFault $emulator @{ latencyAfterCreateMs = 300 } | Out-Null # a request given up on still makes its videos
        $rows = @(New-Rows 300 'e')
        $bad = [pscustomobject]@{ unique_id = 'e-150'; company = 'no names tag' }
        $withBad = @($rows[0..148]) + $bad + @($rows[150..299])
        { $withBad | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorAction Stop | Out-Null } |
            Should -Throw -ErrorId 'MissingTag,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $created = (Get-GanEmulatorStat $emulator).rowsCreated
        $created | Should -BeGreaterThan 0
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be $created
        Start-Sleep -Milliseconds 500
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be $created

        Set-GanEmulatorFault $emulator @{} | Out-Null
        @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal).Count | Should -Be 300
        $ids = @(Get-GanEmulatorCreatedId $emulator -ProjectId demo)
        $ids.Count | Should -Be 300
        @($ids | Where-Object count -GT 1).Count | Should -Be 0
    }

    It 'says on the host what an early end waits for, unless warnings are silenced' {
        Set-GanEmulatorFault $emulator @{ latencyAfterCreateMs = 3000 } | Out-Null
        $csv = New-TestCsv (Join-Path $TestDrive 'stop.csv') 30 's'
        # Three batches go out; once they are in flight, a repeated unique_id ends the run (-ErrorAction Stop).
        $run = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); " +
            "& { Import-Csv '$csv'; Start-Sleep -Milliseconds 1000; [pscustomobject]@{ unique_id = 's-5'; names = 'Again'; company = 'C' } } | " +
            "New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath 'JOURNAL' -ErrorAction Stop EXTRA | Out-Null"
        $told = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $run.Replace('JOURNAL', $journal).Replace('EXTRA', '') 2>&1 | Out-String
        Reset-GanEmulator $emulator
        $silenced = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $run.Replace('JOURNAL', "$journal-2").Replace('EXTRA', '-WarningAction SilentlyContinue') 2>&1 | Out-String
        Reset-GanEmulator $emulator
        # The preference set in a script, as text (it once went unnoticed: the stopping line was shown anyway).
        $preferred = & (Get-TestPwsh) -NoProfile -NonInteractive -Command ("`$WarningPreference = 'SilentlyContinue'; " + $run.Replace('JOURNAL', "$journal-3").Replace('EXTRA', '')) 2>&1 | Out-String

        $told | Should -Match 'Stopping: waiting up to 4\.8 s for the answers of 3 batch\(es\) in flight, so the journal records their rows'
        $told | Should -Match 'repeats unique_id'
        $silenced | Should -Not -Match 'Stopping:'
        $preferred | Should -Not -Match 'Stopping:'
        $preferred | Should -Match 'repeats unique_id'
        $silenced | Should -Match 'repeats unique_id'
        @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count | Should -Be 30
        @(Get-JournalLatest "$journal-2" | Where-Object status -EQ 'created').Count | Should -Be 30
    }

    It 'after Ctrl+C, journals the rows still in flight after the grace period as unknown, and sends nothing new' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 60000 } | Out-Null
        $ps = Start-BackgroundBatch "Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force) -SkipTokenCheck; 1..100 | ForEach-Object { [pscustomobject]@{ unique_id = `"c-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ThrottleLimit 4 -SkipPreflight -JournalPath '$journal'" $emulator 4
        try {
            (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 4
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 # the 5 s grace period, not the 60 s the requests would take
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
        }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 4
        $lines = @(Get-JournalLatest $journal)
        $lines.Count | Should -Be 40
        $lines | ForEach-Object { $_.status | Should -Be 'unknown' }

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $rows = 1..100 | ForEach-Object { [pscustomobject]@{ unique_id = "c-$_"; names = 'x' } }
        $resumed = @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorVariable held -ErrorAction SilentlyContinue)
        $resumed.Count | Should -Be 60
        $held.Count | Should -Be 40
        $held | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }

        $retried = @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -RetryUnknown)
        $retried.Count | Should -Be 100
        @($retried | Where-Object PossibleDuplicate).Count | Should -Be 40 # sent before, outcome never learned
        @($retried | Where-Object PossibleDuplicate | ForEach-Object UniqueId) | Sort-Object | Should -Be (@($lines.unique_id) | Sort-Object)
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -GT 1).Count | Should -Be 0
    }

    It 'after Ctrl+C, says on the host how many rows are now unknown in the journal and what the next run does with them' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 60000 } | Out-Null
        $ui = [ScriptedUserInterface]::new()
        $runspace = [runspacefactory]::CreateRunspace([ScriptedHost]::new($ui))
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force) -SkipTokenCheck; " +
                "1..100 | ForEach-Object { [pscustomobject]@{ unique_id = `"u-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ThrottleLimit 3 -SkipPreflight -JournalPath '$journal'")
            $handle = $ps.BeginInvoke()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-GanEmulatorStat $emulator).bulkRequests -lt 3 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 50 }
            (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 3
            $ps.Stop() # what Ctrl+C does: StopProcessing
            $handle.IsCompleted | Should -BeTrue
        }
        finally {
            $ps.Dispose()
            $runspace.Dispose()
        }
        $told = $ui.Warnings -join "`n"
        $told | Should -Match ([regex]::Escape("Stopped: 30 row(s) sent and not answered are now 'unknown' in the journal $journal"))
        $told | Should -Match 'The next run with this journal holds them \(an OutcomeUnknown error each\) instead of sending them again.*-RetryUnknown to send them once more'
        @(Get-JournalLatest $journal | Where-Object status -EQ 'unknown').Count | Should -Be 30 -Because 'the count is what the journal holds'
    }

    It 'after SIGTERM (docker stop, systemd), journals the rows in flight as unknown, exits 143, and the next run sends them not again' -Skip:$IsWindows {
        # Created, then answered a minute later: the requests in flight at the signal made their videos.
        Set-GanEmulatorFault $emulator @{ latencyAfterCreateMs = 60000 } | Out-Null
        $out = Join-Path $TestDrive 'sigterm.txt'
        $script = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force) -SkipTokenCheck; " +
            "1..100 | ForEach-Object { [pscustomobject]@{ unique_id = `"t-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ThrottleLimit 4 -SkipPreflight -JournalPath '$journal' | Out-Null; 'went on'"
        # Encoded: Start-Process joins arguments unquoted; as text: an encoded command's streams would be CLIXML.
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $child = Start-Process -FilePath (Get-TestPwsh) -ArgumentList '-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded -PassThru -RedirectStandardOutput $out -RedirectStandardError "$out.err"
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-GanEmulatorStat $emulator).bulkRequests -lt 4 -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
            (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 4
            Start-Sleep -Milliseconds 300 # the videos are made as the requests arrive
            & (Get-Command kill -CommandType Application | Select-Object -First 1).Source -TERM $child.Id # SIGTERM, not Process.Kill's SIGKILL
            $child.WaitForExit(30000) | Should -BeTrue
            $child.ExitCode | Should -Be 143 -Because 'a terminated process says so to its scheduler'
        }
        finally {
            if (-not $child.HasExited) { Stop-Process -Id $child.Id -Force }
        }
        $told = (Get-Content $out -Raw) + (Get-Content "$out.err" -Raw)
        $told | Should -Match "Stopped: 40 row\(s\) sent and not answered are now 'unknown' in the journal"
        $told | Should -Not -Match 'went on' -Because 'the script goes no further than without the grace'
        $lines = @(Get-JournalLatest $journal)
        $lines.Count | Should -Be 40
        $lines | ForEach-Object { $_.status | Should -Be 'unknown' }
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo).Count | Should -Be 40

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $rows = 1..100 | ForEach-Object { [pscustomobject]@{ unique_id = "t-$_"; names = 'x' } }
        $resumed = @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal -ErrorVariable held -ErrorAction SilentlyContinue)
        $resumed.Count | Should -Be 60
        $held.Count | Should -Be 40
        $held | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        $created = @(Get-GanEmulatorCreatedId $emulator -ProjectId demo)
        $created.Count | Should -Be 100
        @($created | Where-Object count -GT 1).Count | Should -Be 0 -Because 'a stopped run''s rows are held, not sent again'
    }

    It 'after kill -9 mid-run, sends every row on resume and creates again only rows that were in flight' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 150 } | Out-Null
        $csv = New-TestCsv (Join-Path $TestDrive 'kill.csv') 300 'k'
        $script = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); Import-Csv '$csv' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ThrottleLimit 2 -JournalPath '$journal' -WarningAction SilentlyContinue | Out-Null"
        $child = Start-Process -FilePath (Get-TestPwsh) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -PassThru
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not ((Test-Path $journal) -and @(Get-Content $journal).Count -ge 120) -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
        Stop-Process -Id $child.Id -Force # SIGKILL: no cleanup, no flush beyond what was flushed
        $child.WaitForExit()
        $recorded = @(Get-JournalLatest $journal | Where-Object status -EQ 'created').Count
        $recorded | Should -BeLessThan 300

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $results = @(Import-Csv $csv | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $results.Count | Should -Be 300
        $created = @(Get-GanEmulatorCreatedId $emulator -ProjectId demo)
        $created.Count | Should -Be 300
        $twice = @($created | Where-Object count -GT 1 | ForEach-Object uniqueId)
        $twice.Count | Should -BeLessOrEqual 20 # ThrottleLimit 2 x BatchSize 10 in flight at the kill
        # The journal's write-ahead lines name the rows in flight at the kill: each one made twice is flagged.
        $flagged = @($results | Where-Object PossibleDuplicate | ForEach-Object UniqueId)
        $twice | ForEach-Object { $_ | Should -BeIn $flagged }
        $flagged.Count | Should -BeGreaterThan 0 # requests were in flight at the kill (two at a time, 150 ms each)
        $flagged.Count | Should -BeLessOrEqual 20
    }
}
