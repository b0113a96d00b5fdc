<#
.SYNOPSIS
Compiles the cmdlets' help (MAML, GanAi.dll-Help.xml) from the markdown pages in docs/cmdlets.

.DESCRIPTION
The text comes from docs/cmdlets/<Cmdlet>.md (and _CommonParameters.md for parameters several
cmdlets share); the facts (types, positions, defaults, pipeline input, wildcards) come from the
built cmdlets, so they cannot drift. It fails when a cmdlet has no page, no synopsis or
description, fewer than two examples, no inputs or outputs, or a public parameter without a
description, or when a page documents a parameter the cmdlet does not have. build.ps1 runs it in a
process of its own (it imports the module it documents).

.EXAMPLE
pwsh -NoProfile -File tools/Build-GanHelp.ps1 -ModuleManifest out/GanAi/GanAi.psd1 -CmdletDocs docs/cmdlets -OutputFolder out/GanAi/en-US
#>
[CmdletBinding()]
param(
    # The module whose cmdlets are documented.
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # The folder of the markdown pages, one per cmdlet.
    [Parameter(Mandatory)] [string] $CmdletDocs,
    # Where GanAi.dll-Help.xml is written.
    [Parameter(Mandatory)] [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = Import-Module $ModuleManifest -PassThru

# A page: "## SECTION" blocks; "### name" sub-blocks; paragraphs split on blank lines; ```code``` kept.
function Read-Page([string] $path) {
    $page = @{ Sections = [ordered]@{} }
    $section = $null; $sub = $null
    foreach ($line in Get-Content -LiteralPath $path) {
        if ($line -match '^## (.+)$') { $section = $Matches[1].Trim(); $sub = $null; $page.Sections[$section] = [ordered]@{ '' = [Collections.Generic.List[string]]::new() }; continue }
        if ($line -match '^### (.+)$' -and $section) { $sub = $Matches[1].Trim(); $page.Sections[$section][$sub] = [Collections.Generic.List[string]]::new(); continue }
        if ($section) { $page.Sections[$section][$(if ($sub) { $sub } else { '' })].Add($line) }
    }
    $page
}
function Get-Paragraphs($lines) {
    $text = ($lines -join "`n").Trim()
    if (-not $text) { return @() }
    @($text -split "`n\s*`n" | ForEach-Object { ($_ -split "`n" | ForEach-Object Trim) -join ' ' } | Where-Object { $_ })
}
function Split-Example($lines) {
    $text = $lines -join "`n"
    if ($text -notmatch '(?s)```powershell\s*\n(.*?)\n```(.*)$') { return $null }
    @{ Code = $Matches[1].TrimEnd(); Remarks = @(Get-Paragraphs ($Matches[2] -split "`n")) }
}

$common = (Read-Page (Join-Path $CmdletDocs '_CommonParameters.md')).Sections['PARAMETERS']
$commonNames = @([Management.Automation.Cmdlet]::CommonParameters) + 'UseTransaction' # -WhatIf and -Confirm are documented
$problems = [Collections.Generic.List[string]]::new()
$ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
# A line feed on every system, so the file (and its golden copy's test) does not depend on where it is built.
$settings = [Xml.XmlWriterSettings]::new(); $settings.Indent = $true; $settings.Encoding = [Text.UTF8Encoding]::new($false); $settings.NewLineChars = "`n"
# Written under a temporary name and moved into place only when complete: incomplete help never ships.
$helpFile = Join-Path $OutputFolder 'GanAi.dll-Help.xml'
$writer = [Xml.XmlWriter]::Create("$helpFile.partial", $settings)
function Para([string[]] $paragraphs) { foreach ($p in $paragraphs) { $writer.WriteElementString('maml', 'para', $ns.maml, $p) } }
function Described([string] $element, [string] $prefix, [string[]] $paragraphs) {
    $writer.WriteStartElement($prefix, $element, $ns[$prefix]); Para $paragraphs; $writer.WriteEndElement()
}

$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh'); $writer.WriteAttributeString('schema', 'maml')
foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $path = Join-Path $CmdletDocs "$($command.Name).md"
    if (-not (Test-Path $path)) { $problems.Add("$($command.Name): no page docs/cmdlets/$($command.Name).md"); continue }
    $page = Read-Page $path
    $section = { param($name) if ($page.Sections.Contains($name)) { $page.Sections[$name] } else { $null } }
    $lead = { param($name) $found = & $section $name; if ($found) { $found[''] } else { @() } } # the text right under "## name"
    $synopsis = @(Get-Paragraphs (& $lead 'SYNOPSIS'))
    $description = @(Get-Paragraphs (& $lead 'DESCRIPTION'))
    $examples = @(if (& $section 'EXAMPLES') { (& $section 'EXAMPLES').GetEnumerator() | Where-Object Key | ForEach-Object { $e = Split-Example $_.Value; if ($e) { $e.Title = $_.Key; $e } } })
    if (-not $synopsis) { $problems.Add("$($command.Name): no SYNOPSIS") }
    if (-not $description) { $problems.Add("$($command.Name): no DESCRIPTION") }
    if ($examples.Count -lt 2) { $problems.Add("$($command.Name): $($examples.Count) example(s); at least 2 are needed") }
    $documented = if (& $section 'PARAMETERS') { & $section 'PARAMETERS' } else { @{} }

    $parameters = @($command.Parameters.Values | Where-Object {
            $_.Name -notin $commonNames -and -not ($_.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] -and $_.DontShow }) })
    foreach ($name in @($documented.Keys | Where-Object { $_ })) {
        if ($name.TrimStart('-') -notin $parameters.Name) { $problems.Add("$($command.Name): documents $name, which it does not have") }
    }
    $help = @{}
    foreach ($parameter in $parameters) {
        $key = '-' + $parameter.Name
        $text = if ($documented.Contains($key)) { @(Get-Paragraphs $documented[$key]) } elseif ($common.Contains($key)) { @(Get-Paragraphs $common[$key]) } else { @() }
        if (-not $text) { $problems.Add("$($command.Name): parameter -$($parameter.Name) has no description") }
        $help[$parameter.Name] = $text
    }

    $defaults = [Activator]::CreateInstance($command.ImplementingType)
    $writer.WriteStartElement('command', 'command', $ns.command)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml); $writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $writer.WriteStartElement('command', 'details', $ns.command)
    $writer.WriteElementString('command', 'name', $ns.command, $command.Name)
    $writer.WriteElementString('command', 'verb', $ns.command, $command.Verb)
    $writer.WriteElementString('command', 'noun', $ns.command, $command.Noun)
    Described 'description' 'maml' $synopsis
    $writer.WriteEndElement()
    Described 'description' 'maml' $description

    # One parameter element, for a syntax item (in one set) or for the parameter list.
    $writeParameter = {
        param($parameter, $set, [bool] $withDefault)
        $meta = if ($set) { $parameter.ParameterSets[$set.Name] } else { @($parameter.ParameterSets.Values)[0] }
        $attributes = @($parameter.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] })
        $byValue = [bool]($attributes | Where-Object ValueFromPipeline); $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [Management.Automation.SupportsWildcardsAttribute] })
        $isSwitch = $parameter.ParameterType -eq [Management.Automation.SwitchParameter]
        $writer.WriteStartElement('command', 'parameter', $ns.command)
        $writer.WriteAttributeString('required', $meta.IsMandatory.ToString().ToLowerInvariant())
        $writer.WriteAttributeString('variableLength', $parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
        $writer.WriteAttributeString('globbing', $wildcards.ToString().ToLowerInvariant())
        $writer.WriteAttributeString('pipelineInput', $pipeline)
        $writer.WriteAttributeString('position', $(if ($meta.Position -ge 0) { [string] $meta.Position } else { 'named' }))
        $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
        $writer.WriteElementString('maml', 'name', $ns.maml, $parameter.Name)
        Described 'description' 'maml' $help[$parameter.Name]
        if (-not $isSwitch) {
            $writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $writer.WriteAttributeString('required', 'true'); $writer.WriteAttributeString('variableLength', $parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
            $writer.WriteString($parameter.ParameterType.Name); $writer.WriteEndElement()
        }
        $writer.WriteStartElement('dev', 'type', $ns.dev); $writer.WriteElementString('maml', 'name', $ns.maml, $parameter.ParameterType.FullName); $writer.WriteEndElement()
        if ($withDefault) {
            # The default is what a new instance of the cmdlet holds (e.g. BatchSize 100).
            $property = $defaults.PSObject.Properties[$parameter.Name]
            $value = if ($property) { $property.Value } else { $null }
            $shown = if ($isSwitch) { 'False' } elseif ($null -eq $value -or "$value" -eq '' -or "$value" -eq '0') { 'None' } else { "$value" }
            $writer.WriteElementString('dev', 'defaultValue', $ns.dev, $shown)
        }
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $writer.WriteElementString('maml', 'name', $ns.maml, $command.Name)
        foreach ($parameter in $parameters | Where-Object { $_.ParameterSets.ContainsKey($set.Name) -or $_.ParameterSets.ContainsKey('__AllParameterSets') }) {
            & $writeParameter $parameter $(if ($parameter.ParameterSets.ContainsKey($set.Name)) { $set } else { $null }) $false
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameter in $parameters) { & $writeParameter $parameter $null $true }
    $writer.WriteEndElement()

    foreach ($kind in @(@{ Section = 'INPUTS'; Outer = 'inputTypes'; Inner = 'inputType' }, @{ Section = 'OUTPUTS'; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $items = & $section $kind.Section
        $named = @(if ($items) { $items.GetEnumerator() | Where-Object Key })
        if (-not $named) { $problems.Add("$($command.Name): no $($kind.Section)") }
        $writer.WriteStartElement('command', $kind.Outer, $ns.command)
        foreach ($item in $named) {
            $writer.WriteStartElement('command', $kind.Inner, $ns.command)
            $writer.WriteStartElement('dev', 'type', $ns.dev); $writer.WriteElementString('maml', 'name', $ns.maml, $item.Key); $writer.WriteEndElement()
            Described 'description' 'maml' @(Get-Paragraphs $item.Value)
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }

    $notes = @(Get-Paragraphs (& $lead 'NOTES'))
    if ($notes) { $writer.WriteStartElement('maml', 'alertSet', $ns.maml); $writer.WriteStartElement('maml', 'alert', $ns.maml); Para $notes; $writer.WriteEndElement(); $writer.WriteEndElement() }

    $writer.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in $examples) {
        $number++
        $writer.WriteStartElement('command', 'example', $ns.command)
        $writer.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Title) --------------------------")
        $writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        Described 'remarks' 'dev' $example.Remarks
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @('about_GanAi') + @((& $lead 'RELATED LINKS') | Where-Object { $_ -match '^- (.+)$' } | ForEach-Object { $Matches[1].Trim() })) {
        $writer.WriteStartElement('maml', 'navigationLink', $ns.maml); $writer.WriteElementString('maml', 'linkText', $ns.maml, $link); $writer.WriteElementString('maml', 'uri', $ns.maml, ''); $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement() # command
}
$writer.WriteEndElement(); $writer.WriteEndDocument(); $writer.Dispose()
if ($problems.Count) {
    Remove-Item -LiteralPath "$helpFile.partial"
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
Move-Item -LiteralPath "$helpFile.partial" -Destination $helpFile -Force
