using GanAi.Ids;

namespace GanAi.Batching
{
    /// <summary>
    /// The ids used so far in one run: a second row with the same id is refused, never sent twice.
    /// Kept as hashes (<see cref="HashedIdSet"/>): should two different ids share one, the later row
    /// is refused as a duplicate: an error that names it, never a doubled or lost video.
    /// </summary>
    public sealed class UniqueIdRegistry : System.IDisposable
    {
        private readonly HashedIdSet _ids = new HashedIdSet();

        public int Count => _ids.Count;

        public void Dispose() => _ids.Dispose();

        /// <summary>Claims the row's id, or returns the failure for a repeated one.</summary>
        public RowFailure? Claim(VideoRow row)
        {
            if (_ids.Add(row.UniqueId)) return null;
            return RowBuilder.Fail(ErrorIds.DuplicateUniqueId, row.Number,
                $"repeats unique_id '{row.UniqueId}', already used by an earlier row of this run; it was not sent, so no second video is made.", row.UniqueId);
        }
    }
}
