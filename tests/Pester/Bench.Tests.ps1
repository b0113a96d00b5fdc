# The benchmark itself, on small inputs (-Smoke): it must run end to end and report every measure.
# Its numbers are not checked here: speed and memory targets live in ./build.ps1 Bench, not in tests.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The benchmark (smoke run)' {
    It 'runs every measure against the emulator and writes a report with a measure and a target for each' {
        $report = Join-Path $TestDrive 'bench.json'
        $output = & (Get-TestPwsh) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/Benchmarks/Invoke-GanBenchmark.ps1') `
            -ModuleManifest $ModuleManifest -EmulatorModule $EmulatorModule -OutFile $report -WorkFolder (Join-Path $TestDrive 'work') -Smoke 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
        $json = Get-Content $report -Raw | ConvertFrom-Json
        $json.Smoke | Should -BeTrue
        $json.Machine | Should -Match 'cores'
        @($json.Benchmarks).Count | Should -Be 10
        foreach ($benchmark in $json.Benchmarks) {
            $benchmark.Measure | Should -Not -BeNullOrEmpty
            $benchmark.Target | Should -Not -BeNullOrEmpty
            $benchmark.Value | Should -BeGreaterThan 0
        }
        ($json.Benchmarks | Where-Object Name -Like '1. overhead*').Floor | Should -BeGreaterThan 0
        ($output | Out-String) | Should -Match '2\. vs a hand-written script'
        ($json.Benchmarks | Where-Object Name -Like '6. waiting*').Measure | Should -Match 'the old way'
    }
}
