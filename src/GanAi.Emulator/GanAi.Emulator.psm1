# The GanAi emulator as a PowerShell module: a local Gan.ai for tests of scripts, demos and dry runs.
# The server (GanAi.Emulator.dll) sits beside this file; these functions start it, steer it and read it.

Set-StrictMode -Version Latest

# The dotnet that runs the server: DOTNET_ROOT's when set, else the one on PATH, else the SDK's host.
function Get-EmulatorDotNet {
    if ($env:DOTNET_ROOT) {
        foreach ($name in 'dotnet', 'dotnet.exe') {
            $candidate = Join-Path $env:DOTNET_ROOT $name
            if (Test-Path $candidate -PathType Leaf) { return $candidate }
        }
    }
    $onPath = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    if ($env:DOTNET_HOST_PATH) { return $env:DOTNET_HOST_PATH }
    $null
}

# Why the server cannot start with this dotnet, or $null: it needs the ASP.NET Core runtime 8 or later.
function Test-EmulatorRuntime([string] $DotNet) {
    $runtimes = @(& $DotNet --list-runtimes 2>$null)
    $aspNet = @($runtimes | Where-Object { $_ -match '^Microsoft\.AspNetCore\.App (\d+)\.' -and [int] $Matches[1] -ge 8 })
    if ($aspNet.Count -gt 0) { return $null }
    $have = if ($runtimes.Count) { ($runtimes | ForEach-Object { ($_ -split ' \[')[0] }) -join ', ' } else { 'no runtime' }
    "The GanAi emulator needs the ASP.NET Core Runtime 8.0 or later (Microsoft.AspNetCore.App), which $DotNet does not have (it has: $have). " +
    "Install the ASP.NET Core Runtime from https://dotnet.microsoft.com/download/dotnet (or a package such as aspnetcore-runtime-8.0), or point DOTNET_ROOT at a .NET that has it."
}

function Start-GanEmulator {
    <#
    .SYNOPSIS
    Starts a local Gan.ai (the GanAi emulator) on a free loopback port and returns what Connect-GanAi needs.

    .DESCRIPTION
    Starts the emulator server in a process of its own, on 127.0.0.1 and a free port, and waits until it
    answers. The object it returns has BaseUri and Token (a SecureString) for Connect-GanAi, and is what
    the other emulator commands take. With -Connect it also connects this session (Connect-GanAi), so a
    Pester BeforeAll needs one line. The server exits within a few seconds after this PowerShell process
    ends, however it ends (kill -9 included), so a test run never leaves one behind; Stop-GanEmulator
    stops it at once.

    The server needs the ASP.NET Core Runtime 8.0 or later. Without it, Start-GanEmulator fails at once
    with an error that says what to install. DOTNET_ROOT, when set, names the .NET to use.

    .PARAMETER Project
    Projects to serve, each as id, id:tag1,tag2 or id:tag1,tag2:credits (default: demo, with the tag
    names and a million credits).

    .PARAMETER ArgumentList
    Further options of the server, e.g. '--latency-ms', '50' or '--render-seconds', '1'
    (dotnet GanAi.Emulator.dll --help lists them).

    .PARAMETER Port
    The loopback port; 0 (the default) picks a free one.

    .PARAMETER Token
    The bearer token the emulator accepts (default emulator-token). It is not a secret: the emulator
    listens on loopback only.

    .PARAMETER TimeoutSec
    How long to wait for the server to answer before giving up (default 60).

    .PARAMETER Connect
    Also connects this session to the emulator (Connect-GanAi), and sets GANAI_BASE_URI and
    GANAI_API_TOKEN in this process's environment, so a script under test that connects from the
    environment (Connect-GanAi with no token) talks to the emulator too, never to the real service.
    Stop-GanEmulator puts the two variables back as they were.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    GanAi.EmulatorProcess

    .EXAMPLE
    $emulator = Start-GanEmulator -Connect
    Import-Csv rows.csv | New-GanVideoBatch -ProjectId demo

    Starts the emulator and connects this session to it.

    .EXAMPLE
    $emulator = Start-GanEmulator -Project 'welcome:first_name,company:500' -ArgumentList '--latency-ms', '50'
    Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token

    A project with two tags and 500 credits, and 50 ms of latency before each answer.

    .EXAMPLE
    BeforeAll { $emulator = Start-GanEmulator -Connect }
    AfterAll { $emulator | Stop-GanEmulator }

    The two lines a Pester test file needs.
    #>
    [CmdletBinding()]
    [OutputType('GanAi.EmulatorProcess')]
    param(
        [string[]] $Project = @(),
        [string[]] $ArgumentList = @(),
        [ValidateRange(0, 65535)] [int] $Port = 0,
        [ValidateNotNullOrEmpty()] [string] $Token = 'emulator-token',
        [ValidateRange(1, 600)] [int] $TimeoutSec = 60,
        [switch] $Connect
    )
    $dll = Join-Path $PSScriptRoot 'GanAi.Emulator.dll'
    if (-not (Test-Path $dll)) {
        $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                [IO.FileNotFoundException]::new("The emulator server is missing: $dll. Reinstall GanAi.Emulator (or run ./build.ps1 Build in a checkout)."),
                'EmulatorNotFound', 'ObjectNotFound', $dll))
    }
    $dotnet = Get-EmulatorDotNet
    if (-not $dotnet) {
        $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                [InvalidOperationException]::new('dotnet was not found (not on PATH, nor under DOTNET_ROOT): the GanAi emulator needs the ASP.NET Core Runtime 8.0 or later. Install it from https://dotnet.microsoft.com/download/dotnet.'),
                'EmulatorRuntimeMissing', 'NotInstalled', $null))
    }
    if (Test-EmulatorRuntime $dotnet) {
        $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                [InvalidOperationException]::new((Test-EmulatorRuntime $dotnet)), 'EmulatorRuntimeMissing', 'NotInstalled', $dotnet))
    }

    $work = Join-Path ([IO.Path]::GetTempPath()) ('ganai-emulator-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $portFile = Join-Path $work 'url.txt'
    $arguments = @($dll, '--urls', "http://127.0.0.1:$Port", '--port-file', $portFile, '--token', $Token, '--parent-pid', $PID)
    foreach ($spec in $Project) { $arguments += '--project', $spec }
    $arguments += $ArgumentList
    $process = Start-Process -FilePath $dotnet -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $work 'stdout.log') -RedirectStandardError (Join-Path $work 'stderr.log')

    $clock = [Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path $portFile)) {
        if ($process.HasExited) {
            $said = (Get-Content (Join-Path $work 'stderr.log'), (Join-Path $work 'stdout.log') -Raw -ErrorAction SilentlyContinue) -join ' '
            Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
            $message = if ($said -match 'Microsoft\.AspNetCore\.App') { Test-EmulatorRuntime $dotnet } else { $null }
            if (-not $message) { $message = "The emulator exited (code $($process.ExitCode)) before it was ready: $($said.Trim())" }
            $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new([InvalidOperationException]::new($message), 'EmulatorNotStarted', 'InvalidOperation', $dll))
        }
        if ($clock.Elapsed.TotalSeconds -gt $TimeoutSec) {
            $process.Kill()
            Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
            $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                    [TimeoutException]::new("The emulator was not ready within $TimeoutSec s."), 'EmulatorNotStarted', 'OperationTimeout', $dll))
        }
        Start-Sleep -Milliseconds 50
    }
    $secure = [securestring]::new()
    foreach ($c in $Token.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $emulator = [pscustomobject]@{
        PSTypeName = 'GanAi.EmulatorProcess'
        BaseUri    = [uri](Get-Content $portFile -Raw).Trim()
        Token      = $secure
        Process    = $process
        LogFolder  = $work
    }
    if ($Connect) {
        # The session, and any script it runs that connects from the environment (Connect-GanAi with
        # no token), talk to the emulator: a test can never reach the real service by mistake.
        $emulator | Add-Member -NotePropertyName SavedEnvironment -NotePropertyValue @{ GANAI_BASE_URI = $env:GANAI_BASE_URI; GANAI_API_TOKEN = $env:GANAI_API_TOKEN }
        $env:GANAI_BASE_URI = $emulator.BaseUri.ToString()
        $env:GANAI_API_TOKEN = $Token
        Connect-GanAi -BaseUri $emulator.BaseUri -Token $emulator.Token
    }
    $emulator
}

function Stop-GanEmulator {
    <#
    .SYNOPSIS
    Stops an emulator that Start-GanEmulator started, and removes its log folder.

    .DESCRIPTION
    Ends the emulator's process and waits for it (up to 10 s), and puts back GANAI_BASE_URI and
    GANAI_API_TOKEN when Start-GanEmulator -Connect set them. The emulator also stops by itself when
    the PowerShell process that started it ends.

    .PARAMETER Emulator
    The object Start-GanEmulator returned (from the pipeline too).

    .INPUTS
    GanAi.EmulatorProcess

    .OUTPUTS
    None

    .EXAMPLE
    Stop-GanEmulator $emulator

    .EXAMPLE
    AfterAll { $emulator | Stop-GanEmulator }

    In a Pester test file.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [psobject] $Emulator)
    process {
        if ($Emulator.psobject.Properties['SavedEnvironment']) {
            foreach ($entry in $Emulator.SavedEnvironment.GetEnumerator()) {
                if ($null -eq $entry.Value) { Remove-Item "Env:$($entry.Key)" -ErrorAction SilentlyContinue } else { Set-Item "Env:$($entry.Key)" $entry.Value }
            }
        }
        if (-not $Emulator.Process.HasExited) {
            $Emulator.Process.Kill()
            $Emulator.Process.WaitForExit(10000) | Out-Null
        }
        Remove-Item -Recurse -Force $Emulator.LogFolder -ErrorAction SilentlyContinue
    }
}

# A call to the emulator's control endpoints (/_emulator/...). When the emulator refuses it (an
# unknown fault name, a taken id), the error says why, in the emulator's words.
function Invoke-EmulatorControl([psobject] $Emulator, [string] $Path, [string] $Method = 'Get', [object] $Body) {
    if (-not ($Emulator.psobject.Properties['BaseUri'] -and $Emulator.BaseUri -is [uri])) {
        throw [ArgumentException]::new('-Emulator takes the object Start-GanEmulator returned.')
    }
    $request = @{ Method = $Method; Uri = [uri]::new($Emulator.BaseUri, '/_emulator/' + $Path) }
    if ($PSBoundParameters.ContainsKey('Body')) { $request.ContentType = 'application/json'; $request.Body = $Body | ConvertTo-Json -Compress -Depth 5 }
    try {
        Invoke-RestMethod @request
    }
    catch [Microsoft.PowerShell.Commands.HttpResponseException] {
        $said = try { ($_.ErrorDetails.Message | ConvertFrom-Json).message } catch { $null }
        if (-not $said) { $said = $_.Exception.Message }
        throw [InvalidOperationException]::new("The emulator refused $($Method.ToUpperInvariant()) /_emulator/$($Path): $said")
    }
}

function Set-GanEmulatorFault {
    <#
    .SYNOPSIS
    Switches the emulator's faults while it runs; every fault not given goes back to off.

    .DESCRIPTION
    Faults (names as in the emulator's --help): latencyMs, latencyAfterCreateMs, rateLimit (requests
    per second before 429), tooManyRequestsRate and retryAfter (429s with a chosen Retry-After),
    errorRate and dropRate (5xx or a dropped connection before anything is made),
    errorAfterCreateRate and dropAfterCreateRate (after the videos are made), omitRate, malformedRate,
    oversizeRate, duplicateRate, missingInferenceIdRate, maxBatchSize (413), shuffle, rejectToken
    (every request 401, as a revoked token), rejectTokenAfter (that many bulk requests, then 401: a
    token revoked mid-run), echoAuthorization, failRate (videos that end FAILED), statusNotFoundMs.
    A name it does not know is refused (a typo would otherwise leave the emulator healthy). Writes
    the faults now in force.

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .PARAMETER Fault
    The faults, as a hashtable of name and value; @{} turns every fault off.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.PSCustomObject

    .EXAMPLE
    Set-GanEmulatorFault $emulator @{ tooManyRequestsRate = 0.5; retryAfter = '1' }

    Half of the requests are answered 429 with Retry-After: 1.

    .EXAMPLE
    Set-GanEmulatorFault $emulator @{ rejectToken = $true }

    The token is refused from now on, as if it was revoked mid-run.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator, [hashtable] $Fault = @{})
    Invoke-EmulatorControl $Emulator 'faults' Put $Fault
}

function Get-GanEmulatorStat {
    <#
    .SYNOPSIS
    The emulator's counters: requests, bulk requests, media downloads, answers by status, rows and ids created.

    .DESCRIPTION
    Writes one object: requests, bulkRequests, rowsCreated, uniqueIdsCreated,
    uniqueIdsCreatedMoreThanOnce, answers (a count per HTTP status; "0" for a dropped connection),
    maxBulkInFlight and mediaRequests. Reset-GanEmulator sets them to zero.

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.PSCustomObject

    .EXAMPLE
    (Get-GanEmulatorStat $emulator).rowsCreated

    .EXAMPLE
    (Get-GanEmulatorStat $emulator).answers.'429'

    How many requests were answered 429.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator)
    Invoke-EmulatorControl $Emulator 'stats'
}

function Get-GanEmulatorCreatedId {
    <#
    .SYNOPSIS
    Each unique_id the emulator made a video for, with how many times.

    .DESCRIPTION
    Writes one object per project and unique_id: projectId, uniqueId and count. A count above 1 is a
    video made twice.

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .PARAMETER ProjectId
    Only this project's ids.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.PSCustomObject

    .EXAMPLE
    Get-GanEmulatorCreatedId $emulator -ProjectId demo | Where-Object count -GT 1

    The rows made twice.

    .EXAMPLE
    @(Get-GanEmulatorCreatedId $emulator).Count
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator, [string] $ProjectId)
    $query = if ($ProjectId) { '?project_id=' + [uri]::EscapeDataString($ProjectId) } else { '' }
    $created = Invoke-EmulatorControl $Emulator ('created' + $query)
    $created # one object per id (Invoke-RestMethod writes a JSON array as one object)
}

function Get-GanEmulatorVideo {
    <#
    .SYNOPSIS
    The videos the emulator made, with the tag values it received.

    .DESCRIPTION
    Writes one object per video, oldest first: inferenceId, projectId, uniqueId, createdAt and tags (the
    values as they crossed the wire).

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .PARAMETER ProjectId
    Only this project's videos.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.PSCustomObject

    .EXAMPLE
    (Get-GanEmulatorVideo $emulator -ProjectId demo | Where-Object uniqueId -EQ 'lead-1').tags.names

    What the emulator received as the names tag of one row.

    .EXAMPLE
    Get-GanEmulatorVideo $emulator | Measure-Object
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator, [string] $ProjectId)
    $query = if ($ProjectId) { '?project_id=' + [uri]::EscapeDataString($ProjectId) } else { '' }
    $videos = Invoke-EmulatorControl $Emulator ('videos' + $query)
    $videos
}

function Register-GanEmulatorVideo {
    <#
    .SYNOPSIS
    Makes a video in the emulator with the ids you choose, and writes it as a typed result that Wait-GanVideo and Save-GanVideo work on.

    .DESCRIPTION
    For tests that mock New-GanVideoBatch but still wait for and download the videos: the video is
    made in the emulator (rendered already, or rendering from now with -Pending, or failed with
    -Fail), and a [GanAi.VideoResult] is written with its ids, the row's tags and media URLs served
    by the emulator. Return it from the mock; Wait-GanVideo and Save-GanVideo then work on it as on
    a real result. (For results that never reach a server, [GanAi.GanModelFactory]::VideoResult()
    makes them without the emulator.)

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .PARAMETER ProjectId
    The video's project (made in the emulator when it does not have it).

    .PARAMETER UniqueId
    The row's id (its unique_id).

    .PARAMETER InferenceId
    The video's id (letters, digits, - and _); by default a new one.

    .PARAMETER Tag
    The row's tags, in order (an ordered dictionary); each shows as a property of the result and a
    column when it is exported.

    .PARAMETER RowNumber
    The row's position in the input, as the result gives it (default 1).

    .PARAMETER Pending
    The video starts to render now (PENDING, then PROCESSING, then SUCCEEDED after the emulator's
    render time); without it, it has rendered.

    .PARAMETER Fail
    The video ends FAILED: Wait-GanVideo writes a VideoFailed error for it.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    GanAi.VideoResult

    .EXAMPLE
    $result = Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId lead-1 -Tag ([ordered]@{ names = 'Ann' })
    Mock New-GanVideoBatch { $result }
    Import-Csv leads.csv | New-GanVideoBatch -ProjectId demo | Wait-GanVideo | Save-GanVideo -Path ./videos

    The mocked run's result is waited for and downloaded from the emulator.

    .EXAMPLE
    Register-GanEmulatorVideo $emulator -ProjectId demo -UniqueId lead-2 -Fail | Wait-GanVideo -ErrorVariable failed -ErrorAction SilentlyContinue

    $failed holds one VideoFailed error for lead-2.
    #>
    [CmdletBinding()]
    [OutputType([GanAi.VideoResult])]
    param(
        [Parameter(Mandatory)] [psobject] $Emulator,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $ProjectId,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $UniqueId,
        [ValidatePattern('^[A-Za-z0-9_-]{1,100}$', ErrorMessage = '{0}: an inference id here is 1 to 100 letters, digits, - or _ (it is part of the media URLs).')]
        [string] $InferenceId = [guid]::NewGuid().ToString('N'),
        [Collections.IDictionary] $Tag = [ordered]@{},
        [ValidateRange(1, [long]::MaxValue)] [long] $RowNumber = 1,
        [switch] $Pending,
        [switch] $Fail
    )
    $body = @{ projectId = $ProjectId; uniqueId = $UniqueId; rendered = -not $Pending; fails = [bool] $Fail }
    $video = Invoke-EmulatorControl $Emulator ('videos/' + [uri]::EscapeDataString($InferenceId)) Put $body
    [GanAi.GanModelFactory]::VideoResult($UniqueId, $InferenceId, $ProjectId, $Tag, $video.videoUrl, $video.audioUrl, $video.thumbnailUrl,
        $video.smartUrl, $video.permalink, $false, $RowNumber, $false)
}

function Set-GanEmulatorProject {
    <#
    .SYNOPSIS
    Adds a project to a running emulator, or replaces it (with fresh credits).

    .DESCRIPTION
    The project's tags are the columns each row must give; its credits are spent one per video, and a
    request needing more than are left is answered 402.

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .PARAMETER ProjectId
    The project's id.

    .PARAMETER Tag
    Its tag names (default names).

    .PARAMETER Credits
    Its available credits (default a million).

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.PSCustomObject

    .EXAMPLE
    Set-GanEmulatorProject $emulator -ProjectId small -Tag first_name, company -Credits 5

    A project that runs out of credits after five videos.

    .EXAMPLE
    Set-GanEmulatorProject $emulator -ProjectId demo -Credits 0
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator, [Parameter(Mandatory)] [string] $ProjectId, [string[]] $Tag = @('names'), [long] $Credits = 1000000)
    Invoke-EmulatorControl $Emulator ('projects/' + [uri]::EscapeDataString($ProjectId)) Put @{ tags = @($Tag); credits = $Credits }
}

function Reset-GanEmulator {
    <#
    .SYNOPSIS
    Forgets the emulator's videos and counters; projects and faults stay.

    .DESCRIPTION
    Use it between tests, so each starts from no videos and zero counters.

    .PARAMETER Emulator
    The object Start-GanEmulator returned.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    None

    .EXAMPLE
    BeforeEach { Reset-GanEmulator $emulator }

    .EXAMPLE
    Reset-GanEmulator $emulator; Set-GanEmulatorFault $emulator @{}

    Back to a clean emulator without faults.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [psobject] $Emulator)
    Invoke-EmulatorControl $Emulator 'reset' Post | Out-Null
}

function New-GanErrorRecord {
    <#
    .SYNOPSIS
    Makes the error record a GanAi cmdlet writes, for a mock to write (Write-Error -ErrorRecord).

    .DESCRIPTION
    The record has the ErrorId (the start of its FullyQualifiedErrorId), the category the module gives it, the
    target object, and the exception the module's records carry: a GanAi.VideoRowException (ErrorId,
    UniqueId, RowNumber) for rows, a GanAi.VideoException for videos (status, waiting, files), or with
    -RunEnding the exception of the terminating error that ends a run. So a script's error handling
    sees in a test what it will see in production.

    .PARAMETER ErrorId
    One of [GanAi.ErrorIds]'s names, e.g. TokenRefused or MissingTag.

    .PARAMETER TargetObject
    What the error is about: the row (a CSV row object) or the video.

    .PARAMETER Message
    The error's text (default: one that names the row and the ErrorId).

    .PARAMETER UniqueId
    The row's unique_id (default: the target's unique_id, when it has one).

    .PARAMETER RowNumber
    The row's position in the input (default 1).

    .PARAMETER CommandName
    The GanAi cmdlet whose error it is (default New-GanVideoBatch; Wait-GanVideo for the ErrorIds of
    videos). It names the record: its FullyQualifiedErrorId is "ErrorId,GanAi.Cmdlets.<cmdlet type>",
    as the real one's is. (Write-Error adds the writer's name after it; throw keeps it as it is.)

    .PARAMETER RunEnding
    The terminating error that ends a run (throw it after the rows' own errors): its exception is
    the one the module's run-ending errors carry (UnauthorizedAccessException for TokenRefused,
    IOException for JournalUnavailable, HttpRequestException for ServiceUnreachable,
    InvalidOperationException for the others), not a row's.

    .INPUTS
    None. Its parameters take no pipeline input.

    .OUTPUTS
    System.Management.Automation.ErrorRecord

    .EXAMPLE
    Mock New-GanVideoBatch { Write-Error -ErrorRecord (New-GanErrorRecord -ErrorId MissingTag -TargetObject $InputObject) }

    A mock that refuses every row, as the real cmdlet does for a row lacking a tag: each error's
    FullyQualifiedErrorId starts with MissingTag,GanAi.Cmdlets.NewGanVideoBatchCommand, and its
    exception is a GanAi.VideoRowException with the row's UniqueId.

    .EXAMPLE
    Mock New-GanVideoBatch { throw (New-GanErrorRecord -ErrorId TokenRefused -TargetObject demo -RunEnding) }

    A run that ends at once because the service refused the token: the caller's catch block gets a
    record whose FullyQualifiedErrorId is TokenRefused,GanAi.Cmdlets.NewGanVideoBatchCommand and whose
    exception is an UnauthorizedAccessException, as from the real cmdlet.
    #>
    [CmdletBinding()]
    [OutputType([Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [ValidateScript({ [GanAi.ErrorIds].GetFields().Name -contains $_ }, ErrorMessage = '{0} is not one of GanAi''s ErrorIds ([GanAi.ErrorIds]).')]
        [ArgumentCompleter({ param($c, $p, $word) [GanAi.ErrorIds].GetFields().Name | Where-Object { $_ -like "$word*" } })]
        [string] $ErrorId,
        [Parameter(Mandatory)] [AllowNull()] [object] $TargetObject,
        [string] $Message,
        [string] $UniqueId,
        [ValidateRange(1, [long]::MaxValue)] [long] $RowNumber = 1,
        [ValidateSet('New-GanVideoBatch', 'Get-GanVideoStatus', 'Wait-GanVideo', 'Save-GanVideo', 'Get-GanProject', 'Connect-GanAi', 'New-GanToken', 'Set-GanWebhook', 'Disconnect-GanAi')]
        [string] $CommandName,
        [switch] $RunEnding
    )
    $ErrorId = @([GanAi.ErrorIds].GetFields().Name -eq $ErrorId)[0] # as the module spells it
    if (-not $CommandName) { $CommandName = if ([GanAi.ErrorIds]::IsAboutVideo($ErrorId)) { 'Wait-GanVideo' } else { 'New-GanVideoBatch' } }
    # The real cmdlet, not a mock of it (a mock is a function): its type names the record as the module's do.
    $cmdlet = Get-Command -Module GanAi -Name $CommandName -CommandType Cmdlet
    if (-not $UniqueId -and $TargetObject -and $TargetObject.psobject.Properties['unique_id']) { $UniqueId = $TargetObject.unique_id }
    if (-not $UniqueId -and $TargetObject -and $TargetObject.psobject.Properties['UniqueId']) { $UniqueId = $TargetObject.UniqueId }
    $text = if ($Message) { $Message } else { $null }
    $uid = if ($UniqueId) { $UniqueId } else { $null }
    $exception = if ($RunEnding) { [GanAi.GanModelFactory]::RunEndingException($ErrorId, $text) }
    elseif ([GanAi.ErrorIds]::IsAboutVideo($ErrorId)) {
        $inference = if ($TargetObject -and $TargetObject.psobject.Properties['InferenceId']) { $TargetObject.InferenceId } else { $null }
        [GanAi.GanModelFactory]::VideoException($ErrorId, $text, $uid, $inference)
    }
    else { [GanAi.GanModelFactory]::VideoRowException($ErrorId, $text, $uid, $RowNumber) }
    [Management.Automation.ErrorRecord]::new($exception, "$ErrorId,$($cmdlet.ImplementingType.FullName)", [Management.Automation.ErrorCategory] [GanAi.ErrorIds]::CategoryOf($ErrorId), $TargetObject)
}

Export-ModuleMember -Function Start-GanEmulator, Stop-GanEmulator, Set-GanEmulatorFault, Get-GanEmulatorStat, Get-GanEmulatorCreatedId,
    Get-GanEmulatorVideo, Register-GanEmulatorVideo, Set-GanEmulatorProject, Reset-GanEmulator, New-GanErrorRecord
