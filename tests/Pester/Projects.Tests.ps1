# Get-GanProject, tab completion of -ProjectId, and the pre-flight check of New-GanVideoBatch.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # 12 projects: the emulator pages by 10, so listing them takes two pages.
    $projectArgs = @('--project', 'demo:names', '--project', 'acme:first_name,company:5')
    foreach ($n in 1..10) { $projectArgs += '--project', "extra$($n):names" }
    $script:emulator = Start-GanEmulator -ArgumentList $projectArgs
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Get-GanProject' {
    It 'lists every project across pages as typed GanAi.GanProject objects' {
        $before = (Get-GanEmulatorStat $emulator).requests
        $projects = @(Get-GanProject)
        $projects.Count | Should -Be 12
        (Get-GanEmulatorStat $emulator).requests - $before | Should -Be 2 # pages 1 and 2
        $projects | ForEach-Object { $_ | Should -BeOfType ([GanAi.GanProject]) }
        $acme = $projects | Where-Object ProjectId -EQ 'acme'
        $acme.Tags | Should -Be @('first_name', 'company')
        , $acme.Tags | Should -BeOfType ([string[]])
        $acme.AvailableCredits | Should -Be 5
        $acme.UtilisedCredits | Should -Be 0
        $acme.Title | Should -Be 'Project acme'
        $acme.ProjectType | Should -Be 'PERSONALIZED'
        $acme.CreatedAt | Should -BeOfType ([datetimeoffset])
        $acme.SmartUrl | Should -Match '^http://127\.0\.0\.1:\d+/share/acme$'
    }

    It 'filters by -ProjectId, with wildcards, and reports an id that matches no project' {
        (Get-GanProject -ProjectId acme).ProjectId | Should -Be 'acme'
        @(Get-GanProject -ProjectId 'extra*').Count | Should -Be 10
        @(Get-GanProject -ProjectId 'nothing*').Count | Should -Be 0
        $found = @(Get-GanProject -ProjectId 'nope', 'demo' -ErrorVariable missing -ErrorAction SilentlyContinue)
        $found.ProjectId | Should -Be 'demo'
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
        $missing[0].TargetObject | Should -Be 'nope'
    }

    It 'shows ProjectId, Title, Type, Status, Tags and Credits in its default table' {
        $table = Get-GanProject -ProjectId acme | Format-Table | Out-String -Width 200
        $table | Should -Match 'ProjectId\s+Title\s+Type\s+Status\s+Tags\s+Credits'
        $table | Should -Match 'acme\s+Project acme\s+PERSONALIZED\s+PUBLISHED\s+first_name, company\s+5'
    }

    It 'ends with a TokenRefused error when the service refuses the token' {
        $bad = Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString 'wrong') -PassThru
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token # -PassThru also made $bad the session's connection
        { Get-GanProject -Connection $bad } | Should -Throw -ErrorId 'TokenRefused,GanAi.Cmdlets.GetGanProjectCommand'
    }
}

Describe 'Tab completion of -ProjectId' {
    It 'completes -ProjectId of <_> from the caller''s projects, with their titles' -ForEach @(
        'New-GanVideoBatch', 'Get-GanProject', 'Get-GanVideoStatus', 'Wait-GanVideo', 'Set-GanWebhook'
    ) {
        $line = "$_ -ProjectId ac"
        $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $matches.CompletionText | Should -Be @('acme')
        $matches[0].ListItemText | Should -Be 'acme (Project acme)'
        $matches[0].ToolTip | Should -Be 'Project acme'
    }

    It 'reads the project list once and completes from the cache after that' {
        $line = 'New-GanVideoBatch -ProjectId extra'
        $null = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $before = (Get-GanEmulatorStat $emulator).requests
        $second = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $second.Count | Should -Be 10
        (Get-GanEmulatorStat $emulator).requests | Should -Be $before
    }
}

Describe 'New-GanVideoBatch pre-flight' {
    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
    }

    It 'gives a row that lacks a tag its own MissingTag error without sending it, and sends the others' {
        $rows = @(
            [pscustomobject]@{ unique_id = 'p1'; first_name = 'Ann'; company = 'C' }
            [pscustomobject]@{ unique_id = 'p2'; first_name = 'Bo' }
            [pscustomobject]@{ unique_id = 'p3'; first_name = 'Cy'; company = 'F' }
        )
        $results = @($rows | New-GanVideoBatch -ProjectId acme -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $results.UniqueId | Sort-Object | Should -Be @('p1', 'p3')
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'MissingTag,*'
        $rowErrors[0].TargetObject | Should -Be $rows[1]
        $rowErrors[0].Exception.Message | Should -Match "lacks the project's tag 'company'.*no credits spent"
        (Get-GanEmulatorCreatedId $emulator -ProjectId acme).uniqueId | Should -Not -Contain 'p2'
        (Get-GanEmulatorStat $emulator).answers.'422' | Should -BeNullOrEmpty # the service never saw the bad row
    }

    It 'sends a column that differs from a tag by case or spaces under the project''s spelling, said once' {
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ unique_id = "c$_"; ' First_Name ' = "F$_"; COMPANY = 'C' } }
        $verbose = $rows | New-GanVideoBatch -ProjectId acme -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $sent = @(Get-GanEmulatorVideo $emulator -ProjectId acme)
        $sent.Count | Should -Be 3
        $sent | ForEach-Object { $_.tags.PSObject.Properties.Name | Sort-Object | Should -BeExactly @('company', 'first_name') }
        @($verbose | Where-Object Message -Match "Column ' First_Name ' is sent as the project's tag 'first_name'").Count | Should -Be 1
        @($verbose | Where-Object Message -Match "Column 'COMPANY' is sent as").Count | Should -Be 1
    }

    It 'warns once per run about a property that is not a tag of the project' {
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ unique_id = "w$_"; names = 'N'; notes = 'x'; owner = 'y' } }
        $null = $rows | New-GanVideoBatch -ProjectId demo -WarningVariable warnings
        $warnings.Count | Should -Be 2
        $warnings[0] | Should -Match "Column 'notes' is not a tag of project 'demo'"
        $warnings[1] | Should -Match "Column 'owner'"
    }

    It 'warns when the rows to send exceed the project''s available credits' {
        $null = Set-GanEmulatorProject $emulator -ProjectId small -Tag first_name, company -Credits 5
        $rows = 1..7 | ForEach-Object { [pscustomobject]@{ unique_id = "cr$_"; first_name = 'F'; company = 'C' } }
        $null = $rows | New-GanVideoBatch -ProjectId small -WarningVariable warnings -ErrorAction SilentlyContinue -ErrorVariable rowErrors
        @($warnings | Where-Object { $_ -match 'Row 6 is beyond the 5 credit\(s\) available' }).Count | Should -Be 1
        $rowErrors.Count | Should -Be 7 # one batch of 7 that the service refuses (402): each row has its error
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
    }

    It 'fails every row without sending when the project does not exist' {
        $rows = New-Rows 4 'gone'
        $results = @($rows | New-GanVideoBatch -ProjectId ghost -ErrorVariable rowErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $results.Count | Should -Be 0
        $rowErrors.Count | Should -Be 4
        $rowErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*' }
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'reads nothing before sending with -SkipPreflight' {
        $null = New-Rows 3 'skip' | New-GanVideoBatch -ProjectId demo -SkipPreflight
        $stats = Get-GanEmulatorStat $emulator
        $stats.requests | Should -Be 1
        $stats.bulkRequests | Should -Be 1
    }
}
