BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'examples/Send-Videos.ps1 (a scheduled job)' {
    BeforeAll {
        # Runs the job as a scheduler would: a new process, the token only in its environment.
        function Invoke-Job([string] $Csv, [string] $Out) {
            $env:GANAI_API_TOKEN = 'emulator-token'
            $env:GANAI_BASE_URI = $emulator.BaseUri.ToString()
            try {
                $output = & (Get-TestPwsh) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/Send-Videos.ps1') `
                    -CsvPath $Csv -ProjectId demo -OutputFolder $Out -ModulePath $ModuleManifest 2>&1 | Out-String
                [pscustomobject]@{ Exit = $LASTEXITCODE; Output = $output }
            }
            finally {
                Remove-Item Env:GANAI_API_TOKEN, Env:GANAI_BASE_URI
            }
        }
    }
    BeforeEach { Reset-GanEmulator $emulator }

    It 'writes results, errors, a journal and a log, and exits 1 when a row failed' {
        $csv = Join-Path $TestDrive 'leads.csv'
        @(
            [pscustomobject]@{ unique_id = 'job-1'; names = 'Ann' }
            [pscustomobject]@{ unique_id = 'job-2'; names = 'Bo' }
            [pscustomobject]@{ unique_id = ''; names = 'no id' }
        ) | Export-Csv $csv -NoTypeInformation
        $out = Join-Path $TestDrive 'run'

        $run = Invoke-Job $csv $out
        $exit = $run.Exit
        $output = $run.Output
        Join-Path $out 'journal.jsonl' | Should -Exist

        $exit | Should -Be 1
        (Import-Csv (Join-Path $out 'results.csv')).UniqueId | Sort-Object | Should -Be @('job-1', 'job-2')
        $errors = @(Import-Csv (Join-Path $out 'errors.csv'))
        $errors.Count | Should -Be 1
        $errors[0].ErrorId | Should -Be 'MissingUniqueId'
        $errors[0].RowNumber | Should -Be 3
        Get-Content (Join-Path $out 'run.log') -Raw | Should -Match 'Done: 2 video\(s\) created, 0 from the journal \(0 flagged PossibleDuplicate\), 1 row\(s\) failed'
        $output | Should -Not -Match 'emulator-token'
        Get-ChildItem $out -File | ForEach-Object { Get-Content $_.FullName -Raw | Should -Not -Match 'emulator-token' }
    }

    It 'exits 0 when every row made a video, and a rerun resumes from the journal without sending again' {
        $csv = New-TestCsv (Join-Path $TestDrive 'good.csv') 30 'good'
        $out = Join-Path $TestDrive 'good-run'
        (Invoke-Job $csv $out).Exit | Should -Be 0
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 30

        $again = Invoke-Job $csv $out
        $again.Exit | Should -Be 0
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 30 # nothing sent twice
        @(Import-Csv (Join-Path $out 'results.csv')).Count | Should -Be 30
        # The log tells the videos this run made from the results an earlier run made.
        @(Get-Content (Join-Path $out 'run.log'))[-1] | Should -Match 'Done: 0 video\(s\) created, 30 from the journal'
    }

    It 'exits 2 when the token is revoked mid-run, with every row it read and did not make in errors.csv' {
        $csv = New-TestCsv (Join-Path $TestDrive 'revoked.csv') 5000 'revoked' # batches left to refuse however late the revocation lands
        $out = Join-Path $TestDrive 'revoked-run'
        Set-GanEmulatorFault $emulator @{ latencyMs = 200 } | Out-Null
        $env:GANAI_API_TOKEN = 'emulator-token'
        $env:GANAI_BASE_URI = $emulator.BaseUri.ToString()
        try {
            # The job runs in its own process; this thread revokes the token once some videos exist.
            $job = Start-ThreadJob {
                param($pwsh, $script, $csv, $out, $manifest)
                $text = & $pwsh -NoProfile -NonInteractive -File $script -CsvPath $csv -ProjectId demo -OutputFolder $out -ModulePath $manifest 2>&1 | Out-String
                [pscustomobject]@{ Exit = $LASTEXITCODE; Output = $text }
            } -ArgumentList (Get-TestPwsh), (Join-Path $RepoRoot 'examples/Send-Videos.ps1'), $csv, $out, $ModuleManifest
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-GanEmulatorStat $emulator).rowsCreated -lt 100 -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 20 }
            Set-GanEmulatorFault $emulator @{ latencyMs = 200; rejectToken = $true } | Out-Null
            $run = $job | Receive-Job -Wait -AutoRemoveJob
        }
        finally {
            Remove-Item Env:GANAI_API_TOKEN, Env:GANAI_BASE_URI
            Set-GanEmulatorFault $emulator @{} | Out-Null
        }

        $run.Exit | Should -Be 2
        $results = @(Import-Csv (Join-Path $out 'results.csv'))
        $errors = @(Import-Csv (Join-Path $out 'errors.csv'))
        $results.Count | Should -Be (Get-GanEmulatorStat $emulator).rowsCreated
        $results.Count | Should -BeGreaterOrEqual 100
        $errors.Count | Should -BeGreaterThan 0
        $errors | ForEach-Object { $_.ErrorId | Should -Be 'TokenRefused' }
        $ids = @($results.UniqueId) + @($errors.UniqueId)
        ($ids | Sort-Object -Unique).Count | Should -Be $ids.Count -Because 'each row ends as a result or an error, never both'
        Get-Content (Join-Path $out 'run.log') -Raw | Should -Match "The run stopped after $($results.Count) video\(s\) created, 0 from the journal and $($errors.Count) row error\(s\)"
        $run.Output | Should -Not -Match 'emulator-token'
    }
}
