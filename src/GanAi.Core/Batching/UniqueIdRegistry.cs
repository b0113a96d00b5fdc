using System;
using System.Collections.Generic;

namespace GanAi.Batching
{
    /// <summary>The ids used so far in one run: a second row with the same id is refused, never sent twice.</summary>
    public sealed class UniqueIdRegistry
    {
        // Ids compare ordinally: the service treats unique_id as an opaque string.
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        public int Count => _seen.Count;

        /// <summary>Claims the row's id, or returns the failure for a repeated one.</summary>
        public RowFailure? Claim(VideoRow row)
        {
            if (_seen.Add(row.UniqueId)) return null;
            return RowBuilder.Fail(ErrorIds.DuplicateUniqueId, FailureCategory.InvalidData, row.Number,
                $"repeats unique_id '{row.UniqueId}', already used by an earlier row of this run; it was not sent, so no second video is made.");
        }
    }
}
