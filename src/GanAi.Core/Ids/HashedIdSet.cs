using System;
using System.Runtime.InteropServices;

namespace GanAi.Ids
{
    /// <summary>
    /// A set of ids kept as 64-bit hashes in open-addressing tables: 8 to 16 bytes an id instead of
    /// about 70 for a HashSet of strings, so a run of a million rows does not keep a million strings
    /// alive (benchmark 3's memory target). Two different ids share a hash with a chance of about
    /// n^2 / 2^65 (1 in 37 million for a run of 1,000,000 ids); the later one is then taken for a
    /// repeat. Not thread-safe: its owner locks it if it must.
    /// </summary>
    /// <remarks>
    /// The tables live in native memory, freed the moment a table grows (and when the set is
    /// disposed or collected). As managed arrays, each grown table left its old array as garbage in
    /// the oldest generation, where it waited for a full collection: a million-row run held about
    /// as much dead table as live (measured in docs/benchmarks.md), and a run keeps two such sets.
    /// </remarks>
    internal sealed unsafe class HashedIdSet : IDisposable
    {
        // 256 tables, picked by a hash's top 8 bits, each grown on its own, so growing copies a
        // 256th of the hashes. In each table, slots hold hashes and 0 marks an empty slot (a hash of
        // 0 is stored as 1); linear probing, grown by half past 85 % load. A table is made when its
        // first hash arrives: a run of ten ids makes ten.
        private const int TableBits = 8;
        private const int FirstCapacity = 8;
        private readonly IntPtr[] _tables = new IntPtr[1 << TableBits];
        private readonly int[] _capacities = new int[1 << TableBits];
        private readonly int[] _counts = new int[1 << TableBits];
        private bool _disposed;

        ~HashedIdSet() => Free();

        public int Count { get; private set; }

        /// <summary>Adds the id; false when it (or an id with its hash) is there already.</summary>
        public bool Add(string id) => Add(IdHash.Of(id));

        /// <summary>Frees the tables; only once nothing can add to the set any more (its owner's work has ended).</summary>
        public void Dispose()
        {
            _disposed = true;
            Free();
            GC.SuppressFinalize(this);
        }

        private bool Add(ulong hash)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(HashedIdSet));
            if (hash == 0) hash = 1;
            var table = (int)(hash >> (64 - TableBits));
            if (_tables[table] == IntPtr.Zero) Allocate(table, FirstCapacity);
            if ((_counts[table] + 1) * 20L > _capacities[table] * 17L) Grow(table);
            if (!Insert((ulong*)_tables[table], _capacities[table], hash)) return false;
            _counts[table]++;
            Count++;
            return true;
        }

        private static bool Insert(ulong* slots, int capacity, ulong hash)
        {
            for (var i = (int)(hash % (ulong)capacity); ; i = i + 1 == capacity ? 0 : i + 1)
            {
                if (slots[i] == hash) return false;
                if (slots[i] != 0) continue;
                slots[i] = hash;
                return true;
            }
        }

        private void Grow(int table)
        {
            var old = (ulong*)_tables[table];
            var oldCapacity = _capacities[table];
            Allocate(table, oldCapacity + oldCapacity / 2);
            var slots = (ulong*)_tables[table];
            for (var i = 0; i < oldCapacity; i++)
            {
                if (old[i] != 0) Insert(slots, _capacities[table], old[i]);
            }
            Marshal.FreeHGlobal((IntPtr)old);
        }

        /// <summary>A new, empty table of <paramref name="capacity"/> slots (the old one, if any, is the caller's to free).</summary>
        private void Allocate(int table, int capacity)
        {
            var bytes = capacity * sizeof(ulong);
            var memory = Marshal.AllocHGlobal(bytes);
            new Span<byte>((void*)memory, bytes).Clear();
            _tables[table] = memory;
            _capacities[table] = capacity;
        }

        private void Free()
        {
            for (var table = 0; table < _tables.Length; table++)
            {
                if (_tables[table] == IntPtr.Zero) continue;
                Marshal.FreeHGlobal(_tables[table]);
                _tables[table] = IntPtr.Zero;
                _capacities[table] = 0;
            }
        }
    }
}
