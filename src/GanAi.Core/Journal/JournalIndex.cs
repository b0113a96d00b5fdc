using System;
using System.Collections.Generic;
using GanAi.Ids;

namespace GanAi.Journal
{
    /// <summary>
    /// Where each line an earlier run recorded sits in the journal file, by a 64-bit hash of its
    /// (project, unique_id): 24 bytes a line, where the lines themselves (five URLs each) would take about
    /// 1 KB a row in memory. A lookup reads the candidate lines back from the file and compares
    /// their ids, so two ids that share a hash are told apart, never confused.
    /// </summary>
    internal sealed class JournalIndex
    {
        private readonly Func<string, string, ulong> _keyHash;
        private readonly List<Line> _lines = new List<Line>();
        private bool _sealed;

        /// <param name="keyHash">The hash of (project, unique_id); tests pass a poor one to force collisions.</param>
        public JournalIndex(Func<string, string, ulong> keyHash)
        {
            _keyHash = keyHash;
        }

        /// <summary>Distinct keys among the lines (two keys that share a hash count once).</summary>
        public int KeyCount { get; private set; }

        /// <summary>Lines indexed (a key recorded twice counts twice).</summary>
        public int LineCount => _lines.Count;

        public static ulong DefaultKeyHash(string projectId, string uniqueId) =>
            IdHash.Of(uniqueId) ^ (IdHash.Of(projectId) * 0x9E3779B97F4A7C15UL);

        /// <summary>Adds a line read from the file, in file order.</summary>
        public void Add(string projectId, string uniqueId, long offset, int length)
        {
            if (_sealed) throw new InvalidOperationException("The index is sealed.");
            _lines.Add(new Line(_keyHash(projectId, uniqueId), offset, length));
        }

        /// <summary>Sorts the lines by hash (then by position) once every line is in.</summary>
        public void Seal()
        {
            _lines.Sort((a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : a.Offset.CompareTo(b.Offset));
            _sealed = true;
            for (var i = 0; i < _lines.Count; i++)
            {
                if (i == 0 || _lines[i].Hash != _lines[i - 1].Hash) KeyCount++;
            }
        }

        /// <summary>
        /// The lines whose key shares this key's hash, the latest first (a key recorded again, say
        /// unknown and then created, counts by its latest line). The caller compares the ids.
        /// </summary>
        public IEnumerable<(long Offset, int Length)> Candidates(string projectId, string uniqueId)
        {
            if (!_sealed) throw new InvalidOperationException("Seal the index first.");
            var hash = _keyHash(projectId, uniqueId);
            var last = LastWith(hash);
            for (var i = last; i >= 0 && _lines[i].Hash == hash; i--) yield return (_lines[i].Offset, _lines[i].Length);
        }

        private int LastWith(ulong hash)
        {
            int low = 0, high = _lines.Count - 1, found = -1;
            while (low <= high)
            {
                var middle = low + (high - low) / 2;
                if (_lines[middle].Hash <= hash)
                {
                    if (_lines[middle].Hash == hash) found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            return found;
        }

        private readonly struct Line
        {
            public Line(ulong hash, long offset, int length)
            {
                Hash = hash;
                Offset = offset;
                Length = length;
            }

            public ulong Hash { get; }

            public long Offset { get; }

            public int Length { get; }
        }
    }
}
