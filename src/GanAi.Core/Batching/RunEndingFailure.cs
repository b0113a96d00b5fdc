using System;

namespace GanAi.Batching
{
    /// <summary>
    /// A failure that ends the whole run: its ErrorId is one of <see cref="ErrorIds.EndsBatchRun"/>
    /// (docs/errors.md, "Errors that end a run"). No batch is sent after it; each row read and not ended gets <see cref="FailRow"/>,
    /// then the run ends with one terminating error of the same ErrorId. <see cref="RunEnd"/> holds it.
    /// </summary>
    public sealed class RunEndingFailure
    {
        internal RunEndingFailure(string errorId, Exception exception, string? explanation = null)
        {
            if (!ErrorIds.EndsBatchRun(errorId)) throw new ArgumentException("'" + errorId + "' does not end a run (ErrorIds.EndsBatchRun).", nameof(errorId));
            ErrorId = errorId;
            Exception = exception;
            Explanation = explanation ?? exception.Message;
        }

        public string ErrorId { get; }

        public Exception Exception { get; }

        /// <summary>What happened, in a sentence for the errors.</summary>
        public string Explanation { get; }

        /// <summary>A failure of a request that ends the run (<see cref="Api.ApiFailure.EndsRun"/>).</summary>
        internal static RunEndingFailure From(Api.ApiFailure failure) =>
            new RunEndingFailure(failure.ErrorId, failure.Exception, failure.Message);

        /// <summary>The service at <paramref name="baseUri"/> could not be reached (the run's breaker opened).</summary>
        internal static RunEndingFailure Unreachable(Uri baseUri, string reason, Exception? cause) => new RunEndingFailure(ErrorIds.ServiceUnreachable,
            new System.Net.Http.HttpRequestException($"The service at {baseUri} could not be reached: {reason}. Nothing more is sent; run the command again once it answers (with -JournalPath, the run resumes).", cause));

        /// <summary>Something else wrote to the journal: it cannot resume the run as it stands.</summary>
        private bool Changed
        {
            get
            {
                for (var e = Exception; e != null; e = e.InnerException)
                {
                    if (e is Journal.JournalChangedException) return true;
                }
                return false;
            }
        }

        /// <summary>The category of its error records.</summary>
        public FailureCategory Category => Failures.CategoryOf(ErrorId);

        /// <summary>The message of the terminating error: what happened, and what to do.</summary>
        public string Message => ErrorId switch
        {
            ErrorIds.TokenRefused => Explanation.TrimEnd('.') + ". Run Connect-GanAi with a valid token and run the command again.",
            ErrorIds.JournalUnavailable when Changed => $"The run stopped: {Explanation} Nothing more is sent; the rows made so far were written as results.",
            ErrorIds.JournalUnavailable => $"The run stopped: {Explanation} Nothing more is sent. Fix the journal (or free the disk), then run the command again: it resumes from the journal.",
            ErrorIds.InsufficientCredits => "The " + Explanation,
            _ => Explanation,
        };

        /// <summary>
        /// The error of a row the run read and did not make because of this failure. A row that a
        /// request may have made says so: sending it again may make it twice (a journal knows which).
        /// </summary>
        public RowFailure FailRow(VideoRow row)
        {
            if (RowDelivery.MayExist(row.State))
            {
                return RowBuilder.Fail(row, ErrorId, " may or may not have been made (a request with it may have made the video before the run ended): " +
                    (ErrorId == ErrorIds.JournalUnavailable ? "the run stopped because the journal failed (" + Explanation + ")." : Explanation));
            }
            return ErrorId switch
            {
                ErrorIds.TokenRefused => RowBuilder.Fail(row, ErrorId, Category,
                    " was not rendered: the service refused the token. Run Connect-GanAi with a valid token, then send the row again."),
                ErrorIds.ProjectNotFound => RowBuilder.Fail(row, ErrorId, " was not sent: " + Explanation),
                ErrorIds.JournalUnavailable => RowBuilder.Fail(row, ErrorId, " was not sent: the run stopped because the journal failed (" + Explanation + ")."),
                _ => RowBuilder.Fail(row, ErrorId, " was not rendered: " + Explanation),
            };
        }
    }
}
