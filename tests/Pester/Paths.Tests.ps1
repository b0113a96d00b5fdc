# Paths the user gives: PowerShell's location and drives (not the process's directory), paths of other
# providers, and a journal that is also the file another command of the pipeline writes.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'demo:names'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'A path on another provider' {
    BeforeEach {
        Reset-GanEmulator $emulator
        $script:processDirectory = [Environment]::CurrentDirectory
        $script:straysBefore = @(Get-ChildItem -LiteralPath $processDirectory -Filter 'stray*' -Force -ErrorAction SilentlyContinue).Count
    }
    AfterEach { Pop-Location -StackName ProviderPaths -ErrorAction SilentlyContinue }

    It 'refuses -JournalPath <Path> while the location is <Location>, and writes no file anywhere' -ForEach @(
        @{ Path = 'stray-journal.jsonl'; Location = 'Env:' }
        @{ Path = 'Variable:\stray'; Location = 'TestDrive:' }
        @{ Path = 'Function:\stray.jsonl'; Location = 'TestDrive:' }
    ) {
        Push-Location -StackName ProviderPaths
        Set-Location $Location
        $ended = $null
        try { New-Rows 3 'p' | New-GanVideoBatch -ProjectId demo -JournalPath $Path | Out-Null }
        catch { $ended = $_ }
        Pop-Location -StackName ProviderPaths

        $ended.FullyQualifiedErrorId | Should -BeLike 'PathNotOnFileSystem,*'
        $ended.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $ended.Exception.Message | Should -Match "^-JournalPath '.+' is a path of the (Environment|Variable|Function) provider"
        if ($Location -eq 'Env:') { $ended.Exception.Message | Should -Match 'the current location is Env:' }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
        @(Get-ChildItem -LiteralPath $processDirectory -Filter 'stray*' -Force -ErrorAction SilentlyContinue).Count | Should -Be $straysBefore -Because 'nothing lands in the process''s directory'
        Test-Path Variable:\stray | Should -BeFalse
    }

    It 'refuses Save-GanVideo -Path on another provider' {
        Push-Location -StackName ProviderPaths
        Set-Location Env:
        $ended = $null
        try { [pscustomobject]@{ UniqueId = 'x'; VideoUrl = "$($emulator.BaseUri)media/demo/x.mp4" } | Save-GanVideo -Path 'stray-videos' | Out-Null }
        catch { $ended = $_ }
        Pop-Location -StackName ProviderPaths

        $ended.FullyQualifiedErrorId | Should -BeLike 'PathNotOnFileSystem,*'
        $ended.Exception.Message | Should -Match "^-Path 'stray-videos' is a path of the Environment provider"
        Test-Path (Join-Path $processDirectory 'stray-videos') | Should -BeFalse
    }

    It 'takes a relative path against PowerShell''s location, not the process''s directory' {
        $here = Join-Path $TestDrive 'here'
        $null = New-Item -ItemType Directory $here
        Push-Location -StackName ProviderPaths
        Set-Location $here
        $results = @(New-Rows 2 'rel' | New-GanVideoBatch -ProjectId demo -JournalPath 'rel.jsonl')
        Pop-Location -StackName ProviderPaths

        $results.Count | Should -Be 2
        Join-Path $here 'rel.jsonl' | Should -Exist
        Test-Path (Join-Path $processDirectory 'rel.jsonl') | Should -BeFalse
    }
}

Describe 'The journal and the results in one file' {
    BeforeEach { Reset-GanEmulator $emulator }

    It 'ends -JournalPath out.csv | Export-Csv out.csv with JournalUnavailable, each row read ended once' {
        $csv = New-TestCsv (Join-Path $TestDrive 'rows.csv') 2000
        $out = Join-Path $TestDrive 'out.csv'
        $ended = $null
        $written = [Collections.Generic.List[object]]::new()
        try {
            Import-Csv $csv | New-GanVideoBatch -ProjectId demo -JournalPath $out -ErrorVariable failed -ErrorAction SilentlyContinue |
                ForEach-Object { $written.Add($_); $_ } | Export-Csv $out -NoTypeInformation
        }
        catch { $ended = $_ }

        $ended | Should -Not -BeNullOrEmpty -Because 'the clash is reported, not left as a file of mixed lines'
        $ended.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*'
        $ended.Exception | Should -BeOfType ([IO.IOException])
        $ended.Exception.Message | Should -Match '(also open for writing by another command|was changed by something else during the run).*Export-Csv.*Give the journal a file of its own'
        $ended.TargetObject | Should -Be $out
        # Every row read ends once, as a result or an error; a video made has its result.
        $rowErrors = @($failed | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $rowErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*' }
        $numbers = @($written | ForEach-Object RowNumber) + @($rowErrors | ForEach-Object { $_.Exception.RowNumber })
        $numbers.Count | Should -BeGreaterThan 0
        ($numbers | Sort-Object -Unique).Count | Should -Be $numbers.Count
        ($numbers | Measure-Object -Maximum).Maximum | Should -Be $numbers.Count -Because 'rows 1..N read, each ended once'
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be $written.Count
    }

    It 'ends a run whose journal is also written by <Writer>, and no row is charged without its result' -ForEach @(
        @{ Writer = 'a >> redirection'; Rows = 5; Run = { param($rows, $j) $rows | New-GanVideoBatch -ProjectId demo -BatchSize 1 -ThrottleLimit 1 -JournalPath $j -ErrorAction SilentlyContinue >> $j } }
        @{ Writer = 'Out-File -Append'; Rows = 5; Run = { param($rows, $j) $rows | New-GanVideoBatch -ProjectId demo -BatchSize 1 -ThrottleLimit 1 -JournalPath $j -ErrorAction SilentlyContinue | Out-File $j -Append } }
        @{ Writer = 'Tee-Object, after the last batch'; Rows = 1; Run = { param($rows, $j) $rows | New-GanVideoBatch -ProjectId demo -JournalPath $j -ErrorAction SilentlyContinue | Tee-Object $j | Out-Null } }
    ) {
        $journal = Join-Path $TestDrive "clash-$([guid]::NewGuid().ToString('N')).jsonl"
        $ended = $null
        try { & $Run (New-Rows $Rows 'clash') $journal }
        catch { $ended = $_ }

        $ended.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*' -Because 'a journal mixed with another command''s output must not pass for one that can resume the run'
        $ended.Exception.Message | Should -Match 'another command|changed by something else'

        # The next run with that file sends no row the first one made, and does not advise a new
        # journal where rows were made (that would charge them again).
        $again = $null
        try { New-Rows $Rows 'clash' | New-GanVideoBatch -ProjectId demo -JournalPath $journal -ErrorAction SilentlyContinue | Out-Null }
        catch { $again = $_ }
        @(Get-GanEmulatorCreatedId $emulator | Where-Object count -GT 1).Count | Should -Be 0
        if ((Get-GanEmulatorStat $emulator).rowsCreated -gt 0 -and $again) { $again.Exception.Message | Should -Not -Match 'or a new file' }
    }
}
