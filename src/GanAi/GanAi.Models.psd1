# GanAi's public types (GanAi.Models.dll) with their type data and default views: a nested module of
# GanAi.psd1, so that it loads after the guard (GanAi.Requirements.psm1) and before the cmdlets.
# The type data names VideoResult and its adapter, so the assembly must load before it: a manifest
# loads RequiredAssemblies first.
@{
    ModuleVersion      = '0.1.0'
    GUID               = '0d6a1f53-8a43-4c7e-9f7d-5b2e7c1a9e64'
    Author             = 'GanAi'
    Description        = 'The public types of the GanAi module (a nested module of GanAi.psd1).'
    RequiredAssemblies = @('GanAi.Models.dll')
    TypesToProcess     = @('GanAi.types.ps1xml')
    FormatsToProcess   = @('GanAi.format.ps1xml')
    CmdletsToExport    = @()
    FunctionsToExport  = @()
    AliasesToExport    = @()
    VariablesToExport  = @()
}
