# The module as users meet it: the manifest, Get-Help for every cmdlet, about_GanAi, and the default views.
BeforeDiscovery {
    # The commands to check, known at discovery: one Describe block each. The emulator's functions
    # (comment-based help) pass the same checks as the module's cmdlets (MAML from docs/cmdlets).
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $cmdletCases = @(Get-Command -Module GanAi, GanAi.Emulator -CommandType Cmdlet, Function | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:module = Get-Module GanAi
    $script:commands = @(Get-Command -Module GanAi -CommandType Cmdlet)
    $script:common = @([Management.Automation.Cmdlet]::CommonParameters) + 'UseTransaction'
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest and exports exactly its cmdlets, without wildcards' {
        $manifest = Test-ModuleManifest $ModuleManifest
        $manifest.Version | Should -Be ([version] '0.1.0')
        $data = Import-PowerShellDataFile $ModuleManifest
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        ($data.CmdletsToExport | Sort-Object) | Should -Be ($commands.Name | Sort-Object)
        ($commands.Name | Sort-Object) | Should -Be @('Connect-GanAi', 'Disconnect-GanAi', 'Get-GanProject', 'Get-GanVideoStatus', 'New-GanToken',
            'New-GanVideoBatch', 'Save-GanVideo', 'Set-GanWebhook', 'Wait-GanVideo')
    }

    It 'declares Desktop and Core, PowerShell 5.1, and gallery data with tags, URIs and release notes' {
        $data = Import-PowerShellDataFile $ModuleManifest
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.PowerShellVersion | Should -Be '5.1'
        $psData = $data.PrivateData.PSData
        $psData.Tags | Should -Contain 'PSEdition_Core'
        $psData.ProjectUri | Should -Match '^https://'
        $psData.LicenseUri | Should -Match '^https://.*LICENSE$'
        $psData.ReleaseNotes | Should -Match '0\.1\.0'
        Join-Path (Split-Path $ModuleManifest) 'LICENSE' | Should -Exist
        Join-Path (Split-Path $ModuleManifest) 'CHANGELOG.md' | Should -Exist
    }

    It 'GanAi.Emulator: passes Test-ModuleManifest, requires GanAi and exports exactly its functions' {
        $manifest = Test-ModuleManifest $EmulatorModule
        $manifest.Version | Should -Be ([version] '0.1.0')
        $data = Import-PowerShellDataFile $EmulatorModule
        $data.RequiredModules.ModuleName | Should -Be 'GanAi'
        $data.CmdletsToExport.Count | Should -Be 0
        ($data.FunctionsToExport | Sort-Object) | Should -Be ((Get-Command -Module GanAi.Emulator).Name | Sort-Object)
        ($data.FunctionsToExport | Sort-Object) | Should -Be @('Get-GanEmulatorCreatedId', 'Get-GanEmulatorStat', 'Get-GanEmulatorVideo', 'New-GanErrorRecord',
            'Register-GanEmulatorVideo', 'Reset-GanEmulator', 'Set-GanEmulatorFault', 'Set-GanEmulatorProject', 'Start-GanEmulator', 'Stop-GanEmulator')
        $data.PrivateData.PSData.LicenseUri | Should -Match '^https://.*LICENSE$'
        Join-Path (Split-Path $EmulatorModule) 'LICENSE' | Should -Exist
    }

    It 'has a CHANGELOG entry for its version' {
        Get-Content (Join-Path $RepoRoot 'CHANGELOG.md') -Raw | Should -Match '## 0\.1\.0'
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $Command = Get-Command $Name
        $help = Get-Help $Name -Full
        $common = @([Management.Automation.Cmdlet]::CommonParameters) + 'UseTransaction'
        $public = @($Command.Parameters.Values | Where-Object {
                $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] -and $_.DontShow }) })
    }

    It 'has a written synopsis and description, not the generated ones' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s"    # PowerShell's generated synopsis is the syntax
        ($help.description.Text -join ' ') | Should -Match '\w{4,}.*\.'
    }

    It 'has at least two examples with code' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        $help.examples.example | ForEach-Object { $_.code | Should -Match $Name.Split('-')[1].Substring(0, 3) }
    }

    It 'describes every public parameter, with the pipeline and wildcard facts of the cmdlet' {
        foreach ($parameter in $public) {
            $entry = $help.parameters.parameter | Where-Object name -EQ $parameter.Name
            $entry | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) ($($parameter.GetType().Name)) of $Name needs help"
            ($entry.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name needs a description"
            $attributes = @($parameter.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] })
            $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
            $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
            $entry.pipelineInput -match 'ByValue' | Should -Be $byValue -Because "-$($parameter.Name) of $Name"
            $entry.pipelineInput -match 'ByPropertyName' | Should -Be $byName -Because "-$($parameter.Name) of $Name"
            $entry.globbing -eq 'true' | Should -Be ([bool]($parameter.Attributes | Where-Object { $_ -is [Management.Automation.SupportsWildcardsAttribute] }))
        }
    }

    It 'names its input and output types' {
        $help.inputTypes.inputType.type.name | Should -Not -BeNullOrEmpty
        $help.returnValues.returnValue.type.name | Should -Not -BeNullOrEmpty
        foreach ($declared in @($Command.OutputType | Where-Object { $_.Name -ne 'System.Void' } | ForEach-Object Name)) { $help.returnValues.returnValue.type.name | Should -Contain $declared }
    }
}

Describe 'about_GanAi' {
    It 'explains connecting, tags and unique_id, batching, the journal, the delivery semantics and the emulator' {
        $text = Get-Help about_GanAi | Out-String
        foreach ($heading in 'CONNECTING', 'TAGS AND UNIQUE_ID', 'BATCHING', 'THE JOURNAL', 'RETRIES AND DELIVERY SEMANTICS', 'THE EMULATOR') {
            $text | Should -Match $heading
        }
    }

    It 'about_GanAi_Testing explains mocks with typed fakes, fake errors and the emulator''s faults' {
        $text = Get-Help about_GanAi_Testing | Out-String
        foreach ($heading in 'INSTALLING', 'MOCK-ONLY TESTS', 'TYPED FAKES', 'FAKE ERRORS', 'TESTS AGAINST THE EMULATOR') {
            $text | Should -Match $heading
        }
        # Every command it names exists.
        $named = @([regex]::Matches($text, '\b[A-Z][a-z]+-Gan[A-Za-z]+\b').Value | Sort-Object -Unique)
        $named | Should -Contain 'Register-GanEmulatorVideo'
        foreach ($name in $named) {
            Get-Command $name -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "about_GanAi_Testing names $name"
        }
    }
}

Describe 'Default views' {
    It 'shows <Type> as a table of <Columns>' -ForEach @(
        @{ Type = 'GanAi.VideoResult'; Columns = @('UniqueId', 'Dup', 'InferenceId', 'VideoUrl') }
        @{ Type = 'GanAi.VideoStatus'; Columns = @('UniqueId', 'GenStatus', 'Error', 'VideoUrl') }
        @{ Type = 'GanAi.GanProject'; Columns = @('ProjectId', 'Title', 'Type', 'Status', 'Tags', 'Credits') }
        @{ Type = 'GanAi.GanConnection'; Columns = @('BaseUri', 'TokenSource', 'ConnectedAt') }
    ) {
        $view = (Get-FormatData -TypeName $Type).FormatViewDefinition | Where-Object { $_.Control -is [Management.Automation.TableControl] }
        $view | Should -Not -BeNullOrEmpty
        $view.Control.Headers.Label | Should -Be $Columns
    }

    It 'shows each output type as a readable list of its properties' {
        $emulator = Start-GanEmulator -ArgumentList '--render-seconds', '0.2'
        try {
            $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru
            $result = [pscustomobject]@{ unique_id = 'list-1'; names = 'Ann' } | New-GanVideoBatch -ProjectId demo -Connection $connection
            $status = $result | Wait-GanVideo -Connection $connection -PollIntervalSec 0.1
            $project = Get-GanProject -Connection $connection
            $list = $result | Format-List | Out-String
            foreach ($line in 'UniqueId\s+: list-1', 'PossibleDuplicate\s+: False', 'RowNumber\s+: 1', 'names\s+: Ann') { $list | Should -Match $line }
            ($status | Format-List | Out-String) | Should -Match 'GenStatus\s+: Succeeded'
            ($project | Format-List | Out-String) | Should -Match 'Tags\s+: \{names\}'
            ($connection | Format-List | Out-String) | Should -Not -Match 'emulator-token'
        }
        finally {
            Stop-GanEmulator $emulator
        }
    }
}
