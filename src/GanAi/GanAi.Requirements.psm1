# The first of GanAi's nested modules: it runs before any of GanAi's code runs or its types are read. On Windows
# PowerShell 5.1 GanAi's assemblies need .NET Framework 4.7.1 or later (they target netstandard2.0,
# and an older framework has no netstandard.dll): there, using them fails with an error that says nothing of
# why. This says what to install instead. PowerShell 7 needs nothing here.

# What keeps GanAi from loading on this PowerShell, or $null. Release: the .NET Framework 4.x
# setup's Release value (461308 is 4.7.1).
function Get-GanAiFrameworkProblem([string] $Edition, [Nullable[int]] $Release) {
    if ($Edition -ne 'Desktop') { return $null }
    if ($null -ne $Release -and $Release -ge 461308) { return $null }
    $found = if ($null -eq $Release) { 'no .NET Framework 4.5 or later' } else { ".NET Framework release $Release (before 4.7.1)" }
    "GanAi needs .NET Framework 4.7.1 or later on Windows PowerShell 5.1; this computer has $found. " +
    'Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework), or use PowerShell 7.4 or later.'
}

$release = if ($PSVersionTable.PSEdition -eq 'Desktop') {
    Get-ItemPropertyValue 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue
}
$problem = Get-GanAiFrameworkProblem $PSVersionTable.PSEdition $release
if ($problem) { throw $problem }

Export-ModuleMember -Function @()
