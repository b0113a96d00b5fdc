using System.Collections.Generic;
using System.Text.Json;

namespace GanAi.Batching
{
    /// <summary>A 200 bulk answer, read: each row's answer, and how many items named no row of the request.</summary>
    internal sealed class BulkAnswerReading
    {
        public BulkAnswerReading(List<RowAnswer> answers, int strangers, JsonException? malformed = null)
        {
            Answers = answers;
            Strangers = strangers;
            Malformed = malformed;
        }

        /// <summary>One per row of the request, in request order (none when the answer could not be read).</summary>
        public List<RowAnswer> Answers { get; }

        /// <summary>Items whose unique_id was not in the request, or that name none.</summary>
        public int Strangers { get; }

        /// <summary>Set when the body is not the documented JSON array (the service did process the request).</summary>
        public JsonException? Malformed { get; }
    }
}
