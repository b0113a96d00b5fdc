using System.Globalization;
using System.IO;
using System;
using GanAi.Concurrency;
using GanAi.Journal;

namespace GanAi.Batching
{
    /// <summary>
    /// A run's journal on the reading side: opening it, and the resume rule (a journal's record of a
    /// row, the run's cap and -RetryUnknown in; what to do with the row out).
    /// </summary>
    internal static class JournalResume
    {
        /// <summary>
        /// Opens the run's journal (under -WhatIf only reads it; null when it does not exist yet); what
        /// keeps it from being used ends the run before a row is read.
        /// </summary>
        /// <exception cref="RunEndedException">JournalUnavailable (its category says why), or JournalDamaged.</exception>
        public static RunJournal? Open(VideoBatchOptions options, string idProperty, Action<PipelineMessage> say)
        {
            var path = options.JournalPath!;
            RunJournal? journal;
            try
            {
                journal = options.WhatIf ? RunJournal.OpenForReading(path, idProperty) : RunJournal.Open(path, idProperty);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                if (ex is JournalDamagedException) throw new RunEndedException(ErrorIds.JournalDamaged, ex, path);
                var category = ex is JournalFormatException ? FailureCategory.InvalidData : ex is JournalBusyException ? FailureCategory.ResourceBusy
                    : ex is UnauthorizedAccessException ? FailureCategory.PermissionDenied : FailureCategory.ResourceUnavailable;
                throw new RunEndedException(ErrorIds.JournalUnavailable, category, ex, path);
            }
            say(new PipelineMessage(false, journal is null
                ? $"Journal {path}: no such file yet; -WhatIf creates none."
                : string.Format(CultureInfo.InvariantCulture, "Journal {0}: {1} row(s) recorded by earlier runs{2}.", path, journal.Count,
                    journal.TornLastLine ? "; its last line was torn by a crash in mid-write and was dropped" : string.Empty)));
            return journal;
        }

        public static ResumeAction Decide(JournalRecord? recorded, SpendGuard guard, bool retryUnknown)
        {
            if (recorded is null || recorded.Status == RunJournal.NotCreated) return ResumeAction.SendNew;
            if (recorded.Status == RunJournal.Created) return ResumeAction.WriteResult;
            if (!guard.Holds(recorded.Status, recorded.Sends)) return ResumeAction.SendAgain;
            return retryUnknown ? ResumeAction.SendAgain : ResumeAction.Hold;
        }

        /// <summary>
        /// The row's delivery for a resend: the sends so far, and for a held row that -RetryUnknown
        /// released, a limit of one send more (each -RetryUnknown buys one send).
        /// </summary>
        public static void Prepare(VideoRow row, JournalRecord recorded, SpendGuard guard) =>
            row.Resume(recorded.Sends, guard.Holds(recorded.Status, recorded.Sends) ? recorded.Sends + 1 : 0);
    }
}
