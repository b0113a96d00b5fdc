using System.Net.Http;
using GanAi.Api;
using Polly;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>
    /// Which answers prove that nothing was made, and which are worth another attempt: the one table
    /// of docs/delivery.md's rule 2. The service has no idempotency key, so only an answer that proves
    /// nothing was made lets a billable request be sent again without counting as a send.
    /// </summary>
    internal static class OutcomeClassifier
    {
        /// <summary>
        /// Clear: a redirect of the request itself (300, 301, 304 to 308: before any handler); 401, 403, any 404, 405, 408, 413, 415, 422, 429, 431
        /// (refusals given before the work: 413/422/429 are assumed so, as a FastAPI service behind a
        /// gateway answers them); Cloudflare's 521, 522, 523, 525 and 526 (the origin was never
        /// reached). Unclear: 302 and 303 (how a service answers a POST it processed, Post/Redirect/Get),
        /// 1xx, every other 4xx (400, 402, 409 ...: the service may have made part
        /// of a batch before it refused), every other 5xx (500, 502, 503, 504, 520, 524 ...), and
        /// anything else.
        /// </summary>
        public static WorkVerdict ForStatus(int status)
        {
            if (status >= 200 && status <= 299) return WorkVerdict.Done;
            if (status == 302 || status == 303) return WorkVerdict.MayHaveMade;
            if (status >= 300 && status <= 399) return WorkVerdict.NothingMade;
            switch (status)
            {
                case 401: case 403: case 404: case 405: case 408: case 413: case 415: case 422: case 429: case 431:
                case 521: case 522: case 523: case 525: case 526:
                    return WorkVerdict.NothingMade;
                default:
                    return WorkVerdict.MayHaveMade;
            }
        }

        /// <summary>
        /// Statuses worth another attempt: 408 and 429 (refusals that pass), the gateway's and the
        /// origin's passing failures (500, 502, 503, 504, 520, 524) and Cloudflare's origin-unreachable
        /// ones (521, 522, 523, 525, 526). Never another 4xx: its answer would not change.
        /// </summary>
        public static bool IsRetryableStatus(int status)
        {
            switch (status)
            {
                case 408: case 429: case 500: case 502: case 503: case 504:
                case 520: case 521: case 522: case 523: case 524: case 525: case 526:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// One attempt's outcome. <paramref name="bodyLeft"/>: whether its request started to go out on
        /// a connection (for a request with a body: the body started to be written; without a body:
        /// the request was handed over). A failure before that made nothing, whatever it was.
        /// </summary>
        public static AttemptVerdict Classify(Outcome<ApiResponse> outcome, bool bodyLeft)
        {
            if (outcome.Exception is null)
            {
                var status = outcome.Result!.Status;
                return new AttemptVerdict(ForStatus(status), IsRetryableStatus(status), status: status);
            }
            switch (outcome.Exception)
            {
                case GanApiException unread when unread.StatusCode > 0:
                    // An answer too large to read: its status still says what the service did; a 2xx
                    // made the videos, whose results are lost, so it is never sent again.
                    var work = ForStatus(unread.StatusCode);
                    return new AttemptVerdict(work == WorkVerdict.Done ? WorkVerdict.MayHaveMade : work, retryable: false, status: unread.StatusCode);
                case TimeoutRejectedException _:
                case HttpRequestException _:
                case System.IO.IOException _:
                    return bodyLeft
                        ? new AttemptVerdict(WorkVerdict.MayHaveMade, retryable: true, noAnswer: true)
                        : new AttemptVerdict(WorkVerdict.NothingMade, retryable: true, neverLeft: true);
                default:
                    // A cancellation, a defect: the caller decides; made nothing only if nothing left.
                    return new AttemptVerdict(bodyLeft ? WorkVerdict.MayHaveMade : WorkVerdict.NothingMade, retryable: false, neverLeft: !bodyLeft);
            }
        }
    }
}
