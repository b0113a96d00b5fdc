# Waiting for a campaign (docs/videos.md, "What waiting costs"): the videos of one bulk request are
# read as a group, every status read of a command is under its ceiling, and the emulator's own
# counters say what the service paid.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Each project's requests render in turn, 500 videos a second, each at least 1 s.
    $script:emulator = Start-GanEmulator -Project 'demo:names' -RenderSeconds 1 -RenderRate 500
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    function script:Get-StatusReads { (Get-GanEmulatorStat $emulator).statusReads }
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'New-GanVideoBatch results say which request made them' {
    BeforeEach { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'gives the rows of one request one RequestId, other requests and other runs other ones, and the journal keeps it' {
        $journal = Join-Path $TestDrive 'ids.jsonl'
        $first = @(New-Rows 30 'rq' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $first.Count | Should -Be 30
        $groups = @($first | Group-Object RequestId)
        $groups.Count | Should -Be 3
        $groups | ForEach-Object { $_.Count | Should -Be 10; $_.Name | Should -Match '^[a-z2-9]{6}-\d+$' }

        $created = Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ created
        foreach ($line in $created) { $line.request_id | Should -Be ($first | Where-Object UniqueId -EQ $line.unique_id).RequestId }

        # A resume writes the recorded results with their RequestId; a new run's requests get new ones.
        $again = @(New-Rows 30 'rq' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -JournalPath $journal)
        $again | ForEach-Object { $_.FromJournal | Should -BeTrue }
        ($again | Sort-Object UniqueId).RequestId | Should -Be ($first | Sort-Object UniqueId).RequestId
        $other = @(New-Rows 10 'rq-other' | New-GanVideoBatch -ProjectId demo -BatchSize 10)
        $other[0].RequestId | Should -Not -BeIn $first.RequestId
        ($other[0].RequestId -split '-')[0] | Should -Not -Be ($first[0].RequestId -split '-')[0]
    }

    It 'gives each part of a batch the service asked to split (413) its own RequestId' {
        Set-GanEmulatorFault $emulator @{ maxBatchSize = 5 } | Out-Null
        $results = @(New-Rows 10 'split' | New-GanVideoBatch -ProjectId demo -BatchSize 10)
        $results.Count | Should -Be 10
        $ids = @($results | Group-Object RequestId | ForEach-Object Name | Sort-Object)
        $ids.Count | Should -Be 2
        $ids | ForEach-Object { $_ | Should -Match '^[a-z2-9]{6}-1\.\d+$' }
    }
}

Describe 'Wait-GanVideo reads one video of each request until it is done, then the others once' {
    BeforeEach {
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Reset-GanEmulator $emulator
    }

    It 'reads 1,000 videos of 10 requests with at most 1.3 status reads each, and writes every one' {
        $results = @(New-Rows 1000 'grp' | New-GanVideoBatch -ProjectId demo -BatchSize 100)
        $results.Count | Should -Be 1000
        # Read on their own from 0.2 s (0.2, 0.5, 0.95, 1.6 s ...), videos that finish 1 to 2 s after
        # they were made would cost four or five reads each.
        $done = @($results | Wait-GanVideo -PollIntervalSec 0.2 -MaxReadsPerSecond 200 -TimeoutSec 120)
        $done.Count | Should -Be 1000
        @($done | Where-Object GenStatus -NE 'Succeeded').Count | Should -Be 0
        $done | ForEach-Object { $_.RequestId | Should -Not -BeNullOrEmpty }
        $reads = Get-StatusReads
        $reads | Should -BeLessOrEqual 1300 -Because "the emulator counted $reads status reads for 1,000 videos"
        $reads | Should -BeGreaterOrEqual 1000
    }

    It 'groups the rows of an exported results CSV read back with Import-Csv' {
        $csv = Join-Path $TestDrive 'results.csv'
        New-Rows 300 'csv' | New-GanVideoBatch -ProjectId demo -BatchSize 100 | Export-Csv $csv
        (Import-Csv $csv)[0].RequestId | Should -Match '^[a-z2-9]{6}-\d+$'
        $done = @(Import-Csv $csv | Wait-GanVideo -PollIntervalSec 0.2 -MaxReadsPerSecond 200 -TimeoutSec 120)
        $done.Count | Should -Be 300
        Get-StatusReads | Should -BeLessOrEqual 390
    }

    It 'reads every other video of a request whose first video FAILED, once each' {
        $members = 1..8 | ForEach-Object { "m-$_" }
        $group = @(Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId leader -Pending -Fail -RequestId 'hand-1')
        $group += $members | ForEach-Object { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId $_ -Pending -RequestId 'hand-1' }
        $done = @($group | Wait-GanVideo -PollIntervalSec 0.4 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $done.UniqueId | Sort-Object | Should -Be ($members | Sort-Object)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'VideoFailed,*'
        # The leader until it failed (1 s, from 0.4 s growing by half: 3 reads at most), then each member
        # once; a member registered a moment after the leader may need one more. Read on their own, as
        # before, each of the nine would take two or three reads (18 or more).
        Get-StatusReads | Should -BeLessOrEqual (3 + $members.Count + 3)
    }

    It 'writes every video of a request whose videos finish at different times' {
        $group = @(Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId early -RequestId 'hand-2')
        $group += 1..3 | ForEach-Object { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId "late-$_" -Pending -RequestId 'hand-2' }
        $group += 1..3 | ForEach-Object { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId "ready-$_" -RequestId 'hand-2' }
        $done = @($group | Wait-GanVideo -PollIntervalSec 0.3 -TimeoutSec 60)
        $done.UniqueId | Sort-Object | Should -Be ($group.UniqueId | Sort-Object)
    }

    It 'reads videos without a RequestId each on its own, as before' {
        $loose = 1..4 | ForEach-Object { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId "loose-$_" -Pending }
        $done = @($loose | Wait-GanVideo -PollIntervalSec 0.4)
        $done.Count | Should -Be 4
        # Each read on its own at 0.4, 1.0, 1.9 s: at least two reads each before 1 s of render.
        Get-StatusReads | Should -BeGreaterOrEqual 8
    }
}

Describe 'Wait-GanVideo when a video of a request is stuck rendering, or the service refuses' {
    BeforeAll {
        $script:slow = Start-GanEmulator -Project 'demo:names' -RenderSeconds 600
        $script:slowConnection = Connect-GanAi -BaseUri $slow.BaseUri -Token $slow.Token -PassThru
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }
    AfterAll { if ($slow) { Stop-GanEmulator $slow } }
    BeforeEach {
        Set-GanEmulatorFault $slow @{} | Out-Null
        Reset-GanEmulator $slow
    }

    It 'still writes the finished videos of a request whose first video is stuck, before -TimeoutSec' {
        $group = @(Register-GanEmulatorVideo $slow -ProjectId demo -UniqueId stuck -Pending -RequestId 'hostage-1')
        $group += 1..4 | ForEach-Object { Register-GanEmulatorVideo $slow -ProjectId demo -UniqueId "done-$_" -RequestId 'hostage-1' }
        $done = @($group | Wait-GanVideo -Connection $slowConnection -TimeoutSec 5 -ErrorVariable late -ErrorAction SilentlyContinue)
        $done.UniqueId | Sort-Object | Should -Be @('done-1', 'done-2', 'done-3', 'done-4')
        $late.Count | Should -Be 1
        $late[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimedOut,*'
        $late[0].Exception.UniqueId | Should -Be 'stuck'
    }

    It 'ends by -TimeoutSec while the service answers 429 with a long Retry-After' {
        $videos = @(1..30 | ForEach-Object { Register-GanEmulatorVideo $slow -ProjectId demo -UniqueId "storm-$_" -Pending })
        Set-GanEmulatorFault $slow @{ tooManyRequestsRate = 0.5; retryAfter = '20' } | Out-Null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $done = @($videos | Wait-GanVideo -Connection $slowConnection -TimeoutSec 3 -PollIntervalSec 0.5 -ErrorVariable late -ErrorAction SilentlyContinue)
        $clock.Stop()
        $done.Count | Should -Be 0
        $late.Count | Should -Be 30
        $late | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'WaitTimedOut,*' }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 6 -Because 'a 429 pause ends at the deadline too'
    }

    It 'refuses a -MaxReadsPerSecond below one at once, saying the number given' {
        $video = Register-GanEmulatorVideo $slow -ProjectId demo -UniqueId ceiling-0
        { $video | Wait-GanVideo -Connection $slowConnection -MaxReadsPerSecond 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        # 0.6 was let through (as 1) and then failed inside the command; 0.5 was refused as "0"
        { $video | Wait-GanVideo -Connection $slowConnection -MaxReadsPerSecond 0.6 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -ExpectedMessage '*0.6*'
        @($video | Wait-GanVideo -Connection $slowConnection -MaxReadsPerSecond 1.5).Count | Should -Be 1
    }
}

Describe 'Wait-GanVideo keeps its status reads under a ceiling' {
    BeforeEach {
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Reset-GanEmulator $emulator
    }

    It 'makes no more than -MaxReadsPerSecond status reads in any second' {
        # 60 rendered videos read on their own (no RequestId): 60 reads due at once.
        $videos = 1..60 | ForEach-Object { Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId "cap-$_" }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $done = @($videos | Wait-GanVideo -MaxReadsPerSecond 20 -ThrottleLimit 16)
        $clock.Stop()
        $done.Count | Should -Be 60
        $stat = Get-GanEmulatorStat $emulator
        $stat.statusReads | Should -Be 60
        $stat.peakStatusReadsPerSecond | Should -BeLessOrEqual 20
        $stat.peakStatusReadsPerSecond | Should -BeGreaterOrEqual 15 -Because 'the ceiling is a pace, not a stall'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 2.5 -Because '60 reads at 20 a second take about 3 s'
    }

    It 'sends no request once stopped (Ctrl+C)' {
        $slow = Start-GanEmulator -Project 'demo:names' -RenderSeconds 600
        $ps = [powershell]::Create()
        try {
            $videos = @(1..40 | ForEach-Object { Register-GanEmulatorVideo $slow -ProjectId demo -UniqueId "stop-$_" -Pending })
            $null = $ps.AddScript({
                    param($manifest, $uri, $token, $videos)
                    Import-Module $manifest
                    Connect-GanAi -BaseUri $uri -Token $token
                    $videos | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 600 -MaxReadsPerSecond 40
                }).AddArgument($ModuleManifest).AddArgument($slow.BaseUri).AddArgument($slow.Token).AddArgument($videos)
            $running = $ps.BeginInvoke()
            $reads = { (Get-GanEmulatorStat $slow).statusReads }
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((& $reads) -lt 60 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            & $reads | Should -BeGreaterOrEqual 60 -Because 'the wait was reading, with reads waiting for their turn'
            $ps.Stop()
            $running.IsCompleted | Should -BeTrue
            Start-Sleep -Milliseconds 300 # a request already on the wire may still arrive
            $after = & $reads
            Start-Sleep -Seconds 2
            & $reads | Should -Be $after -Because 'a stopped Wait-GanVideo sends nothing more'
        }
        finally {
            $ps.Dispose()
            Stop-GanEmulator $slow
        }
    }
}
