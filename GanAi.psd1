@{
    RootModule           = 'GanAi.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b0f4f8e-3c1a-4d55-9a57-2f0d6c9e8b41'
    Author               = 'GanAi'
    CompanyName          = 'GanAi'
    Copyright            = '(c) GanAi. All rights reserved.'
    Description          = 'Personalized videos at scale with Gan.ai: pipe rows (Import-Csv) into New-GanVideoBatch and get one video per row, batched, concurrent and resilient.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # The public types (results, statuses, projects): loaded at import, so [GanAi.VideoResult] resolves at once.
    RequiredAssemblies   = @('GanAi.Models.dll')
    # Types: VideoResult shows its tags as properties (an adapter in GanAi.dll). Formats: the default views.
    TypesToProcess       = @('GanAi.types.ps1xml')
    FormatsToProcess     = @('GanAi.format.ps1xml')
    CmdletsToExport      = @('Connect-GanAi', 'Disconnect-GanAi', 'New-GanVideoBatch', 'Get-GanProject', 'Get-GanVideoStatus', 'Wait-GanVideo', 'Save-GanVideo', 'New-GanToken', 'Set-GanWebhook')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Gan.ai', 'GanAi', 'video', 'personalization', 'marketing', 'bulk', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # The project's public home (docs/installing.md, "From a package"); the licence ships as LICENSE beside the module.
            ProjectUri   = 'https://github.com/ganai-dev/GanAi'
            LicenseUri   = 'https://github.com/ganai-dev/GanAi/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: the first release.
- New-GanVideoBatch: rows to videos through the bulk endpoint, batched, concurrent, resilient (Polly),
  at-least-once with PossibleDuplicate or at-most-once, a resumable journal, a pre-flight against the
  project's tags and credits.
- Get-GanProject, Get-GanVideoStatus, Wait-GanVideo, Save-GanVideo, New-GanToken, Set-GanWebhook,
  Connect-GanAi (-Token, -Credential, environment) and Disconnect-GanAi.
- Dependencies isolated in their own load context on PowerShell 7.
Full list: CHANGELOG.md in the module folder.
'@
        }
    }
}
