# Start and stop the local Gan.ai emulator from PowerShell: for demos, dry runs and tests.
# Shipped beside GanAi.Emulator.dll in out/GanAi.Emulator.

Set-StrictMode -Version Latest

function Start-GanEmulator {
    <#
    .SYNOPSIS
    Starts the GanAi emulator on a free loopback port and returns its address.
    .EXAMPLE
    $emulator = Start-GanEmulator -ArgumentList '--latency-ms', '50'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    #>
    [CmdletBinding()]
    param(
        # Extra emulator options, e.g. '--project', 'acme:first_name,company', '--shuffle'.
        [string[]] $ArgumentList = @(),
        # 0 picks a free port.
        [ValidateRange(0, 65535)] [int] $Port = 0,
        [string] $Token = 'emulator-token',
        [int] $TimeoutSec = 60
    )
    $dll = Join-Path $PSScriptRoot 'GanAi.Emulator.dll'
    if (-not (Test-Path $dll)) { throw "The emulator is not built: $dll is missing. Run ./build.ps1 Build." }
    $dotnet = (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $dotnet) { $dotnet = $env:DOTNET_HOST_PATH }
    if (-not $dotnet) { throw 'dotnet was not found on PATH.' }

    $work = Join-Path ([IO.Path]::GetTempPath()) ("ganai-emulator-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $portFile = Join-Path $work 'url.txt'
    $arguments = @($dll, '--urls', "http://127.0.0.1:$Port", '--port-file', $portFile, '--token', $Token) + $ArgumentList
    $process = Start-Process -FilePath $dotnet -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $work 'stdout.log') -RedirectStandardError (Join-Path $work 'stderr.log')

    $clock = [Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path $portFile)) {
        if ($process.HasExited) {
            $err = Get-Content (Join-Path $work 'stderr.log') -Raw -ErrorAction SilentlyContinue
            throw "The emulator exited with code $($process.ExitCode) before it was ready. $err"
        }
        if ($clock.Elapsed.TotalSeconds -gt $TimeoutSec) {
            $process.Kill()
            throw "The emulator was not ready within $TimeoutSec s."
        }
        Start-Sleep -Milliseconds 50
    }
    $secure = [securestring]::new()
    foreach ($c in $Token.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    [pscustomobject]@{
        PSTypeName = 'GanAi.EmulatorProcess'
        BaseUri    = [uri](Get-Content $portFile -Raw).Trim()
        Token      = $secure
        Process    = $process
        LogFolder  = $work
    }
}

function Stop-GanEmulator {
    <# .SYNOPSIS Stops an emulator started by Start-GanEmulator. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if (-not $Emulator.Process.HasExited) {
            $Emulator.Process.Kill()
            $Emulator.Process.WaitForExit(10000) | Out-Null
        }
        Remove-Item -Recurse -Force $Emulator.LogFolder -ErrorAction SilentlyContinue
    }
}

function Set-GanEmulatorFault {
    <#
    .SYNOPSIS Switches the emulator's faults while it runs (every fault not given goes back to off).
    .EXAMPLE Set-GanEmulatorFault $emulator @{ shuffle = $true; errorRate = 0.2 }
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [hashtable] $Fault = @{})
    Invoke-RestMethod -Method Put -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/faults')) -ContentType 'application/json' -Body ($Fault | ConvertTo-Json -Compress)
}

function Get-GanEmulatorStat {
    <# .SYNOPSIS Counters of the emulator: requests, bulk requests, media downloads, answers by status, rows created, ids created more than once. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/stats'))
}

function Get-GanEmulatorCreatedId {
    <# .SYNOPSIS Each unique_id the emulator created, with how many times. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [string] $ProjectId)
    $query = if ($ProjectId) { '?project_id=' + [uri]::EscapeDataString($ProjectId) } else { '' }
    $created = Invoke-RestMethod -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/created' + $query))
    $created # one object per id (Invoke-RestMethod writes a JSON array as one object)
}

function Get-GanEmulatorVideo {
    <# .SYNOPSIS The videos the emulator created, with the tag values it received. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [string] $ProjectId)
    $query = if ($ProjectId) { '?project_id=' + [uri]::EscapeDataString($ProjectId) } else { '' }
    $videos = Invoke-RestMethod -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/videos' + $query))
    $videos
}

function Set-GanEmulatorProject {
    <#
    .SYNOPSIS Adds a project to a running emulator, or replaces it (with fresh credits).
    .EXAMPLE Set-GanEmulatorProject $emulator -ProjectId small -Tag first_name, company -Credits 5
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ProjectId, [string[]] $Tag = @('names'), [long] $Credits = 1000000)
    $body = @{ tags = @($Tag); credits = $Credits } | ConvertTo-Json -Compress
    Invoke-RestMethod -Method Put -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/projects/' + [uri]::EscapeDataString($ProjectId))) -ContentType 'application/json' -Body $body
}

function Reset-GanEmulator {
    <# .SYNOPSIS Forgets created videos and counters (projects and faults stay). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.BaseUri, '/_emulator/reset')) | Out-Null
}

Export-ModuleMember -Function Start-GanEmulator, Stop-GanEmulator, Set-GanEmulatorFault, Get-GanEmulatorStat, Get-GanEmulatorCreatedId, Get-GanEmulatorVideo, Set-GanEmulatorProject, Reset-GanEmulator
