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
        Get-Content (Join-Path $out 'run.log') -Raw | Should -Match 'Done: 2 video\(s\) created, 1 row\(s\) failed'
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
    }
}
