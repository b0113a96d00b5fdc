using System;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>How a <see cref="VideoBatchSession"/> runs: New-GanVideoBatch's parameters.</summary>
    public sealed class VideoBatchOptions
    {
        public const int MaxBatchSize = 1000;
        public const int MaxThrottleLimit = 64;

        /// <summary>Batches in flight at the start, and the most the adaptive concurrency grows to when the user sets no -ThrottleLimit.</summary>
        public const int InitialConcurrency = 4;
        public const int DefaultMaxConcurrency = 32;

        /// <summary>The service's name for the caller's id of a row, and the property read for it by default.</summary>
        public const string DefaultUniqueIdProperty = "unique_id";

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
}
