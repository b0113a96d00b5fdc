using System;
using System.Collections.Generic;
using GanAi.Journal;

namespace GanAi.Batching
{
    /// <summary>
    /// What a row's delivery means for the journal: the lines a run writes ahead of each send and
    /// when a batch ends (<see cref="RowDelivery.JournalStatus"/>), and a recorded result read back.
    /// The journal itself knows lines, not rows.
    /// </summary>
    internal static class JournalLines
    {
        /// <summary>Written ahead of a send of <paramref name="rows"/>: each as sending, counting the send about to go out.</summary>
        public static IEnumerable<JournalEntry> Sending(string projectId, IEnumerable<VideoRow> rows)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var row in rows) yield return Status(RunJournal.Sending, projectId, row.UniqueId, row.Sends + 1, now);
        }

        /// <summary>
        /// A finished batch's final lines: created with the result, or the status of each other row
        /// that ended after it was sent in this run (none for a row not sent: its earlier line stays its latest).
        /// </summary>
        public static List<JournalEntry> Final(string projectId, BatchOutcome outcome)
        {
            var now = DateTimeOffset.UtcNow;
            var lines = new List<JournalEntry>(outcome.Rows.Count);
            foreach (var result in outcome.Results)
            {
                lines.Add(new JournalEntry
                {
                    Status = RunJournal.Created,
                    ProjectId = projectId,
                    UniqueId = result.UniqueId,
                    InferenceId = result.InferenceId,
                    VideoUrl = result.VideoUrl,
                    AudioUrl = result.AudioUrl,
                    ThumbnailUrl = result.ThumbnailUrl,
                    SmartUrl = result.SmartUrl,
                    Permalink = result.Permalink,
                    PossibleDuplicate = result.PossibleDuplicate,
                    SendCount = result.SendCount,
                    RequestId = result.RequestId,
                    RecordedAt = now,
                });
            }
            foreach (var row in outcome.Rows)
            {
                // Created rows were written with their results above; a row not ended has no final line yet.
                if (!RowDelivery.IsEnded(row.State) || RowDelivery.JournalStatus(row.State) is not { } status || status == RunJournal.Created) continue;
                lines.Add(Status(status, projectId, row.UniqueId, row.Sends, now));
            }
            return lines;
        }

        /// <summary>A result an earlier run recorded, written again for this run's row (its number and tags).</summary>
        public static VideoResult ToResult(JournalRecord record, VideoRow row)
        {
            var entry = record.Latest;
            return new VideoResult(row.UniqueId, entry.ProjectId ?? string.Empty, entry.InferenceId, entry.VideoUrl, entry.AudioUrl, entry.ThumbnailUrl, entry.SmartUrl,
                entry.Permalink, entry.PossibleDuplicate, row.Number, row.Tags, fromJournal: true, sendCount: Math.Max(1, record.Sends), requestId: entry.RequestId);
        }

        private static JournalEntry Status(string status, string projectId, string uniqueId, int sends, DateTimeOffset at) =>
            new JournalEntry { Status = status, ProjectId = projectId, UniqueId = uniqueId, SendCount = sends, RecordedAt = at };
    }
}
