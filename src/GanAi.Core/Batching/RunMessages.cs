using System;
using System.Globalization;

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
        /// Rows sent, videos created, results from the journal (counted apart: they cost nothing),
        /// errors, rows per second and the time so far.
        /// </summary>
        public static string Progress(string projectId, long read, long sent, long created, long fromJournal, long errors, TimeSpan elapsed) => string.Format(CultureInfo.InvariantCulture,
            "Project '{0}': {1} row(s) sent, {2} video(s) created, {3} from the journal, {4} error(s); {5:0} rows/s, {6:hh\\:mm\\:ss} elapsed",
            projectId, sent, created, fromJournal, errors, elapsed.TotalSeconds > 0 ? read / elapsed.TotalSeconds : 0, elapsed);

        public static string WaitingWhileStopping(int batches, TimeSpan wait) => string.Format(CultureInfo.InvariantCulture,
            "Stopping: waiting up to {0:0.#} s for the answers of {1} batch(es) in flight, so the journal records their rows.", wait.TotalSeconds, batches);

        public static string StoppedInFlight(long rows, int batches) => string.Format(CultureInfo.InvariantCulture,
            "Stopped with {0} row(s) in {1} batch(es) sent and not answered: the service may or may not have made their videos, and without -JournalPath this run cannot tell which. " +
            "Check them in the service; run with -JournalPath, and a stopped run records such rows and its resume flags them.", rows, batches);

        public static string StoppedUnwritten(long rows, long made) => string.Format(CultureInfo.InvariantCulture,
            "Stopped with {0} row(s) answered and not written ({1} with a result, {2} with an error): the pipeline ended before they were written, and without -JournalPath this run keeps no record of them. " +
            "Check them in the service; with -JournalPath, a resumed run writes their results again.", rows, made, rows - made);
    }
}
