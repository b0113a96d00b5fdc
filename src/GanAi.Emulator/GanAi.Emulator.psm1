# The GanAi emulator as a PowerShell module: a local Gan.ai for tests of scripts, demos and dry runs.
# The server (GanAi.Emulator.dll) sits beside this file; these functions start it, steer it and read it.

Set-StrictMode -Version Latest

# The environment Start-GanEmulator -Connect changed, one entry per such emulator, oldest first:
# what GANAI_BASE_URI and GANAI_API_TOKEN held before it. Kept here, not on the emulator object,
# where a display or a transcript would show a real token.
$script:Connected = [Collections.Generic.List[object]]::new()
$script:EnvironmentNames = 'GANAI_BASE_URI', 'GANAI_API_TOKEN'

# The dotnet that runs the server: DOTNET_ROOT's when set (an error when it has none), else the one
# on PATH, else the SDK's host.
function Get-EmulatorDotNet {
    if ($env:DOTNET_ROOT) {
        foreach ($name in 'dotnet', 'dotnet.exe') {
            $candidate = Join-Path $env:DOTNET_ROOT $name
            if (Test-Path $candidate -PathType Leaf) { return $candidate }
        }
        throw "DOTNET_ROOT is '$env:DOTNET_ROOT', which holds no dotnet."
    }
    $onPath = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    if ($env:DOTNET_HOST_PATH) { return $env:DOTNET_HOST_PATH }
    throw 'dotnet was not found (not on PATH, nor under DOTNET_ROOT).'
}

# Why the server cannot start with this dotnet, or $null: it needs the ASP.NET Core runtime 8 or later.
function Test-EmulatorRuntime([string] $DotNet) {
    $runtimes = @(try { & $DotNet --list-runtimes 2>$null } catch { $null }) # a dotnet that cannot run lists none
    $aspNet = @($runtimes | Where-Object { $_ -match '^Microsoft\.AspNetCore\.App (\d+)\.' -and [int] $Matches[1] -ge 8 })
    if ($aspNet.Count -gt 0) { return $null }
    $have = if ($runtimes.Count) { ($runtimes | ForEach-Object { ($_ -split ' \[')[0] }) -join ', ' } else { 'no runtime' }
    "The GanAi emulator needs the ASP.NET Core Runtime 8.0 or later (Microsoft.AspNetCore.App), which $DotNet does not have (it has: $have). " +
    "Install the ASP.NET Core Runtime from https://dotnet.microsoft.com/download/dotnet (or a package such as aspnetcore-runtime-8.0), or point DOTNET_ROOT at a .NET that has it."
}

# Starts the server with each argument passed whole (ProcessStartInfo.ArgumentList quotes for the
# platform; Start-Process would join them with spaces), its output copied into $Work/stdout.log and
# stderr.log. The copies run as tasks, no script on another thread; Close-EmulatorLog ends them.
function Start-EmulatorProcess([string] $FilePath, [string[]] $Arguments, [string] $Work) {
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $Arguments) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true # not the test's console: a key pressed there is not the server's
    $process = [Diagnostics.Process]::Start($start)
    $logs = foreach ($stream in @{ Name = 'stdout.log'; From = $process.StandardOutput.BaseStream }, @{ Name = 'stderr.log'; From = $process.StandardError.BaseStream }) {
        $file = [IO.File]::Open((Join-Path $Work $stream.Name), 'Create', 'Write', 'ReadWrite')
        [pscustomobject]@{ File = $file; Copy = $stream.From.CopyToAsync($file) }
    }
    [pscustomobject]@{ Process = $process; Logs = @($logs) }
}

# The log copies of the servers this session started, by process id, until Stop-GanEmulator.
$script:Logs = @{}

# Waits (briefly) for the log copies of an exited server and closes the files.
function Close-EmulatorLog([object[]] $Logs) {
    foreach ($log in $Logs) {
        try { $null = $log.Copy.Wait(2000) } catch { $null = $_ } # a copy cut short by the kill
        $log.File.Dispose()
    }
}

# An error Start-GanEmulator ends with: its id, and what to do.
function New-StartError([string] $Message, [string] $ErrorId, [Management.Automation.ErrorCategory] $Category, [object] $Target) {
    [Management.Automation.ErrorRecord]::new([InvalidOperationException]::new($Message), $ErrorId, $Category, $Target)
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

    .PARAMETER RenderSeconds
    How long a video takes to render, at the least (default 3): PENDING, PROCESSING after a third of
    it, then SUCCEEDED (or FAILED).

    .PARAMETER RenderRate
    Videos per second of each project's render queue (default 0: no queue). With a queue, a
    project's bulk requests render one after another and the videos of one request finish together,
    as the service makes videos in batches; a video still takes at least -RenderSeconds. 10,000
    videos at -RenderRate 500 finish over about 20 s.

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
    Stop-GanEmulator puts the two variables back as they were. The environment is the process's:
    every runspace sees it (in ForEach-Object -Parallel, give each emulator's connection with
    -Connection instead).

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
    $emulator = Start-GanEmulator -RenderRate 500 -Connect
    $results = Import-Csv rows.csv | New-GanVideoBatch -ProjectId demo
    $results | Wait-GanVideo

    Videos render as the service's do: each bulk request's videos finish together, 500 a second.

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
        [ValidateRange(0, 86400)] [double] $RenderSeconds = 3,
        [ValidateRange(0, 1000000)] [double] $RenderRate = 0,
        [ValidateRange(0, 65535)] [int] $Port = 0,
        [ValidateNotNullOrEmpty()] [string] $Token = 'emulator-token',
        [ValidateRange(1, 600)] [int] $TimeoutSec = 60,
        [switch] $Connect
    )
    $dll = Join-Path $PSScriptRoot 'GanAi.Emulator.dll'
    if (-not (Test-Path $dll)) {
        $PSCmdlet.ThrowTerminatingError((New-StartError "The emulator server is missing: $dll. Reinstall GanAi.Emulator (or run ./build.ps1 Build in a checkout)." 'EmulatorNotFound' ObjectNotFound $dll))
    }
    try { $dotnet = Get-EmulatorDotNet }
    catch {
        $PSCmdlet.ThrowTerminatingError((New-StartError "$($_.Exception.Message) The GanAi emulator needs the ASP.NET Core Runtime 8.0 or later: install it from https://dotnet.microsoft.com/download/dotnet." 'EmulatorRuntimeMissing' NotInstalled $env:DOTNET_ROOT))
    }
    if (Test-EmulatorRuntime $dotnet) {
        $PSCmdlet.ThrowTerminatingError((New-StartError (Test-EmulatorRuntime $dotnet) 'EmulatorRuntimeMissing' NotInstalled $dotnet))
    }

    $work = Join-Path ([IO.Path]::GetTempPath()) ('ganai-emulator-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $portFile = Join-Path $work 'url.txt'
    $arguments = @($dll, '--urls', "http://127.0.0.1:$Port", '--port-file', $portFile, '--work-folder', $work, '--token', $Token, '--parent-pid', $PID)
    foreach ($spec in $Project) { $arguments += '--project', $spec }
    $arguments += '--render-seconds', $RenderSeconds.ToString([cultureinfo]::InvariantCulture), '--render-rate', $RenderRate.ToString([cultureinfo]::InvariantCulture)
    $arguments += $ArgumentList # later options win: '--render-seconds' here still works
    $process = $null
    $launched = $null
    $emulator = $null
    try {
        $launched = Start-EmulatorProcess -FilePath $dotnet -Arguments $arguments -Work $work
        $process = $launched.Process
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (Test-Path $portFile)) {
            if ($process.HasExited) {
                Close-EmulatorLog $launched.Logs
                $said = (Get-Content (Join-Path $work 'stderr.log'), (Join-Path $work 'stdout.log') -Raw -ErrorAction SilentlyContinue) -join "`n"
                $message = if ($said -match 'Microsoft\.AspNetCore\.App') { Test-EmulatorRuntime $dotnet } else { $null }
                # What it said, not the option list it prints after a bad option.
                if (-not $message) { $message = "The emulator exited (code $($process.ExitCode)) before it was ready: $((($said.Trim() -split '\r?\n\s*\r?\n')[0]).Trim())" }
                $PSCmdlet.ThrowTerminatingError((New-StartError $message 'EmulatorNotStarted' InvalidOperation $dll))
            }
            if ($clock.Elapsed.TotalSeconds -gt $TimeoutSec) {
                $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                        [TimeoutException]::new("The emulator was not ready within $TimeoutSec s."), 'EmulatorNotStarted', 'OperationTimeout', $dll))
            }
            Start-Sleep -Milliseconds 50
        }
        $secure = [securestring]::new()
        foreach ($c in $Token.ToCharArray()) { $secure.AppendChar($c) }
        $secure.MakeReadOnly()
        $started = [pscustomobject]@{
            PSTypeName = 'GanAi.EmulatorProcess'
            BaseUri    = [uri](Get-Content $portFile -Raw).Trim()
            Token      = $secure
            Process    = $process
            LogFolder  = $work
        }
        if ($Connect) {
            # The session first: when it fails (a token the emulator does not take), nothing else changed.
            Connect-GanAi -BaseUri $started.BaseUri -Token $started.Token
            # Then the environment a script under test connects from (Connect-GanAi with no token), so
            # it talks to the emulator too, never to the real service.
            $script:Connected.Add([pscustomobject]@{ Emulator = $started; Saved = @{ GANAI_BASE_URI = $env:GANAI_BASE_URI; GANAI_API_TOKEN = $env:GANAI_API_TOKEN } })
            $env:GANAI_BASE_URI = $started.BaseUri.ToString()
            $env:GANAI_API_TOKEN = $Token
        }
        $script:Logs[$process.Id] = $launched.Logs # kept here, not on the object: files and tasks are no data to show or serialize
        $emulator = $started
        $emulator
    }
    finally {
        # Failed, or stopped (Ctrl+C) before it was handed over: no server and no folder stay behind.
        if (-not $emulator) {
            if ($process -and -not $process.HasExited) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
            if ($launched) { Close-EmulatorLog $launched.Logs }
            Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
        }
    }
}

function Stop-GanEmulator {
    <#
    .SYNOPSIS
    Stops an emulator that Start-GanEmulator started, and removes its log folder.

    .DESCRIPTION
    Ends the emulator's process and waits for it (up to 10 s), and puts back GANAI_BASE_URI and
    GANAI_API_TOKEN when Start-GanEmulator -Connect set them (emulators started with -Connect can be
    stopped in any order). The session's connection is left as it is: after stopping the emulator it
    points at, run Connect-GanAi (or Disconnect-GanAi). The emulator also stops by itself when the
    PowerShell process that started it ends.

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
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [ValidateScript({ $_.psobject.TypeNames -match '^(Deserialized\.)?GanAi\.EmulatorProcess$' }, ErrorMessage = 'Stop-GanEmulator takes the object Start-GanEmulator returned.')]
        [psobject] $Emulator
    )
    process {
        # The environment -Connect changed: back to what it was before this emulator, unless a later
        # one holds it now (that one then goes back to what this one found, when it stops).
        for ($i = 0; $i -lt $script:Connected.Count; $i++) {
            if ($script:Connected[$i].Emulator.BaseUri -ne $Emulator.BaseUri) { continue }
            $entry = $script:Connected[$i]
            if ($i -eq $script:Connected.Count - 1) {
                foreach ($name in $script:EnvironmentNames) {
                    if ($null -eq $entry.Saved[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue } else { Set-Item "Env:$name" $entry.Saved[$name] }
                }
            }
            else { $script:Connected[$i + 1].Saved = $entry.Saved }
            $script:Connected.RemoveAt($i)
            break
        }

        $process = $Emulator.Process
        if ($process -is [Diagnostics.Process]) {
            if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit(10000) | Out-Null }
            if ($script:Logs.ContainsKey($process.Id)) { Close-EmulatorLog $script:Logs[$process.Id]; $script:Logs.Remove($process.Id) }
        }
        elseif ($process -and $process.Id) {
            # A copy of the object (from a job or another runspace's output): the process by its id,
            # if it is still the one that was started (ids are reused).
            $running = Get-Process -Id $process.Id -ErrorAction SilentlyContinue
            if ($running -and $running.StartTime -eq $process.StartTime) { $running.Kill(); $running.WaitForExit(10000) | Out-Null }
        }
        # Only the folder Start-GanEmulator made (the server removes it too as it exits).
        $folder = [string] $Emulator.LogFolder
        if ($folder -and (Split-Path $folder -Leaf) -like 'ganai-emulator-*' -and (Split-Path $folder -Parent).TrimEnd([IO.Path]::DirectorySeparatorChar) -eq [IO.Path]::GetTempPath().TrimEnd([IO.Path]::DirectorySeparatorChar)) {
            Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
        }
    }
}

# A call to the emulator's control endpoints (/_emulator/...). When the emulator refuses it (an
# unknown fault name, a taken id), the error says why, in the emulator's words.
function Invoke-EmulatorControl([psobject] $Emulator, [string] $Path, [string] $Method = 'Get', [object] $Body) {
    if (-not ($Emulator -and $Emulator.psobject.Properties['BaseUri'] -and $Emulator.BaseUri -is [uri])) {
        throw [Management.Automation.ErrorRecord]::new([ArgumentException]::new('-Emulator takes the object Start-GanEmulator returned.'), 'NotAnEmulator', 'InvalidArgument', $Emulator)
    }
    $request = @{ Method = $Method; Uri = [uri]::new($Emulator.BaseUri, '/_emulator/' + $Path) }
    if ($PSBoundParameters.ContainsKey('Body')) { $request.ContentType = 'application/json'; $request.Body = $Body | ConvertTo-Json -Compress -Depth 5 }
    try {
        Invoke-RestMethod @request
    }
    catch [Microsoft.PowerShell.Commands.HttpResponseException] {
        $said = try { ($_.ErrorDetails.Message | ConvertFrom-Json).message } catch { $null }
        if (-not $said) { $said = $_.Exception.Message }
        throw [Management.Automation.ErrorRecord]::new([InvalidOperationException]::new("The emulator refused $($Method.ToUpperInvariant()) /_emulator/$($Path): $said"),
            'EmulatorRefused', 'InvalidArgument', $Body)
    }
}

function Set-GanEmulatorFault {
    <#
    .SYNOPSIS
    Switches the emulator's faults while it runs; every fault not given goes back to off.

    .DESCRIPTION
    Faults (names as in the emulator's --help): latencyMs, latencyAfterCreateMs (a client that gives
    up meanwhile leaves the videos made and gets no answer), rateLimit (requests per second before
    429), tooManyRequestsRate and retryAfter (429s with a chosen Retry-After, also on errorAfterCreate's
    answers; '' for none at all),
    errorRate and dropRate (5xx or a dropped connection before anything is made),
    errorAfterCreateRate and dropAfterCreateRate (after the videos are made; errorAfterCreateStatus
    sets that answer's status, 500 by default, e.g. 524), partialCreateRate (the first half of the
    items made and paid for, then an error; partialCreateStatus sets its status, 402 by default),
    omitRate, malformedRate, oversizeRate, duplicateRate, missingInferenceIdRate,
    sharedInferenceIdRate (every item of a 200 names the first video's inference_id),
    foreignProjectIdRate (items name project_id another-project), cdnToken (?token=<text> on every
    video_url), maxBatchSize (413), shuffle, rejectToken (every request 401, as a revoked token),
    rejectTokenAfter (that many bulk requests, then 401: a token revoked mid-run), echoAuthorization
    (the service quotes the token back, every way it can: in reason phrases, error details and
    200 items' URLs; as sent, upper-cased, encoded, cut, split, in mixed case, escaped, in
    base64), failRate (videos that end FAILED), statusNotFoundMs, stalledBodyRate (GET answers
    whose body stops halfway until the client gives up).
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
    maxBulkInFlight, mediaRequests, statusReads (GETs of a video's status, refused ones included)
    and peakStatusReadsPerSecond (the most status reads within any one second). Reset-GanEmulator
    sets them to zero.

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
    Writes one object per video, oldest first: inferenceId, projectId, uniqueId, createdAt,
    renderStartsAt and renderFinishesAt (PROCESSING from the one, final from the other) and tags (the
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

    .PARAMETER RequestId
    The result's RequestId: results registered with one RequestId are waited for as a group, as
    the videos of one bulk request are (the emulator itself keeps no request for them).

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
        [switch] $Fail,
        [string] $RequestId
    )
    $tags = [ordered]@{}
    foreach ($entry in $Tag.GetEnumerator()) { $tags["$($entry.Key)"] = "$($entry.Value)" }
    $body = @{ projectId = $ProjectId; uniqueId = $UniqueId; rendered = -not $Pending; fails = [bool] $Fail; tags = $tags }
    $video = Invoke-EmulatorControl $Emulator ('videos/' + [uri]::EscapeDataString($InferenceId)) Put $body
    [GanAi.GanModelFactory]::VideoResult($UniqueId, $InferenceId, $ProjectId, $Tag, $video.videoUrl, $video.audioUrl, $video.thumbnailUrl,
        $video.smartUrl, $video.permalink, $false, $RowNumber, $false, $null, $RequestId)
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
    UniqueId, RowNumber) for rows, a GanAi.VideoException (ErrorId, UniqueId, InferenceId) for videos
    (status, waiting, files), or the exception of an error that ends a command (-RunEnding, and the
    ErrorIds only a whole command ends with, such as NotConnected or MissingToken). The ids are taken
    from the target when it has them (a CSV row, a hashtable, a result; a video's id given as text).
    So a script's error handling sees in a test what it will see in production.

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
    The GanAi cmdlet whose error it is (by default the one that writes that ErrorId:
    New-GanVideoBatch for rows, Wait-GanVideo or Save-GanVideo for videos, Connect-GanAi for a refused
    sign-in ...). It names the record: its FullyQualifiedErrorId is "ErrorId,GanAi.Cmdlets.<cmdlet
    type>", as the real one's is. (Write-Error may add the writer's name after it; test the first part.)

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
    $isVideo = [GanAi.ErrorIds]::IsAboutVideo($ErrorId)
    if (-not $CommandName) { $CommandName = [GanAi.ErrorIds]::WriterOf($ErrorId) } # the cmdlet that writes it (the first, where several do)
    # The real cmdlet, not a mock of it (a mock is a function): its type names the record as the module's do.
    $cmdlet = Get-Command -Module GanAi -Name $CommandName -CommandType Cmdlet
    # The ids of a row (a CSV row, a hashtable) or of a video (a result, a status, or its id as text).
    $property = {
        param($Names)
        foreach ($name in $Names) {
            if ($TargetObject -is [Collections.IDictionary]) { if ($TargetObject.Contains($name)) { return "$($TargetObject[$name])" } }
            elseif ($TargetObject -and $TargetObject.psobject.Properties[$name]) { return "$($TargetObject.$name)" }
        }
        $null
    }
    if (-not $UniqueId) { $UniqueId = & $property 'unique_id', 'UniqueId' }
    $text = if ($Message) { $Message } else { $null }
    $uid = if ($UniqueId) { $UniqueId } else { $null }
    $exception = if ($isVideo -and -not $RunEnding) {
        $inference = & $property 'InferenceId', 'inference_id'
        if (-not $inference -and $TargetObject -is [string]) { $inference = $TargetObject }
        [GanAi.GanModelFactory]::VideoException($ErrorId, $text, $uid, $inference)
    }
    elseif ([GanAi.ErrorIds]::IsAboutRow($ErrorId) -and -not $RunEnding) { [GanAi.GanModelFactory]::VideoRowException($ErrorId, $text, $uid, $RowNumber) }
    else { [GanAi.GanModelFactory]::RunEndingException($ErrorId, $text) } # an error that ends a command
    [Management.Automation.ErrorRecord]::new($exception, "$ErrorId,$($cmdlet.ImplementingType.FullName)", [Management.Automation.ErrorCategory] [GanAi.ErrorIds]::CategoryOf($ErrorId), $TargetObject)
}

Export-ModuleMember -Function Start-GanEmulator, Stop-GanEmulator, Set-GanEmulatorFault, Get-GanEmulatorStat, Get-GanEmulatorCreatedId,
    Get-GanEmulatorVideo, Register-GanEmulatorVideo, Set-GanEmulatorProject, Reset-GanEmulator, New-GanErrorRecord
