# What build.ps1 and the tests share: packaging the modules, and running PowerShell in a clean profile.

# The PowerShell running this script, as a command that takes -Command { script block } (under
# `dotnet pwsh` the process is dotnet, so the apphost beside pwsh.dll is used).
function Get-PwshPath {
    foreach ($name in 'pwsh.exe', 'pwsh') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path $candidate -PathType Leaf) { return $candidate }
    }
    (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
}

# Runs $Script with HOME (and the Windows profile folders) pointing into $ProfileRoot, so the
# PowerShell processes it starts see no module, repository or setting of the user's: a clean scope.
function Invoke-InCleanProfile([string] $ProfileRoot, [scriptblock] $Script) {
    $saved = @{}
    foreach ($name in 'HOME', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, (New-Item -ItemType Directory -Force (Join-Path $ProfileRoot $name)).FullName)
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
            param($folders, $repository)
            $ErrorActionPreference = 'Stop'
            # Publish-PSResource checks each manifest (Test-ModuleManifest): a required module must be found.
            $env:PSModulePath = @(@($folders | Split-Path | Select-Object -Unique) + $env:PSModulePath) -join [IO.Path]::PathSeparator
            Register-PSResourceRepository -Name GanAiBuild -Uri $repository -Trusted
            foreach ($folder in $folders) { Publish-PSResource -Path $folder -Repository GanAiBuild }
        } -args $ModuleFolder, (Resolve-Path $Destination).Path
        if ($LASTEXITCODE -ne 0) { throw 'Publish-PSResource failed (see above).' }
    }
}

Export-ModuleMember -Function Get-PwshPath, Invoke-InCleanProfile, Publish-GanPackage
