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
    FormatsToProcess     = @('GanAi.format.ps1xml')
    CmdletsToExport      = @('Connect-GanAi', 'Disconnect-GanAi', 'New-GanVideoBatch', 'Get-GanProject', 'Get-GanVideoStatus', 'Wait-GanVideo', 'Save-GanVideo', 'New-GanToken', 'Set-GanWebhook')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Gan.ai', 'GanAi', 'video', 'personalization', 'marketing', 'bulk', 'PSEdition_Core', 'PSEdition_Desktop')
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
