# Signing in (Connect-GanAi -Credential), named tokens for scheduled jobs (New-GanToken) and webhooks (Set-GanWebhook).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:password = 'emulator-password'
    $script:emulator = Start-GanEmulator -ArgumentList '--project', 'demo:names', '--render-seconds', '0.5'
    $script:credential = [pscredential]::new('user@example.com', (ConvertTo-TestSecureString $password))
    $script:apiToken = 'emulator-token'

    # Invoke-RestMethod writes a JSON array as one object: ForEach-Object unrolls it.
    function Get-Token { Invoke-RestMethod -Uri ([uri]::new($emulator.BaseUri, '/_emulator/tokens')) | ForEach-Object { $_ } }
    function Get-WebhookCall { Invoke-RestMethod -Uri ([uri]::new($emulator.BaseUri, '/_emulator/webhook-sink')) | ForEach-Object { $_ } }
}

AfterAll {
    Disconnect-GanAi
    if ($emulator) { Stop-GanEmulator $emulator }
}

Describe 'Connect-GanAi -Credential' {
    It 'signs in with email and password and uses the access token it gets' {
        $connection = Connect-GanAi -BaseUri $emulator.BaseUri -Credential $credential -PassThru
        $connection.TokenSource | Should -Be 'signing in as user@example.com'
        @(Get-GanProject -Connection $connection).ProjectId | Should -Be @('demo')
    }

    It 'stops with SignInFailed when the password is wrong' {
        $wrong = [pscredential]::new('user@example.com', (ConvertTo-TestSecureString 'not-it'))
        { Connect-GanAi -BaseUri $emulator.BaseUri -Credential $wrong } | Should -Throw -ErrorId 'SignInFailed,GanAi.Cmdlets.ConnectGanAiCommand'
    }

    It 'never writes the password or the access token to any stream' {
        $everything = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $WarningPreference = 'Continue'
            Connect-GanAi -BaseUri $emulator.BaseUri -Credential $credential -PassThru -Verbose | Format-List * -Force
            try { Connect-GanAi -BaseUri $emulator.BaseUri -Credential ([pscredential]::new('user@example.com', (ConvertTo-TestSecureString "$password-x"))) -Verbose }
            catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
        } *>&1 | Out-String
        $everything | Should -Match 'SignInFailed|refused'
        $everything | Should -Not -Match ([regex]::Escape($password))
        $everything | Should -Not -Match 'gan-[0-9a-f]{48}' # the emulator's issued tokens
    }
}

Describe 'New-GanToken' {
    BeforeAll { Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString $apiToken) }

    It 'creates a named, expiring token, returned as a SecureString that works' {
        $token = New-GanToken -Name 'nightly-job' -ExpiresIn (New-TimeSpan -Days 2 -Hours 3 -Minutes 4)
        $token | Should -BeOfType ([securestring])
        $issued = Get-Token | Where-Object name -EQ 'nightly-job'
        ([datetimeoffset] $issued.expiresAt - [datetimeoffset]::UtcNow).TotalMinutes | Should -BeGreaterThan (2 * 1440 + 3 * 60 + 2)
        $job = Connect-GanAi -BaseUri $emulator.BaseUri -Token $token -PassThru
        Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString $apiToken)
        @(Get-GanProject -Connection $job).Count | Should -Be 1
    }

    It 'refuses a second valid token with the same name' {
        $null = New-GanToken -Name 'twice' -ExpiresIn (New-TimeSpan -Hours 1)
        { New-GanToken -Name 'twice' -ExpiresIn (New-TimeSpan -Hours 1) } | Should -Throw -ErrorId 'TokenNotCreated,GanAi.Cmdlets.NewGanTokenCommand'
    }

    It 'creates nothing with -WhatIf and refuses an expiry under a minute' {
        (Invoke-Bounded { New-GanToken -Name 'whatif' -ExpiresIn (New-TimeSpan -Days 1) -WhatIf }).Output | Should -BeNullOrEmpty
        Get-Token | Where-Object name -EQ 'whatif' | Should -BeNullOrEmpty
        $short = { New-GanToken -Name 'short' -ExpiresIn (New-TimeSpan -Seconds 10) } | Should -Throw -ErrorId 'InvalidExpiry,GanAi.Cmdlets.NewGanTokenCommand' -PassThru
        [GanAi.ErrorIds]::InvalidExpiry | Should -BeExactly 'InvalidExpiry' -Because 'scripts name every ErrorId through the public class'
        $short.CategoryInfo.Category | Should -Be ([GanAi.ErrorIds]::CategoryOf('InvalidExpiry'))
        $short.Exception.Message | Should -Not -Match '\(Parameter' 
    }
}

Describe 'Set-GanWebhook' {
    BeforeAll { Connect-GanAi -BaseUri $emulator.BaseUri -Token (ConvertTo-TestSecureString $apiToken) }
    BeforeEach { Reset-GanEmulator $emulator }

    It 'makes the service POST finished videos, keyed by unique_id, with the Authorization it was given' {
        $sink = [uri]::new($emulator.BaseUri, '/_emulator/webhook-sink')
        Set-GanWebhook -ProjectId demo -Uri $sink -WebhookToken (ConvertTo-TestSecureString 'hook-secret')
        $results = @(New-Rows 3 'hook' | New-GanVideoBatch -ProjectId demo)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ((Get-WebhookCall | ForEach-Object { $_.body.PSObject.Properties.Name }).Count -lt 3 -and $clock.Elapsed.TotalSeconds -lt 15) { Start-Sleep -Milliseconds 200 }
        $calls = Get-WebhookCall
        $calls[0].authorization | Should -Be 'Bearer hook-secret'
        $items = @{}
        $calls | ForEach-Object { $_.body.PSObject.Properties | ForEach-Object { $items[$_.Name] = $_.Value } }
        ($items.Keys | Sort-Object) | Should -Be @('hook-1', 'hook-2', 'hook-3')
        foreach ($result in $results) {
            $items[$result.UniqueId].status | Should -BeTrue
            $items[$result.UniqueId].inference_id | Should -Be $result.InferenceId
            $items[$result.UniqueId].video_url | Should -Be $result.VideoUrl
        }
    }

    It 'turns the webhook off with -Disable' {
        Set-GanWebhook -ProjectId demo -Disable
        $null = New-Rows 2 'off' | New-GanVideoBatch -ProjectId demo
        Start-Sleep -Seconds 1.5 # three render times: the calls would have been made
        @(Get-WebhookCall).Count | Should -Be 0
    }

    It 'asks nothing of the service with -WhatIf, and refuses plain http to another host' {
        $before = (Get-GanEmulatorStat $emulator).requests
        (Invoke-Bounded { Set-GanWebhook -ProjectId demo -Uri 'https://hooks.example.com/gan' -WhatIf }).Errors | Should -BeNullOrEmpty
        (Get-GanEmulatorStat $emulator).requests | Should -Be $before
        Set-GanWebhook -ProjectId demo -Uri 'http://hooks.example.com/gan' -ErrorVariable hookErrors -ErrorAction SilentlyContinue
        $hookErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWebhookUri,*'
        (Get-GanEmulatorStat $emulator).requests | Should -Be $before
    }

    It 'gives ProjectNotFound for a project that does not exist' {
        Set-GanWebhook -ProjectId ghost -Disable -ErrorVariable hookErrors -ErrorAction SilentlyContinue
        $hookErrors[0].FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
    }
}
