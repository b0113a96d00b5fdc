using System;

namespace GanAi.Ids
{
    /// <summary>
    /// A set of ids kept as 64-bit hashes in open-addressing tables of longs: 8 to 16 bytes an id
    /// instead of about 70 for a HashSet of strings, so a run of a million rows does not keep a
    /// million strings alive (benchmark 3's memory target). Two different ids share a hash with a
    /// chance of about n^2 / 2^65 (1 in 37 million for a run of 1,000,000 ids); the later one is then
    /// taken for a repeat. Not thread-safe: its owner locks it if it must.
    /// </summary>
    internal sealed class HashedIdSet
    {
        // 256 tables, picked by a hash's top 8 bits, each grown on its own: growing one table copies a
        // 256th of the hashes, where one table for all would hold its old and its new array at once
        // (about 23 MB at a million ids, more than the table itself). In each table, slots hold
        // hashes and 0 marks an empty slot (a hash of 0 is stored as 1); linear probing, grown by
        // half past 85 % load. A table is made when its first hash arrives: a run of ten ids makes ten.
        private const int TableBits = 8;
        private readonly ulong[]?[] _tables = new ulong[1 << TableBits][];
        private readonly int[] _counts = new int[1 << TableBits];

        public int Count { get; private set; }

        /// <summary>Adds the id; false when it (or an id with its hash) is there already.</summary>
        public bool Add(string id) => Add(IdHash.Of(id));

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

    }
}
