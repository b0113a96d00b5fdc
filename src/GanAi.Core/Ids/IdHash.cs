using System.Text;

namespace GanAi.Ids
{
    /// <summary>
    /// The 64-bit hash ids are kept by (<see cref="HashedIdSet"/>, the journal's index), and when two
    /// ids are the same. Ids are opaque and case-sensitive, compared by their characters, except that
    /// canonically equivalent Unicode counts as one id: "café" typed (é, U+00E9) and "café" pasted
    /// from a Mac (e and a combining U+0301) are one person, and a journal must not send them twice.
    /// The id is sent to the service as the row gave it.
    /// </summary>
    internal static class IdHash
    {
        /// <summary>Below this every character is its own NFC form and combines with nothing before it.</summary>
        private const char FirstCombining = '\u0300';

        /// <summary>FNV-1a over the UTF-16 code units of the id's NFC form, then a 64-bit finalizer.</summary>
        public static ulong Of(string id)
        {
            var hash = 14695981039346656037UL;
            var highest = 0;
            foreach (var c in id)
            {
                highest |= c;
                hash = (hash ^ (c & 0xFFu)) * 1099511628211UL;
                hash = (hash ^ (uint)(c >> 8)) * 1099511628211UL;
            }
            // Nearly every id is below U+0300 (the loop above told): only the rest may need their NFC form.
            if (highest >= FirstCombining && Canonical(id) is var canonical && !ReferenceEquals(canonical, id)) return Of(canonical);
            // MurmurHash3's fmix64: spreads FNV's weak high bits.
            hash ^= hash >> 33;
            hash *= 0xff51afd7ed558ccdUL;
            hash ^= hash >> 33;
            hash *= 0xc4ceb9fe1a85ec53UL;
            hash ^= hash >> 33;
            return hash;
        }

        /// <summary>Whether two ids are one: equal, or canonically equivalent.</summary>
        public static bool Same(string a, string b) =>
            string.Equals(a, b, System.StringComparison.Ordinal) || (a.Length > 0 && b.Length > 0 && string.Equals(Canonical(a), Canonical(b), System.StringComparison.Ordinal));

        /// <summary>The id's NFC form; the same instance when it already is (the usual case).</summary>
        public static string Canonical(string id)
        {
            foreach (var c in id)
            {
                if (c >= FirstCombining) return id.IsNormalized(NormalizationForm.FormC) ? id : id.Normalize(NormalizationForm.FormC);
            }
            return id;
        }
    }
}
