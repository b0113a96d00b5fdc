using System;

namespace GanAi.Batching
{
    /// <summary>The ids used so far in one run: a second row with the same id is refused, never sent twice.</summary>
    /// <remarks>
    /// It keeps a 64-bit hash of each id, not the id, in open-addressing tables of longs: 8 to 16
    /// bytes an id instead of about 70 for a HashSet of strings, so streaming a million rows does not
    /// keep a million strings alive (benchmark 3's memory target). Two different
    /// ids share a hash with a chance of about n^2 / 2^65 (1 in 37 million for a run of 1,000,000
    /// rows); the later row would then be refused as a duplicate: an error that names it, never a
    /// doubled or lost video.
    /// </remarks>
    public sealed class UniqueIdRegistry
    {
        // 256 tables, picked by a hash's top 8 bits, each grown on its own: growing one table copies a
        // 256th of the hashes, where one table for all would hold its old and its new array at once
        // (about 23 MB at a million ids, more than the table itself). In each table, slots hold
        // hashes and 0 marks an empty slot (a hash of 0 is stored as 1); linear probing, grown by
        // half past 85 % load. A table is made when its first hash arrives: a run of ten rows makes ten.
        private const int TableBits = 8;
        private readonly ulong[]?[] _tables = new ulong[1 << TableBits][];
        private readonly int[] _counts = new int[1 << TableBits];

        public int Count { get; private set; }

        /// <summary>Claims the row's id, or returns the failure for a repeated one.</summary>
        public RowFailure? Claim(VideoRow row)
        {
            if (Add(Hash(row.UniqueId))) return null;
            return RowBuilder.Fail(ErrorIds.DuplicateUniqueId, FailureCategory.InvalidData, row.Number,
                $"repeats unique_id '{row.UniqueId}', already used by an earlier row of this run; it was not sent, so no second video is made.", row.UniqueId);
        }

        private bool Add(ulong hash)
        {
            if (hash == 0) hash = 1;
            var table = (int)(hash >> (64 - TableBits));
            var slots = _tables[table] ??= new ulong[8];
            if ((_counts[table] + 1) * 20L > slots.Length * 17L) slots = Grow(table, slots);
            if (!Insert(slots, hash)) return false;
            _counts[table]++;
            Count++;
            return true;
        }

        private static bool Insert(ulong[] slots, ulong hash)
        {
            for (var i = (int)(hash % (ulong)slots.Length); ; i = i + 1 == slots.Length ? 0 : i + 1)
            {
                if (slots[i] == hash) return false;
                if (slots[i] != 0) continue;
                slots[i] = hash;
                return true;
            }
        }

        private ulong[] Grow(int table, ulong[] old)
        {
            var larger = new ulong[old.Length + old.Length / 2];
            foreach (var hash in old)
            {
                if (hash != 0) Insert(larger, hash);
            }
            return _tables[table] = larger;
        }

        /// <summary>FNV-1a over the UTF-16 code units (ordinal: ids are opaque, case-sensitive strings), then a 64-bit finalizer.</summary>
        internal static ulong Hash(string id)
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
