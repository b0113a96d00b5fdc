# The docs as a reader meets them: links that resolve, a README that stays a front door, ErrorIds
# and cmdlets that exist, no history in the code; and the help compiler, which must keep making the
# same MAML and refusing incomplete help.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The anchor GitHub gives a heading: lower case, punctuation dropped (letters, digits, marks,
    # '_' and '-' stay), each space a hyphen; a repeated slug gets -1, -2 ...
    function ConvertTo-GitHubAnchor([string] $Heading) {
        $text = $Heading -replace '\[([^\]]*)\]\([^)]*\)', '$1' # a link: its text
        $text = $text -replace '[`*]', ''
        ($text.Trim().ToLowerInvariant() -replace '[^\p{L}\p{Mn}\p{Nd}\p{Pc} -]', '') -replace ' ', '-'
    }

    # A markdown file's lines outside fenced code blocks.
    function Get-ProseLine([string] $Path) {
        $fenced = $false
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^\s*```') { $fenced = -not $fenced; continue }
            if (-not $fenced) { $line }
        }
    }

    function Get-MarkdownAnchor([string] $Path) {
        $seen = @{}
        foreach ($line in Get-ProseLine $Path) {
            if ($line -notmatch '^#{1,6}\s+(.+?)\s*#*\s*$') { continue }
            $slug = ConvertTo-GitHubAnchor $Matches[1]
            if ($seen.ContainsKey($slug)) { $seen[$slug]++; "$slug-$($seen[$slug])" } else { $seen[$slug] = 0; $slug }
        }
    }

    # Each relative link and anchor of the files that does not resolve, as "file: target (why)".
    function Get-BrokenLink([string[]] $Path) {
        foreach ($file in $Path) {
            $folder = Split-Path -Parent $file
            foreach ($line in Get-ProseLine $file) {
                $prose = $line -replace '`[^`]*`', '' # code spans are not links
                foreach ($match in [regex]::Matches($prose, '\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')) {
                    $target = $match.Groups[1].Value
                    if ($target -match '^[a-z][a-z0-9+.-]*:') { continue } # https:, mailto: ... are not checked
                    $file_, $anchor = $target.Split('#', 2)
                    $resolved = if ($file_) { Join-Path $folder ([uri]::UnescapeDataString($file_)) } else { $file }
                    if (-not (Test-Path -LiteralPath $resolved)) { "${file}: $target (no such file)"; continue }
                    # Exactly as spelled: GitHub's paths are case-sensitive, some file systems are not.
                    $leaf = Split-Path -Leaf ([IO.Path]::TrimEndingDirectorySeparator((Resolve-Path -LiteralPath $resolved).Path))
                    $spelled = Split-Path -Leaf ([IO.Path]::TrimEndingDirectorySeparator([IO.Path]::GetFullPath($resolved)))
                    if ($leaf -cne $spelled -or @(Get-ChildItem -Force -LiteralPath (Split-Path -Parent ([IO.Path]::GetFullPath($resolved)))).Name -cnotcontains $spelled) {
                        "${file}: $target (no such file: the name differs in case)"; continue
                    }
                    if ($anchor -and $resolved -like '*.md' -and $anchor -notin @(Get-MarkdownAnchor $resolved)) {
                        "${file}: $target (no such heading)"
                    }
                }
            }
        }
    }

    $script:DocFiles = @(
        Get-Item (Join-Path $RepoRoot 'README.md'), (Join-Path $RepoRoot 'CONTRIBUTING.md')
        Get-ChildItem (Join-Path $RepoRoot 'docs') -Recurse -Filter *.md
    ).FullName
}

Describe 'The link checker' {
    It 'makes the anchors GitHub makes' -ForEach @(
        @{ Heading = 'Rows, tags and `unique_id`'; Anchor = 'rows-tags-and-unique_id' }
        @{ Heading = 'Batching, concurrency, progress and `-WhatIf`'; Anchor = 'batching-concurrency-progress-and--whatif' }
        @{ Heading = 'Ctrl+C and an early end of the pipeline'; Anchor = 'ctrlc-and-an-early-end-of-the-pipeline' }
        @{ Heading = "A scheduled run's start-up"; Anchor = 'a-scheduled-runs-start-up' }
        @{ Heading = 'Typed fakes: `[GanAi.GanModelFactory]`'; Anchor = 'typed-fakes-ganaiganmodelfactory' }
        @{ Heading = 'See [the page](other.md) now'; Anchor = 'see-the-page-now' }
    ) {
        ConvertTo-GitHubAnchor $Heading | Should -BeExactly $Anchor
    }

    It 'finds a missing file, a missing heading and a repeated heading''s anchor, and skips code and external links' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'links')
        Set-Content (Join-Path $folder 'other.md') "# Other`n`n## Part`n`n## Part`n"
        Set-Content (Join-Path $folder 'page.md') @(
            '[ok](other.md#part) [second](other.md#part-1) [self](#page) [external](https://example.com/x.md#nothing)'
            '[gone](missing.md) [no heading](other.md#nowhere) [third](other.md#part-2) [case](Other.md)'
            '`[in code](missing-in-code.md)`'
            '```'
            '[in a fence](missing-in-fence.md)'
            '```'
            '# Page'
        )
        $broken = @(Get-BrokenLink (Join-Path $folder 'page.md'))
        $broken.Count | Should -Be 4 -Because ($broken -join "`n")
        $broken -join "`n" | Should -Match 'Other\.md \(no such file'
        $broken -join "`n" | Should -Match 'missing\.md \(no such file\)'
        $broken -join "`n" | Should -Match 'other\.md#nowhere \(no such heading\)'
        $broken -join "`n" | Should -Match 'other\.md#part-2 \(no such heading\)'
    }
}

Describe 'The docs' {
    It 'has every relative link and #anchor of README.md, CONTRIBUTING.md and docs/ resolve' {
        $DocFiles.Count | Should -BeGreaterThan 15 -Because 'docs/cmdlets is included'
        $broken = @(Get-BrokenLink $DocFiles)
        $broken | Should -BeNullOrEmpty -Because ($broken -join "`n")
    }

    It 'keeps the README at most 10,240 bytes, linking every page of docs/' {
        $readme = Join-Path $RepoRoot 'README.md'
        (Get-Item $readme).Length | Should -BeLessOrEqual 10240
        $text = Get-Content $readme -Raw
        foreach ($page in Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter *.md) {
            $text | Should -Match ([regex]::Escape("(docs/$($page.Name))")) -Because "the README is the way to docs/$($page.Name)"
        }
        $text | Should -Match ([regex]::Escape('(docs/cmdlets/)')) -Because 'the README is the way to the cmdlets'' pages too'
    }

    It 'leads maintainers to the map of the code from the README and CONTRIBUTING, whose links are checked with the rest' {
        Join-Path $RepoRoot 'docs/architecture.md' | Should -Exist
        Get-Content (Join-Path $RepoRoot 'CONTRIBUTING.md') -Raw | Should -Match ([regex]::Escape('(docs/architecture.md)'))
        @(Get-BrokenLink (Join-Path $RepoRoot 'docs/architecture.md')).Count | Should -Be 0
        # The map links the code itself: a file moved or renamed breaks it here.
        ([regex]::Matches((Get-Content (Join-Path $RepoRoot 'docs/architecture.md') -Raw), '\]\(\.\./src/')).Count | Should -BeGreaterThan 30
    }

    It 'names no date and not the machine it was built on, outside CHANGELOG.md and docs/benchmarks.md' {
        $machine = 'build' + ' machine' # spelled apart, so this file does not name it
        # Judged by the path inside the repository, so a clone under a folder named "bin" is still read.
        $skip = '^(\.git|\.tools|out|node_modules)/|(^|/)(bin|obj)/'
        $allowed = 'CHANGELOG.md', 'docs/benchmarks.md'
        $files = @(Get-ChildItem $RepoRoot -Recurse -File -Force | Where-Object {
                $relative = [IO.Path]::GetRelativePath($RepoRoot, $_.FullName) -replace '\\', '/'
                $relative -notmatch $skip -and $relative -notin $allowed -and $_.Extension -notin '.dll', '.nupkg', '.png', '.mp4', '.jpg'
            })
        $files.Count | Should -BeGreaterThan 150 -Because 'the sources, tests and docs are read'
        $files.FullName | Should -Contain (Join-Path $RepoRoot 'src/GanAi.Core/Journal/RunJournal.cs')
        $found = $files | Select-String -Pattern '20\d\d-\d\d-\d\d', $machine |
            ForEach-Object { '{0}:{1}: {2}' -f $_.Path.Substring($RepoRoot.Length + 1), $_.LineNumber, $_.Line.Trim() }
        $found | Should -BeNullOrEmpty -Because (@($found) -join "`n")
    }

    It 'names in about_GanAi and about_GanAi_Testing only cmdlets and ErrorIds that exist' {
        $text = (Get-Content (Join-Path $RepoRoot 'docs/about_GanAi.help.txt'), (Join-Path $RepoRoot 'docs/about_GanAi_Testing.help.txt') -Raw) -join "`n"
        $commands = @([regex]::Matches($text, '\b[A-Z][a-z]+-Gan[A-Za-z]*\b').Value | Sort-Object -Unique)
        $commands.Count | Should -BeGreaterThan 10
        foreach ($name in $commands) {
            Get-Command $name -Module GanAi, GanAi.Emulator -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "about_GanAi names $name"
        }

        # A PascalCase word is an ErrorId unless it is a member or type of the module's objects, or
        # one of the few PowerShell and Pester words the topics use. The emulator's own ErrorIds are
        # the rows of docs/emulator.md's table, each of which its module writes.
        $ids = [GanAi.ErrorIds].GetFields().Name
        $members = [GanAi.VideoResult], [GanAi.VideoStatus], [GanAi.GanProject], [GanAi.GanConnection], [GanAi.VideoRowException], [GanAi.VideoException] |
            ForEach-Object { $_.Name; $_.GetMembers().Name }
        $powerShellWords = 'AfterAll', 'BeforeAll', 'ConvertFrom', 'ForEach', 'FullyQualifiedErrorId', 'GanAi', 'PowerShell', 'SecureString', 'TargetObject'
        $emulatorModule = Get-Content (Join-Path $RepoRoot 'src/GanAi.Emulator/GanAi.Emulator.psm1') -Raw
        $emulatorIds = @([regex]::Matches((Get-Content (Join-Path $RepoRoot 'docs/emulator.md') -Raw), '(?m)^\| `(\w+)` \|').ForEach({ $_.Groups[1].Value }) | Where-Object { $_ -notlike '*-*' })
        $emulatorIds.Count | Should -BeGreaterThan 3
        foreach ($id in $emulatorIds) { $emulatorModule | Should -Match "'$id'(,| InvalidOperation| ObjectNotFound| NotInstalled)" -Because "docs/emulator.md names $id" }
        $words = [regex]::Matches($text, '(?<![-\w.\[$:])[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b').Value | Sort-Object -Unique
        @($words | Where-Object { $_ -in $ids }).Count | Should -BeGreaterThan 5 -Because 'the topics name ErrorIds'
        foreach ($word in $words | Where-Object { $_ -notin $ids -and $_ -notin $members -and $_ -notin $powerShellWords }) {
            $emulatorIds | Should -Contain $word -Because "about_GanAi names $word, which is neither an ErrorId of GanAi nor one of GanAi.Emulator's"
        }
    }
}

Describe 'The failed.csv recipe of docs/errors.md' {
    BeforeAll {
        # The fenced PowerShell blocks of a markdown file, each as one text.
        function Get-PowerShellBlock([string] $Path) {
            $block = $null
            foreach ($line in Get-Content -LiteralPath $Path) {
                if ($null -eq $block -and $line -match '^```powershell\s*$') { $block = [Collections.Generic.List[string]]::new(); continue }
                if ($null -ne $block -and $line -match '^```\s*$') { $block -join "`n"; $block = $null; continue }
                if ($null -ne $block) { $block.Add($line) }
            }
        }
        $blocks = @(Get-PowerShellBlock (Join-Path $RepoRoot 'docs/errors.md'))
        $script:WriteFailed = @($blocks | Where-Object { $_ -match 'Export-Csv failed\.csv' })
        $script:SendAgain = @($blocks | Where-Object { $_ -match '^Import-Csv failed\.csv' })
        # The recipe's project is X, with the tags of its rows.
        $script:recipeEmulator = Start-GanEmulator -ArgumentList '--project', 'X:first_name,company'
        Connect-GanAi -BaseUri $recipeEmulator.BaseUri -Token $recipeEmulator.Token -InformationAction Ignore
    }

    AfterAll {
        Disconnect-GanAi
        if ($recipeEmulator) { Stop-GanEmulator $recipeEmulator }
    }

    It 'writes each failed row''s own columns with RowNumber, ErrorId and Message, and sends the fixed rows again' {
        $WriteFailed.Count | Should -Be 1
        $SendAgain.Count | Should -Be 1
        Push-Location -LiteralPath $TestDrive
        try {
            @(
                [pscustomobject]@{ unique_id = 'f-1'; first_name = 'Ann'; company = 'A' }
                [pscustomobject]@{ unique_id = 'f-2'; first_name = "Bj$([char]0xFFFD)rn"; company = 'B' } # MisdecodedText
                [pscustomobject]@{ unique_id = ''; first_name = 'Cy'; company = 'C' } # MissingUniqueId
                [pscustomobject]@{ unique_id = 'f-1'; first_name = 'Di'; company = 'D' } # DuplicateUniqueId
                [pscustomobject]@{ unique_id = 'f-5'; first_name = 'Ed'; company = 'E' }
            ) | Export-Csv rows.csv -NoTypeInformation -Encoding utf8
            . ([scriptblock]::Create($WriteFailed[0]))

            (Import-Csv results.csv).UniqueId | Should -Be 'f-1', 'f-5'
            $rows = @(Import-Csv failed.csv)
            $rows[0].PSObject.Properties.Name | Should -Be 'unique_id', 'first_name', 'company', 'RowNumber', 'ErrorId', 'Message'
            $rows.RowNumber | Should -Be '2', '3', '4'
            $rows.ErrorId | Should -Be 'MisdecodedText', 'MissingUniqueId', 'DuplicateUniqueId'
            $rows.first_name | Should -Be "Bj$([char]0xFFFD)rn", 'Cy', 'Di'
            $rows[1].Message | Should -Match "^Row 3 has an empty 'unique_id'"

            # The fix, as in a spreadsheet; then the recipe's second step.
            $rows[0].first_name = "Bj$([char]0xF6)rn"
            $rows[1].unique_id = 'f-3'
            $rows[2].unique_id = 'f-4'
            $rows | Export-Csv failed.csv -NoTypeInformation -Encoding utf8
            $warned = . ([scriptblock]::Create($SendAgain[0])) 3>&1

            $failed.Count | Should -Be 0
            $warned | Should -BeNullOrEmpty -Because 'the three added columns are not sent as tags'
            (Import-Csv results.csv).UniqueId | Should -Be 'f-1', 'f-5', 'f-2', 'f-3', 'f-4'
            $made = @(Get-GanEmulatorVideo $recipeEmulator -ProjectId X | Where-Object uniqueId -In 'f-2', 'f-3', 'f-4')
            $made.Count | Should -Be 3
            $made | ForEach-Object { @($_.tags.PSObject.Properties.Name | Sort-Object) | Should -Be 'company', 'first_name' }
            ($made | Where-Object uniqueId -EQ 'f-2').tags.first_name | Should -Be "Bj$([char]0xF6)rn"
        }
        finally {
            Pop-Location
        }
    }

    It 'is the recipe of New-GanVideoBatch''s help example 2 as well' {
        $example = (Get-Content -LiteralPath (Join-Path $RepoRoot 'docs/cmdlets/New-GanVideoBatch.md') -Raw) -replace '\r\n', "`n"
        $example = $example.Substring($example.IndexOf('### Example 2'))
        $example = $example.Substring(0, $example.IndexOf('### Example 3'))
        # From "$failed |" on, the lines that write failed.csv are the same; so is the line that reads it again.
        $writing = $WriteFailed[0].Substring($WriteFailed[0].IndexOf('$failed |'))
        $example | Should -BeLike "*$([WildcardPattern]::Escape($writing))*"
        $example | Should -BeLike "*$([WildcardPattern]::Escape(($SendAgain[0] -split "`n")[0]))*"
    }
}

Describe 'build.ps1 and the help compiler' {
    BeforeAll {
        $script:Compiler = Join-Path $RepoRoot 'tools/Build-GanHelp.ps1'
        # Runs the compiler as build.ps1 does (a process of its own) over a docs folder; its exit code and what it said.
        function Invoke-HelpCompiler([string] $CmdletDocs, [string] $OutputFolder) {
            $said = & (Get-TestPwsh) -NoProfile -NonInteractive -File $Compiler -ModuleManifest $ModuleManifest -CmdletDocs $CmdletDocs -OutputFolder $OutputFolder 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Said = ($said | Out-String) }
        }
        function Copy-CmdletDocs([string] $Name) {
            $copy = Join-Path $TestDrive $Name
            Copy-Item -Recurse (Join-Path $RepoRoot 'docs/cmdlets') $copy
            $copy
        }
    }

    It 'is a list of tasks: under 250 lines' {
        @(Get-Content (Join-Path $RepoRoot 'build.ps1')).Count | Should -BeLessThan 250
    }

    It 'makes a GanAi.dll-Help.xml byte for byte the one the inline compiler made before it moved, from the same pages' {
        # Golden/cmdlets is docs/cmdlets as it was then, so the pages may change without touching this test.
        $output = New-Item -ItemType Directory (Join-Path $TestDrive 'help')
        $run = Invoke-HelpCompiler (Join-Path $PSScriptRoot 'Golden/cmdlets') $output.FullName
        $run.ExitCode | Should -Be 0 -Because $run.Said
        $made = [IO.File]::ReadAllBytes((Join-Path $output 'GanAi.dll-Help.xml'))
        $golden = [IO.File]::ReadAllBytes((Join-Path $PSScriptRoot 'Golden/GanAi.dll-Help.xml'))
        $made.Length | Should -Be $golden.Length
        [Convert]::ToBase64String($made) -ceq [Convert]::ToBase64String($golden) | Should -BeTrue -Because 'the help the build makes must not change when only its code moves'
    }

    It 'fails the build when <Case>' -ForEach @(
        @{ Case = 'a cmdlet has no page'; Break = { param($docs) Remove-Item (Join-Path $docs 'Wait-GanVideo.md') }; Says = 'Wait-GanVideo: no page' }
        @{ Case = 'a cmdlet has fewer than two examples'
            Break = { param($docs) $page = Join-Path $docs 'Wait-GanVideo.md'; (Get-Content $page -Raw) -replace '(?s)### Example 2:.*?(?=## PARAMETERS)', '' | Set-Content $page }
            Says = 'Wait-GanVideo: 1 example\(s\); at least 2 are needed' }
        @{ Case = 'a parameter has no description'
            Break = { param($docs) $page = Join-Path $docs 'Wait-GanVideo.md'; (Get-Content $page -Raw) -replace '(?s)### -PollIntervalSec\r?\n.*?(?=### -ThrottleLimit)', '' | Set-Content $page }
            Says = 'Wait-GanVideo: parameter -PollIntervalSec has no description' }
    ) {
        $docs = Copy-CmdletDocs ($Case -replace '\W', '-')
        & $Break $docs
        $output = New-Item -ItemType Directory (Join-Path $TestDrive "out-$($Case -replace '\W', '-')")
        $run = Invoke-HelpCompiler $docs $output.FullName
        $run.ExitCode | Should -Not -Be 0
        $run.Said -replace '\s*\r?\n\s*\|?\s*', ' ' | Should -Match $Says # the error view wraps its lines behind a '|'
        Test-Path (Join-Path $output 'GanAi.dll-Help.xml') | Should -BeFalse -Because 'incomplete help is not written'
    }
}
