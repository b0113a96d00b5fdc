using System;
using System.Collections.Generic;
using System.Linq;
using GanAi.Api;
using Polly;

namespace GanAi.Batching
{
    /// <summary>The rows one request still carries (a resend leaves out those at their cap of sends), and its body, made once per set of rows.</summary>
    internal sealed class LiveRows
    {
        private ArraySegment<byte>? _body;

        public LiveRows(IReadOnlyList<VideoRow> rows) => Rows = rows;

        public IReadOnlyList<VideoRow> Rows { get; private set; }

        public ArraySegment<byte>? Body() => _body ??= BulkRequestWriter.Write(Rows);

        /// <summary>Before a resend after an unclear answer: rows at their cap end as OutcomeUnknown; true while any row may be sent again.</summary>
        public bool KeepResendable(SpendGuard guard, BatchOutcome outcome, Outcome<ApiResponse> last)
        {
            if (Rows.All(guard.MayResend)) return true;
            var resendable = new List<VideoRow>(Rows.Count);
            foreach (var row in Rows)
            {
                if (guard.MayResend(row)) resendable.Add(row);
                else outcome.Abandon(row, RowErrors.AtCap(row, guard.Cap, last));
            }
            Rows = resendable;
            _body = null;
            return resendable.Count > 0;
        }
    }
}
