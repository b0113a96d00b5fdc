# After the batch: Get-GanVideoStatus, Wait-GanVideo, Save-GanVideo, and the whole flow from a CSV to files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'demo:names', '--render-seconds', '1'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    # Rows with ids that are hostile as file names.
    $script:HostileIds = @('a/b', 'c:\d', '..', '../escape', 'CON', "tab`there", 'trail.', '100%', 'Ann', 'ann', ('x' * 250))
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Get-GanVideoStatus' {
    BeforeEach { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'takes New-GanVideoBatch results from the pipeline and returns typed statuses with their ids' {
        $results = @(New-Rows 3 'st' | New-GanVideoBatch -ProjectId demo)
        $statuses = @($results | Get-GanVideoStatus)
        $statuses.Count | Should -Be 3
        foreach ($status in $statuses) {
            $status | Should -BeOfType ([GanAi.VideoStatus])
            $status.GenStatus | Should -BeOfType ([GanAi.GenStatus])
            $status.GenStatus | Should -BeIn @('Pending', 'Processing', 'Succeeded')
            $source = $results | Where-Object InferenceId -EQ $status.InferenceId
            $status.UniqueId | Should -Be $source.UniqueId
            $status.ProjectId | Should -Be 'demo'
            $status.AudioUrl | Should -Be $source.AudioUrl
        }
        Start-Sleep -Seconds 1.2
        $done = $results[0] | Get-GanVideoStatus
        $done.GenStatus | Should -Be 'Succeeded'
        $done.IsFinal | Should -BeTrue
        $done.VideoUrl | Should -Be $results[0].VideoUrl
        $done.Error | Should -BeNullOrEmpty
    }

    It 'takes -ProjectId and -InferenceId as parameters, and gives VideoNotFound with the input as target for an unknown video' {
        $result = New-Rows 1 'byparam' | New-GanVideoBatch -ProjectId demo
        (Get-GanVideoStatus -ProjectId demo -InferenceId $result.InferenceId).InferenceId | Should -Be $result.InferenceId

        $input = [pscustomobject]@{ ProjectId = 'demo'; InferenceId = 'does-not-exist'; UniqueId = 'ghost' }
        $none = @($input | Get-GanVideoStatus -ErrorVariable statusErrors -ErrorAction SilentlyContinue)
        $none.Count | Should -Be 0
        $statusErrors.Count | Should -Be 1
        $statusErrors[0].FullyQualifiedErrorId | Should -BeLike 'VideoNotFound,*'
        $statusErrors[0].TargetObject | Should -Be $input
        $statusErrors[0].Exception.UniqueId | Should -Be 'ghost'
    }

    It 'gives each video it took a TokenRefused error, then ends with TokenRefused, when the token is refused' {
        $results = @(New-Rows 12 'refused' | New-GanVideoBatch -ProjectId demo)
        $bad = Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString 'not-the-token') -SkipTokenCheck -PassThru
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        $caught = $null
        $itemErrors = $null
        $statuses = [System.Collections.Generic.List[object]]::new()
        $taken = [System.Collections.Generic.List[string]]::new() # the command stops reading at the refusal
        try {
            $results | ForEach-Object { $taken.Add($_.UniqueId); $_ } |
                Get-GanVideoStatus -Connection $bad -ThrottleLimit 2 -ErrorVariable itemErrors -ErrorAction SilentlyContinue | ForEach-Object { $statuses.Add($_) }
        }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'TokenRefused,*'
        $statuses.Count | Should -Be 0
        $perItem = @($itemErrors | Where-Object { $_.Exception -is [GanAi.VideoException] })
        $taken.Count | Should -BeGreaterThan 0
        $perItem.Count | Should -Be $taken.Count -Because 'every video it took ends as one status or one error'
        $perItem | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'TokenRefused,*' }
        @($perItem.TargetObject.UniqueId | Sort-Object) | Should -Be @($taken | Sort-Object)
        ($itemErrors + $caught) | Out-String | Should -Not -Match 'not-the-token'
    }

    It 'refuses an inference id that would change the request path' {
        $bad = [pscustomobject]@{ ProjectId = 'demo'; InferenceId = '..'; UniqueId = 'dots' }
        $bad | Get-GanVideoStatus -ErrorVariable statusErrors -ErrorAction SilentlyContinue
        $statusErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVideoReference,*'
        $other = [pscustomobject]@{ ProjectId = 'demo'; InferenceId = '../../projects/v2'; UniqueId = 'climb' }
        $other | Get-GanVideoStatus -ErrorVariable climbErrors -ErrorAction SilentlyContinue
        $climbErrors[0].FullyQualifiedErrorId | Should -BeLike 'VideoNotFound,*' # escaped: it named no other resource
    }

    It 'shows UniqueId, GenStatus, Error and VideoUrl in its default table' {
        $status = New-Rows 1 'view' | New-GanVideoBatch -ProjectId demo | Get-GanVideoStatus
        $table = $status | Format-Table | Out-String -Width 120
        $table | Should -Match 'UniqueId\s+GenStatus\s+Error\s+VideoUrl'
        $table | Should -MatchExactly 'view-1\s+(Pending|Processing|Succeeded)'
    }
}

Describe 'Wait-GanVideo' {
    BeforeEach { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'waits until every video is final and writes each SUCCEEDED one as it finishes' {
        $results = @(New-Rows 12 'wait' | New-GanVideoBatch -ProjectId demo)
        $finished = @($results | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60)
        $finished.Count | Should -Be 12
        $finished | ForEach-Object { $_.GenStatus | Should -Be 'Succeeded'; $_.VideoUrl | Should -Not -BeNullOrEmpty }
        ($finished.UniqueId | Sort-Object) | Should -Be ($results.UniqueId | Sort-Object)
    }

    It 'shows progress as New-GanVideoBatch does, numbers first and within 120 columns (and so do the other per-video cmdlets)' {
        $results = @(New-Rows 40 'wprog' | New-GanVideoBatch -ProjectId demo)
        Set-GanEmulatorFault $emulator @{ latencyMs = 60 } | Out-Null # status reads take a while: the runs pass half a second
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'").AddStatement().AddScript({
                param($Uri, $Results)
                Connect-GanAi -BaseUri $Uri -Token (ConvertTo-SecureString 'emulator-token' -AsPlainText -Force)
                $null = $Results | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60
                $null = $Results | Get-GanVideoStatus -ThrottleLimit 1
            }).AddArgument($emulator.BaseUri.ToString()).AddArgument($results)
        $null = $ps.Invoke()
        $progress = @($ps.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $ps.Dispose()
        $waiting = @($progress | Where-Object Activity -EQ 'Wait-GanVideo')
        $reading = @($progress | Where-Object Activity -EQ 'Get-GanVideoStatus')
        $waiting.Count | Should -BeGreaterThan 0
        $reading.Count | Should -BeGreaterThan 0
        $waiting | ForEach-Object { $_.StatusDescription | Should -Match '^[\d,]+ finished · [\d,]+ failed · [\d,]+ pending · [\d,.]+ reads/s · \d+:\d\d:\d\d$' }
        # Save-GanVideo's line is this one too (GanWorkCmdlet's).
        $reading | ForEach-Object { $_.StatusDescription | Should -Match '^[\d,]+ of [\d,]+ done · [\d,]+ errors? · \d+:\d\d:\d\d$' }
        foreach ($record in $progress) {
            ($record.Activity.Length + ' ['.Length + $record.StatusDescription.Length + ' ]'.Length) | Should -BeLessOrEqual 120 -Because $record.StatusDescription
        }
    }

    It 'takes a 404 just after creation as "not visible yet"' {
        Set-GanEmulatorFault $emulator @{ statusNotFoundMs = 600 } | Out-Null
        $results = @(New-Rows 3 'late' | New-GanVideoBatch -ProjectId demo)
        $finished = @($results | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60 -ErrorVariable waitErrors)
        $waitErrors.Count | Should -Be 0
        $finished.Count | Should -Be 3
    }

    It 'gives a FAILED video an error record with the service''s error, and the others their results' {
        Set-GanEmulatorFault $emulator @{ failRate = 1 } | Out-Null
        $failing = @(New-Rows 2 'fail' | New-GanVideoBatch -ProjectId demo)
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $good = @(New-Rows 2 'fine' | New-GanVideoBatch -ProjectId demo)
        $finished = @($failing + $good | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60 -ErrorVariable waitErrors -ErrorAction SilentlyContinue)
        ($finished.UniqueId | Sort-Object) | Should -Be @('fine-1', 'fine-2')
        $waitErrors.Count | Should -Be 2
        foreach ($record in $waitErrors) {
            $record.FullyQualifiedErrorId | Should -BeLike 'VideoFailed,*'
            $record.Exception.Message | Should -Match 'ended as FAILED: Rendering failed \(emulated\) \(status 500\)'
            $record.Exception.Status.GenStatus | Should -Be 'Failed'
            $record.TargetObject.UniqueId | Should -BeLike 'fail-*'
        }
    }

    It 'gives each unfinished video a WaitTimedOut error after -TimeoutSec' {
        $slow = Start-GanEmulator -ArgumentList '--render-seconds', '600'
        try {
            $connection = Connect-GanAi -BaseUri $slow.BaseUri -Token $slow.Token -PassThru
            Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
            $results = @(New-Rows 3 'slow' | New-GanVideoBatch -ProjectId demo -Connection $connection)
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $finished = @($results | Wait-GanVideo -Connection $connection -TimeoutSec 2 -PollIntervalSec 0.5 -ErrorVariable waitErrors -ErrorAction SilentlyContinue)
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
            $finished.Count | Should -Be 0
            $waitErrors.Count | Should -Be 3
            $waitErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'WaitTimedOut,*'; $_.Exception.Message | Should -Match 'last status was (PENDING|PROCESSING)' }
        }
        finally {
            Stop-GanEmulator $slow
        }
    }
}

Describe 'Save-GanVideo' {
    BeforeEach { Set-GanEmulatorFault $emulator @{} | Out-Null }

    It 'saves each video to a file named after its UniqueId, safe for any file system and inside the folder' {
        $rows = $HostileIds | ForEach-Object { [pscustomobject]@{ unique_id = $_; names = 'N' } }
        $done = @($rows | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60)
        $folder = Join-Path $TestDrive 'hostile'
        $files = @($done | Save-GanVideo -Path $folder)

        $files.Count | Should -Be $HostileIds.Count
        $saved = @(Get-ChildItem -LiteralPath $folder -Force -Recurse -File)
        $saved.Count | Should -Be $HostileIds.Count # nothing outside the folder's top level, no temporary files
        @(Get-ChildItem -LiteralPath (Split-Path $folder) -Force -File).Count | Should -Be 0 # '..' and '../escape' did not climb out
        ($saved.Name | Sort-Object -Unique -CaseSensitive).Count | Should -Be $HostileIds.Count
        foreach ($file in $files) {
            $file | Should -BeOfType ([IO.FileInfo])
            $file.DirectoryName | Should -Be (Resolve-Path $folder).Path
            $file.Length | Should -Be 16384
            $file.Name.Length | Should -BeLessOrEqual 200
            $file.UniqueId | Should -BeIn $HostileIds
            $file.MediaKind | Should -Be 'video'
        }
        ($files | Where-Object UniqueId -EQ 'a/b').Name | Should -Be 'a%2Fb.mp4'
        ($files | Where-Object UniqueId -EQ '..').Name | Should -Be '%2E%2E.mp4'
        ($files | Where-Object UniqueId -EQ 'CON').Name | Should -Be '%43ON.mp4'
    }

    It 'takes the journal''s lines (the service''s property names) in Wait-GanVideo and Save-GanVideo' {
        $journal = Join-Path $TestDrive 'after-a-crash.jsonl'
        New-Rows 3 'jl' | New-GanVideoBatch -ProjectId demo -JournalPath $journal | Out-Null
        $lines = @(Get-Content $journal | ConvertFrom-Json | Where-Object status -EQ 'created')
        $lines.Count | Should -Be 3
        $lines[0].PSObject.Properties.Name | Should -Contain 'inference_id' # no property of a cmdlet's own name

        $done = @($lines | Wait-GanVideo -PollIntervalSec 0.2 -TimeoutSec 60)
        $files = @($lines | Save-GanVideo -Path (Join-Path $TestDrive 'from-journal') -IncludeAudio)

        ($done.UniqueId | Sort-Object) | Should -Be @('jl-1', 'jl-2', 'jl-3')
        $done.InferenceId | Should -BeIn $lines.inference_id
        ($files | Where-Object MediaKind -EQ 'video').Name | Sort-Object | Should -Be @('jl-1.mp4', 'jl-2.mp4', 'jl-3.mp4')
        @($files | Where-Object MediaKind -EQ 'audio').Count | Should -Be 3
    }

    It 'saves the thumbnail and audio with -IncludeThumbnail and -IncludeAudio, and never sends the API token to storage' {
        $done = New-Rows 2 'all' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2
        $folder = Join-Path $TestDrive 'all'
        $files = @($done | Save-GanVideo -Path $folder -IncludeThumbnail -IncludeAudio -ErrorVariable saveErrors)
        $saveErrors.Count | Should -Be 0 # the emulator's storage answers 400 to any request that carries a token
        ($files.Name | Sort-Object) | Should -Be @('all-1.jpg', 'all-1.mp3', 'all-1.mp4', 'all-2.jpg', 'all-2.mp3', 'all-2.mp4')
        $bytes = [IO.File]::ReadAllBytes((Join-Path $folder 'all-1.mp4'))
        $expected = (Invoke-WebRequest -Uri $done[0].VideoUrl -UseBasicParsing).Content
        if ($done[0].UniqueId -ne 'all-1') { $expected = (Invoke-WebRequest -Uri $done[1].VideoUrl -UseBasicParsing).Content }
        [Convert]::ToBase64String($bytes) | Should -Be ([Convert]::ToBase64String($expected))
    }

    It 'keeps existing complete files unless -Force, and writes them to the output either way' {
        $done = New-Rows 1 'keep' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2
        $folder = Join-Path $TestDrive 'keep'
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'keep-1.mp4') -Value 'an earlier download' -NoNewline
        $kept = $done | Save-GanVideo -Path $folder
        $kept.Length | Should -Be 19
        Get-Content -LiteralPath $kept.FullName -Raw | Should -Be 'an earlier download'
        $replaced = $done | Save-GanVideo -Path $folder -Force
        $replaced.Length | Should -Be 16384
    }

    It 'leaves no file under the final name when a download fails, and gives the input its error' {
        $slow = Start-GanEmulator -ArgumentList '--render-seconds', '600'
        try {
            $connection = Connect-GanAi -BaseUri $slow.BaseUri -Token $slow.Token -PassThru
            Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
            $result = New-Rows 1 'early' | New-GanVideoBatch -ProjectId demo -Connection $connection # not rendered: its file is not there yet (404)
            $folder = Join-Path $TestDrive 'early'
            $none = @($result | Save-GanVideo -Path $folder -MaxRetries 0 -ErrorVariable saveErrors -ErrorAction SilentlyContinue)
            $none.Count | Should -Be 0
            $saveErrors.Count | Should -Be 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'DownloadFailed,*'
            $saveErrors[0].Exception.Message | Should -Match '404'
            $saveErrors[0].TargetObject.UniqueId | Should -Be 'early-1'
            @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0
        }
        finally {
            Stop-GanEmulator $slow
        }
    }

    It 'with -WhatIf names the files each video would be saved to, and makes no folder, file, download or output' {
        $done = @(New-Rows 2 'dry' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2)
        $folder = Join-Path $TestDrive 'dry'
        $before = (Get-GanEmulatorStat $emulator).MediaRequests
        # In a runspace of its own: its "What if" lines go to no screen.
        $run = Invoke-Bounded { param($Done, $Folder) $Done | Save-GanVideo -Path $Folder -IncludeThumbnail -WhatIf } -ArgumentList $done, $folder
        $run.Output.Count | Should -Be 0
        $run.Errors.Count | Should -Be 0
        $run.Terminating | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
        (Get-GanEmulatorStat $emulator).MediaRequests | Should -Be $before

        # What it says, on the host (a child process, whose host output can be read).
        $script = {
            param($Manifest, $Folder)
            Import-Module $Manifest
            [pscustomobject]@{ UniqueId = 'w/1'; VideoUrl = 'https://storage.example/v.mp4' } | Save-GanVideo -Path $Folder -WhatIf
            [pscustomobject]@{ UniqueId = 'w2'; VideoUrl = 'https://storage.example/v2.mp4' } | Save-GanVideo -Path $Folder -Force -WhatIf
        }
        $said = & (Get-TestPwsh) -NoProfile -NonInteractive -Command $script -args $ModuleManifest, $folder 2>&1 | Out-String
        $said | Should -Match ([regex]::Escape('What if: Performing the operation "Save video" on target "' + (Join-Path $folder 'w%2F1.mp4') + '"'))
        $said | Should -Match ([regex]::Escape('"Save video, replacing files that exist" on target "' + (Join-Path $folder 'w2.mp4') + '"'))
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'with -Confirm saves the videos the user says Yes to, and leaves the others alone (no file, output or error)' {
        $done = @(New-Rows 3 'ask' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2)
        $folder = Join-Path $TestDrive 'ask'
        $ui = [ScriptedUserInterface]::new()
        $ui.Answer('ask-2.mp4', '&No')
        $ui.Answer('"Save video"', '&Yes')
        $output = @(Invoke-WithScriptedHost $ui {
                param($manifest, $inputs, $folder)
                Import-Module $manifest
                $inputs | Save-GanVideo -Path $folder -Confirm -ErrorVariable +saveErrors
                , @($saveErrors)
            } $ModuleManifest, $done, $folder)

        $files = @($output | Where-Object { $_ -is [IO.FileInfo] })
        $errors = @($output | Where-Object { $_ -is [Collections.IList] } | ForEach-Object { $_ })
        $output.Count | Should -Be 3 # two files and the (empty) list of errors
        ($files.Name | Sort-Object) | Should -Be @('ask-1.mp4', 'ask-3.mp4')
        $errors.Count | Should -Be 0
        (@(Get-ChildItem -LiteralPath $folder -Force).Name | Sort-Object) | Should -Be @('ask-1.mp4', 'ask-3.mp4')
        $ui.Questions.Count | Should -Be 3 # one question per video
        @($ui.Questions | Where-Object { $_ -like '*"Save video" on target*ask-?.mp4*' }).Count | Should -Be 3
    }

    It 'does not download again a file it cannot write (a full disk, the folder gone), and says so with FileNotWritten' {
        $done = @(New-Rows 2 'gone' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2)
        $folder = Join-Path $TestDrive 'gone'
        $before = (Get-GanEmulatorStat $emulator).MediaRequests
        # Save-GanVideo makes the folder as the pipeline begins; it is removed before the first video comes.
        $saved = @(& { Remove-Item -LiteralPath $folder -Recurse; $done } |
                Save-GanVideo -Path $folder -MaxRetries 3 -ErrorVariable saveErrors -ErrorAction SilentlyContinue)

        $saved.Count | Should -Be 0
        $saveErrors.Count | Should -Be 2
        foreach ($e in $saveErrors) {
            $e.FullyQualifiedErrorId | Should -BeLike 'FileNotWritten,*'
            $e.CategoryInfo.Category | Should -Be 'WriteError'
            $e.Exception.Message | Should -BeLike "Video gone-?: '*gone-?.mp4' could not be written: *Not retried*"
            $e.TargetObject.UniqueId | Should -BeIn @('gone-1', 'gone-2')
        }
        # One GET per video: the retries (-MaxRetries 3) are for the connection, not for the disk.
        (Get-GanEmulatorStat $emulator).MediaRequests - $before | Should -Be 2
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'refuses media URLs that are not https (or http on loopback), and inputs without a URL yet' {
        $inputs = @(
            [pscustomobject]@{ UniqueId = 'file'; VideoUrl = 'file:///etc/passwd' }
            [pscustomobject]@{ UniqueId = 'plain'; VideoUrl = 'http://example.com/v.mp4' }
            [pscustomobject]@{ UniqueId = 'pending'; VideoUrl = $null }
        )
        $folder = Join-Path $TestDrive 'refused'
        $inputs | Save-GanVideo -Path $folder -ErrorVariable saveErrors -ErrorAction SilentlyContinue
        ($saveErrors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @('InvalidMediaUrl', 'InvalidMediaUrl', 'VideoNotReady')
        $saveErrors[0].TargetObject | Should -Be $inputs[0]
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0
    }

    It 'follows a media redirect on loopback, and refuses one to file: or another scheme with InvalidMediaUrl' {
        # Once a redirect to file: gave UnexpectedError.
        $done = @(New-Rows 1 'redir' | New-GanVideoBatch -ProjectId demo | Wait-GanVideo -PollIntervalSec 0.2)
        $via = { param($To) [uri]::new($emulator.BaseUri, '/_emulator/redirect?to=' + [uri]::EscapeDataString($To)).AbsoluteUri }
        $inputs = @(
            [pscustomobject]@{ UniqueId = 'followed'; VideoUrl = (& $via $done[0].VideoUrl) }
            [pscustomobject]@{ UniqueId = 'to-file'; VideoUrl = (& $via 'file:///etc/passwd') }
            [pscustomobject]@{ UniqueId = 'to-ftp'; VideoUrl = (& $via 'ftp://127.0.0.1/v.mp4') }
        )
        $folder = Join-Path $TestDrive 'redirected'
        $saved = @($inputs | Save-GanVideo -Path $folder -ErrorVariable saveErrors -ErrorAction SilentlyContinue)
        $saved.Name | Should -Be 'followed.mp4'
        ($saveErrors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @('InvalidMediaUrl', 'InvalidMediaUrl')
        @($saveErrors.Exception.Message) -match "redirected to 'file:///etc/passwd', which media downloads do not follow" | Should -HaveCount 1 # the inputs run at once: any order
        @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be 'followed.mp4'
    }
}

Describe 'The whole flow' {
    It 'turns a CSV into one complete file per row: Import-Csv | New-GanVideoBatch | Wait-GanVideo | Save-GanVideo' {
        $csv = New-TestCsv (Join-Path $TestDrive 'flow.csv') 40 'flow'
        $out = Join-Path $TestDrive 'out'
        $files = @(Import-Csv $csv | New-GanVideoBatch -ProjectId demo -BatchSize 10 | Wait-GanVideo -PollIntervalSec 0.3 | Save-GanVideo -Path $out)
        $files.Count | Should -Be 40
        $onDisk = @(Get-ChildItem -LiteralPath $out -Force -File)
        $onDisk.Count | Should -Be 40
        ($onDisk.Name | Sort-Object) | Should -Be (1..40 | ForEach-Object { "flow-$_.mp4" } | Sort-Object)
        $onDisk | ForEach-Object { $_.Length | Should -Be 16384 }
    }
}
