# A bounded, seeded fuzz test: random rows (random Unicode, property names, value types and sizes)
# through New-GanVideoBatch against the emulator. On every run the module must neither crash nor
# hang, and every row must end as exactly one result or one error. The second Describe drives the
# same seeds through random mixes of the service's failures (below). A failing seed is printed, so a
# failure can be replayed by running that seed alone (GANAI_FUZZ_SEEDS, below).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # 'fuzz' has no tags, so the service accepts any property names; 'strict' needs 'names'.
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'fuzz:', '--project', 'strict:names', '--seed', '11'
    $script:connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru

    # Text that stresses the JSON writer and the service: controls, quotes, markup, RTL, emoji,
    # combining marks, BOM and NUL, astral planes, and now and then a lone surrogate.
    $script:Pieces = @(
        "`"", '\', "`n", "`r`n", "`t", "`0", '</script>', '<b>&amp;</b>', "'; DROP TABLE x;--", ' ', '  lead ',
        [string][char]0x202E, 'مرحبا', 'שלום', '日本語', 'Ünïcödé', [char]::ConvertFromUtf32(0x1F600),
        [char]::ConvertFromUtf32(0x1F468) + [char]0x200D + [char]::ConvertFromUtf32(0x1F469), "e$([char]0x0301)",
        [string][char]0xFEFF, [string][char]0x2028, '{"a":1}', '%2F..%00', '../..', '$(whoami)', '`$env:X'
    )

    function New-FuzzText([Random] $Random, [int] $MaxLength) {
        $builder = [Text.StringBuilder]::new()
        $target = if ($Random.Next(20) -eq 0) { 5000 } else { $Random.Next(0, $MaxLength + 1) }
        while ($builder.Length -lt $target) {
            switch ($Random.Next(10)) {
                { $_ -lt 4 } { [void] $builder.Append($Pieces[$Random.Next($Pieces.Count)]); break }
                { $_ -lt 7 } { [void] $builder.Append([char] $Random.Next(0x20, 0x7F)); break }
                8 { [void] $builder.Append([char]::ConvertFromUtf32($Random.Next(0x10000, 0x10FFFF) -band 0x1FFFF -bor 0x10000)); break }
                default {
                    $c = $Random.Next(0, 0xD800) # any BMP code point below the surrogates
                    [void] $builder.Append([char] $c)
                }
            }
        }
        if ($Random.Next(60) -eq 0) { [void] $builder.Append([char] 0xD800) } # a lone surrogate: TagValueInvalidText
        $builder.ToString()
    }

    function New-FuzzValue([Random] $Random) {
        switch ($Random.Next(16)) {
            0 { return $Random.Next() }
            1 { return $Random.NextDouble() * 1e6 - 5e5 }
            2 { return [bool]($Random.Next(2)) }
            3 { return [datetime]::new(2000, 1, 1).AddSeconds($Random.Next()) }
            4 { return [decimal]$Random.Next() / 100 }
            5 { return [guid]::new([byte[]](1..16 | ForEach-Object { $Random.Next(256) })) }
            6 { if ($Random.Next(4) -eq 0) { return $null } else { return '' } }
            7 { if ($Random.Next(3) -eq 0) { return , @('a', 'b') } else { return 'not an array' } }
            8 { if ($Random.Next(3) -eq 0) { return @{ k = 'v' } } else { return [char] 'c' } }
            9 { if ($Random.Next(3) -eq 0) { return [pscustomobject]@{ nested = 1 } } else { return [long]::MaxValue } }
            default { return New-FuzzText $Random 80 }
        }
    }

    function New-FuzzName([Random] $Random, [string[]] $Taken) {
        switch ($Random.Next(12)) {
            0 { return '' }
            1 { if ($Taken.Count -gt 0) { return $Taken[$Random.Next($Taken.Count)].ToUpperInvariant() } else { return 'X' } }
            2 { return ' spaced name ' }
            3 { return 'unique_id' }
            default { return New-FuzzText $Random 20 }
        }
    }

    # $RequiredTag: the project's one tag, given to most rows (the rest get ServiceRejectedRow).
    function New-FuzzRow([Random] $Random, [int] $Index, [string] $RequiredTag) {
        $shape = $Random.Next(40)
        if ($shape -eq 0) { return "a bare string $Index" }
        if ($shape -eq 1) { return $Index }
        $row = [ordered]@{}
        switch ($Random.Next(14)) {
            0 { } # no id
            1 { $row['unique_id'] = '' }
            2 { $row['unique_id'] = "dup-$($Random.Next(5))" }
            3 { $row['unique_id'] = 'x' * (250 + $Random.Next(20)) }
            4 { $row['unique_id'] = "../../$Index/`0/" + [char]0x1F + ':*?' }
            5 { $row['unique_id'] = $Index }
            default { $row['unique_id'] = "id-$Index-" + (New-FuzzText $Random 30) }
        }
        if ($RequiredTag -and $Random.Next(10) -ne 0) { $row[$RequiredTag] = New-FuzzText $Random 40 }
        foreach ($n in 1..$Random.Next(0, 7)) {
            $name = New-FuzzName $Random ([string[]] @($row.Keys))
            if ($row.Contains($name)) { continue } # an ordered dictionary cannot hold a name twice; case twins can
            $row[$name] = New-FuzzValue $Random
        }
        if ($Random.Next(8) -eq 0) {
            $table = [hashtable]::new($row, [StringComparer]::Ordinal)
            $first = @($row.Keys | Where-Object { $_ -cne $_.ToUpperInvariant() }) | Select-Object -First 1
            if ($first -and $Random.Next(2) -eq 0) { $table[$first.ToUpperInvariant()] = 'case twin' } # DuplicateTagName
            return $table
        }
        $object = [pscustomobject]@{}
        foreach ($entry in $row.GetEnumerator()) {
            if ($entry.Key -eq '') { continue } # pscustomobject cannot hold an empty name; the hashtable case covers it
            $object.PSObject.Properties.Add([psnoteproperty]::new($entry.Key, $entry.Value))
        }
        $object
    }

    # What the emulator received, parsed exactly (ordinal names: PowerShell's own JSON cmdlets fold case).
    function Get-SentTag([string] $ProjectId) {
        $uri = [uri]::new($emulator.BaseUri, '/_emulator/videos?project_id=' + [uri]::EscapeDataString($ProjectId))
        $json = (Invoke-WebRequest -Uri $uri -UseBasicParsing).Content
        $sent = [Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
        $document = [Text.Json.JsonDocument]::Parse($json)
        try {
            foreach ($video in $document.RootElement.EnumerateArray()) {
                $tags = [Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)
                foreach ($tag in $video.GetProperty('tags').EnumerateObject()) { $tags[$tag.Name] = $tag.Value.GetString() }
                $sent[$video.GetProperty('uniqueId').GetString()] = $tags
            }
        }
        finally { $document.Dispose() }
        $sent
    }

    # A name for a failure message: controls escaped, at most 60 characters.
    function ConvertTo-Escaped([string] $Text) {
        $escaped = [Text.Json.JsonEncodedText]::Encode($Text).ToString()
        if ($escaped.Length -gt 60) { $escaped.Substring(0, 60) + '...' } else { $escaped }
    }

    # Runs one batch in its own runspace, so a hang is caught by the timeout instead of hanging CI.
    # Conservation: each row ends exactly once, as one result or one error record that is a row error
    # (never UnexpectedError) and carries the row itself as its target.
    # A run that ended early (-Terminating) accounts for the rows it read: 1..N, a prefix of the rows.
    function Assert-EachRowOnce($Run, [object[]] $Rows, [string] $Because) {
        $seen = @{}
        foreach ($result in $Run.Results) { $seen[[long] $result.RowNumber] += 1 }
        foreach ($record in $Run.Errors) {
            $record.Exception | Should -BeOfType ([GanAi.VideoRowException]) -Because "$Because gave a non-row error: $($record.FullyQualifiedErrorId) $($record.Exception.Message)"
            $record.FullyQualifiedErrorId | Should -Not -BeLike 'UnexpectedError*' -Because "$Because hit a defect: $($record.Exception.Message)"
            $null -ne $record.TargetObject | Should -BeTrue -Because "an error carries its row"
            $seen[[long] $record.Exception.RowNumber] += 1
        }
        $read = if ($Run.Terminating) { $Run.Results.Count + $Run.Errors.Count } else { $Rows.Count }
        ($Run.Results.Count + $Run.Errors.Count) | Should -Be $read -Because $Because
        if ($read -gt 0) { @($seen.Keys | Sort-Object) | Should -Be (1..$read) -Because $Because }
        @($seen.Values | Where-Object { $_ -ne 1 }).Count | Should -Be 0 -Because $Because
        foreach ($record in $Run.Errors) {
            $row = $Rows[$record.Exception.RowNumber - 1]
            [object]::ReferenceEquals($record.TargetObject.psobject.BaseObject, $row.psobject.BaseObject) | Should -BeTrue -Because "$Because row $($record.Exception.RowNumber)"
        }
    }

    # Starts a run in its own runspace (for two runs at once); Wait-FuzzRun gives its Results, its
    # row Errors and the Terminating error that ended it, if one did.
    function Start-FuzzRun([object[]] $Rows, [hashtable] $Parameters) {
        Start-InRunspace { param($Rows, $Parameters) $Rows | New-GanVideoBatch @Parameters -WarningAction SilentlyContinue } -ArgumentList $Rows, $Parameters
    }

    function Wait-FuzzRun($Run) {
        $run = Wait-InRunspace $Run -TimeoutSec 120
        if ($run.TimedOut) { throw 'New-GanVideoBatch did not finish within 120 s (a hang).' }
        [pscustomobject]@{ Results = $run.Output; Errors = @($run.Errors | Where-Object { $_.Exception -is [GanAi.VideoRowException] }); Terminating = $run.Terminating }
    }

    # -StopAfterMs stops the run then (Ctrl+C) and returns nothing, unless it finished first.
    function Invoke-FuzzRun([object[]] $Rows, [hashtable] $Parameters, [int] $TimeoutSec = 120, [int] $StopAfterMs = 0) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Rows, $Parameters)
                    Import-Module $Manifest
                    $results = [Collections.Generic.List[object]]::new()
                    $terminating = $null
                    try {
                        $Rows | New-GanVideoBatch @Parameters -ErrorVariable +rowErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
                            ForEach-Object { $results.Add($_) }
                    }
                    catch { $terminating = $_ }
                    # -ErrorVariable also holds the terminating error, as its exception: keep it apart.
                    $records = @($rowErrors | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
                    $others = @($rowErrors | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and -not ($terminating -and [object]::ReferenceEquals($_.InnerException, $terminating.Exception)) })
                    [pscustomobject]@{ Results = $results.ToArray(); Errors = $records + $others; Terminating = $terminating }
                }).AddArgument($ModuleManifest).AddArgument($Rows).AddArgument($Parameters)
            $handle = $ps.BeginInvoke()
            if ($StopAfterMs -gt 0 -and -not $handle.AsyncWaitHandle.WaitOne($StopAfterMs)) {
                $ps.Stop()
                return
            }
            if (-not $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))) {
                $ps.Stop()
                throw "New-GanVideoBatch did not finish within $TimeoutSec s (a hang)."
            }
            $output = $ps.EndInvoke($handle) # rethrows a terminating error: a crash
            $output[0]
        }
        finally {
            $ps.Dispose()
        }
    }
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

BeforeDiscovery {
    # CI runs seeds 1 to 6. GANAI_FUZZ_SEEDS runs others: "13" replays one seed, "7-200" a longer
    # campaign ("1-6,42" also works).
    $script:Seeds = if ($env:GANAI_FUZZ_SEEDS) {
        foreach ($part in $env:GANAI_FUZZ_SEEDS -split ',') {
            $bounds = @($part.Trim() -split '-')
            if ($bounds.Count -eq 2) { [int] $bounds[0]..[int] $bounds[1] } else { [int] $bounds[0] }
        }
    }
    else { 1..6 }
}

Describe 'New-GanVideoBatch under random input' {
    It 'ends every random row as exactly one result or one error, and never crashes or hangs (seed <_>)' -ForEach $Seeds {
        $seed = $_
        $random = [Random]::new($seed)
        Reset-GanEmulator $emulator
        # Some seeds also face a flaky service: 413s (split batches), shuffled and partial answers. (A
        # 5xx may come after the work, so the module sends a row once more after one, 10 s later: the
        # fault fuzz below covers those.)
        $faults = if ($seed % 2 -eq 0) { @{ maxBatchSize = 7; shuffle = $true; omitRate = 0.02 } } else { @{} }
        Set-GanEmulatorFault $emulator $faults | Out-Null
        $project, $tag = if ($seed -eq 5) { 'strict', 'names' } else { 'fuzz', '' }
        $rows = @(1..150 | ForEach-Object { New-FuzzRow $random $_ $tag })
        $parameters = @{ ProjectId = $project; BatchSize = 1 + $random.Next(40); ThrottleLimit = 1 + $random.Next(6); MaxRetries = 8; Connection = $connection }

        $run = Invoke-FuzzRun $rows $parameters
        if ($run.Terminating) {
            # A first row without an id ends the run at once (no id column): its own error, then the
            # terminating one, nothing sent. Then the same seed runs again with an id on the first row.
            $run.Terminating.FullyQualifiedErrorId | Should -BeLike 'MissingUniqueId,*' -Because "seed $seed ended early: $($run.Terminating)"
            @($run.Errors).Count | Should -Be 1 -Because "seed ${seed}: row 1 read, then the end"
            $run.Errors[0].Exception.RowNumber | Should -Be 1
            $run.Results.Count | Should -Be 0
            @(Get-GanEmulatorVideo $emulator -ProjectId $project).Count | Should -Be 0 -Because "seed ${seed}: nothing sent"
            $rows[0] = [ordered]@{ unique_id = 'first-with-id' }
            if ($tag) { $rows[0][$tag] = 'first' }
            $run = Invoke-FuzzRun $rows $parameters
        }
        $run.Terminating | Should -BeNullOrEmpty -Because "seed $seed"

        Assert-EachRowOnce $run $rows "seed $seed"
        $run.Results.Count | Should -BeGreaterThan 10 -Because "seed $seed must exercise the service, not only the row checks"

        # Never a doubled video, and every string value reached the service as given.
        @(Get-GanEmulatorCreatedId $emulator -ProjectId $project | Where-Object count -GT 1).Count | Should -Be 0
        $sent = Get-SentTag $project
        foreach ($result in $run.Results) {
            $row = $rows[$result.RowNumber - 1]
            $tags = $null
            $sent.TryGetValue($result.UniqueId, [ref] $tags) | Should -BeTrue -Because "seed ${seed}: result $(ConvertTo-Escaped $result.UniqueId) names a video the service did not make"
            $pairs = if ($row -is [Collections.IDictionary]) { $row.GetEnumerator() } else { $row.psobject.Properties }
            foreach ($pair in $pairs) {
                $name = if ($pair -is [Collections.DictionaryEntry]) { $pair.Key } else { $pair.Name }
                if ($pair.Value -is [string] -and $name -ne 'unique_id') {
                    $tags.ContainsKey($name) | Should -BeTrue -Because "seed $seed row $($result.RowNumber) has a tag named '$(ConvertTo-Escaped $name)'"
                    ($tags[$name] -ceq $pair.Value) | Should -BeTrue -Because "seed $seed row $($result.RowNumber) tag '$(ConvertTo-Escaped $name)' must arrive as given"
                }
            }
        }
    }
}

# The same seeds against random mixes of the service's failures, ambiguous ones included (made, then
# the answer lost or an error), with at-least-once or at-most-once, and with a journal resumed after.
Describe 'New-GanVideoBatch under random faults' {
    BeforeAll {
        # Every row's own unique_id ends once too (these rows all have one): results and errors name each.
        function Assert-EachIdOnce($Run, [object[]] $Rows, [string] $Because) {
            $ids = @($Run.Results.UniqueId) + @($Run.Errors | ForEach-Object { $_.Exception.UniqueId })
            @($ids | Sort-Object -Unique).Count | Should -Be $Rows.Count -Because $Because
        }

        # What the service made, by unique_id: the inference ids of its videos.
        function Get-MadeVideo {
            $made = @{}
            foreach ($video in @(Get-GanEmulatorVideo $emulator -ProjectId 'fuzz')) { $made[$video.uniqueId] += @($video.inferenceId) }
            $made
        }

        # A result names a video the service made, and is flagged when the service made its row more
        # than once; a row the service made never gets an error that reads as "not made" (a user would
        # send it again); no row is made more than twice per journal (once at-most-once); a run that
        # ended early ended for the service's sake, never a defect.
        function Assert-NoUnflaggedDouble($Run, [hashtable] $Made, [bool] $AtMostOnce, [string] $Because) {
            foreach ($result in $Run.Results) {
                $Made[$result.UniqueId] | Should -Contain $result.InferenceId -Because "$Because result $($result.UniqueId)"
                if ($Made[$result.UniqueId].Count -gt 1) { $result.PossibleDuplicate | Should -BeTrue -Because "$Because made $($result.UniqueId) $($Made[$result.UniqueId].Count) times" }
                $result.PossibleDuplicate | Should -Be ($result.SendCount -gt 1 -or $Made[$result.UniqueId].Count -gt 1) -Because "$Because result $($result.UniqueId): SendCount $($result.SendCount)"
            }
            foreach ($record in $Run.Errors) {
                if (-not $Made.ContainsKey($record.Exception.UniqueId)) { continue }
                $saysMayExist = $record.Exception.ErrorId -eq 'OutcomeUnknown' -or $record.Exception.Message -match 'may (or may not|have created|have made)'
                $saysMayExist | Should -BeTrue -Because "$Because made $($record.Exception.UniqueId), whose error says: $($record.Exception.Message)"
            }
            $most = if ($AtMostOnce) { 1 } else { 2 }
            @($Made.GetEnumerator() | Where-Object { $_.Value.Count -gt $most } | ForEach-Object { "$($_.Key) x$($_.Value.Count)" }) | Should -BeNullOrEmpty -Because "$Because made no row more than $most time(s)"
            if ($Run.Terminating) {
                $Run.Terminating.FullyQualifiedErrorId | Should -Match '^(ServiceNotAnswering|ServiceError|RateLimited|InsufficientCredits),' -Because "$Because ended: $($Run.Terminating.Exception.Message)"
            }
        }
    }

    It 'never leaves a video made twice unflagged, nor a made video reported as not made (seed <_>)' -ForEach $Seeds {
        $seed = $_
        $random = [Random]::new(7919 * $seed)
        Reset-GanEmulator $emulator
        $faults = @{ shuffle = $random.Next(2) -eq 0 }
        foreach ($name in 'errorRate', 'dropRate', 'errorAfterCreateRate', 'dropAfterCreateRate') {
            if ($random.Next(2) -eq 0) { $faults[$name] = [Math]::Round($random.NextDouble() * 0.15, 3) }
        }
        if ($random.Next(3) -eq 0) { $faults.omitRate = [Math]::Round($random.NextDouble() * 0.05, 3) }
        if ($random.Next(4) -eq 0) { $faults.malformedRate = [Math]::Round($random.NextDouble() * 0.1, 3) }
        if ($random.Next(3) -eq 0) { $faults.maxBatchSize = 2 + $random.Next(10) }
        if ($random.Next(6) -eq 0) { $faults.rateLimit = 10 + $random.Next(20) } # 429 with Retry-After: answered before any work
        if ($random.Next(4) -eq 0) { $faults.partialCreateRate = [Math]::Round($random.NextDouble() * 0.1, 3); $faults.partialCreateStatus = @(402, 400, 409)[$random.Next(3)] } # part made, then a 4xx
        if ($random.Next(6) -eq 0) { $faults.sharedInferenceIdRate = [Math]::Round($random.NextDouble() * 0.1, 3) } # one video named for every row
        if ($random.Next(6) -eq 0) { $faults.foreignProjectIdRate = [Math]::Round($random.NextDouble() * 0.1, 3) } # another project's items
        $timeouts = $random.Next(8) -eq 0 # every answer comes after the attempt's time limit: made, then given up on
        if ($timeouts) { $faults.latencyAfterCreateMs = 1500 }
        Set-GanEmulatorFault $emulator $faults | Out-Null

        $rows = @(1..(60 + $random.Next(100)) | ForEach-Object { [pscustomobject]@{ unique_id = "f$seed-$_"; names = "N$_" } })
        $parameters = @{ ProjectId = 'fuzz'; BatchSize = 3 + $random.Next(13); ThrottleLimit = 2 + $random.Next(7); MaxRetries = $random.Next(4); Connection = $connection }
        if ($timeouts) { $parameters.TimeoutSec = 1; $parameters.MaxRetries = $random.Next(2); $parameters.BatchSize = 10 + $random.Next(10); $parameters.ThrottleLimit = 4 + $random.Next(4) }
        $atMostOnce = $random.Next(4) -eq 0
        if ($atMostOnce) { $parameters.NoRetryAfterSend = $true }
        $journal = if ($random.Next(3) -eq 0) { Join-Path $TestDrive "faults-$seed.jsonl" }
        if ($journal) { $parameters.JournalPath = $journal }
        # Half the journaled runs are stopped (Ctrl+C) midway, requests in flight, then resumed.
        $stopAfterMs = if ($journal -and -not $timeouts -and $random.Next(2) -eq 0) { 100 + $random.Next(500) } else { 0 }
        if ($stopAfterMs) { $faults.latencyMs = 100; Set-GanEmulatorFault $emulator $faults | Out-Null }
        $shown = ($parameters.GetEnumerator() | Where-Object Key -NE 'Connection' | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' '
        $because = "seed $seed (faults $($faults | ConvertTo-Json -Compress); $shown)"

        if ($stopAfterMs) { $because += "; stopped after $stopAfterMs ms" }
        $run = Invoke-FuzzRun $rows $parameters -StopAfterMs $stopAfterMs
        $made = Get-MadeVideo
        if ($run) {
            Assert-EachRowOnce $run $rows $because
            if (-not $run.Terminating) { Assert-EachIdOnce $run $rows $because }
            Assert-NoUnflaggedDouble $run $made $atMostOnce $because
        }

        if ($journal) {
            # Resumed with the same journal against a healthy service, by two runs at once: one through
            # the journal's own name, one through a link to it (symbolic or hard). One of them has the
            # journal; the other fails at once with JournalUnavailable and sends nothing, or (when the
            # first already ended) resumes after it. The rows made come from the journal and are not
            # made again; the others end once, flagged where they may be doubles.
            Set-GanEmulatorFault $emulator @{} | Out-Null
            $link = Join-Path $TestDrive "faults-$seed-link.jsonl"
            if (-not $IsWindows) { $null = New-Item -ItemType ($random.Next(2) -eq 0 ? 'SymbolicLink' : 'HardLink') -Path $link -Target $journal -Force }
            $viaLink = $parameters.Clone()
            $viaLink.JournalPath = if ($IsWindows) { $journal } else { $link }
            $pair = @((Start-FuzzRun $rows $parameters), (Start-FuzzRun $rows $viaLink))
            $resumes = @($pair | ForEach-Object { Wait-FuzzRun $_ })
            $madeAfter = Get-MadeVideo
            @($resumes | Where-Object { -not $_.Terminating }).Count | Should -BeGreaterThan 0 -Because "${because}: one resume has the journal"
            foreach ($resumed in $resumes) {
                if ($resumed.Terminating -and $resumed.Terminating.FullyQualifiedErrorId -like 'JournalUnavailable,*') {
                    $resumed.Terminating.FullyQualifiedErrorId | Should -Be 'JournalUnavailable,GanAi.Cmdlets.NewGanVideoBatchCommand' -Because "$because, the second run at once"
                    ($resumed.Results.Count + $resumed.Errors.Count) | Should -Be 0 -Because "${because}: refused before it read a row"
                    continue
                }
                $resumed.Terminating | Should -BeNullOrEmpty -Because "${because}: a resume against a healthy service"
                # Held rows (at their cap, or given up in flight) wait for -RetryUnknown: each says so.
                $resumed.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*' -Because "$because, resumed: $($_.Exception.Message)" }
                Assert-EachRowOnce $resumed $rows "$because, resumed"
                Assert-EachIdOnce $resumed $rows "$because, resumed"
                Assert-NoUnflaggedDouble $resumed $madeAfter $atMostOnce "$because, resumed"
            }
            foreach ($result in $run.Results) { # none when the first run was stopped: its output went with it
                $madeAfter[$result.UniqueId].Count | Should -Be $made[$result.UniqueId].Count -Because "$because, resumed: $($result.UniqueId) had its result"
            }
            Get-Content $journal | ForEach-Object { { $_ | ConvertFrom-Json } | Should -Not -Throw -Because "${because}: no interleaved lines" }
        }
    }
}
