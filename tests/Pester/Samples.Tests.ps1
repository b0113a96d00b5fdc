BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator
}

AfterAll {
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'samples/Send-Videos.ps1 (a scheduled job)' {
    It 'writes results, errors and a log, and exits 1 when a row failed' {
        $csv = Join-Path $TestDrive 'leads.csv'
        @(
            [pscustomobject]@{ unique_id = 'job-1'; names = 'Ann' }
            [pscustomobject]@{ unique_id = 'job-2'; names = 'Bo' }
            [pscustomobject]@{ unique_id = ''; names = 'no id' }
        ) | Export-Csv $csv -NoTypeInformation
        $out = Join-Path $TestDrive 'run'
        $script = Join-Path $RepoRoot 'samples/Send-Videos.ps1'

        $env:GANAI_API_TOKEN = 'emulator-token'
        $env:GANAI_BASE_URI = $emulator.BaseUri.ToString()
        try {
            $output = & (Get-TestPwsh) -NoProfile -NonInteractive -File $script -CsvPath $csv -ProjectId demo -OutputFolder $out -ModulePath $ModuleManifest 2>&1 | Out-String
            $exit = $LASTEXITCODE
        }
        finally {
            Remove-Item Env:GANAI_API_TOKEN, Env:GANAI_BASE_URI
        }

        $exit | Should -Be 1
        (Import-Csv (Join-Path $out 'results.csv')).UniqueId | Sort-Object | Should -Be @('job-1', 'job-2')
        $errors = @(Import-Csv (Join-Path $out 'errors.csv'))
        $errors.Count | Should -Be 1
        $errors[0].ErrorId | Should -Be 'MissingUniqueId'
        $errors[0].RowNumber | Should -Be 3
        Get-Content (Join-Path $out 'run.log') -Raw | Should -Match 'Done: 2 video\(s\) created, 1 row\(s\) failed'
        $output | Should -Not -Match 'emulator-token'
    }
}
