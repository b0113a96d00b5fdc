# Dot-sourced by each test file's BeforeAll: imports the built module (never the source tree) and
# the emulator helpers from out/.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $RepoRoot 'out/GanAi/GanAi.psd1'
$script:EmulatorModule = Join-Path $RepoRoot 'out/GanAi.Emulator/GanAi.Emulator.psd1'
if (-not (Test-Path $ModuleManifest)) { throw "Build first: $ModuleManifest is missing (./build.ps1 Build)." }
Import-Module $ModuleManifest -Force
Import-Module $EmulatorModule -Force # after GanAi, which it requires
# A warning belongs to the test that expects it (-WarningVariable); none is printed between results.
$WarningPreference = 'SilentlyContinue'

function ConvertTo-TestSecureString([string] $Text) {
    $secure = [securestring]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

# The PowerShell running the tests, to start child processes with a clean session.
Import-Module (Join-Path $RepoRoot 'tools/GanAi.Build.psm1') -Force # Get-PwshPath, Publish-GanPackage, Invoke-InCleanProfile
function Get-TestPwsh { Get-PwshPath }

function New-TestCsv([string] $Path, [int] $Count, [string] $Prefix = 'row') {
    1..$Count | ForEach-Object { [pscustomobject]@{ unique_id = "$Prefix-$_"; names = "Name $_"; company = "Company $_" } } |
        Export-Csv -Path $Path -NoTypeInformation
    $Path
}

# Runs a script in a new runspace with the module imported, and returns that runspace's PowerShell
# once the emulator has seen $BulkRequests bulk requests (or 20 s passed): the caller asserts the
# count, then stops (Ctrl+C) and disposes it.
function Start-BackgroundBatch([string] $Script, [object] $Emulator, [int] $BulkRequests) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$ModuleManifest'; $Script")
    $null = $ps.BeginInvoke()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while ((Get-GanEmulatorStat $Emulator).bulkRequests -lt $BulkRequests -and $clock.Elapsed.TotalSeconds -lt 20) { Start-Sleep -Milliseconds 50 }
    $ps
}

# Rows for project demo: unique_id "<Prefix>-<n>", names "N<n>".
function New-Rows([int] $Count, [string] $Prefix) {
    1..$Count | ForEach-Object { [pscustomobject]@{ unique_id = "$Prefix-$_"; names = "N$_" } }
}

# A host whose user answers prompts from a script (for -Confirm and ShouldContinue): the first rule
# whose text occurs in "caption: message" gives the choice's label; without one, "Yes to &All".
if (-not ('ScriptedHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class ScriptedUserInterface : PSHostUserInterface
{
    private readonly List<KeyValuePair<string, string>> _rules = new List<KeyValuePair<string, string>>();
    public List<string> Questions = new List<string>();
    public List<string> Warnings = new List<string>(); // what went to the host as warning lines (a stopping run's account)
    public void Answer(string whenTextHas, string label) => _rules.Add(new KeyValuePair<string, string>(whenTextHas, label));
    public override PSHostRawUserInterface RawUI => null;
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        var text = caption + ": " + message;
        Questions.Add(text);
        var wanted = "Yes to &All";
        foreach (var rule in _rules) if (text.Contains(rule.Key)) { wanted = rule.Value; break; }
        for (var i = 0; i < choices.Count; i++) if (choices[i].Label == wanted) return i;
        throw new InvalidOperationException("No choice " + wanted + " in " + caption);
    }
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
    public override string ReadLine() => throw new NotSupportedException();
    public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteLine(string value) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) { lock (Warnings) Warnings.Add(message); }
}

public sealed class ScriptedHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();
    public ScriptedHost(ScriptedUserInterface ui) { Ui = ui; }
    public ScriptedUserInterface Ui { get; }
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId => _id;
    public override string Name => "ScriptedHost";
    public override PSHostUserInterface UI => Ui;
    public override Version Version => new Version(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}
'@
}

# Runs a script in a new runspace whose host answers prompts through $UserInterface; returns its output.
function Invoke-WithScriptedHost([ScriptedUserInterface] $UserInterface, [scriptblock] $Script, [object[]] $ArgumentList) {
    $runspace = [runspacefactory]::CreateRunspace([ScriptedHost]::new($UserInterface))
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    try {
        $null = $ps.AddScript($Script)
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $ps.Invoke()
    }
    finally {
        $ps.Dispose()
        $runspace.Dispose()
    }
}

# Starts a script in a new runspace of this process, with the module imported (the session's
# connection is shared); Wait-InRunspace ends it. For runs that must not hang a test, and for two
# runs at once.
function Start-InRunspace([scriptblock] $Script, [object[]] $ArgumentList = @()) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Manifest, $Body, $Arguments)
            Import-Module $Manifest
            $output = [Collections.Generic.List[object]]::new()
            $terminating = $null
            try { & ([scriptblock]::Create($Body)) @Arguments | ForEach-Object { $output.Add($_) } }
            catch { $terminating = $_ }
            [pscustomobject]@{ Output = $output.ToArray(); Terminating = $terminating; Ended = [DateTime]::UtcNow }
        }).AddArgument($ModuleManifest).AddArgument($Script.ToString()).AddArgument($ArgumentList)
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke(); Clock = [Diagnostics.Stopwatch]::StartNew() }
}

# What a run of Start-InRunspace did: Output, Errors (its non-terminating error records), Warnings,
# Terminating (the error that ended it, if one did), Ended (UTC), Seconds, and TimedOut: a run still
# going after $TimeoutSec is stopped (as by Ctrl+C) and reported, so a test of a hang fails instead
# of hanging CI.
function Wait-InRunspace($Run, [int] $TimeoutSec = 60) {
    $ps = $Run.PowerShell
    try {
        $finished = $Run.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
        $seconds = $Run.Clock.Elapsed.TotalSeconds
        $result = if ($finished) { @($ps.EndInvoke($Run.Handle))[-1] }
        else {
            # Its streams can be read once it has stopped (enumerating them while it runs blocks).
            $null = $ps.BeginStop($null, $null)
            $null = $Run.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10))
        }
        [pscustomobject]@{
            Output      = if ($result) { @($result.Output) } else { @() }
            Errors      = @($ps.Streams.Error.ReadAll())
            Warnings    = @($ps.Streams.Warning.ReadAll())
            Terminating = if ($result) { $result.Terminating }
            Ended       = if ($result) { $result.Ended }
            TimedOut    = -not $finished
            Seconds     = $seconds
        }
    }
    finally {
        if ($ps.InvocationStateInfo.State -ne 'Running') { $ps.Dispose() }
    }
}

# Start-InRunspace, then Wait-InRunspace.
function Invoke-Bounded([scriptblock] $Script, [object[]] $ArgumentList = @(), [int] $TimeoutSec = 60) {
    Wait-InRunspace (Start-InRunspace $Script $ArgumentList) $TimeoutSec
}
