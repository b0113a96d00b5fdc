using System.Globalization;

namespace GanAi.Emulator;

/// <summary>Start-up options: the token, the projects, the URL and the faults to start with.</summary>
public sealed class EmulatorOptions
{
    public const string DefaultToken = "emulator-token";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const string DefaultUser = "user@example.com:emulator-password";

    public string Token { get; set; } = DefaultToken;

    /// <summary>The one account POST /users/login accepts, as email:password.</summary>
    public string User { get; set; } = DefaultUser;
    public string Url { get; set; } = DefaultUrl;

    /// <summary>Seconds a video takes to go PENDING, PROCESSING, SUCCEEDED.</summary>
    public double RenderSeconds { get; set; } = 3;

    /// <summary>
    /// Videos per second of each project's render queue (0, the default: no queue). With a queue a
    /// project's bulk requests render one after another and a request's videos finish together, as
    /// the service makes videos in batches; <see cref="RenderSeconds"/> stays the least a video takes.
    /// </summary>
    public double RenderRate { get; set; }

    /// <summary>Seed of the fault dice, for repeatable runs; null picks one.</summary>
    public int? Seed { get; set; }

    /// <summary>Write the URL it listens on to this file once it is ready (for --urls with port 0).</summary>
    public string? PortFile { get; set; }

    /// <summary>Exit when this process ends (its starter: a test run, a script), even when it is killed.</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>A folder of the starter's (its logs and port file) that the emulator removes when it exits.</summary>
    public string? WorkFolder { get; set; }

    public List<ProjectSpec> Projects { get; } = new();

    public FaultSettings Faults { get; set; } = new();

    public static string Usage => """
        GanAi emulator: a local Gan.ai API for demos, tests and dry runs (loopback only).

        dotnet GanAi.Emulator.dll [options]
          --urls <url>             where to listen (default http://127.0.0.1:5080; port 0 picks a free one; loopback only)
          --token <text>           the bearer token it accepts (default emulator-token)
          --user <email:password>  the account POST /users/login accepts (default user@example.com:emulator-password)
          --project <id[:tags[:credits]]>  a project, e.g. acme:first_name,company:500 (repeatable;
                                   'id' alone has the tag names, 'id:' has no tags;
                                   default: demo with tag names and 1000000 credits)
          --latency-ms <n>         delay before each API answer
          --latency-after-create-ms <n>  delay of a bulk answer after its videos were created (a client
                                   that gives up meanwhile leaves them made and gets no answer)
          --rate-limit <n>         requests per second before answering 429 with Retry-After (0 = off)
          --error-rate <0..1>      share of bulk requests answered 500/502/503 before creating anything
          --drop-rate <0..1>       share of bulk requests whose connection is dropped before creating anything
          --error-after-create-rate <0..1>  share answered 500 after the videos were created
          --error-after-create-status <n>   the status of those answers (default 500; e.g. 524)
          --drop-after-create-rate <0..1>   share dropped after the videos were created
          --partial-create-rate <0..1>      share of bulk requests of which only the first half of the
                                   items is made (and paid for), then answered an error
          --partial-create-status <n>       the status of those answers (default 402, Not enough credits)
          --omit-rate <0..1>       share of items left out of a 200 answer
          --malformed-rate <0..1>  share of bulk answers that are not JSON
          --oversize-rate <0..1>   share of bulk answers padded past 32 MiB (more than a client reads)
          --too-many-requests-rate <0..1>  share of API requests answered 429 before any work
          --retry-after <text>     the Retry-After header of every 429 (and of the error-after-create
                                   answers), as given (e.g. 3600, -5, soon; "" for none at all)
          --duplicate-rate <0..1>  share of bulk requests whose items are each made and listed twice
          --missing-inference-id-rate <0..1>  share of answer items without their inference_id (still made)
          --shared-inference-id-rate <0..1>   share of 200 bulk answers whose items all name the first
                                   video's inference_id (each item is still made)
          --foreign-project-id-rate <0..1>    share of 200 bulk answers whose items name project_id another-project
          --cdn-token <text>       append ?token=<text> to every 200 bulk item's video_url (a CDN's own token)
          --echo-authorization     error answers and 200 bulk items quote the request's Authorization
                                   header, every way a careless service could (as sent, upper-cased,
                                   encoded, cut, split, in mixed case, escaped, in base64)
          --reject-token-after <n> accept n bulk requests, then answer every request 401 (a token revoked mid-run)
          --max-batch-size <n>     answer 413 to larger bulk requests (0 = off)
          --shuffle                answer bulk items in random order
          --render-seconds <n>     how long a video takes to render (default 3)
          --render-rate <n>        videos per second of each project's render queue: a bulk request's videos
                                   finish together, requests one after another (default 0: none;
                                   a video still takes at least --render-seconds)
          --fail-rate <0..1>       share of videos that end FAILED
          --status-not-found-ms <n>  a status read answers 404 this long after creation
          --stalled-body-rate <0..1>  share of GET answers whose body stops halfway until the client gives up
          --seed <n>               seed for the fault dice
          --port-file <path>       write the listening URL to this file when ready
          --parent-pid <pid>       exit within a few seconds after that process ends (even by kill -9)
          --work-folder <path>     a folder to remove on exit (the starter's logs and port file)

        Faults can be changed while it runs: PUT /_emulator/faults with a JSON body such as
        {"latencyMs": 50, "rateLimit": 20, "shuffle": true}; GET /_emulator/stats counts what it saw.
        """;

    /// <summary>Parses the command line; throws ArgumentException with a readable message.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        var faults = new FaultSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }
            double Rate() => ParseRate(name, Value());
            int Count() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new ArgumentException($"{name} needs a whole number of 0 or more.");

            switch (name)
            {
                case "--urls": options.Url = Value(); break;
                case "--token": options.Token = Value(); break;
                case "--user": options.User = Value().Contains(':') ? args[i] : throw new ArgumentException("--user needs email:password."); break;
                case "--fail-rate": faults = faults with { FailRate = Rate() }; break;
                case "--status-not-found-ms": faults = faults with { StatusNotFoundMs = Count() }; break;
                case "--stalled-body-rate": faults = faults with { StalledBodyRate = Rate() }; break;
                case "--project": options.Projects.Add(ProjectSpec.Parse(Value())); break;
                case "--latency-ms": faults = faults with { LatencyMs = Count() }; break;
                case "--latency-after-create-ms": faults = faults with { LatencyAfterCreateMs = Count() }; break;
                case "--rate-limit": faults = faults with { RateLimit = Count() }; break;
                case "--error-rate": faults = faults with { ErrorRate = Rate() }; break;
                case "--drop-rate": faults = faults with { DropRate = Rate() }; break;
                case "--error-after-create-rate": faults = faults with { ErrorAfterCreateRate = Rate() }; break;
                case "--error-after-create-status": faults = faults with { ErrorAfterCreateStatus = Count() }; break;
                case "--drop-after-create-rate": faults = faults with { DropAfterCreateRate = Rate() }; break;
                case "--partial-create-rate": faults = faults with { PartialCreateRate = Rate() }; break;
                case "--partial-create-status": faults = faults with { PartialCreateStatus = Count() }; break;
                case "--shared-inference-id-rate": faults = faults with { SharedInferenceIdRate = Rate() }; break;
                case "--foreign-project-id-rate": faults = faults with { ForeignProjectIdRate = Rate() }; break;
                case "--cdn-token": faults = faults with { CdnToken = Value() }; break;
                case "--omit-rate": faults = faults with { OmitRate = Rate() }; break;
                case "--malformed-rate": faults = faults with { MalformedRate = Rate() }; break;
                case "--oversize-rate": faults = faults with { OversizeRate = Rate() }; break;
                case "--max-batch-size": faults = faults with { MaxBatchSize = Count() }; break;
                case "--too-many-requests-rate": faults = faults with { TooManyRequestsRate = Rate() }; break;
                case "--retry-after": faults = faults with { RetryAfter = Value() }; break;
                case "--duplicate-rate": faults = faults with { DuplicateRate = Rate() }; break;
                case "--missing-inference-id-rate": faults = faults with { MissingInferenceIdRate = Rate() }; break;
                case "--shuffle": faults = faults with { Shuffle = true }; break;
                case "--echo-authorization": faults = faults with { EchoAuthorization = true }; break;
                case "--reject-token-after": faults = faults with { RejectTokenAfter = Count() }; break;
                case "--render-seconds": options.RenderSeconds = ParseRate(name, Value(), max: 86400); break;
                case "--render-rate": options.RenderRate = ParseRate(name, Value(), max: 1_000_000); break;
                case "--seed": options.Seed = Count(); break;
                case "--port-file": options.PortFile = Value(); break;
                case "--parent-pid": options.ParentProcessId = Count(); break;
                case "--work-folder": options.WorkFolder = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if (string.IsNullOrEmpty(options.Token)) throw new ArgumentException("--token must not be empty.");
        if (faults.Problem() is { } problem) throw new ArgumentException(problem);
        options.Faults = faults;
        return options;
    }

    private static double ParseRate(string name, string text, double max = 1) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= max
            ? value : throw new ArgumentException($"{name} needs a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.");
}

/// <summary>A project to serve: its id, tag names and credits.</summary>
public sealed record ProjectSpec(string ProjectId, IReadOnlyList<string> Tags, long Credits)
{
    public static ProjectSpec Demo => new("demo", new[] { "names" }, 1_000_000);

    /// <summary>id[:tag1,tag2[:credits]]</summary>
    public static ProjectSpec Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0) throw new ArgumentException($"--project '{text}' is not id[:tag1,tag2[:credits]].");
        var tags = parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : new[] { "names" };
        var credits = 1_000_000L;
        if (parts.Length > 2 && !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out credits))
            throw new ArgumentException($"--project '{text}': credits must be a whole number.");
        return new ProjectSpec(parts[0], tags, credits);
    }
}
