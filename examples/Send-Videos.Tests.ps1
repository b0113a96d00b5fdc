<#
Tests of Send-Videos.ps1, with Pester 5 or later: the pattern to copy for your own GanAi scripts
(docs/testing.md and Get-Help about_GanAi_Testing explain it).

- With GanAi mocked: no server, milliseconds a test. The connection points at a closed port, so a
  call that is not mocked fails at once and nothing can reach Gan.ai.
- Against the emulator: real HTTP to a local Gan.ai (GanAi.Emulator), with its failures injected.

Needs the modules GanAi and GanAi.Emulator (Install-PSResource GanAi.Emulator installs both).
Run: Invoke-Pester ./Send-Videos.Tests.ps1
#>
BeforeAll {
    Import-Module GanAi, GanAi.Emulator

    # Runs the job as the scheduler does, in this session (so mocks apply) and with its output hidden;
    # returns its exit code and what it wrote.
    function Invoke-SendVideos([object[]] $Rows, [string] $OutputFolder = (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))) {
        $csv = Join-Path $TestDrive 'rows.csv'
        $Rows | Export-Csv $csv -NoTypeInformation
        & (Join-Path $PSScriptRoot 'Send-Videos.ps1') -CsvPath $csv -ProjectId demo -OutputFolder $OutputFolder *> $null
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Results  = @(if (Test-Path "$OutputFolder/results.csv") { Import-Csv "$OutputFolder/results.csv" })
            Errors   = @(if (Test-Path "$OutputFolder/errors.csv") { Import-Csv "$OutputFolder/errors.csv" })
            Log      = Get-Content "$OutputFolder/run.log" -Raw
        }
    }

    function New-Lead([int] $Count) { 1..$Count | ForEach-Object { [pscustomobject]@{ unique_id = "lead-$_"; names = "Name $_" } } }
}

Describe 'Send-Videos.ps1 with GanAi mocked (no server)' {
    BeforeAll {
        # No connection to fall back on (a session connected by hand keeps its connection under a
        # mock of Connect-GanAi), and a closed port to connect to.
        Disconnect-GanAi
        $saved = $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN
        $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = 'http://127.0.0.1:1', 'not-a-token'
        Mock Connect-GanAi { }
    }
    AfterAll { $env:GANAI_BASE_URI, $env:GANAI_API_TOKEN = $saved }

    It 'lets nothing that is not mocked reach a service' {
        { Get-GanProject } | Should -Throw -ErrorId 'NotConnected,GanAi.Cmdlets.GetGanProjectCommand'
    }

    It 'exits 0 and writes one result per row, with its tags' {
        Mock New-GanVideoBatch { [GanAi.GanModelFactory]::VideoResult($InputObject.unique_id, $null, $ProjectId, [ordered]@{ names = $InputObject.names }) }

        $run = Invoke-SendVideos (New-Lead 3)

        $run.ExitCode | Should -Be 0
        $run.Results.UniqueId | Should -Be @('lead-1', 'lead-2', 'lead-3')
        $run.Results.names | Should -Be @('Name 1', 'Name 2', 'Name 3')
        $run.Errors.Count | Should -Be 0
        $run.Log | Should -Match 'Done: 3 video\(s\) created, 0 from the journal'
        Should -Invoke New-GanVideoBatch -Times 3 -Exactly -ParameterFilter { $ProjectId -eq 'demo' -and $JournalPath -like '*journal.jsonl' }
    }

    It 'exits 1 and lists each failed row in errors.csv, with its ErrorId' {
        Mock New-GanVideoBatch {
            $row = [int] $InputObject.unique_id.Split('-')[1]
            if ($InputObject.names) { [GanAi.GanModelFactory]::VideoResult($InputObject.unique_id, $null, $ProjectId) }
            else { Write-Error -ErrorRecord (New-GanErrorRecord -ErrorId MissingTag -TargetObject $InputObject -RowNumber $row) }
        }
        $rows = @(New-Lead 3)
        $rows[1].names = ''

        $run = Invoke-SendVideos $rows

        $run.ExitCode | Should -Be 1
        $run.Results.UniqueId | Should -Be @('lead-1', 'lead-3')
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].ErrorId | Should -Be 'MissingTag'
        $run.Errors[0].UniqueId | Should -Be 'lead-2'
        $run.Errors[0].RowNumber | Should -Be 2
    }

    It 'exits 2 when the run ends (the token refused), with the rows it had read in errors.csv' {
        Mock New-GanVideoBatch {
            if ($InputObject.unique_id -eq 'lead-1') { return [GanAi.GanModelFactory]::VideoResult('lead-1', $null, $ProjectId) }
            # As the real cmdlet does: the row read gets its error, then one error ends the run.
            Write-Error -ErrorRecord (New-GanErrorRecord -ErrorId TokenRefused -TargetObject $InputObject -RowNumber 2)
            throw (New-GanErrorRecord -ErrorId TokenRefused -TargetObject $ProjectId -RunEnding -Message 'The service refused the token.')
        }

        $run = Invoke-SendVideos (New-Lead 3)

        $run.ExitCode | Should -Be 2
        $run.Results.UniqueId | Should -Be 'lead-1'
        $run.Errors.ErrorId | Should -Be 'TokenRefused'
        $run.Errors.UniqueId | Should -Be 'lead-2'
        $run.Log | Should -Match 'The run stopped after 1 video\(s\) created.*refused the token'
    }

    It 'exits 130 and logs the stop when Ctrl+C stops the run (PowerShell alone would exit 0)' {
        Mock New-GanVideoBatch {
            if ($InputObject.unique_id -eq 'lead-1') { return [GanAi.GanModelFactory]::VideoResult('lead-1', $null, $ProjectId) }
            throw [System.Management.Automation.PipelineStoppedException]::new() # what Ctrl+C makes of the pipeline
        }

        $run = Invoke-SendVideos (New-Lead 3)

        $run.ExitCode | Should -Be 130
        $run.Log | Should -Match 'Stopped \(Ctrl\+C\) before the end'
        $run.Log | Should -Not -Match 'Done:'
    }

    It 'counts the results a rerun takes from the journal apart from the videos it made' {
        Mock New-GanVideoBatch {
            $fromJournal = $InputObject.unique_id -eq 'lead-1'
            [GanAi.GanModelFactory]::VideoResult($InputObject.unique_id, $null, $ProjectId, $null, $null, $null, $null, $null, $null, $false, 1, $fromJournal)
        }

        $run = Invoke-SendVideos (New-Lead 2)

        $run.ExitCode | Should -Be 0
        $run.Log | Should -Match 'Done: 1 video\(s\) created, 1 from the journal'
    }
}

Describe 'Send-Videos.ps1 against the emulator' {
    BeforeAll { $emulator = Start-GanEmulator -Connect -ArgumentList '--seed', '7' }
    AfterAll { $emulator | Stop-GanEmulator }

    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        Set-GanEmulatorProject $emulator -ProjectId demo -Tag names | Out-Null # fresh credits
    }

    It 'exits 0 with every row made once; a rerun with the same folder makes nothing again' {
        $folder = Join-Path $TestDrive 'twice'
        $run = Invoke-SendVideos (New-Lead 30) $folder

        $run.ExitCode | Should -Be 0
        $run.Results.Count | Should -Be 30
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 30

        $again = Invoke-SendVideos (New-Lead 30) $folder
        $again.ExitCode | Should -Be 0
        @($again.Results | Where-Object FromJournal -EQ 'True').Count | Should -Be 30
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 30
    }

    It 'exits 0 through a storm of 429s, and makes no video twice' {
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 0.4; retryAfter = '1' } | Out-Null

        $run = Invoke-SendVideos (New-Lead 30)

        $run.ExitCode | Should -Be 0
        $run.Results.Count | Should -Be 30
        (Get-GanEmulatorStat $emulator).answers.'429' | Should -BeGreaterThan 0 -Because 'the storm happened'
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -GT 1).Count | Should -Be 0
    }

    It 'exits 1 when answers stay unclear (a 503 after the work), each row made at most twice and held' {
        # Each row is sent at most twice without a clear answer: the second 503 holds it (OutcomeUnknown)
        # until a run with -RetryUnknown, after someone checked what the service made.
        Set-GanEmulatorFault $emulator @{ errorAfterCreateRate = 1; errorAfterCreateStatus = 503 } | Out-Null

        $run = Invoke-SendVideos (New-Lead 30)

        $run.ExitCode | Should -Be 1
        $run.Results.Count | Should -Be 0
        $run.Errors.Count | Should -Be 30
        $run.Errors.ErrorId | Sort-Object -Unique | Should -Be 'OutcomeUnknown'
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -NE 2).Count | Should -Be 0
    }

    It 'exits 1 with errors.csv naming the row it refused' {
        $rows = @(New-Lead 3) + [pscustomobject]@{ unique_id = 'lead-2'; names = 'Again' }

        $run = Invoke-SendVideos $rows

        $run.ExitCode | Should -Be 1
        $run.Results.Count | Should -Be 3
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].ErrorId | Should -Be 'DuplicateUniqueId'
        $run.Errors[0].RowNumber | Should -Be 4
    }

    It 'exits 2 when the token is revoked mid-run; every row read is in results.csv or errors.csv, once' {
        Set-GanEmulatorFault $emulator @{ rejectTokenAfter = 1 } | Out-Null

        $run = Invoke-SendVideos (New-Lead 300)

        $run.ExitCode | Should -Be 2
        $run.Results.Count | Should -Be (Get-GanEmulatorStat $emulator).rowsCreated
        $run.Results.Count | Should -BeGreaterThan 0
        $run.Errors.Count | Should -BeGreaterThan 0
        $run.Errors.ErrorId | Sort-Object -Unique | Should -Be 'TokenRefused'
        @($run.Results.UniqueId) + @($run.Errors.UniqueId) | Group-Object | Where-Object Count -GT 1 | Should -BeNullOrEmpty
    }

    It 'exits 2 when the project runs out of credits, every row read in errors.csv once' {
        Set-GanEmulatorProject $emulator -ProjectId demo -Tag names -Credits 5 | Out-Null

        $run = Invoke-SendVideos (New-Lead 20)

        $run.ExitCode | Should -Be 2
        $run.Results.Count | Should -Be 0 # the refused batch may have been made in part: nothing of it is sent again
        $run.Errors.Count | Should -Be 20
        $run.Errors.ErrorId | Sort-Object -Unique | Should -Be 'InsufficientCredits'
    }

    It 'exits 2 when the service asks to wait longer than a minute' {
        Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 1; retryAfter = '3600' } | Out-Null

        $run = Invoke-SendVideos (New-Lead 5)

        $run.ExitCode | Should -Be 2
        $run.Log | Should -Match 'The run stopped.*asked'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 0
    }
}
