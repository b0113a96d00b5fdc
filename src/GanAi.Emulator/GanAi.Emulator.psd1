@{
    RootModule           = 'GanAi.Emulator.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '91c82ff5-8bcd-4801-af28-5f1185ba59c0'
    Author               = 'GanAi'
    CompanyName          = 'GanAi'
    Copyright            = '(c) GanAi. All rights reserved.'
    Description          = 'A local Gan.ai for testing scripts that use GanAi: Start-GanEmulator serves the documented API on a loopback port, with faults to inject (429 storms, 5xx, a revoked token, no credits left); New-GanErrorRecord makes the error records GanAi writes, for mocks.'
    # The server runs on .NET (the ASP.NET Core Runtime 8.0 or later); the functions use PowerShell 7.
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    # The error records and fakes are GanAi's own types, and -Connect uses Connect-GanAi.
    RequiredModules      = @(@{ ModuleName = 'GanAi'; ModuleVersion = '0.1.0' })
    FunctionsToExport    = @('Start-GanEmulator', 'Stop-GanEmulator', 'Set-GanEmulatorFault', 'Get-GanEmulatorStat', 'Get-GanEmulatorCreatedId',
        'Get-GanEmulatorVideo', 'Register-GanEmulatorVideo', 'Set-GanEmulatorProject', 'Reset-GanEmulator', 'New-GanErrorRecord')
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Gan.ai', 'GanAi', 'emulator', 'testing', 'Pester', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/ganai-dev/GanAi'
            LicenseUri   = 'https://github.com/ganai-dev/GanAi/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: the first release: the emulator server, its commands (start, stop, faults, counters, projects,
registered videos) and New-GanErrorRecord. Full list: CHANGELOG.md in the GanAi module folder.
'@
        }
    }
}
