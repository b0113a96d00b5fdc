using System;
using System.Globalization;
using GanAi.Api;
using GanAi.Resilience;
using Polly;

namespace GanAi.Batching
{
    /// <summary>
    /// The texts of the errors a sent row can end with, in one place. Each says whether the video may
    /// exist (from the row's state): a row the service may have made never reads as "not made", since
    /// its user would send it again.
    /// </summary>
    internal static class RowErrors
    {
        private const string MayExist = " The video may or may not exist.";

        public static RowFailure StoppedInFlight(VideoRow row) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, ": the run was stopped while its request was with the service; the video may or may not exist.");

        /// <summary>A resumed row the journal holds (recorded unknown, or at its cap of sends).</summary>
        public static RowFailure Held(VideoRow row, Journal.JournalRecord recorded) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, string.Format(CultureInfo.InvariantCulture,
            " is recorded in the journal as sent {0} time(s) without a clear answer ({1}); it was not sent again, so no more videos are paid for. Check it, then use -RetryUnknown to send it once more.",
            recorded.Sends, recorded.Status));

        /// <summary>The row reached its cap of sends (<see cref="SpendGuard"/>) and the last one got no clear answer.</summary>
        public static RowFailure AtCap(VideoRow row, int cap, Outcome<ApiResponse> last) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, string.Format(CultureInfo.InvariantCulture,
                ": its request got no clear answer ({0}); the video may or may not exist. It was not sent again: a row is sent at most {1} without a clear answer{2}, so at most that many videos are paid for. " +
                "Check it (the dashboard, the webhook), then run again with -JournalPath and -RetryUnknown to send it once more.",
                TransientFailure.Describe(last), cap == 1 ? "once" : cap.ToString(CultureInfo.InvariantCulture) + " times", cap == 1 ? " (-NoRetryAfterSend)" : string.Empty));

        /// <summary>The request ended without an answer (<paramref name="failure"/>: the one mapping of what failed); the row's state says whether it may exist.</summary>
        public static RowFailure Transport(VideoRow row, ApiFailure failure, int attempts)
        {
            var mayExist = RowDelivery.MayExist(row.State);
            var tries = (attempts == 1 ? "1 attempt" : attempts.ToString(CultureInfo.InvariantCulture) + " attempts") +
                (mayExist ? "; the service may have created the video anyway" : string.Empty);
            var rest = failure.ErrorId switch
            {
                ErrorIds.RequestTimedOut => mayExist
                    ? ": no answer from the service within the time limit after " + tries + "."
                    : ": no connection to the service within the time limit after " + tries + "; nothing was sent.",
                ErrorIds.MalformedAnswer => ": " + failure.Exception.Message + (mayExist ? MayExist : string.Empty),
                _ => ": could not reach the service after " + tries + ": " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(failure.Exception)),
            };
            return RowBuilder.Fail(row, failure.ErrorId, failure.Category, rest, failure.Exception);
        }

        /// <summary>An error status the run goes on after (not a refusal of this row alone).</summary>
        public static RowFailure ServiceAnswered(VideoRow row, GanApiException error, ApiFailure status, int attempts)
        {
            var mayExist = RowDelivery.MayExist(row.State);
            var said = mayExist ? " may or may not have been rendered: " : " was not rendered: ";
            var tail = attempts > 1 ? string.Format(CultureInfo.InvariantCulture, " (after {0} attempts)", attempts) : string.Empty;
            return RowBuilder.Fail(row, status.ErrorId, status.Category, said + error.Message.TrimEnd('.') + tail + "." + (mayExist ? " The service may have created the video anyway." : string.Empty), error);
        }

        public static RowFailure TooLarge(VideoRow row) => RowBuilder.Fail(row, ErrorIds.RowTooLarge, " is too large for the service on its own (413); shorten its values.");

        public static RowFailure Refused(VideoRow row, string reason, GanApiException error) => RowBuilder.Fail(row, ErrorIds.ServiceRejectedRow, " was refused by the service (422): " + reason, error);

        /// <summary>A 200 that cannot be read: the service did process the request.</summary>
        public static RowFailure Malformed(VideoRow row, Exception ex) => RowBuilder.Fail(row, ErrorIds.MalformedAnswer, ": the service's answer is not the expected JSON array (" + ex.Message.TrimEnd('.') + "); the video may or may not exist.", ex);

        /// <summary>What a 200 said of the row, when it is not a result (<see cref="BulkAnswerReader"/>).</summary>
        public static RowFailure Unusable(RowAnswer answer) => answer.Kind switch
        {
            AnswerKind.WithoutInferenceId => RowBuilder.Fail(answer.Row, ErrorIds.NoResultReturned, " got no usable result: the service answered 200, but its item for this unique_id has no inference_id (" + BulkAnswerReader.Describe(answer.Item!) + ")." + MayExist),
            AnswerKind.SharedVideo => RowBuilder.Fail(answer.Row, ErrorIds.InconsistentAnswer, " got no usable result: the service answered 200, but the video it names for this row (" + BulkAnswerReader.Describe(answer.Item!) +
                ") is also named for another row, so whose video it is cannot be told." + MayExist + " Check it in the dashboard before sending it again."),
            AnswerKind.ForeignProject => RowBuilder.Fail(answer.Row, ErrorIds.InconsistentAnswer, " got no usable result: the service answered 200, but its item for this unique_id names another project (" + BulkAnswerReader.Describe(answer.Item!) + ")." + MayExist +
                " Check it in the dashboard before sending it again."),
            _ => RowBuilder.Fail(answer.Row, ErrorIds.NoResultReturned, " got no result: the service answered 200 but its answer does not mention this unique_id." + MayExist),
        };

        /// <summary>The conservation rule's last resort: a row no path ended (a defect).</summary>
        public static RowFailure Unexpected(VideoRow row, Exception? unexpected) => RowBuilder.Fail(row, ErrorIds.UnexpectedError, " has no recorded outcome" + (unexpected is null ? string.Empty : " because of an unexpected error: " + unexpected.Message) + "; the video may or may not exist.", unexpected);
    }
}
