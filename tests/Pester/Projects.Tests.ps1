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
        , $acme.Tags | Should -BeOfType ([GanAi.TagList])
        $acme.Tags -contains 'company' | Should -BeTrue
        # Export-Csv writes readable tags (it wrote System.String[]).
        $csv = Join-Path $TestDrive 'projects.csv'
        $acme | Export-Csv $csv -NoTypeInformation
        (Import-Csv $csv).Tags | Should -Be 'first_name, company'
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

    It 'says of a mistyped id what New-GanVideoBatch says: the count of projects and the close matches' {
        $null = Get-GanProject -ProjectId 'acem' -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
        $said = $missing[0].Exception.Message
        $said | Should -Be "No project 'acem' among your 12 project(s). Did you mean 'acme' (Project acme)? Get-GanProject without -ProjectId lists them."
        $batch = $null
        try { [pscustomobject]@{ unique_id = 'typo'; names = 'x' } | New-GanVideoBatch -ProjectId 'acem' } catch { $batch = $_ }
        $batch.Exception.Message | Should -Be $said.Replace('project(s).', 'project(s); nothing was read or sent.')
    }

    It 'shows ProjectId, Title, Type, Status, Tags and Credits in its default table' {
        $table = Get-GanProject -ProjectId acme | Format-Table | Out-String -Width 200
        $table | Should -Match 'ProjectId\s+Title\s+Type\s+Status\s+Tags\s+Credits'
        $table | Should -Match 'acme\s+Project acme\s+PERSONALIZED\s+PUBLISHED\s+first_name, company\s+5'
    }

    It 'ends with a TokenRefused error when the service refuses the token' {
        $bad = Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString 'wrong') -SkipTokenCheck -PassThru
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

    It 'warns when the rows to send exceed the project''s available credits, and sends nothing after the 402' {
        $null = Set-GanEmulatorProject $emulator -ProjectId small -Tag first_name, company -Credits 5
        $rows = 1..7 | ForEach-Object { [pscustomobject]@{ unique_id = "cr$_"; first_name = 'F'; company = 'C' } }
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId small } -ArgumentList (, $rows)
        @($run.Warnings | Where-Object { $_ -match "The rows to send exceed the 5 credit\(s\) available in project 'small'" }).Count | Should -Be 1
        $run.Output.Count | Should -Be 0 # the batch of 7 was refused (402), and may have been made in part: nothing of it is sent again
        $run.Errors.Count | Should -Be 7
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*' }
        $run.Terminating.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
    }

    It 'ends before sending, with one error, when the project does not exist' {
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId ghost } -ArgumentList (, @(New-Rows 4 'gone'))
        $run.Output.Count | Should -Be 0
        $run.Errors.Count | Should -Be 0
        $run.Terminating.FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'runs with -WhatIf when connected: a dry run reports missing tags, unknown columns, credits and a wrong project, and sends nothing' {
        $null = Set-GanEmulatorProject $emulator -ProjectId tiny -Tag first_name, company -Credits 2
        $rows = @(
            [pscustomobject]@{ unique_id = 'd1'; first_name = 'Ann'; company = 'C'; notes = 'x' }
            [pscustomobject]@{ unique_id = 'd2'; first_name = 'Bo' }
            [pscustomobject]@{ unique_id = 'd3'; first_name = 'Cy'; company = 'F'; notes = 'y' }
            [pscustomobject]@{ unique_id = 'd4'; first_name = 'Di'; company = 'G'; notes = 'z' }
        )
        # In runspaces of their own: their "What if" lines go to no screen.
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId tiny -WhatIf } -ArgumentList (, $rows)
        @($run.Errors).Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MissingTag,*'
        $run.Errors[0].TargetObject.unique_id | Should -Be 'd2'
        @($run.Warnings | Where-Object { $_ -match "Column 'notes' is not a tag of project 'tiny'" }).Count | Should -Be 1
        @($run.Warnings | Where-Object { $_ -match "The rows to send exceed the 2 credit\(s\) available in project 'tiny'" }).Count | Should -Be 1

        $ghost = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId ghost -WhatIf } -ArgumentList (, @(New-Rows 2 'dry'))
        $ghost.Terminating.FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'makes one attempt with -WhatIf, so a dry run against a service that does not answer does not wait out retries' {
        Set-GanEmulatorFault $emulator @{ latencyMs = 4000 } | Out-Null
        $run = Invoke-Bounded { param($Rows) $Rows | New-GanVideoBatch -ProjectId demo -WhatIf -TimeoutSec 1 -MaxRetries 3 } -ArgumentList (, @(New-Rows 2 'slow'))
        (Get-GanEmulatorStat $emulator).requests | Should -Be 1
        @($run.Warnings | Where-Object { $_ -match 'Pre-flight skipped.*-WhatIf checked the rows on their own' }).Count | Should -Be 1
    }

    It 'reads nothing before sending with -SkipPreflight' {
        $null = New-Rows 3 'skip' | New-GanVideoBatch -ProjectId demo -SkipPreflight
        $stats = Get-GanEmulatorStat $emulator
        $stats.requests | Should -Be 1
        $stats.bulkRequests | Should -Be 1
    }
}

Describe 'New-GanVideoBatch -Confirm beyond the credits' {
    BeforeAll {
        function Invoke-WithAnswer([bool] $SendBeyondCredits, [string] $Prefix) {
            # Yes to All for each batch (ShouldProcess); the given answer to "send beyond the credits?".
            $ui = [ScriptedUserInterface]::new()
            $ui.Answer('Not enough credits', $(if ($SendBeyondCredits) { '&Yes' } else { '&No' }))
            $output = Invoke-WithScriptedHost $ui {
                param($manifest, $baseUri, $token, $prefix)
                Import-Module $manifest
                Connect-GanAi -BaseUri $baseUri -Token $token
                1..7 | ForEach-Object { [pscustomobject]@{ unique_id = "$prefix-$_"; first_name = 'F'; company = 'C' } } |
                    New-GanVideoBatch -ProjectId small -BatchSize 1 -Confirm -ErrorVariable +rowErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                , @($rowErrors)
            } $ModuleManifest, $emulator.BaseUri, $emulator.Token, $Prefix
            [pscustomobject]@{
                Results = @($output | Where-Object { $_ -is [GanAi.VideoResult] -or $_.BaseObject -is [GanAi.VideoResult] })
                Errors = @($output | Where-Object { $_ -is [Collections.IList] -or $_.BaseObject -is [Collections.IList] } | ForEach-Object { $_ })
                Questions = @($ui.Questions)
            }
        }
    }

    BeforeEach {
        Reset-GanEmulator $emulator
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $null = Set-GanEmulatorProject $emulator -ProjectId small -Tag first_name, company -Credits 5
    }

    It 'asks before sending rows beyond the credits, and sends none of them when the answer is No' {
        $run = Invoke-WithAnswer $false 'no'
        @($run.Questions | Where-Object { $_ -like "Not enough credits:*The rows to send exceed the 5 credit(s) available in project 'small'*" }).Count | Should -Be 1
        $run.Results.Count | Should -Be 5
        $declined = @($run.Errors | Where-Object { "$($_.FullyQualifiedErrorId)" -like 'CreditsNotConfirmed,*' })
        $declined.Count | Should -Be 2
        ($declined.TargetObject.unique_id | Sort-Object) | Should -Be @('no-6', 'no-7')
        (Get-GanEmulatorStat $emulator).rowsCreated | Should -Be 5
    }

    It 'sends them when the answer is Yes (and the service refuses them for want of credits)' {
        $run = Invoke-WithAnswer $true 'yes'
        @($run.Questions | Where-Object { $_ -like 'Not enough credits:*' }).Count | Should -Be 1
        $run.Results.Count | Should -Be 5
        @($run.Errors | Where-Object { "$($_.FullyQualifiedErrorId)" -like 'InsufficientCredits,*' }).Count | Should -Be 2
    }
}
