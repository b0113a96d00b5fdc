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

    It 'flags PossibleDuplicate on every row the service may have created twice (at-least-once)' {
        Set-GanEmulatorFault $emulator @{ dropAfterCreateRate = 0.4 } | Out-Null
        $results = @(New-Rows 100 'alo' | New-GanVideoBatch -ProjectId demo -BatchSize 10 -MaxRetries 15 -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Count | Should -Be 100
        $flagged = @($results | Where-Object PossibleDuplicate | ForEach-Object UniqueId)
        $doubled = @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 1 | ForEach-Object uniqueId)
        $doubled.Count | Should -BeGreaterThan 0
        $doubled | ForEach-Object { $flagged | Should -Contain $_ }
        # One warning at the end says how many, so nobody has to know to look for the flag.
        @($warnings | Where-Object { "$_" -match "^$($flagged.Count) video\(s\) may have been made twice" }).Count | Should -Be 1
    }

    It 'gives OutcomeUnknown instead of sending again with -NoRetryAfterSend (at-most-once)' {
        Set-GanEmulatorFault $emulator @{ dropAfterCreateRate = 0.5 } | Out-Null
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
