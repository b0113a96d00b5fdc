using System;
using System.Globalization;
using System.Security.Cryptography;

namespace GanAi.Batching
{
    /// <summary>
    /// The id of the bulk request that made a video (VideoResult.RequestId): the run's id, the batch's
    /// number and, for a part the service asked for (a 413 half, a 422's rest), the part's number:
    /// <c>k3v9qd-12</c>, <c>k3v9qd-12.1</c>. Short enough for a CSV column, unique across runs in practice
    /// (30 random bits a run), and only ever compared for equality.
    /// </summary>
    internal static class RequestIds
    {
        private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: read back by people

        public static string NewRunId()
        {
            var bytes = new byte[6];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var id = new char[6];
            for (var i = 0; i < id.Length; i++) id[i] = Alphabet[bytes[i] % Alphabet.Length];
            return new string(id);
        }

        public static string Of(string runId, int batch, int part) =>
            part == 0
                ? string.Format(CultureInfo.InvariantCulture, "{0}-{1}", runId, batch)
                : string.Format(CultureInfo.InvariantCulture, "{0}-{1}.{2}", runId, batch, part);
    }
}
