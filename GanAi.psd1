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
    # Windows PowerShell 5.1 loads GanAi's assemblies (netstandard2.0) only on .NET Framework 4.7.1 or
    # later. 5.1 itself only logs a verbose line for a version above its own table, so the guard below
    # says it too.
    DotNetFrameworkVersion = '4.7.1'
    # Windows PowerShell loads a manifest's RequiredAssemblies, then its types and formats, then its
    # ScriptsToProcess, then its NestedModules. So the guard comes first of the nested modules (it ends
    # the import on a .NET Framework before 4.7.1, with what to install, before any GanAi code
    # runs), then GanAi.Models.psd1: the public types (results, statuses, projects, so
    # [GanAi.VideoResult] resolves at once) with their type data (VideoResult shows its tags as
    # properties) and default views, which need those types loaded. Remove-Module removes them all.
    NestedModules        = @('GanAi.Requirements.psm1', 'GanAi.Models.psd1')
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
