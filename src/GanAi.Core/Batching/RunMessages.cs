using System;
using System.Globalization;
using GanAi.Concurrency;

namespace GanAi.Batching
{
    /// <summary>What a run says of itself: its start, its progress, its end, and a stop's account of the rows it could not record.</summary>
    internal static class RunMessages
    {
        public static string Starting(VideoBatchOptions options, Uri baseUri, int concurrency, int cap) => string.Format(CultureInfo.InvariantCulture,
            "Sending rows to project '{0}' at {1} in batches of {2}, {3} request(s) at once to start with, up to {4}; a row is sent at most {5} time(s) without a clear answer.",
            options.ProjectId, baseUri, options.BatchSize, concurrency, options.ThrottleLimit, cap);

        /// <summary>-WhatIf's one line (<paramref name="fromJournal"/>: null without a journal).</summary>
        public static string WouldSend(VideoBatchOptions options, long rows, int batches, long? fromJournal) => string.Format(CultureInfo.InvariantCulture,
            "{0} row(s) in {1} batch(es) of up to {2} to project '{3}'{4}", rows, batches, options.BatchSize, options.ProjectId,
            fromJournal is { } recorded ? string.Format(CultureInfo.InvariantCulture, " ({0} other row(s) are recorded as created in the journal and would not be sent)", recorded) : string.Empty);

        public static string Done(long read, long created, long fromJournal, long errors, TimeSpan elapsed) => string.Format(CultureInfo.InvariantCulture,
            "Done: {0} row(s) read, {1} video(s) created, {2} result(s) from the journal, {3} error(s), in {4:0.0} s.", read, created, fromJournal, errors, elapsed.TotalSeconds);

        public static string PossibleDuplicates(long count) => string.Format(CultureInfo.InvariantCulture,
            "{0} video(s) may have been made twice: a request with their rows failed after the service may have processed it, and was sent again. Their results have PossibleDuplicate set (SendCount 2); check them with Where-Object PossibleDuplicate.",
            count);

        /// <summary>
        /// Rows read, videos made, results from the journal (counted apart: they cost nothing; shown once
        /// there are any), errors, rows per second and the time so far. Numbers first and short: PowerShell
        /// 7's minimal view draws the activity and this on one line of at most 120 columns, and cuts the rest.
        /// The total is not known while rows stream.
        /// </summary>
        public static string Progress(long read, long made, long fromJournal, long errors, TimeSpan elapsed) => ProgressText.Join(
            ProgressText.Count(read, "row read", "rows read"),
            ProgressText.Number(made) + " made",
            fromJournal > 0 ? ProgressText.Number(fromJournal) + " from journal" : null,
            ProgressText.Count(errors, "error", "errors"),
            ProgressText.Rate(read, elapsed, "rows/s"),
            ProgressText.Elapsed(elapsed));

        public static string WaitingWhileStopping(int batches, TimeSpan wait) => string.Format(CultureInfo.InvariantCulture,
            "Stopping: waiting up to {0:0.#} s for the answers of {1} batch(es) in flight, so the journal records their rows.", wait.TotalSeconds, batches);

        /// <summary>A journaled run's stop with batches in flight: how many rows the journal now holds as unknown, and what the next run does with them.</summary>
        public static string StoppedJournaled(long unknown, string journalPath) => unknown > 0
            ? string.Format(CultureInfo.InvariantCulture,
                "Stopped: {0} row(s) sent and not answered are now 'unknown' in the journal {1}: the service may have made their videos. " +
                "The next run with this journal holds them (an OutcomeUnknown error each) instead of sending them again; check them in the service, " +
                "then run with -RetryUnknown to send them once more.", unknown, journalPath)
            : string.Format(CultureInfo.InvariantCulture,
                "Stopped: 0 rows are 'unknown' in the journal {0}: every batch in flight answered in time. The next run with this journal writes their results and sends the rows not sent yet.",
                journalPath);

        public static string StoppedInFlight(long rows, int batches) => string.Format(CultureInfo.InvariantCulture,
            "Stopped with {0} row(s) in {1} batch(es) sent and not answered: the service may or may not have made their videos, and without -JournalPath this run cannot tell which. " +
            "Check them in the service; run with -JournalPath, and a stopped run records such rows and its resume flags them.", rows, batches);

        public static string StoppedUnwritten(long rows, long made) => string.Format(CultureInfo.InvariantCulture,
            "Stopped with {0} row(s) answered and not written ({1} with a result, {2} with an error): the pipeline ended before they were written, and without -JournalPath this run keeps no record of them. " +
            "Check them in the service; with -JournalPath, a resumed run writes their results again.", rows, made, rows - made);
    }
}
