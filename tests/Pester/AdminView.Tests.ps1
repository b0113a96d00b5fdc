# The admin's view of a run: one mistake gives one message, money is never spent on a misread
# value, and the output looks like the rest of PowerShell.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'demo:names', '--project', 'welcome-2026:names', '--project', 'Welcome-2025:names', '--project', 'other:names'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    # A loopback port with nothing listening on it.
    function Get-ClosedPort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'One mistake, one message' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    # Once 20,000 rows gave 20,000 red lines over 10 s.
    It 'ends at once with one ProjectNotFound naming close matches, reading and sending nothing (-WhatIf: <_>)' -ForEach $false, $true {
        $whatIf = $_
        $rows = @(1..20000 | ForEach-Object { [pscustomobject]@{ unique_id = "p-$_"; names = 'x' } })
        $run = Invoke-Bounded { param($Rows, $WhatIf) $Rows | New-GanVideoBatch -ProjectId 'welcome-2O26' -WhatIf:$WhatIf } -ArgumentList $rows, $whatIf -TimeoutSec 60
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ProjectNotFound,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Terminating.Exception.Message | Should -Match "No project 'welcome-2O26' among your 4 project\(s\); nothing was read or sent\. Did you mean 'welcome-2026' \(Project welcome-2026\), 'Welcome-2025' \(Project Welcome-2025\)\?"
        $run.Terminating.Exception.Message | Should -Not -Match "'other'"
        $run.Errors.Count | Should -Be 0
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'ends the run under the rule at the first 404 without the pre-flight' {
        $rows = @(1..2000 | ForEach-Object { [pscustomobject]@{ unique_id = "s-$_"; names = 'x' } })
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId 'nope' -SkipPreflight } -ArgumentList (, $rows) -TimeoutSec 60
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ProjectNotFound,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*' }
        @($run.Errors | ForEach-Object { $_.Exception.RowNumber } | Sort-Object) | Should -Be (1..$run.Errors.Count)
        $run.Errors | ForEach-Object { $_.TargetObject.unique_id | Should -Be $_.Exception.UniqueId } # each error carries its own row
        $run.Errors.Count | Should -BeLessThan 2000
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -BeLessOrEqual 4
    }

    It 'ends at row 1 when the rows have no id column, naming the columns it has and the fix' {
        $rows = @(1..500 | ForEach-Object { [pscustomobject]@{ Email = "a$_@example.com"; names = 'x'; unique_id = "u$_" } })
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -UniqueIdProperty Emial } -ArgumentList (, $rows) -TimeoutSec 60
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MissingUniqueId,*'
        $run.Errors[0].Exception.RowNumber | Should -Be 1
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'MissingUniqueId,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.Exception.Message | Should -Match "Row 1 has no 'Emial' property, so no row can be sent; its properties are 'Email', 'names'.*Did you mean -UniqueIdProperty 'Email'\?"
        @($run.Warnings | Where-Object { "$_" -match "as well as 'Emial'" }).Count | Should -Be 0 -Because 'a column it lacks is never said to be there'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'names the delimiter at the run''s end as in the row''s error, for a CSV of ; read by Import-Csv (<Header>)' -ForEach @(
        @{ Header = 'Email;names'; Options = @{ UniqueIdProperty = 'Email' } }
        @{ Header = 'unique_id;names'; Options = @{} }
    ) {
        $csv = Join-Path $TestDrive 'semicolon.csv'
        @($Header) + @(1..50 | ForEach-Object { "a$_@example.com;Name $_" }) | Set-Content -LiteralPath $csv -Encoding utf8
        $run = Invoke-Bounded { param($Path, $Options) Import-Csv -LiteralPath $Path | New-GanVideoBatch -ProjectId demo @Options } -ArgumentList $csv, $Options -TimeoutSec 60
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].Exception.Message | Should -Match "read the file with Import-Csv -Delimiter ';'"
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'MissingUniqueId,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.Exception.Message | Should -Match "its properties are '$Header'\. Its column '$Header' looks like several columns in one: read the file with Import-Csv -Delimiter ';'\. Nothing was sent\."
        $run.Terminating.Exception.Message | Should -Not -Match 'add a|-UniqueIdProperty'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'keeps a blank id a per-row error and goes on' {
        $rows = @([pscustomobject]@{ unique_id = ''; names = 'x' }) + @(1..5 | ForEach-Object { [pscustomobject]@{ unique_id = "b-$_"; names = 'x' } })
        $results = @($rows | New-GanVideoBatch -ProjectId demo -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 5
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'MissingUniqueId,*'
    }

    It 'checks the token when connecting: a refused one fails and stores no connection' {
        Disconnect-GanAi
        { Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString 'not-the-token') } | Should -Throw -ErrorId 'TokenRefused,GanAi.Cmdlets.ConnectGanAiCommand'
        { Get-GanProject } | Should -Throw -ErrorId 'NotConnected,GanAi.Cmdlets.GetGanProjectCommand'
    }

    It 'fails to connect with ServiceUnreachable when nothing answers, and connects unchecked with -SkipTokenCheck' {
        Disconnect-GanAi
        $closed = "http://127.0.0.1:$(Get-ClosedPort)"
        { Connect-GanAi -BaseUri $closed -Token $emulator.Token } | Should -Throw -ErrorId 'ServiceUnreachable,GanAi.Cmdlets.ConnectGanAiCommand'
        { Get-GanProject } | Should -Throw -ErrorId 'NotConnected,GanAi.Cmdlets.GetGanProjectCommand'
        $before = (Get-GanEmulatorStat $emulator).requests
        $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString 'not-the-token') -SkipTokenCheck -PassThru
        $connection.BaseUri | Should -Be $emulator.BaseUri
        (Get-GanEmulatorStat $emulator).requests | Should -Be $before -Because '-SkipTokenCheck sends nothing'
    }

    It 'says what failed and how many attempts Get-GanProject made when the service is down' {
        Connect-GanAi -BaseUri "http://127.0.0.1:$(Get-ClosedPort)" -Token $emulator.Token -SkipTokenCheck
        $run = Invoke-Bounded { Get-GanProject } -TimeoutSec 60
        $run.TimedOut | Should -BeFalse
        $run.Seconds | Should -BeLessThan 20
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'ServiceUnreachable,GanAi.Cmdlets.GetGanProjectCommand'
        $run.Terminating.Exception.Message | Should -Match 'could not be reached: no answer for 1\d s, and the last \d+ attempts could not connect \(connection failed \(Connection refused'
    }

    It 'says a refused token once, never quotes the token the service echoes, and words its argument errors plainly' {
        Set-GanEmulatorFault $emulator @{ rejectToken = $true; echoAuthorization = $true } | Out-Null
        $run = Invoke-Bounded { 1..3 | ForEach-Object { [pscustomobject]@{ unique_id = "t-$_"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -SkipPreflight } -TimeoutSec 60
        $message = $run.Terminating.Exception.Message
        $message | Should -Match '^The service refused the token \(401: Could not validate credentials \(request had Authorization: Bearer \[the token\];.*\)\)\. Run Connect-GanAi'
        ([regex]::Matches($message, 'refused the token')).Count | Should -Be 1
        ($run.Errors + $run.Terminating | Out-String) | Should -Not -Match 'emulator-token'
        { Connect-GanAi -BaseUri 'ftp://example.com' -Token $emulator.Token } | Should -Throw -ExpectedMessage "*https://*"
        try { Connect-GanAi -BaseUri 'ftp://example.com' -Token $emulator.Token } catch { $_.Exception.Message | Should -Not -Match "Parameter 'baseUri'" }
    }

    It 'never passes on the token a service echoes: in a reason phrase, in any case, encoded, escaped, cut, split, or in base64' {
        # A reason phrase ("500 Failed for Bearer <token>") once reached verbose lines and row errors
        # as it was; a 200 item's field reached results, NoResultReturned messages and the journal.
        # Later: PHP's \/ escapes put the whole token in every row error, and the token written in
        # \u escapes, cut at its start, split across two fields, in mixed case in a 200, or in base64
        # in a 401's detail went through as well.
        $token = 'sekrit/TOKEN+123-abcdef/ghi'
        $echoing = Start-GanEmulator -Token $token -ArgumentList '--echo-authorization'
        try {
            $connection = Connect-GanAi -BaseUri $echoing.BaseUri -Token $echoing.Token -PassThru
            $journal = Join-Path $TestDrive 'echo.jsonl'
            $csv = Join-Path $TestDrive 'echo.csv'
            Set-GanEmulatorFault $echoing @{ echoAuthorization = $true; tooManyRequestsRate = 1; retryAfter = '0' } | Out-Null
            $failing = & { New-Rows 3 'echo' | New-GanVideoBatch -ProjectId demo -MaxRetries 1 -Verbose -JournalPath $journal -Connection $connection -ErrorAction Continue } *>&1 | Out-String -Width 2000
            Set-GanEmulatorFault $echoing @{ echoAuthorization = $true; partialCreateRate = 1; partialCreateStatus = 409 } | Out-Null
            $partial = & { New-Rows 4 'echo-part' | New-GanVideoBatch -ProjectId demo -Verbose -JournalPath $journal -Connection $connection -ErrorAction Continue } *>&1 | Out-String -Width 2000
            Set-GanEmulatorFault $echoing @{ echoAuthorization = $true; missingInferenceIdRate = 0.5 } | Out-Null
            $made = [Collections.Generic.List[object]]::new()
            $answered = & { New-Rows 20 'echo-ok' | New-GanVideoBatch -ProjectId demo -Verbose -JournalPath $journal -Connection $connection -ErrorAction Continue | ForEach-Object { $made.Add($_); $_ } | Format-List * } *>&1 | Out-String -Width 2000
            $made | Export-Csv $csv
            Set-GanEmulatorFault $echoing @{ echoAuthorization = $true; rejectToken = $true } | Out-Null
            $refused = & { try { Get-GanProject -Verbose -Connection $connection } catch { $_ } } *>&1 | Out-String -Width 2000
            $everything = $failing + $partial + $answered + $refused + (Get-Content $journal -Raw) + (Get-Content $csv -Raw)
        }
        finally { Stop-GanEmulator $echoing }

        $everything | Should -Match '\[the token\]' -Because 'the service did echo it, and it was taken out'
        $failing | Should -Match 'attempt 1 failed \(429 Failed for Bearer \[the token\]\)' -Because 'the reason phrase is shown, without the token'
        $answered | Should -Match 'has no inference_id'
        $made.Count | Should -BeGreaterThan 0
        # No run of 8 or more of its characters, in any case (-match ignores case), decoded or not.
        for ($i = 0; $i + 8 -le $token.Length; $i++) {
            $everything | Should -Not -Match ([regex]::Escape($token.Substring($i, 8))) -Because "'$($token.Substring($i, 8))' is part of the token"
        }
        $everything | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("Bearer $token")).Substring(8, 24)))
    }

    It 'leaves a CDN URL that carries another JWT byte for byte, in the result and the journal' {
        # Every JWT starts eyJhbGci: once, with a JWT as the token, a video_url's own signed token was
        # rewritten as "...?token=[the token]2aWQiOi...", a paid video's link broken for good.
        $jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjdXN0b21lci0xIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW9mLXRoZS1jYWxsZXJzLXRva2Vu'
        $cdn = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ2aWQiOiJjZG4tNDIiLCJleHAiOjE5MDAwMDAwMDB9.Q0ROLXNpZ25hdHVyZS1ub3QtdGhlLWNhbGxlcnM'
        $signed = Start-GanEmulator -Token $jwt -ArgumentList '--cdn-token', $cdn
        try {
            $connection = Connect-GanAi -BaseUri $signed.BaseUri -Token $signed.Token -PassThru
            $journal = Join-Path $TestDrive 'cdn.jsonl'
            $results = @(New-Rows 5 'cdn' | New-GanVideoBatch -ProjectId demo -JournalPath $journal -Connection $connection)
        }
        finally { Stop-GanEmulator $signed }
        $results.Count | Should -Be 5
        $results | ForEach-Object { $_.VideoUrl | Should -BeLikeExactly "*.mp4?token=$cdn" }
        @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ created | Where-Object { $_.video_url.EndsWith("?token=$cdn") }).Count | Should -Be 5
    }
}

Describe 'Money on the screen' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    It 'refuses a row whose text was read with the wrong encoding (a Windows-1252 CSV read as UTF-8), with a hint' {
        $csv = Join-Path $TestDrive 'excel.csv'
        [IO.File]::WriteAllBytes($csv, [Text.Encoding]::Latin1.GetBytes("unique_id,names`r`nr-1,Bj$([char]0xF6)rn`r`nr-2,Ann`r`n"))
        $results = @(Import-Csv $csv | New-GanVideoBatch -ProjectId demo -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $results.UniqueId | Should -Be 'r-2'
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'MisdecodedText,*'
        $rowErrors[0].Exception.Message | Should -Match "U\+FFFD in 'names'.*Import-Csv -Encoding 1252"
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo).uniqueId | Should -Be 'r-2'
        # Read with its encoding, it goes.
        @(Import-Csv $csv -Encoding 1252 | New-GanVideoBatch -ProjectId demo -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).names | Should -Be @('Björn', 'Ann')
    }

    It 'says after Ctrl+C without -JournalPath how many rows were in flight and that their outcome is unknown' {
        Set-GanEmulatorFault $emulator @{ latencyAfterCreateMs = 3000 } | Out-Null
        $run = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); " +
            "& { 1..30 | ForEach-Object { [pscustomobject]@{ unique_id = `"k-`$_`"; names = 'x' } }; Start-Sleep -Milliseconds 1000; [pscustomobject]@{ unique_id = 'k-5'; names = 'Again' } } | " +
            'New-GanVideoBatch -ProjectId demo -BatchSize 10 -ErrorAction Stop | Out-Null'
        $told = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $run 2>&1 | Out-String
        $told | Should -Match 'Stopped with 30 row\(s\) in 3 batch\(es\) sent and not answered: the service may or may not have made their videos.*-JournalPath'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 30 -Because 'the service made them: the user was right to be told'
    }

    It 'says how many answered rows an early end left unwritten without -JournalPath (Select-Object -First, -ErrorAction Stop)' {
        # The rest of an answered batch once went unseen: 100 videos made, 1 result shown, no word.
        $first = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); " +
            "1..100 | ForEach-Object { [pscustomobject]@{ unique_id = `"w-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 100 | Select-Object -First 1 | Out-Null"
        $told = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $first 2>&1 | Out-String
        $told | Should -Match 'Stopped with 99 row\(s\) answered and not written \(99 with a result, 0 with an error\).*-JournalPath'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 100

        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{ omitRate = 1 } | Out-Null # every item left out: each row gets NoResultReturned
        $stop = "Import-Module '$ModuleManifest'; Connect-GanAi -BaseUri '$($emulator.BaseUri)' -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force); " +
            "try { 1..10 | ForEach-Object { [pscustomobject]@{ unique_id = `"s-`$_`"; names = 'x' } } | New-GanVideoBatch -ProjectId demo -BatchSize 10 -ErrorAction Stop | Out-Null } catch { `$_.FullyQualifiedErrorId }"
        $told = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $stop 2>&1 | Out-String
        $told | Should -Match 'NoResultReturned'
        $told | Should -Match 'Stopped with 9 row\(s\) answered and not written \(0 with a result, 9 with an error\)'
    }

    It 'says how many rows are beyond the credits, and on a 402 sends nothing more and ends the rest under the rule' {
        # A 402 may come after part of its batch was made: the rows the credits allowed are not sent
        # again (that would be a second send); the refused batch's rows read as possibly made.
        Set-GanEmulatorProject $emulator -ProjectId small -Tag names -Credits 5 | Out-Null
        $rows = @(1..2000 | ForEach-Object { [pscustomobject]@{ unique_id = "c-$_"; names = 'x' } })
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId small } -ArgumentList (, $rows) -TimeoutSec 60
        $run.Warnings.Message | Should -Contain "The rows to send exceed the 5 credit(s) available in project 'small'; the rows beyond them will fail with InsufficientCredits."
        @($run.Warnings | Where-Object { "$_" -match '^Row \d+' }).Count | Should -Be 0
        $run.Output.Count | Should -Be 0
        $run.Terminating.FullyQualifiedErrorId | Should -Be 'InsufficientCredits,GanAi.Cmdlets.NewGanVideoBatchCommand'
        $run.Terminating.Exception.Message | Should -Match "ran out of credits.*nothing more is sent\. The service may have made part of the batch it refused"
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*' }
        @($run.Errors | Where-Object { $_.Exception.Message -match 'may or may not have been made' }).Count | Should -BeGreaterThan 0 -Because 'the refused batches may have been made in part'
        $numbers = @($run.Errors | ForEach-Object { $_.Exception.RowNumber })
        @($numbers | Sort-Object) | Should -Be (1..$numbers.Count) -Because 'each row read ends once'
        (Get-GanEmulatorStat $emulator).answers.'402' | Should -BeLessOrEqual 4 -Because 'no storm of halved requests'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 0
    }

    It 'shows rows per second and elapsed time, and counts results from the journal apart from videos created' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 100 } | Out-Null
        $journal = Join-Path $TestDrive 'progress.jsonl'
        $rows = @(1..600 | ForEach-Object { [pscustomobject]@{ unique_id = "g-$_"; names = 'x' } })
        $null = $rows[0..299] | New-GanVideoBatch -ProjectId demo -JournalPath $journal -BatchSize 10
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'").AddStatement().AddScript({ param($Rows, $Journal) $Rows | New-GanVideoBatch -ProjectId demo -JournalPath $Journal -BatchSize 10 -ThrottleLimit 2 }).AddArgument($rows).AddArgument($journal)
        $results = @($ps.Invoke())
        $progress = @($ps.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $ps.Dispose()
        $results.Count | Should -Be 600
        @($results | Where-Object FromJournal).Count | Should -Be 300
        @($results | Where-Object { -not $_.FromJournal }).Count | Should -Be 300
        $progress.Count | Should -BeGreaterThan 0
        $progress[-1].StatusDescription | Should -Match '^[\d,]+ rows read · [\d,]+ made · 300 from journal · 0 errors · [\d,.]+ rows/s · \d+:\d\d:\d\d$'
    }

    It 'fits the progress line of a 100,000-row run with errors in 120 columns, numbers first' {
        # PowerShell 7's minimal view draws "<activity> [<status> ]" on one line of at most
        # $PSStyle.Progress.MaxWidth (120) columns and cuts the status where it does not fit.
        Set-GanEmulatorFault $emulator @{ latencyMs = 20 } | Out-Null
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'").AddStatement().AddScript({
                param($Uri)
                Connect-GanAi -BaseUri $Uri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force)
                # Every 1,000th row repeats an earlier id: 100 DuplicateUniqueId errors along the way.
                1..100000 | ForEach-Object { [pscustomobject]@{ unique_id = if ($_ % 1000 -eq 0) { "big-1" } else { "big-$_" }; names = 'x' } } |
                    New-GanVideoBatch -ProjectId demo -ErrorAction SilentlyContinue | Out-Null
            }).AddArgument($emulator.BaseUri.ToString())
        $null = $ps.Invoke()
        $progress = @($ps.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $ps.Dispose()
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 99900
        $progress.Count | Should -BeGreaterThan 0
        foreach ($record in $progress) {
            $record.Activity | Should -Be 'New-GanVideoBatch'
            ($record.Activity.Length + ' ['.Length + $record.StatusDescription.Length + ' ]'.Length) | Should -BeLessOrEqual 120 -Because $record.StatusDescription
            $record.StatusDescription | Should -Match '^[\d,]+ rows read · [\d,]+ made · [\d,]+ errors? · [\d,.]+ rows/s · \d+:\d\d:\d\d$'
        }
        $largest = [long](($progress[-1].StatusDescription -split ' ')[0] -replace ',')
        $largest | Should -BeGreaterThan 9999 -Because 'the widths were checked with five- and six-digit counts'
    }
}

Describe 'Output that looks like PowerShell' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    It 'fits a result with a 40-character id in a 120-column table and marks PossibleDuplicate in a column of its own' {
        $id = 'ann.example-longer-name@contoso.example'.PadRight(40, 'x')
        Set-GanEmulatorFault $emulator @{ omitRate = 1.0 } | Out-Null # made, and left out of the answer: may_exist
        $null = [pscustomobject]@{ unique_id = $id; names = 'Ann' } | New-GanVideoBatch -ProjectId demo -JournalPath (Join-Path $TestDrive 'dup.jsonl') -ErrorAction SilentlyContinue
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $result = [pscustomobject]@{ unique_id = $id; names = 'Ann' } | New-GanVideoBatch -ProjectId demo -JournalPath (Join-Path $TestDrive 'dup.jsonl') -WarningAction SilentlyContinue
        $result.PossibleDuplicate | Should -BeTrue
        $lines = @(($result | Format-Table | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^UniqueId\s+Dup\s+InferenceId\s+VideoUrl'
        $lines[2] | Should -Match ('^' + [regex]::Escape($id) + ' yes ')
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }

    It 'writes from Save-GanVideo the FileInfo objects Get-Item would' {
        $result = [pscustomobject]@{ unique_id = 'f-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo
        $saved = @($result | Wait-GanVideo -PollIntervalSec 0.2 | Save-GanVideo -Path (Join-Path $TestDrive 'videos'))
        $saved.Count | Should -Be 1
        ($saved | Out-String) | Should -Be (Get-Item $saved[0].FullName | Out-String)
        $saved[0].UniqueId | Should -Be 'f-1'
        $saved[0].Length | Should -BeGreaterThan 0
    }

    It 'shows in the status table the GenStatus the object has' {
        $result = [pscustomobject]@{ unique_id = 's-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo
        $status = $result | Get-GanVideoStatus
        $table = $status | Format-Table | Out-String -Width 120
        $table | Should -MatchExactly ('\b' + $status.GenStatus + '\b')
        $table | Should -Not -MatchExactly '\bPENDING\b|\bPROCESSING\b'
    }

    It 'writes journal lines with only their documented fields' {
        $journal = Join-Path $TestDrive 'fields.jsonl'
        $null = [pscustomobject]@{ unique_id = 'j-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo -JournalPath $journal
        $created = Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'created'
        $created.psobject.Properties.Name | Should -Not -Contain 'IsCreated'
        Get-Content $journal -Raw | Should -Not -Match 'IsCreated'
    }
}
