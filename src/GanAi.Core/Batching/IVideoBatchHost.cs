using System;
using GanAi.Concurrency;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>
    /// What a <see cref="VideoBatchSession"/> needs from its host (New-GanVideoBatch; a test's fake):
    /// questions for the user and the streams to write to. Every call comes from the thread that
    /// calls the session, which for a cmdlet is the pipeline thread.
    /// </summary>
    public interface IVideoBatchHost
    {
        /// <summary>ShouldProcess: -WhatIf prints it and answers false; -Confirm asks.</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>Asked once the rows to send exceed the project's credits: true to send them anyway (always true unless -Confirm was given and the user says No).</summary>
        bool ConfirmBeyondCredits(string question);

        void WriteResult(VideoResult result);

        /// <summary>One row's error record; <paramref name="target"/> is the row as it came in.</summary>
        void WriteRowError(RowFailure failure, object target);

        /// <summary>A warning, or verbose output.</summary>
        void WriteMessage(RunnerMessage message);

        void WriteProgress(ProgressReport report);

        /// <summary>Straight to the host, for when the streams are closed (a run that is stopping); never throws.</summary>
        void TellWhileStopping(string text);
    }

    /// <summary>How a <see cref="VideoBatchSession"/> runs: New-GanVideoBatch's parameters.</summary>
    public sealed class VideoBatchOptions
    {
        public const int MaxBatchSize = 1000;
        public const int MaxThrottleLimit = 64;

        /// <summary>Batches in flight at the start, and the most the adaptive concurrency grows to when the user sets no -ThrottleLimit.</summary>
        public const int InitialConcurrency = 4;
        public const int DefaultMaxConcurrency = 32;

        /// <summary>The service's name for the caller's id of a row, and the property read for it by default.</summary>
        public const string DefaultUniqueIdProperty = RowBuilder.UniqueIdName;

        public VideoBatchOptions(string projectId) => ProjectId = projectId;

        public string ProjectId { get; }

        /// <summary>The property holding each row's id; null means unique_id.</summary>
        public string? UniqueIdProperty { get; set; }

        public int BatchSize { get; set; } = 100;

        /// <summary>The most batches in flight (the adaptive concurrency's ceiling).</summary>
        public int ThrottleLimit { get; set; } = DefaultMaxConcurrency;

        public ResilienceSettings Resilience { get; set; } = new ResilienceSettings();

        /// <summary>The journal's path (full, as the provider resolved it), or null for none.</summary>
        public string? JournalPath { get; set; }

        public bool RetryUnknown { get; set; }

        public bool SkipPreflight { get; set; }

        /// <summary>-WhatIf: rows are read and checked, the journal only read, nothing sent.</summary>
        public bool WhatIf { get; set; }

        /// <summary>
        /// When a run that keeps a journal stops early (Ctrl+C, <c>Select-Object -First</c>): how long
        /// requests already in flight may take to answer, so their rows are journaled as created rather
        /// than as unknown. Without a journal, requests in flight are cancelled at once.
        /// </summary>
        public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// The run ended early (<see cref="RunEndingFailure"/>, or a failure before any row was read): the
    /// host writes one terminating error from it. Every row read had its own error first.
    /// </summary>
    public sealed class RunEndedException : Exception
    {
        internal RunEndedException(string errorId, FailureCategory category, Exception reported, object? target)
            : base(reported.Message, reported)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        public string ErrorId { get; }

        public FailureCategory Category { get; }

        /// <summary>The exception for the error record (its type says what failed: an UnauthorizedAccessException for a refused token, an IOException for the journal ...).</summary>
        public Exception Reported => InnerException!;

        /// <summary>The error record's target: the project id, or the journal's path.</summary>
        public object? Target { get; }
    }
}
