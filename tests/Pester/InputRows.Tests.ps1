# Where admins' rows come from (a database, JSON, hashtables), the values no video can say, and one
# error for one mistake: a file without one of the project's tag columns.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'acme:first_name,company'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    # A real DataTable, as Invoke-Sqlcmd gives (its rows are DataRows): a typed column, and a NULL.
    function New-ContactTable {
        $table = [Data.DataTable]::new('contacts')
        [void] $table.Columns.Add('unique_id', [string])
        [void] $table.Columns.Add('first_name', [string])
        [void] $table.Columns.Add('company', [string])
        [void] $table.Columns.Add('seats', [int])
        [void] $table.Rows.Add('db-1', 'Ann', 'Acme', 3)
        [void] $table.Rows.Add('db-2', 'Bob', [DBNull]::Value, 4)
        [void] $table.Rows.Add('db-3', 'Cy', 'Initech', [DBNull]::Value)
        [void] $table.Rows.Add('db-4', 'Di', 'Globex', 7)
        $table.AcceptChanges()
        , $table
    }

    # The tags the emulator received for one row, by exact name.
    function Get-SentTags([string] $UniqueId) {
        $video = @(Get-GanEmulatorVideo $emulator -ProjectId acme | Where-Object uniqueId -CEQ $UniqueId)
        $video.Count | Should -Be 1 -Because "row $UniqueId was made once"
        $tags = [ordered]@{}
        foreach ($p in $video[0].tags.psobject.Properties) { $tags[$p.Name] = $p.Value }
        $tags
    }
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Rows from a database' {
    BeforeEach { Reset-GanEmulator $emulator }

    It 'reads a DataRow by its table''s columns, and a NULL as a null value (<Shape>)' -ForEach @(
        @{ Shape = '$table.Rows'; Pipe = { param($t) $t.Rows } }
        @{ Shape = '$table'; Pipe = { param($t) $t } }
        @{ Shape = '$table.DefaultView'; Pipe = { param($t) $t.DefaultView } }
    ) {
        $table = New-ContactTable
        $results = @(& $Pipe $table | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)

        ($results.UniqueId | Sort-Object) | Should -Be @('db-1', 'db-4')
        $failed.Count | Should -Be 2
        foreach ($e in $failed) {
            $e.FullyQualifiedErrorId | Should -BeLike 'TagValueNull,*'
            $e.TargetObject | Should -Not -BeNullOrEmpty
        }
        ($failed | Where-Object { $_.Exception.RowNumber -eq 2 }).Exception.Message | Should -Match "database's NULL\) for 'company'"
        ($failed | Where-Object { $_.Exception.RowNumber -eq 3 }).Exception.Message | Should -Match "for 'seats'"

        $sent = Get-SentTags 'db-1'
        @($sent.Keys) | Should -Be @('first_name', 'company', 'seats') -Because 'the columns in the table''s order, and none of DataRow''s own properties (Table, RowState, ItemArray, HasErrors, RowError)'
        $sent.seats | Should -Be '3'
        $results[0].company | Should -Be 'Acme'
    }

    It 'reads a value PowerShell stored in an [object] column as the value, not its wrapper' {
        $table = [Data.DataTable]::new()
        [void] $table.Columns.Add('unique_id')
        [void] $table.Columns.Add('first_name', [object])
        [void] $table.Columns.Add('company', [object])
        $row = $table.NewRow(); $row['unique_id'] = 'o-date'; $row['first_name'] = [datetime]::new(1999, 3, 4, 5, 6, 7); $row['company'] = 'Acme'; $table.Rows.Add($row)
        $row = $table.NewRow(); $row['unique_id'] = 'o-nested'; $row['first_name'] = [pscustomobject]@{ a = 1 }; $row['company'] = 'Acme'; $table.Rows.Add($row)
        $row = $table.NewRow(); $row['unique_id'] = 'o-nan'; $row['first_name'] = [psobject]::AsPSObject([double]::NaN); $row['company'] = 'Acme'; $table.Rows.Add($row)
        $row = $table.NewRow(); $row['unique_id'] = 'o-null'; $row['first_name'] = [psobject]::AsPSObject([DBNull]::Value); $row['company'] = 'Acme'; $table.Rows.Add($row)

        $results = @($table.Rows | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)

        $results.UniqueId | Should -Be 'o-date'
        $results[0].first_name | Should -BeExactly '1999-03-04T05:06:07' -Because 'the text sent: invariant ISO, as for any other date'
        ($failed | Sort-Object { $_.Exception.RowNumber } | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('TagValueNotScalar', 'TagValueNotRenderable', 'TagValueNull')
    }

    It 'says to pipe the rows of a DataTable piped as one object' {
        $table = New-ContactTable
        $null = @(, $table | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InputNotAnObject,*'
        $failed[0].Exception.Message | Should -Match 'is a whole DataTable, not a row; pipe its rows \(\$table\.Rows'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'gives a deleted DataRow its own error and sends the others' {
        $table = New-ContactTable
        $table.Rows[0].Delete() # still in Rows, its values no longer readable
        $results = @($table.Rows | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)

        $results.UniqueId | Should -Be @('db-4')
        $unreadable = @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'TagValueUnreadable,*' })
        $unreadable.Count | Should -Be 1
        $unreadable[0].Exception.RowNumber | Should -Be 1
        $failed.Count | Should -Be 3 # and the two NULLs
    }
}

Describe 'The other common shapes of a row' {
    BeforeEach { Reset-GanEmulator $emulator }

    It 'sends a row given as <Shape>' -ForEach @(
        @{ Shape = 'a hashtable'; Make = { @{ unique_id = 'h-1'; first_name = 'Ann'; company = 'Acme' } } }
        @{ Shape = 'an ordered dictionary'; Make = { [ordered]@{ unique_id = 'h-1'; first_name = 'Ann'; company = 'Acme' } } }
        @{ Shape = 'ConvertFrom-Json output'; Make = { '[{"unique_id":"h-1","first_name":"Ann","company":"Acme"}]' | ConvertFrom-Json } }
        @{ Shape = 'Select-Object output'; Make = { [pscustomobject]@{ Id = 'h-1'; Name = 'Ann'; Org = 'Acme'; Extra = 1 } |
                Select-Object @{ n = 'unique_id'; e = { $_.Id } }, @{ n = 'first_name'; e = { $_.Name } }, @{ n = 'company'; e = { $_.Org } } } }
    ) {
        $results = @(& $Make | New-GanVideoBatch -ProjectId acme)

        $results.UniqueId | Should -Be 'h-1'
        $sent = Get-SentTags 'h-1'
        $sent.first_name | Should -BeExactly 'Ann'
        $sent.company | Should -BeExactly 'Acme'
        @($sent.Keys).Count | Should -Be 2
    }
}

Describe 'Values no video can say' {
    BeforeEach { Reset-GanEmulator $emulator }

    It 'refuses <What> in a value, naming the column, and sends the other rows' -ForEach @(
        @{ What = 'NaN'; Value = [double]::NaN; Says = "not finite \(NaN or Infinity\) as the value of 'company'" }
        @{ What = 'Infinity'; Value = [double]::PositiveInfinity; Says = "not finite .* of 'company'" }
        @{ What = '-Infinity as a float'; Value = [float]::NegativeInfinity; Says = "not finite .* of 'company'" }
        @{ What = 'NaN as a Half'; Value = [System.Half]::NaN; Says = "not finite .* of 'company'" }
        @{ What = 'NUL'; Value = "Ac`0me"; Says = "U\+0000 at position 3 of 'company'" }
        @{ What = 'BEL'; Value = "Acme`a"; Says = "U\+0007 at position 5 of 'company'" }
        @{ What = 'ESC (a terminal colour code)'; Value = "`e[31mAcme"; Says = "U\+001B at position 1 of 'company'" }
        @{ What = 'DEL'; Value = "Acme$([char]0x7F)"; Says = "U\+007F" }
        @{ What = 'a C1 control'; Value = "caf$([char]0x0083)"; Says = "U\+0083 .* -Encoding UTF8" }
    ) {
        $rows = @(
            [pscustomobject]@{ unique_id = 'ok-1'; first_name = 'Ann'; company = 'Acme' }
            [pscustomobject]@{ unique_id = 'bad'; first_name = 'Bob'; company = $Value }
            [pscustomobject]@{ unique_id = 'ok-2'; first_name = 'Cy'; company = 'Initech' }
        )
        $results = @($rows | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)

        ($results.UniqueId | Sort-Object) | Should -Be @('ok-1', 'ok-2')
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TagValueNotRenderable,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failed[0].Exception.RowNumber | Should -Be 2
        $failed[0].Exception.Message | Should -Match $Says
        @(Get-GanEmulatorVideo $emulator -ProjectId acme | Where-Object uniqueId -EQ 'bad').Count | Should -Be 0
    }

    It 'sends tab, CR and LF byte for byte, as docs/security.md promises' {
        $text = "Line one`r`nLine`ttwo`nend"
        $results = @([pscustomobject]@{ unique_id = 'ws'; first_name = 'Ann'; company = $text } | New-GanVideoBatch -ProjectId acme)
        $results.Count | Should -Be 1
        (Get-SentTags 'ws').company | Should -BeExactly $text
    }

    It 'refuses a control character in the id too' {
        $null = @([pscustomobject]@{ unique_id = "id`0x"; first_name = 'Ann'; company = 'Acme' } |
                New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TagValueNotRenderable,*'
        $failed[0].Exception.Message | Should -Match "of 'unique_id'"
    }
}

Describe 'A file without one of the project''s tag columns' {
    BeforeEach { Reset-GanEmulator $emulator }

    It 'ends the run once at row 1, not once per row' {
        $csv = Join-Path $TestDrive 'no-company.csv'
        1..2000 | ForEach-Object { [pscustomobject]@{ unique_id = "r-$_"; first_name = "N$_" } } | Export-Csv $csv -NoTypeInformation

        $ended = $null
        try { Import-Csv $csv | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null }
        catch { $ended = $_ }

        $ended | Should -Not -BeNullOrEmpty
        $ended.FullyQualifiedErrorId | Should -BeLike 'MissingTag,*'
        $ended.Exception | Should -BeOfType ([ArgumentException])
        $ended.Exception.Message | Should -Match "Row 1 lacks the project's tag 'company', so no row can be sent; besides its id, its columns are 'first_name' \(project 'acme' has the tags 'first_name', 'company'\)\. Add the column, or check -ProjectId\. Nothing was sent\."
        $rowErrors = @($failed | Where-Object { $_.Exception -is [GanAi.VideoRowException] })
        $rowErrors.Count | Should -Be 1 -Because 'row 1 has its error, then the run ends: no 2,000 identical errors'
        $rowErrors[0].Exception.RowNumber | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'MissingTag,*'
        (Get-GanEmulatorStat $emulator).bulkRequests | Should -Be 0
    }

    It 'offers a column whose name is close to the missing tag' {
        $ended = $null
        try { [pscustomobject]@{ unique_id = 'r-1'; first_name = 'Ann'; Compnay = 'Acme' } | New-GanVideoBatch -ProjectId acme -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
        catch { $ended = $_ }
        $ended.FullyQualifiedErrorId | Should -BeLike 'MissingTag,*'
        $ended.Exception.Message | Should -Match "Did you mean column 'Compnay' as 'company'\?"
    }

    It 'keeps a per-row error for later rows that lack a tag in mixed input' {
        $rows = @(
            [pscustomobject]@{ unique_id = 'm-1'; first_name = 'Ann'; company = 'Acme' }
            [pscustomobject]@{ unique_id = 'm-2'; first_name = 'Bob' }
            [pscustomobject]@{ unique_id = 'm-3'; first_name = 'Cy'; company = 'Initech' }
            [pscustomobject]@{ unique_id = 'm-4'; first_name = 'Di' }
        )
        $results = @($rows | New-GanVideoBatch -ProjectId acme -ErrorVariable failed -ErrorAction SilentlyContinue)

        ($results.UniqueId | Sort-Object) | Should -Be @('m-1', 'm-3')
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'MissingTag,*' }
        ($failed.Exception.RowNumber | Sort-Object) | Should -Be @(2, 4)
    }
}
