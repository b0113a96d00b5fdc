# Spend is bounded whatever the service does (docs/delivery.md, rules 1 to 7): each test is a way a
# hostile or broken service once made the module pay for a row again and again, or take a wrong
# answer at face value. Runs use -TimeoutSec 3 where a time limit must pass, so CI stays fast.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--seed', '24'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    # The most videos the emulator made for any one row, and how many rows it made more than once.
    function Get-MostMade {
        $counts = @(Get-GanEmulatorCreatedId $emulator | ForEach-Object count)
        if ($counts.Count -eq 0) { return 0 }
        ($counts | Measure-Object -Maximum).Maximum
    }

    # Each row read ends once: row numbers 1..N, each as one result or one row error.
    function Assert-EachRowOnce($Run, [string] $Because) {
        $perRow = @($Run.Errors | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $numbers = @($Run.Output | ForEach-Object RowNumber) + @($perRow | ForEach-Object { $_.Exception.RowNumber })
        @($numbers | Sort-Object) | Should -Be (1..$numbers.Count) -Because $Because
        @($Run.Errors | Where-Object FullyQualifiedErrorId -Like 'UnexpectedError*').Count | Should -Be 0
    }
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'New-GanVideoBatch against a service that does the work and never answers clearly' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        $journal = Join-Path $TestDrive ("spend-" + [guid]::NewGuid().ToString('N') + '.jsonl')
    }
    AfterAll { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'ends within 60 s with ServiceNotAnswering when the videos are made and no answer ever comes, and a resume makes none more than twice' {
        # Once 5,000 rows made 30,000 videos this way: each batch sent six times, each waiting out -TimeoutSec.
        Set-GanEmulatorFault $emulator @{ latencyAfterCreateMs = 3600000 } | Out-Null
        $rows = @(New-Rows 5000 'hang')
        $run = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -TimeoutSec 3 -JournalPath $Journal } -ArgumentList $rows, $journal -TimeoutSec 120
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 60
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceNotAnswering,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Terminating.Exception.Message | Should -Match '3 requests in a row reached the service and got no answer.*raise -TimeoutSec'
        Assert-EachRowOnce $run 'every row read ends once, within seconds of the end'
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ServiceNotAnswering,*' }
        Get-MostMade | Should -Be 1 -Because 'no batch was sent twice'

        # Resumed: rows that timed out (may_exist) are sent once more, flagged; rows given up in flight
        # (unknown) are held until -RetryUnknown; none is made more than twice.
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $latest = @{}
        foreach ($line in Get-Content $journal | ConvertFrom-Json | Where-Object status) { $latest[$line.unique_id] = $line }
        $madeOnce = @(Get-GanEmulatorCreatedId $emulator | ForEach-Object uniqueId)
        $madeOnce.Count | Should -BeGreaterThan 0
        $madeOnce | ForEach-Object { $latest[$_].status | Should -BeIn 'may_exist', 'unknown' }
        $unknown = @($latest.Values | Where-Object status -EQ 'unknown' | ForEach-Object unique_id | Sort-Object)
        $held = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Journal -WarningAction SilentlyContinue } -ArgumentList $rows, $journal -TimeoutSec 120
        @($held.Errors | ForEach-Object { $_.Exception.UniqueId } | Sort-Object) | Should -Be $unknown
        $held.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' }
        @($held.Output).Count | Should -Be (5000 - $unknown.Count)

        $resumed = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Journal -RetryUnknown -WarningAction SilentlyContinue } -ArgumentList $rows, $journal -TimeoutSec 120
        @($resumed.Output).Count | Should -Be 5000
        Get-MostMade | Should -Be 2
        $doubled = @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 1 | ForEach-Object uniqueId | Sort-Object)
        $doubled | Should -Be @($madeOnce | Sort-Object)
        $flagged = @($resumed.Output | Where-Object PossibleDuplicate)
        @($flagged.UniqueId | Sort-Object) | Should -Be $doubled
        @($flagged | Where-Object SendCount -NE 2).Count | Should -Be 0
    }

    It 'makes no row more than twice when every answer is a 503 after the work, and ends the run with ServiceError' {
        # Once 2,000 rows made 12,000 videos this way, and no warning said so.
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1; errorAfterCreateStatus = 503 } | Out-Null
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -TimeoutSec 3 } -ArgumentList (, @(New-Rows 2000 'five03')) -TimeoutSec 120
        $run.TimedOut | Should -BeFalse
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceError,GanAi.Cmdlets.NewGanVideoBatchCommand'
        Assert-EachRowOnce $run 'every row read ends once'
        Get-MostMade | Should -Be 2
        # A row the service made never reads as "not made": its user would send it again.
        $made = @(Get-GanEmulatorCreatedId $emulator | ForEach-Object uniqueId)
        foreach ($record in @($run.Errors | Where-Object { $made -contains $_.Exception.UniqueId })) {
            $record.Exception.Message | Should -Match 'may (or may not|have)' -Because $record.Exception.Message
        }
    }

    It 'makes no row more than once with -NoRetryAfterSend' {
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1; errorAfterCreateStatus = 503 } | Out-Null
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -TimeoutSec 3 -NoRetryAfterSend } -ArgumentList (, @(New-Rows 300 'once')) -TimeoutSec 120
        $run.TimedOut | Should -BeFalse
        Get-MostMade | Should -Be 1
        Assert-EachRowOnce $run 'every row read ends once'
    }

    It 'leaves the rows of a <_> that came after part of the batch was made possibly made, so a resume flags them' -ForEach 402, 400, 409 {
        # Once such rows read "was not rendered", were journaled not_created, and the resume made 10 of
        # 20 again unflagged; for a 402 the error even said to add credits and run again.
        $status = $_
        Set-GanEmulatorFault $emulator @{ partialCreateRate = 1; partialCreateStatus = $status } | Out-Null
        $first = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -BatchSize 20 -JournalPath $Journal } -ArgumentList @(New-Rows 20 "part$status"), $journal -TimeoutSec 60
        Assert-EachRowOnce $first 'every row read ends once'
        $said = if ($status -eq 402) { 'may or may not have been made' } else { 'may or may not have been rendered' }
        $first.Errors | ForEach-Object { $_.Exception.Message | Should -Match $said }
        if ($status -eq 402) { $first.Terminating.FullyQualifiedErrorId | Should -Be 'InsufficientCredits,GanAi.Cmdlets.NewGanVideoBatchCommand' }
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'not_created').Count | Should -Be 0
        $latest = @{}
        foreach ($line in Get-Content $journal | ConvertFrom-Json | Where-Object status) { $latest[$line.unique_id] = $line }
        $latest.Count | Should -Be 20
        $latest.Values | ForEach-Object { $_.status | Should -Be 'may_exist'; $_.send_count | Should -Be 1 }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 1 -Because 'the batch was not sent again'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 10

        Set-GanEmulatorFault $emulator @{} | Out-Null
        $resumed = @(New-Rows 20 "part$status" | New-GanVideoBatch -ProjectId demo -BatchSize 20 -JournalPath $journal -WarningAction SilentlyContinue)
        $resumed.Count | Should -Be 20
        Get-MostMade | Should -Be 2
        $doubled = @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 1 | ForEach-Object uniqueId)
        $doubled.Count | Should -Be 10
        $doubled | ForEach-Object { ($resumed | Where-Object UniqueId -EQ $_).PossibleDuplicate | Should -BeTrue }
    }
}

Describe 'New-GanVideoBatch when connections hang' {
    BeforeAll {
        # A listener that never accepts, its queue full: further connects hang (their SYNs are dropped),
        # as behind a firewall that drops packets.
        $script:listener = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::InterNetwork, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Tcp)
        $listener.Bind([Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 0))
        $listener.Listen(1)
        $script:fillers = foreach ($i in 1..3) {
            $filler = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::InterNetwork, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Tcp)
            $null = $filler.ConnectAsync([Net.IPAddress]::Loopback, $listener.LocalEndPoint.Port).Wait(300)
            $filler
        }
    }
    AfterAll {
        $fillers | ForEach-Object { $_.Dispose() }
        $listener.Dispose()
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    It 'ends in seconds with ServiceUnreachable, journals no row as possibly made, and a resume flags none' {
        # Once 5,000 rows took 194 s at -TimeoutSec 3 (52 min at the defaults), all journaled may_exist
        # though no byte left the machine, and the resume flagged all 5,000 as possible duplicates.
        Reset-GanEmulator $emulator
        $journal = Join-Path $TestDrive 'hanging.jsonl'
        Connect-GanAi -BaseUri "http://127.0.0.1:$($listener.LocalEndPoint.Port)" -Token $emulator.Token -SkipTokenCheck
        $rows = @(New-Rows 5000 'syn')
        $run = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -SkipPreflight -JournalPath $Journal } -ArgumentList $rows, $journal -TimeoutSec 120
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 30 -Because 'a connect gives up after 5 s; the breaker opens once 10 s passed without an answer'
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceUnreachable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        Assert-EachRowOnce $run 'every row read ends once'
        $run.Errors | ForEach-Object { $_.Exception.Message | Should -Not -Match 'may' }
        $statuses = @(Get-Content $journal | ConvertFrom-Json | Where-Object status | Group-Object unique_id | ForEach-Object { $_.Group[-1].status } | Sort-Object -Unique)
        $statuses | Should -Be 'not_created'

        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        $resumed = @($rows | New-GanVideoBatch -ProjectId demo -JournalPath $journal)
        $resumed.Count | Should -Be 5000
        @($resumed | Where-Object PossibleDuplicate).Count | Should -Be 0
    }
}

Describe 'New-GanVideoBatch with a damaged journal' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $journal = Join-Path $TestDrive ("damaged-" + [guid]::NewGuid().ToString('N') + '.jsonl')
    }

    It 'refuses to resume a journal with unreadable lines before its end, naming them, and sends nothing' {
        # Once the sending lines of 40 rows in flight at a kill -9, with stray characters in them, were
        # skipped with a VERBOSE line, and the resume made all 40 again unflagged.
        New-Rows 40 'dmg' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal | Out-Null
        $lines = [Collections.Generic.List[string]] (Get-Content $journal)
        $lines[3] = '~' + $lines[3]
        $lines[5] = ([regex] '":"').Replace($lines[5], '":#"', 1)
        Set-Content $journal $lines
        $requests = (Get-GanEmulatorStat $emulator).bulkRequests

        $run = Invoke-Bounded { param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Journal } -ArgumentList @(New-Rows 40 'dmg'), $journal -TimeoutSec 60
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'JournalDamaged,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.CategoryInfo.Category | Should -Be 'InvalidData'
        $run.Terminating.Exception.Message | Should -Match '2 line\(s\) cannot be read \(lines 4, 6\)'
        $run.Errors.Count | Should -Be 0 -Because 'no row was read'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be $requests
    }

    It 'keeps a whole last line that only lacks its newline, and does not send its row again' {
        New-Rows 10 'nl' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal | Out-Null
        $text = [IO.File]::ReadAllText($journal)
        [IO.File]::WriteAllText($journal, $text.TrimEnd("`n"))

        $resumed = @(New-Rows 10 'nl' | New-GanVideoBatch -ProjectId demo -JournalPath $journal)
        $resumed.Count | Should -Be 10
        @($resumed | Where-Object FromJournal).Count | Should -Be 10
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 10
    }
}

Describe 'New-GanVideoBatch when the service refuses forever' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token # a pace of its own
    }
    AfterAll {
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    It 'ends with RateLimited after five batches in a row used up their retries on 429 (Retry-After <_>)' -ForEach '', '2' {
        # Once 2,000 rows took 363 s of 429s without Retry-After (about 5 h for 100,000), and 429 with
        # Retry-After: 60 forever took 42 min for 1,000 rows; each row got ServiceError in the end.
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 1.0; retryAfter = $_ } | Out-Null
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -SkipPreflight -MaxRetries 2 } -ArgumentList (, @(New-Rows 2000 'refused')) -TimeoutSec 120
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 60
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'RateLimited,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.Exception.Message | Should -Match 'refused 5 batches in a row with 429'
        Assert-EachRowOnce $run 'every row read ends once'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 0
    }
}

Describe 'New-GanVideoBatch after a full disk' -Skip:(-not $IsLinux) {
    It 'ends with JournalUnavailable, and once space is freed the next run in the same session takes the journal' {
        # Once the second run was refused "in use by another run": closing the journal threw on the
        # failed flush before its hold was released. The child ignores SIGXFSZ, so writing past
        # `ulimit -f` fails with EFBIG (as on a full disk) instead of killing it.
        $journal = Join-Path $TestDrive 'full.jsonl'
        $script = {
            param($Manifest, $BaseUri, $Journal)
            Add-Type -Namespace Limits -Name Native -MemberDefinition @'
[StructLayout(LayoutKind.Sequential)] public struct RLimit { public ulong Current; public ulong Max; }
[DllImport("libc", SetLastError = true)] public static extern int setrlimit(int resource, ref RLimit limit);
'@
            Import-Module $Manifest
            Connect-GanAi -BaseUri $BaseUri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force)
            $rows = 1..3000 | ForEach-Object { [pscustomobject]@{ unique_id = "disk-$_"; names = "N$_" } }
            try { $rows | New-GanVideoBatch -ProjectId demo -BatchSize 50 -JournalPath $Journal -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null; 'first: no end' }
            catch { 'first: ' + $_.FullyQualifiedErrorId }
            $unlimited = [Limits.Native+RLimit]::new(); $unlimited.Current = [ulong]::MaxValue; $unlimited.Max = [ulong]::MaxValue
            if ([Limits.Native]::setrlimit(1, [ref] $unlimited) -ne 0) { throw 'setrlimit failed' } # RLIMIT_FSIZE: space freed
            try { $made = @($rows | New-GanVideoBatch -ProjectId demo -BatchSize 50 -JournalPath $Journal -ErrorAction SilentlyContinue -RetryUnknown -WarningAction SilentlyContinue); "second: $($made.Count) results" }
            catch { 'second: ' + $_.FullyQualifiedErrorId + ' ' + $_.Exception.Message }
        }
        $command = "& { $script } '$ModuleManifest' '$($emulator.BaseUri)' '$journal'"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))
        # W^X off: .NET maps its JIT code through a file that a limit on file sizes would refuse.
        # Once a file at the size limit (EFBIG, which .NET reports as an argument out of range, not an
        # IOException) left a batch's outcome unposted: the run waited for it forever. `timeout` keeps CI going.
        $said = & bash -c "trap '' XFSZ; ulimit -S -f 64; DOTNET_EnableWriteXorExecute=0 exec timeout 120 '$(Get-TestPwsh)' -NoProfile -NonInteractive -EncodedCommand $encoded" 2>&1 | Out-String
        $said | Should -Match 'first: JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $said | Should -Not -Match 'in use by another run'
        $said | Should -Match 'second: 3000 results'
    }
}
