BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # A distinctive token, to prove it never appears in any output.
    $script:secretText = 'tok-S3CRET-' + [guid]::NewGuid().ToString('N')
    $script:emulator = Start-GanEmulator -Token $secretText
}

AfterAll {
    Disconnect-GanAi
    Remove-Item Env:GANAI_API_TOKEN, Env:GANAI_BASE_URI -ErrorAction SilentlyContinue
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Connect-GanAi' {
    AfterEach {
        Remove-Item Env:GANAI_API_TOKEN, Env:GANAI_BASE_URI -ErrorAction SilentlyContinue
    }

    It 'returns with -PassThru a connection that never shows the token' {
        $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru
        $connection | Should -BeOfType ([GanAi.GanConnection])
        $connection.BaseUri | Should -Be $emulator.BaseUri
        $shown = @(
            $connection.ToString()
            $connection | Format-List * | Out-String
            $connection | Format-Table | Out-String
            $connection | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
            $connection | Export-Clixml -Path (Join-Path $TestDrive 'c.xml') -Depth 5; Get-Content (Join-Path $TestDrive 'c.xml') -Raw
        ) -join "`n"
        $shown | Should -Not -Match ([regex]::Escape($secretText))
        $connection.PSObject.Properties.Name | Should -Not -Contain 'Token'
    }

    It 'reads the token from GANAI_API_TOKEN and the address from GANAI_BASE_URI' {
        $env:GANAI_API_TOKEN = $secretText
        $env:GANAI_BASE_URI = $emulator.BaseUri.ToString()
        $connection = Connect-GanAi -PassThru
        $connection.TokenSource | Should -Match 'GANAI_API_TOKEN'
        $result = [pscustomobject]@{ unique_id = 'env-1'; names = 'Ann' } | New-GanVideoBatch -ProjectId demo
        $result.UniqueId | Should -Be 'env-1'
    }

    It 'defaults to https://api.gan.ai' {
        (Connect-GanAi -Token (ConvertTo-TestSecureString 'x') -SkipTokenCheck -PassThru).BaseUri | Should -Be 'https://api.gan.ai/' # no request: tests reach no network
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }

    It 'fails with MissingToken when there is neither -Token nor GANAI_API_TOKEN' {
        { Connect-GanAi -BaseUri $emulator.BaseUri } | Should -Throw -ErrorId 'MissingToken,GanAi.Cmdlets.ConnectGanAiCommand'
    }

    It 'says on the host where it connected and how many projects it sees, and writes nothing to the output' {
        $output = @(Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -InformationVariable told)
        $output.Count | Should -Be 0
        $told.Count | Should -Be 1
        $told[0].Tags | Should -Contain 'PSHOST' # as Write-Host's
        "$($told[0].MessageData)" | Should -Be "Connected to $($emulator.BaseUri) with the token from the -Token parameter: the service accepted it; 1 project(s)."
        $passed = @(Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru -InformationAction Ignore)
        $passed.Count | Should -Be 1
        $passed[0] | Should -BeOfType ([GanAi.GanConnection])
        # Shown with the default preferences ($InformationPreference SilentlyContinue), as Write-Host is.
        $env:GANAI_API_TOKEN = $secretText
        $said = & (Get-TestPwsh) -NoProfile -NonInteractive -Command "Import-Module '$ModuleManifest'; `$c = Connect-GanAi -BaseUri '$($emulator.BaseUri)'; 'output: ' + @(`$c).Count" 2>&1 | Out-String
        $said | Should -Match "Connected to $([regex]::Escape($emulator.BaseUri)) with the token from the environment variable GANAI_API_TOKEN: the service accepted it; 1 project\(s\)\."
        $said | Should -Match 'output: 0'
        $said | Should -Not -Match ([regex]::Escape($secretText))
    }

    It 'refuses the token as text, saying how to pass a SecureString and never repeating the text (<Case>)' -ForEach @(
        @{ Case = 'by name'; Call = { param($Text, $Uri) Connect-GanAi -BaseUri $Uri -Token $Text } }
        @{ Case = 'by position'; Call = { param($Text, $Uri) Connect-GanAi $Text -BaseUri $Uri } }
        @{ Case = 'from a property, as a secret store''s plain value'; Call = { param($Text, $Uri) $value = [pscustomobject]@{ Secret = $Text }; Connect-GanAi -BaseUri $Uri -Token $value.Secret } }
    ) {
        Disconnect-GanAi
        $text = $secretText # the real token, as text: it must not come back in any message
        $caught = $null
        $shown = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            # $_ | Out-String: the record as the console shows it.
            try { & $Call $text $emulator.BaseUri } catch { Set-Variable caught $_ -Scope 1; $_ | Format-List * -Force | Out-String; $_.Exception.ToString(); $_ | Out-String }
        } *>&1 | ForEach-Object { $_ | Out-String; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); $_.TargetObject } }
        $caught.FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,GanAi.Cmdlets.ConnectGanAiCommand'
        $caught.Exception.Message | Should -Match 'takes a SecureString, not text'
        $caught.Exception.Message | Should -Match "Read-Host -AsSecureString"
        $caught.Exception.Message | Should -Match 'ConvertTo-SecureString .*-AsPlainText -Force'
        $caught.TargetObject | Should -BeNullOrEmpty
        ($shown -join "`n") | Should -Not -Match ([regex]::Escape($text))
        ($Error | ForEach-Object { $_ | Out-String; "$($_.Exception)" }) -join "`n" | Should -Not -Match ([regex]::Escape($text))
        { Get-GanProject } | Should -Throw -ErrorId 'NotConnected,GanAi.Cmdlets.GetGanProjectCommand' # nothing was connected
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -InformationAction Ignore
    }

    It 'refuses plain http:// to a host that is not loopback' {
        $caught = $null
        try { Connect-GanAi -BaseUri 'http://api.gan.ai' -Token (ConvertTo-TestSecureString 'x') } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidBaseUri,*'
        $caught.Exception.Message | Should -Match 'unencrypted'
    }

    It 'lets two connections be used at once with -Connection' {
        $second = Start-GanEmulator -Token 'second-token'
        try {
            $one = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru
            $two = Connect-GanAi -BaseUri $second.BaseUri -Token $second.Token -PassThru
            Disconnect-GanAi
            $a = [pscustomobject]@{ unique_id = 'on-one'; names = 'A' } | New-GanVideoBatch -ProjectId demo -Connection $one
            $b = [pscustomobject]@{ unique_id = 'on-two'; names = 'B' } | New-GanVideoBatch -ProjectId demo -Connection $two
            $a.VideoUrl | Should -BeLike "$($emulator.BaseUri)*"
            $b.VideoUrl | Should -BeLike "$($second.BaseUri)*"
            (Get-GanEmulatorCreatedId $second).uniqueId | Should -Be 'on-two'
        }
        finally {
            Stop-GanEmulator $second
        }
    }

    It 'works from ForEach-Object -Parallel with -Connection' {
        $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -PassThru
        $manifest = $ModuleManifest
        $results = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $worker = $_
            1..5 | ForEach-Object { [pscustomobject]@{ unique_id = "par-$worker-$_"; names = 'x' } } |
                New-GanVideoBatch -ProjectId demo -Connection $using:connection
        }
        @($results).Count | Should -Be 20
        @($results.UniqueId | Sort-Object -Unique).Count | Should -Be 20
    }

    It 'never writes the token to any stream, on success or on error' {
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token -Verbose 4>&1 | Out-String | Should -Not -Match ([regex]::Escape($secretText))
        $everything = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'
            [pscustomobject]@{ unique_id = 'ok-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo -Verbose -Debug
            try { [pscustomobject]@{ unique_id = 'ok-2' } | New-GanVideoBatch -ProjectId acme-missing -SkipPreflight -Verbose -Debug -ErrorAction Continue } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            # -Debug on a compiled cmdlet also makes warnings ask (Inquire); -WarningAction keeps this run non-interactive.
            try { [pscustomobject]@{ unique_id = 'ok-3' } | New-GanVideoBatch -ProjectId acme-missing -Verbose -Debug -ErrorAction Continue -WarningAction Continue } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            try { [pscustomobject]@{ unique_id = 'x' } | New-GanVideoBatch -ProjectId demo -Connection (Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString "$secretText-wrong") -SkipTokenCheck -PassThru) -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
        } *>&1 | Out-String
        $everything | Should -Match 'ok-1'
        $everything | Should -Match 'Project not found'
        $everything | Should -Match "no project 'acme-missing'"
        $everything | Should -Not -Match ([regex]::Escape($secretText))
    }

    It 'never writes the token on the 422, 429, 5xx and timeout paths either' {
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        $paths = @(
            @{ fault = @{}; row = [pscustomobject]@{ unique_id = 'v422' } }
            @{ fault = @{ rateLimit = 1 }; row = [pscustomobject]@{ unique_id = 'v429'; names = 'x' } }
            @{ fault = @{ errorRate = 1 }; row = [pscustomobject]@{ unique_id = 'v5xx'; names = 'x' } }
            @{ fault = @{ latencyMs = 5000 }; row = [pscustomobject]@{ unique_id = 'vtimeout'; names = 'x' } }
        )
        $everything = foreach ($path in $paths) {
            Set-GanEmulatorFault $emulator $path.fault | Out-Null
            & {
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $WarningPreference = 'Continue'
                try {
                    $path.row, [pscustomobject]@{ unique_id = "$($path.row.unique_id)-2"; names = 'y' } |
                        New-GanVideoBatch -ProjectId demo -MaxRetries 1 -TimeoutSec 1 -BatchSize 1 -SkipPreflight -Verbose -Debug -ErrorAction Continue
                }
                catch { $_ } # the timeouts end the run (ServiceNotAnswering): its terminating error is checked too
            } *>&1 | ForEach-Object { $_ | Out-String; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString() } }
        }
        Set-GanEmulatorFault $emulator @{} | Out-Null
        $text = $everything -join "`n"
        $text | Should -Match 'names: Field required'
        $text | Should -Match '429'
        $text | Should -Match '50[023]'
        $text | Should -Match 'time limit'
        $text | Should -Not -Match ([regex]::Escape($secretText))
    }

    It 'never writes the token from the other cmdlets either, on success or on error' {
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        $folder = Join-Path $TestDrive 'leak'
        $everything = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $WarningPreference = 'Continue'
            Get-GanProject -Verbose -Debug | Format-List * -Force | Out-String
            Get-GanProject -ProjectId nope -Verbose -Debug -ErrorAction Continue
            $results = [pscustomobject]@{ unique_id = 'leak-1'; names = 'x' } | New-GanVideoBatch -ProjectId demo
            $results | Get-GanVideoStatus -Verbose -Debug | Format-List * -Force | Out-String
            [pscustomobject]@{ ProjectId = 'demo'; InferenceId = 'missing' } | Get-GanVideoStatus -Verbose -Debug -ErrorAction Continue
            $results | Wait-GanVideo -PollIntervalSec 0.5 -Verbose -Debug | Save-GanVideo -Path $folder -Verbose -Debug | Format-List * -Force | Out-String
            New-GanToken -Name leak -ExpiresIn (New-TimeSpan -Hours 1) -Verbose -Debug -Confirm:$false | Format-List * -Force | Out-String
            Set-GanWebhook -ProjectId ghost -Disable -Verbose -Debug -Confirm:$false -ErrorAction Continue
            try { Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString "$secretText-wrong") } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            $bad = Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString "$secretText-wrong") -SkipTokenCheck -PassThru
            Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
            try { Get-GanProject -Connection $bad -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            try { $results | Get-GanVideoStatus -Connection $bad -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
        } *>&1 | ForEach-Object { $_ | Out-String; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString() } }
        $text = $everything -join "`n"
        $text | Should -Match 'leak-1'
        $text | Should -Match 'VideoNotFound|Inference not found'
        $text | Should -Match 'TokenRefused|Could not validate credentials'
        $text | Should -Not -Match ([regex]::Escape($secretText))
        Get-ChildItem -LiteralPath $folder -File | ForEach-Object { [IO.File]::ReadAllText($_.FullName) | Should -Not -Match ([regex]::Escape($secretText)) }
    }

    It 'escapes -ProjectId so a crafted id cannot reach another project' {
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        # The request itself (no pre-flight to catch the id first): the service answers 404 for the whole id.
        { [pscustomobject]@{ unique_id = 'crafted'; names = 'x' } | New-GanVideoBatch -ProjectId 'x&project_id=demo' -SkipPreflight -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ProjectNotFound,GanAi.Cmdlets.NewGanVideoBatchCommand'
        @(Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object uniqueId -EQ 'crafted').Count | Should -Be 0
    }
}

Describe 'Disconnect-GanAi' {
    It 'forgets the connection, so API cmdlets ask for Connect-GanAi again' {
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
        Disconnect-GanAi
        { [pscustomobject]@{ unique_id = 'x'; names = 'y' } | New-GanVideoBatch -ProjectId demo } |
            Should -Throw -ErrorId 'NotConnected,GanAi.Cmdlets.NewGanVideoBatchCommand'
    }
}
