namespace GanAi.Ids
{
    /// <summary>The 64-bit hash ids are kept by (<see cref="HashedIdSet"/>, the journal's index).</summary>
    internal static class IdHash
    {
        /// <summary>FNV-1a over the UTF-16 code units (ordinal: ids are opaque, case-sensitive strings), then a 64-bit finalizer.</summary>
        public static ulong Of(string id)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in id)
            {
                hash = (hash ^ (c & 0xFFu)) * 1099511628211UL;
                hash = (hash ^ (uint)(c >> 8)) * 1099511628211UL;
            }
            // MurmurHash3's fmix64: spreads FNV's weak high bits.
            hash ^= hash >> 33;
            hash *= 0xff51afd7ed558ccdUL;
            hash ^= hash >> 33;
            hash *= 0xc4ceb9fe1a85ec53UL;
            hash ^= hash >> 33;
            return hash;
        }
    }
}
