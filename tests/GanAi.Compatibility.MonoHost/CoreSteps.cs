using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Downloads;
using GanAi.Resilience;
using GanAi.Status;

namespace GanAi.Compatibility.MonoHost
{
    /// <summary>
    /// The core's real paths on .NET Framework's netstandard2.0 build, as the cmdlets drive them: a
    /// run of a few hundred rows with a journal and its resume, a status read, a download, and an
    /// answer whose body stalls after its headers. The emulator's faults are the caller's.
    /// Each step throws what it found wrong.
    /// </summary>
    internal static class CoreSteps
    {
        public const string Token = "emulator-token";
        private const string Project = "demo";

        public static void Run(string step, Uri emulator, string workFolder, TextWriter log)
        {
            switch (step)
            {
                case "load":
                    return;
                case "batch":
                    Batch(emulator, workFolder, log);
                    return;
                case "status":
                    Status(emulator, log);
                    return;
                case "download":
                    Download(emulator, workFolder, log);
                    return;
                case "stalled-body":
                    StalledBody(emulator, log);
                    return;
                default:
                    throw new ArgumentException("Unknown step " + step);
            }
        }

        /// <summary>300 rows under the caller's faults (ones that fail before any work), a journal, then the same rows again: all from the journal.</summary>
        private static void Batch(Uri emulator, string workFolder, TextWriter log)
        {
            var journal = Path.Combine(workFolder, "run.jsonl");
            var rows = Enumerable.Range(1, 300).Select(i => new Dictionary<string, object?> { ["unique_id"] = "mono-" + i, ["names"] = "Name " + i }).ToList();

            var first = RunRows(emulator, journal, rows);
            Require(first.Errors.Count == 0, "the first run's errors: " + string.Join("; ", first.Errors.Take(5)));
            Require(first.Results.Count == 300 && first.Results.All(r => !r.FromJournal && r.SendCount >= 1), $"the first run gave {first.Results.Count} results");
            Require(new HashSet<string>(first.Results.Select(r => r.UniqueId)).Count == 300, "the first run's results are not one per row");
            log.WriteLine($"first run: {first.Results.Count} results, {first.Results.Sum(r => r.SendCount)} sends");

            var again = RunRows(emulator, journal, rows);
            Require(again.Errors.Count == 0, "the resumed run's errors: " + string.Join("; ", again.Errors.Take(5)));
            Require(again.Results.Count == 300 && again.Results.All(r => r.FromJournal), $"the resumed run gave {again.Results.Count} results, {again.Results.Count(r => r.FromJournal)} from the journal");
            log.WriteLine($"resumed run: {again.Results.Count} results from the journal");
        }

        private static Host RunRows(Uri emulator, string journal, List<Dictionary<string, object?>> rows)
        {
            var host = new Host();
            var options = new VideoBatchOptions(Project)
            {
                BatchSize = 25,
                JournalPath = journal,
                Resilience = Settings(TimeSpan.FromSeconds(10), maxRetries: 8),
            };
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var session = new VideoBatchSession(options, host, cancellation.Token);
            session.Begin(Connect(emulator));
            foreach (var row in rows) session.Add(row, row.ToList());
            session.End();
            return host;
        }

        /// <summary>A video made through the bulk endpoint, read back by its status.</summary>
        private static void Status(Uri emulator, TextWriter log)
        {
            var made = MakeOne(emulator);
            var caller = new ApiCaller(Connect(emulator).ClientOf(), Settings(TimeSpan.FromSeconds(10), maxRetries: 2));
            var status = VideoStatusReader.GetAsync(caller, new VideoRef(Project, made.InferenceId!, made.UniqueId), CancellationToken.None).GetAwaiter().GetResult();
            Require(status.InferenceId == made.InferenceId, $"the status read answered for {status.InferenceId}, not {made.InferenceId}");
            log.WriteLine($"status of {status.InferenceId}: {status.GenStatus}");
        }

        /// <summary>A made video's thumbnail downloaded to a file, whole.</summary>
        private static void Download(Uri emulator, string workFolder, TextWriter log)
        {
            var made = MakeOne(emulator);
            var path = Path.Combine(workFolder, "thumbnail.jpg");
            using var downloader = new MediaDownloader(Settings(TimeSpan.FromSeconds(10), maxRetries: 2));
            var outcome = downloader.DownloadAsync(MediaDownloader.CheckUrl(made.ThumbnailUrl!), path, force: false, "thumbnail", null, CancellationToken.None).GetAwaiter().GetResult();
            Require(outcome == DownloadOutcome.Downloaded && new FileInfo(path).Length > 0, $"the download ended {outcome}");
            log.WriteLine($"downloaded {new FileInfo(path).Length} bytes");
        }

        /// <summary>
        /// Every GET answer stalls after its headers (the caller's fault): each read of a status and of
        /// a media file must end by the attempt's time limit (2 s), not by HttpWebRequest's 5 minutes.
        /// The video is made before the fault is on, through the bulk endpoint (a POST, not stalled).
        /// </summary>
        private static void StalledBody(Uri emulator, TextWriter log)
        {
            var made = MakeOne(emulator);
            SetFaults(emulator, "{\"stalledBodyRate\": 1}");
            var limit = TimeSpan.FromSeconds(2);

            var caller = new ApiCaller(Connect(emulator).ClientOf(), Settings(limit, maxRetries: 1));
            var clock = Stopwatch.StartNew();
            var failure = Catch(() => VideoStatusReader.GetAsync(caller, new VideoRef(Project, made.InferenceId!, made.UniqueId), CancellationToken.None).GetAwaiter().GetResult());
            Require(clock.Elapsed < TimeSpan.FromSeconds(15), $"a stalled status read took {clock.Elapsed.TotalSeconds:0.0} s (limit 2 s, 2 attempts)");
            log.WriteLine($"stalled status read ended in {clock.Elapsed.TotalSeconds:0.0} s: {failure.GetType().Name}: {failure.Message}");

            using var downloader = new MediaDownloader(Settings(limit, maxRetries: 1));
            clock.Restart();
            failure = Catch(() => downloader.DownloadAsync(MediaDownloader.CheckUrl(made.ThumbnailUrl!), Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jpg"), force: false, "thumbnail", null, CancellationToken.None).GetAwaiter().GetResult());
            Require(clock.Elapsed < TimeSpan.FromSeconds(15), $"a stalled download took {clock.Elapsed.TotalSeconds:0.0} s (limit 2 s, 2 attempts)");
            log.WriteLine($"stalled download ended in {clock.Elapsed.TotalSeconds:0.0} s: {failure.GetType().Name}: {failure.Message}");
        }

        private static VideoResult MakeOne(Uri emulator)
        {
            var host = new Host();
            var options = new VideoBatchOptions(Project) { Resilience = Settings(TimeSpan.FromSeconds(10), maxRetries: 2) };
            using (var session = new VideoBatchSession(options, host, CancellationToken.None))
            {
                session.Begin(Connect(emulator));
                var row = new Dictionary<string, object?> { ["unique_id"] = "one-" + Guid.NewGuid().ToString("N"), ["names"] = "One" };
                session.Add(row, row.ToList());
                session.End();
            }
            Require(host.Results.Count == 1, "no video was made: " + string.Join("; ", host.Errors));
            return host.Results[0];
        }

        private static ResilienceSettings Settings(TimeSpan attemptLimit, int maxRetries) => new ResilienceSettings
        {
            AttemptTimeout = attemptLimit,
            MaxRetries = maxRetries,
            BaseDelay = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromSeconds(1),
        };

        private static GanConnection Connect(Uri emulator)
        {
            var token = new SecureString();
            foreach (var c in Token) token.AppendChar(c);
            token.MakeReadOnly();
            return GanConnections.Create(emulator, token, "test");
        }

        private static void SetFaults(Uri emulator, string json)
        {
            using var http = new HttpClient();
            using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var answer = http.PutAsync(new Uri(emulator, "/_emulator/faults"), body).GetAwaiter().GetResult();
            Require(answer.StatusCode == HttpStatusCode.OK, "the emulator refused the faults: " + answer.StatusCode);
        }

        private static Exception Catch(Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                return ex;
            }
            throw new InvalidOperationException("It succeeded, though every answer stalls.");
        }

        private static void Require(bool condition, string otherwise)
        {
            if (!condition) throw new InvalidOperationException(otherwise);
        }

        /// <summary>What the cmdlet would write, kept.</summary>
        private sealed class Host : IVideoBatchHost
        {
            public List<VideoResult> Results { get; } = new List<VideoResult>();
            public List<string> Errors { get; } = new List<string>();

            public bool ShouldProcess(string target, string action) => true;
            public bool ConfirmBeyondCredits(string question) => true;
            public void WriteResult(VideoResult result) => Results.Add(result);
            public void WriteRowError(RowFailure failure, object target) => Errors.Add(failure.ErrorId + ": " + failure.Message);
            public void WriteMessage(PipelineMessage message) { }
            public void WriteProgress(ProgressReport report) { }
            public void TellWhileStopping(string text) { }
        }
    }
}
