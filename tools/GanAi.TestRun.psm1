# How ./build.ps1 Test runs the suites and reports them: the counts (the closing "N passed, N failed")
# and the time each test file took, so the suite stays fast as it grows (CONTRIBUTING.md, "Tests").

# xunit's counts and each test class's time, from its TRX files. Failed includes errors, timeouts and
# aborts; skipped is not run. A class stands for its file (one public test class per file, mostly).
function Get-GanTrxResult([string] $TrxFolder) {
    $passed = 0; $failed = 0; $skipped = 0
    $files = [Collections.Generic.List[object]]::new()
    $projects = [Collections.Generic.List[object]]::new()
    foreach ($file in Get-ChildItem $TrxFolder -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $trx = Get-Content $file.FullName -Raw
        $counters = $trx.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $skipped += [int] $counters.notExecuted
        $times = $trx.TestRun.Times
        $projects.Add([pscustomobject]@{ Name = $file.BaseName; Seconds = ([datetimeoffset] $times.finish - [datetimeoffset] $times.start).TotalSeconds })
        $classOf = @{}
        foreach ($test in @($trx.TestRun.TestDefinitions.UnitTest)) { if ($test) { $classOf[$test.id] = $test.TestMethod.className } }
        @($trx.TestRun.Results.UnitTestResult) | Where-Object { $_ -and $_.duration } | Group-Object { $classOf[$_.testId] } | ForEach-Object {
            $seconds = ($_.Group | ForEach-Object { ([timespan] $_.duration).TotalSeconds } | Measure-Object -Sum).Sum
            $files.Add([pscustomobject]@{ Suite = "xunit $($file.BaseName)"; Name = ($_.Name -split '\.')[-1]; Seconds = $seconds })
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; Files = $files; Projects = $projects }
}

# The slowest test files and the time of each suite and of the whole run, as one block of host lines.
function Write-GanTestTime([object[]] $Files, [object[]] $Suites, [timespan] $Whole, [int] $Slowest = 10) {
    $format = { param([double] $s) if ($s -ge 60) { '{0}:{1:00}' -f [math]::Floor($s / 60), [math]::Floor($s % 60) } else { '{0:0.0} s' -f $s } }
    Write-Host "Slowest test files ($Slowest of $(@($Files).Count); xunit classes run in parallel, so their times overlap):" -ForegroundColor Cyan
    foreach ($file in @($Files | Sort-Object Seconds -Descending | Select-Object -First $Slowest)) {
        Write-Host ('  {0,8}  {1,-34} {2}' -f (& $format $file.Seconds), $file.Suite, $file.Name)
    }
    $parts = @($Suites | ForEach-Object { '{0} {1}' -f $_.Name, (& $format $_.Seconds) })
    Write-Host ('Time: {0}; whole run {1}' -f ($parts -join ', '), (& $format $Whole.TotalSeconds)) -ForegroundColor Cyan
}

Export-ModuleMember -Function Get-GanTrxResult, Write-GanTestTime
