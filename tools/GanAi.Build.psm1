# What build.ps1 and the tests share: packaging the modules, and running PowerShell in a clean profile.

# The PowerShell running this script, as a command that takes -Command { script block }. Under
# `dotnet pwsh` the process is dotnet, so the launcher beside pwsh.dll is used: the dotnet tool
# package's unix launcher is built for Linux x64 only, so elsewhere a pwsh on the PATH is.
function Get-PwshPath {
    $launchers = if ($IsWindows) { 'pwsh.exe' }
    elseif ($IsLinux -and [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64') { 'pwsh' }
    else { @() }
    foreach ($name in $launchers) {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path $candidate -PathType Leaf) { return $candidate }
    }
    $processPath = [Environment]::ProcessPath # a pwsh of its own (not dotnet) is this very launcher
    if ($processPath -and [IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'pwsh') { return $processPath }
    $onPath = Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    throw "No pwsh launcher for this system was found beside $PSHOME nor on the PATH: install PowerShell 7, or run on Linux x64 or Windows."
}

# The module folder's layout, after `dotnet publish` of GanAi (netstandard2.0) into $ModuleFolder, of
# GanAi.Core's net8.0 build into $Net8Folder and of GanAi.Isolation (net8.0) into $IsolationFolder.
# Dependency isolation (src/GanAi/ModuleInitializer.cs): everything but the cmdlets (GanAi.dll), the
# public types (GanAi.Models.dll), the manifests and the 5.1 guard goes to dependencies/, where PowerShell does not
# probe and the module loads it from itself; Windows PowerShell 5.1 loads the netstandard2.0 core from
# there. The net8.0 core, what it needs that .NET 8 does not carry, and the load context itself
# (GanAi.Isolation.dll) go to dependencies/net8.0, which only PowerShell 7 loads from.
function Set-GanModuleLayout([string] $ModuleFolder, [string] $Net8Folder, [string] $IsolationFolder) {
    # PowerShell supplies System.Management.Automation; a copy in the module folder would shadow it.
    # A deps.json is an application's: PowerShell resolves a module's assemblies itself.
    Get-ChildItem $ModuleFolder -Filter 'System.Management.Automation*.dll' | Remove-Item
    Get-ChildItem $ModuleFolder, $Net8Folder -Filter '*.deps.json' | Remove-Item
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $ModuleFolder 'dependencies')
    Get-ChildItem $ModuleFolder -File | Where-Object { $_.Extension -in '.dll', '.pdb', '.xml' -and $_.BaseName -notin 'GanAi', 'GanAi.Models' } |
        Move-Item -Destination $dependencies.FullName
    # The public types stay the module folder's one copy (PowerShell 7 shares it with the net8.0 core).
    Get-ChildItem $Net8Folder -File | Where-Object BaseName -EQ 'GanAi.Models' | Remove-Item
    $net8 = New-Item -ItemType Directory -Force (Join-Path $dependencies 'net8.0')
    Get-ChildItem $Net8Folder -File | Where-Object Extension -In '.dll', '.pdb', '.xml' | Move-Item -Destination $net8.FullName -Force
    # Of the isolation's publish, its own files only: GanAi.dll and the rest are the module folder's.
    Get-ChildItem $IsolationFolder -File | Where-Object { $_.BaseName -eq 'GanAi.Isolation' -and $_.Extension -in '.dll', '.pdb', '.xml' } |
        Move-Item -Destination $net8.FullName -Force
    Remove-Item -Recurse -Force $Net8Folder, $IsolationFolder
}

# Runs $Script with HOME (and the Windows profile folders) pointing into $ProfileRoot, so the
# PowerShell processes it starts see no module, repository or setting of the user's: a clean scope.
function Invoke-InCleanProfile([string] $ProfileRoot, [scriptblock] $Script) {
    $saved = @{}
    foreach ($name in 'HOME', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, (New-Item -ItemType Directory -Force (Join-Path $ProfileRoot $name)).FullName)
    }
    # Where .NET, PowerShell and PSResourceGet keep data and settings on Linux when these are set:
    # unset, they follow HOME into the clean profile.
    foreach ($name in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    try { & $Script }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# Publishes module folders, in order (a module before the ones that require it), as .nupkg files to
# the folder repository $Destination, with PSResourceGet in a new process and a clean profile.
function Publish-GanPackage([string[]] $ModuleFolder, [string] $Destination, [string] $ProfileRoot) {
    New-Item -ItemType Directory -Force $Destination | Out-Null
    Invoke-InCleanProfile $ProfileRoot {
        & (Get-PwshPath) -NoProfile -NonInteractive -Command {
            param($folders, $repository, $workFolder)
            $ErrorActionPreference = 'Stop'
            # Publish-PSResource writes NuGet/NuGet.Config into the current directory: not the caller's.
            [Environment]::CurrentDirectory = $workFolder
            # Publish-PSResource checks each manifest (Test-ModuleManifest): a required module must be found.
            $env:PSModulePath = @(@($folders | Split-Path | Select-Object -Unique) + $env:PSModulePath) -join [IO.Path]::PathSeparator
            Register-PSResourceRepository -Name GanAiBuild -Uri $repository -Trusted
            foreach ($folder in $folders) { Publish-PSResource -Path $folder -Repository GanAiBuild }
        } -args $ModuleFolder, (Resolve-Path $Destination).Path, (New-Item -ItemType Directory -Force (Join-Path $ProfileRoot 'publish')).FullName
        if ($LASTEXITCODE -ne 0) { throw 'Publish-PSResource failed (see above).' }
    }
}

# The NuGet packages the tests need beside the build, restored once into $ToolsFolder/packages:
# Pester (each version; the package test runs the shipped examples under every one, since users
# have either) and another Polly.Core for the isolation tests. Pester comes from NuGet, pinned, by
# a project that only downloads it. Returns the first Pester's manifest.
function Restore-GanTestTool([string] $ToolsFolder, [string[]] $PesterVersion, [string] $PollyVersion) {
    $packages = Join-Path $ToolsFolder 'packages'
    $manifests = @($PesterVersion | ForEach-Object { Join-Path $packages "pester/$_/tools/Pester.psd1" })
    $otherPolly = Join-Path $packages "polly.core/$PollyVersion/lib/net6.0/Polly.Core.dll"
    if (@($manifests + $otherPolly | Where-Object { -not (Test-Path $_) }).Count -eq 0) { return $manifests[0] }

    $restoreFolder = New-Item -ItemType Directory -Force -Path (Join-Path $ToolsFolder 'restore')
    $project = Join-Path $restoreFolder 'tools.csproj'
    Set-Content -Path $project -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="$(($PesterVersion | ForEach-Object { "[$_]" }) -join ';')" />
    <PackageDownload Include="Polly.Core" Version="[$PollyVersion]" />
  </ItemGroup>
</Project>
"@
    & dotnet restore $project --packages $packages --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore $project failed with exit code $LASTEXITCODE." }
    foreach ($restored in $manifests + $otherPolly) { if (-not (Test-Path $restored)) { throw "The test tools were restored, but $restored is missing." } }
    $manifests[0]
}

Export-ModuleMember -Function Get-PwshPath, Invoke-InCleanProfile, Publish-GanPackage, Restore-GanTestTool, Set-GanModuleLayout
