BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--seed', '7'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'New-GanVideoBatch under faults' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
    }

    It 'sends rows again after dropped connections and gives exactly one result per row' {
        Set-GanEmulatorFault $emulator @{ dropRate = 0.3 } | Out-Null
        $results = @(New-Rows 100 'drop' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -MaxRetries 15 -ErrorVariable runErrors)
        $runErrors.Count | Should -Be 0
        $results.Count | Should -Be 100
        (Get-GanEmulatorStat $emulator).answers.'0' | Should -BeGreaterThan 0
    }

    It 'splits a batch the service answers 413 to' {
        Set-GanEmulatorFault $emulator @{ maxBatchSize = 8 } | Out-Null
        $results = @(New-Rows 50 'split' | New-GanVideoBatch -ProjectId demo -BatchSize 50)
        $results.Count | Should -Be 50
        (Get-GanEmulatorStat $emulator).answers.'413' | Should -BeGreaterThan 0
        @(Get-GanEmulatorCreatedId $emulator | Where-Object count -NE 1).Count | Should -Be 0
    }

    It 'flags PossibleDuplicate on every row the service may have created twice (at-least-once), and makes none three times' {
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 0.4; dropAfterCreateRate = 0.05 } | Out-Null
        $results = @(New-Rows 100 'alo' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -MaxRetries 15 -ErrorVariable runErrors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)
        ($results.Count + $runErrors.Count) | Should -Be 100
        $runErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' } # twice without a clear answer: held
        $flagged = @($results | Where-Object PossibleDuplicate | ForEach-Object UniqueId)
        $doubled = @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 1 | ForEach-Object uniqueId)
        $doubled.Count | Should -BeGreaterThan 0
        $unknown = @($runErrors | ForEach-Object { $_.Exception.UniqueId })
        $doubled | ForEach-Object { ($flagged + $unknown) | Should -Contain $_ }
        @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 2).Count | Should -Be 0
        # One warning at the end says how many, so nobody has to know to look for the flag.
        @($warnings | Where-Object { "$_" -match "^$($flagged.Count) video\(s\) may have been made twice" }).Count | Should -Be 1
    }

    It 'gives OutcomeUnknown instead of sending again with -NoRetryAfterSend (at-most-once)' {
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 0.5 } | Out-Null
        $results = @(New-Rows 100 'amo' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -NoRetryAfterSend -ErrorVariable runErrors -ErrorAction SilentlyContinue -WarningVariable warnings)
        ($results.Count + $runErrors.Count) | Should -Be 100
        @($warnings | Where-Object { "$_" -match 'made twice' }).Count | Should -Be 0 # nothing was sent again
        $runErrors.Count | Should -BeGreaterThan 0
        $runErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        @(Get-GanEmulatorCreatedId $emulator | Where-Object count -NE 1).Count | Should -Be 0
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 10
    }

    It 'writes the results it has and an error for every other row read, then stops with TokenRefused when the token is revoked midway' {
        $written = [System.Collections.Generic.List[object]]::new()
        $produced = [System.Collections.Generic.List[string]]::new()
        $caught = $null
        $rowErrors = $null
        try {
            1..40 | ForEach-Object {
                if ($_ -eq 21) {
                    $clock = [Diagnostics.Stopwatch]::StartNew() # ThrottleLimit 1: row 20 waited for batch 1, so its 10 results are out
                    while ($written.Count -lt 10 -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 20 }
                    Set-GanEmulatorFault $emulator @{ rejectToken = $true } | Out-Null
                }
                $produced.Add("revoked-$_")
                [pscustomobject]@{ unique_id = "revoked-$_"; names = 'x' }
            } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ThrottleLimit 1 -ErrorVariable rowErrors -ErrorAction SilentlyContinue | ForEach-Object { $written.Add($_) }
        }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'TokenRefused,*'
        $written.Count | Should -BeGreaterOrEqual 10
        $written.Count | Should -Be (Get-GanEmulatorStat $emulator).rowsCreated
        # Every row the command read ends as one result or one TokenRefused error that carries it.
        $perRow = @($rowErrors | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $perRow | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'TokenRefused,*' }
        $perRow | ForEach-Object { $_.TargetObject.unique_id | Should -Be $_.Exception.UniqueId }
        $perRow.Count | Should -BeGreaterThan 0
        $ended = @($written.UniqueId) + @($perRow | ForEach-Object { $_.Exception.UniqueId })
        ($ended | Sort-Object) | Should -Be ($produced | Sort-Object)
    }

    It 'answers a 422 for one row with that row''s error and creates the rest of its batch' {
        $rows = @(New-Rows 9 'mixed') + [pscustomobject]@{ unique_id = 'mixed-bad'; other = 'no names tag' }
        $results = @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 10 -SkipPreflight -ErrorVariable runErrors -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 9
        $runErrors.Count | Should -Be 1
        $runErrors[0].TargetObject.unique_id | Should -Be 'mixed-bad'
        $runErrors[0].Exception.Message | Should -Match 'names: Field required'
    }
}

Describe 'New-GanVideoBatch when the service asks to wait longer than 60 s' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token # a connection of its own: its 429s pace it
    }
    AfterAll {
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token # later tests get a connection no 429 has paced
    }

    # Once, a Retry-After of an hour made the next run on the connection wait an hour, and 5000000
    # broke the connection for good (Task.Delay out of range: UnexpectedError on every later request).
    It 'ends the run with RateLimited after Retry-After <_>, each row read with its error, and the next run starts at once' -ForEach '3600', '5000000' {
        $retryAfter = $_
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 1.0; retryAfter = $retryAfter } | Out-Null
        $rows = @(New-Rows 2000 "wait$retryAfter")
        $run = Invoke-Bounded {
            param($Rows)
            $Rows | New-GanVideoBatch -ProjectId demo -MaxRetries 0 -SkipPreflight
        } -ArgumentList (, $rows) -TimeoutSec 30
        $run.TimedOut | Should -BeFalse -Because 'a run the service asks to wait an hour must end, not wait'
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'RateLimited,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.Exception.Message | Should -Match "asked to wait $retryAfter s before the next request.*longer than the 60 s"
        $run.Terminating.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $perRow = @($run.Errors | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $perRow.Count | Should -BeGreaterThan 0
        $perRow | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'RateLimited,*' }
        @($run.Errors | Where-Object FullyQualifiedErrorId -Like 'UnexpectedError*').Count | Should -Be 0
        # Each row read ends once: rows 1..N, each with one error.
        @($perRow | ForEach-Object { $_.Exception.RowNumber } | Sort-Object) | Should -Be (1..$perRow.Count)
        $run.Output.Count | Should -Be 0

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $next = Invoke-Bounded { 1..10 | ForEach-Object { [pscustomobject]@{ unique_id = "next-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo } -TimeoutSec 61
        $next.TimedOut | Should -BeFalse
        $next.Output.Count | Should -Be 10
        $next.Seconds | Should -BeLessThan 61 -Because 'the next run on the connection starts within the cap and a second'
    }

    It 'gives Get-GanProject a RateLimited error, never a raw exception, after Retry-After 5000000' {
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 1.0; retryAfter = '5000000' } | Out-Null
        $run = Invoke-Bounded { Get-GanProject } -TimeoutSec 30
        $run.TimedOut | Should -BeFalse
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'RateLimited,GanAi.Cmdlets.GetGanProjectCommand'
        $run.Terminating.Exception.Message | Should -Match 'asked to wait 5000000 s'
    }

    It 'takes a Retry-After of <_> as absent: retried after its own backoff' -ForEach 'soon', '-5', 'Thu, 01 Jan 2026 00:00:00 GMT' {
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 1.0; retryAfter = $_ } | Out-Null
        $run = Invoke-Bounded { 1..3 | ForEach-Object { [pscustomobject]@{ unique_id = "absent-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -MaxRetries 1 -SkipPreflight } -TimeoutSec 30
        $run.TimedOut | Should -BeFalse
        $run.Terminating | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 3
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ServiceError,*' }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 2 # the first attempt and its one retry
    }
}

Describe 'New-GanVideoBatch when the service cannot be reached' {
    BeforeAll {
        # A loopback port with nothing listening on it.
        function Get-ClosedPort {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $port = $listener.LocalEndpoint.Port
            $listener.Stop()
            $port
        }
        $script:rows5000 = @(1..5000 | ForEach-Object { [pscustomobject]@{ unique_id = "down-$_"; names = "N$_" } })
    }
    AfterAll { Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token }

    # Once 5,000 rows against a closed port took 95-101 s of retries and gave 5,000 ConnectionFailed lines.
    It 'ends within 20 s with ServiceUnreachable from the pre-flight, before any row is read, against a closed port' {
        Connect-GanAi -BaseUri "http://127.0.0.1:$(Get-ClosedPort)" -Token $emulator.Token -SkipTokenCheck
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo } -ArgumentList (, $rows5000) -TimeoutSec 60
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 20
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceUnreachable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.CategoryInfo.Category | Should -Be 'ConnectionError'
        $run.Terminating.Exception.Message | Should -Match 'could not be reached: no answer for 1\d s, and the last \d+ attempts could not connect \(connection failed'
        $run.Errors.Count | Should -Be 0 -Because 'the run ended before it read a row: rows not read get nothing'
    }

    It 'ends within 20 s with ServiceUnreachable without the pre-flight, each row read with its own error' {
        Connect-GanAi -BaseUri "http://127.0.0.1:$(Get-ClosedPort)" -Token $emulator.Token -SkipTokenCheck
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -SkipPreflight } -ArgumentList (, $rows5000) -TimeoutSec 60
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 20
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceUnreachable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Errors.Count | Should -BeGreaterThan 0
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ServiceUnreachable,*' }
        @($run.Errors | ForEach-Object { $_.Exception.RowNumber } | Sort-Object) | Should -Be (1..$run.Errors.Count) -Because 'each row read ends once, and only rows read'
        $run.Errors.Count | Should -BeLessThan 5000 -Because 'reading stops when the run ends'
    }

    It 'ends within 20 s of the service being killed mid-run, every row read ended once, rows never sent not journaled' {
        $doomed = Start-GanEmulator -ArgumentList '--latency-ms', '50'
        $journal = Join-Path $TestDrive 'killed.jsonl'
        try {
            Connect-GanAi -BaseUri $doomed.BaseUri -Token $doomed.Token
            $rows = @(1..20000 | ForEach-Object { [pscustomobject]@{ unique_id = "kill-$_"; names = "N$_" } })
            $running = Start-InRunspace { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -BatchSize 50 -JournalPath $Journal -WarningAction SilentlyContinue } -ArgumentList $rows, $journal
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-GanEmulatorStat $doomed).bulkRequests -lt 10 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
            $doomed.Process.Kill()
            $killed = [DateTime]::UtcNow
            $run = Wait-InRunspace $running -TimeoutSec 60
        }
        finally { Stop-GanEmulator $doomed }

        $run.TimedOut | Should -BeFalse -Because 'the run must end, not retry for minutes'
        ($run.Ended - $killed).TotalSeconds | Should -BeLessThan 20
        # The kill drops the requests in flight (no answer: ServiceNotAnswering), or, when none was in
        # flight, the next ones cannot connect (ServiceUnreachable): either ends the run at once.
        $run.Terminating.FullyQualifiedErrorId | Should -BeIn 'ServiceNotAnswering,GanAi.Cmdlets.NewGanVideoBatchCommand', 'ServiceUnreachable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $perRow = @($run.Errors | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        @($run.Errors | Where-Object FullyQualifiedErrorId -Like 'UnexpectedError*').Count | Should -Be 0
        $numbers = @($run.Output.RowNumber) + @($perRow | ForEach-Object { $_.Exception.RowNumber })
        @($numbers | Sort-Object) | Should -Be (1..$numbers.Count) -Because 'each row read ends once'
        $run.Output.Count | Should -BeGreaterThan 0
        # Rows the run never sent have no line: a resume sends them as new rows.
        $journaled = @(Get-Content $journal | ConvertFrom-Json | Where-Object unique_id | ForEach-Object unique_id | Sort-Object -Unique)
        $journaled.Count | Should -BeLessThan $numbers.Count
    }
}

Describe 'New-GanVideoBatch on odd 200 answers' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $journal = Join-Path $TestDrive ("odd-" + [guid]::NewGuid().ToString('N') + '.jsonl')
    }
    AfterAll { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'flags a row whose unique_id the answer names twice with two videos, warns naming both, and journals it created' {
        # Once such answers gave plain results: two videos made and paid for, nothing said.
        Set-GanEmulatorFault $emulator @{ duplicateRate = 1.0 } | Out-Null
        $results = @(New-Rows 2000 'twice' | New-GanVideoBatch -ProjectId demo -JournalPath $journal -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Count | Should -Be 2000
        @($results | Where-Object { -not $_.PossibleDuplicate }).Count | Should -Be 0
        $made = @(Get-GanEmulatorVideo $emulator -ProjectId demo | Where-Object uniqueId -EQ 'twice-7')
        $made.Count | Should -Be 2
        ($results | Where-Object UniqueId -EQ 'twice-7').InferenceId | Should -Be $made[0].inferenceId
        $named = @($warnings | Where-Object { "$_" -match "'twice-7' \('$($made[0].inferenceId)', '$($made[1].inferenceId)'\)" })
        $named.Count | Should -Be 1
        $latest = @(Get-Content $journal | ConvertFrom-Json | Where-Object unique_id -EQ 'twice-7')[-1]
        $latest.status | Should -Be 'created'
        $latest.possible_duplicate | Should -BeTrue
    }

    It 'gives NoResultReturned naming the item when the answer has no inference_id for a row, and journals it may_exist' {
        # Once such an item was journaled created, and a resume never sent its row again.
        Set-GanEmulatorFault $emulator @{ missingInferenceIdRate = 1.0 } | Out-Null
        $results = @(New-Rows 20 'noid' | New-GanVideoBatch -ProjectId demo -JournalPath $journal -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 0
        $rowErrors.Count | Should -Be 20
        $rowErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'NoResultReturned,*' }
        ($rowErrors | Where-Object { $_.Exception.UniqueId -eq 'noid-3' }).Exception.Message | Should -Match "has no inference_id \(\{unique_id 'noid-3', project_id 'demo', video_url '.*'.*may or may not exist"
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'may_exist').Count | Should -Be 20
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'created').Count | Should -Be 0

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $resumed = @(New-Rows 20 'noid' | New-GanVideoBatch -ProjectId demo -JournalPath $journal -WarningAction SilentlyContinue)
        $resumed.Count | Should -Be 20
        @($resumed | Where-Object { -not $_.PossibleDuplicate }).Count | Should -Be 0
    }

    It 'gives no row a video the answer names for every row of the request, and journals them may_exist' {
        # Once one inference_id named for all 200 rows became 200 results sharing one video: 199 people got someone else's.
        Set-GanEmulatorFault $emulator @{ sharedInferenceIdRate = 1 } | Out-Null
        $results = @(New-Rows 200 'share' | New-GanVideoBatch -ProjectId demo -BatchSize 200 -JournalPath $journal -ErrorVariable rowErrors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Count | Should -Be 0
        $rowErrors.Count | Should -Be 200
        $rowErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InconsistentAnswer,*' }
        $rowErrors[0].Exception.Message | Should -Match 'also named for another row.*may or may not exist'
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'may_exist').Count | Should -Be 200
        @($warnings | Where-Object { "$_" -match '200 row\(s\) a video also named for another row' }).Count | Should -Be 1
    }

    It 'gives no result for an item that names another project' {
        Set-GanEmulatorFault $emulator @{ foreignProjectIdRate = 1 } | Out-Null
        $results = @(New-Rows 20 'foreign' | New-GanVideoBatch -ProjectId demo -ErrorVariable rowErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $results.Count | Should -Be 0
        $rowErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InconsistentAnswer,*' }
        $rowErrors[0].Exception.Message | Should -Match "names another project \(.*project_id 'another-project'"
    }
}

Describe 'New-GanVideoBatch adaptive concurrency' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{ latencyMs = 150 } | Out-Null
    }
    AfterAll { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'starts at 4 requests and grows while the service''s latency is the bottleneck' {
        $verbose = New-Rows 300 'grow' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -SkipPreflight -Verbose 4>&1 |
            Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        @($verbose | Where-Object Message -Match 'Requests at once: 4 -> 8').Count | Should -Be 1
        (Get-GanEmulatorStat $emulator).maxBulkInFlight | Should -BeGreaterThan 4
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 300
    }

    It 'never has more requests in flight than -ThrottleLimit' {
        $null = New-Rows 300 'cap' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -SkipPreflight -ThrottleLimit 6
        (Get-GanEmulatorStat $emulator).maxBulkInFlight | Should -BeLessOrEqual 6
        (Get-GanEmulatorStat $emulator).maxBulkInFlight | Should -BeGreaterThan 4 # it did grow to the cap
    }

    It 'halves the requests in flight at once when the service answers 429' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 150; rateLimit = 30 } | Out-Null
        $verbose = New-Rows 400 'halve' | New-GanVideoBatch -ProjectId demo -BatchSize 5 -SkipPreflight -MaxRetries 20 -Verbose 4>&1 |
            Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $halved = @($verbose | Where-Object Message -Match 'Requests at once: (\d+) -> (\d+) \(the service answered 429\)')
        $halved.Count | Should -BeGreaterThan 0
        $halved[0].Message -match 'Requests at once: (\d+) -> (\d+)' | Out-Null
        [int] $Matches[2] | Should -Be ([Math]::Max(1, [Math]::Floor([int] $Matches[1] / 2)))
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 400
    }
}

Describe 'New-GanVideoBatch pacing after a 429' {
    BeforeEach { Reset-GanEmulator $emulator }
    AfterAll { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'does not count the wait for its turn against -TimeoutSec' {
        # 2 requests a second and 12 one-row batches: later batches wait seconds for their turn,
        # far longer than the 1 s each attempt may take once sent.
        Set-GanEmulatorFault $emulator @{ rateLimit = 2 } | Out-Null
        $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru # a fresh pace
        $output = New-Rows 12 'paced' | New-GanVideoBatch -ProjectId demo -BatchSize 1 -ThrottleLimit 8 -TimeoutSec 1 -MaxRetries 6 -SkipPreflight -Connection $connection -Verbose 4>&1
        $results = @($output | Where-Object { $_ -is [GanAi.VideoResult] })
        $verbose = @($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
        @($verbose | Where-Object { $_ -match '429' }).Count | Should -BeGreaterThan 0 # the pace did start
        @($verbose | Where-Object { $_ -match 'no answer within the time limit' }).Count | Should -Be 0 # the emulator answers at once
        $results.Count | Should -Be 12
    }
}
