using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace GanAi
{
    /// <summary>
    /// Typed fakes for tests of scripts that use this module: the objects the cmdlets write, made
    /// without the service. A <c>Mock New-GanVideoBatch { [GanAi.GanModelFactory]::VideoResult(...) }</c>
    /// returns results that format, export (one column per tag) and pipe into Wait-GanVideo and
    /// Save-GanVideo exactly like real ones. Every parameter is optional.
    /// </summary>
    public static class GanModelFactory
    {
        /// <summary>
        /// A New-GanVideoBatch result. <paramref name="tags"/>: the row's tags, in order (an ordered
        /// dictionary, <c>[ordered]@{ names = 'Ann' }</c>, or any dictionary); each shows as a property.
        /// Without ids, made-up ones are used; without URLs, URLs under https://media.example are made
        /// from the inference id (point them at the emulator to download them for real). Without
        /// <paramref name="sendCount"/>, 2 for a possible duplicate, else 1. <paramref name="requestId"/>:
        /// the bulk request that made it (results with one wait as a group in Wait-GanVideo).
        /// </summary>
        public static VideoResult VideoResult(
            string? uniqueId = null,
            string? inferenceId = null,
            string? projectId = null,
            IDictionary? tags = null,
            string? videoUrl = null,
            string? audioUrl = null,
            string? thumbnailUrl = null,
            string? smartUrl = null,
            string? permalink = null,
            bool possibleDuplicate = false,
            long rowNumber = 1,
            bool fromJournal = false,
            int? sendCount = null,
            string? requestId = null)
        {
            if (rowNumber < 1) throw new ArgumentOutOfRangeException(nameof(rowNumber), rowNumber, "A row number starts at 1.");
            if (sendCount < 1) throw new ArgumentOutOfRangeException(nameof(sendCount), sendCount, "A result was sent at least once.");
            var inference = Given(inferenceId) ?? FakeId();
            var project = Given(projectId) ?? "project";
            var media = "https://media.example/" + Uri.EscapeDataString(project) + "/" + inference;
            return new VideoResult(Given(uniqueId) ?? "row-" + rowNumber.ToString(CultureInfo.InvariantCulture), project, inference,
                Given(videoUrl) ?? media + ".mp4", Given(audioUrl) ?? media + ".mp3", Given(thumbnailUrl) ?? media + ".jpg",
                Given(smartUrl) ?? "https://media.example/share/" + inference, Given(permalink) ?? "https://media.example/p/" + inference,
                possibleDuplicate, rowNumber, Tags(tags), fromJournal, sendCount ?? (possibleDuplicate ? 2 : 1), Given(requestId));
        }

        /// <summary>
        /// A Get-GanVideoStatus / Wait-GanVideo status. <paramref name="genStatus"/>: the service's text
        /// (SUCCEEDED, FAILED, PENDING ...; default SUCCEEDED), read as the cmdlets read it.
        /// </summary>
        public static VideoStatus VideoStatus(
            string? projectId = null,
            string? inferenceId = null,
            string? uniqueId = null,
            string genStatus = "SUCCEEDED",
            string? videoUrl = null,
            string? audioUrl = null,
            string? thumbnailUrl = null,
            string? smartUrl = null,
            string? permalink = null,
            string? error = null,
            DateTimeOffset? checkedAt = null,
            string? requestId = null)
        {
            var text = Given(genStatus) ?? "SUCCEEDED";
            var status = new VideoStatus(Given(projectId) ?? "project", Given(inferenceId) ?? FakeId(), Given(uniqueId))
            {
                GenStatusText = text,
                GenStatus = GenStatusFrom(text),
                VideoUrl = Given(videoUrl),
                AudioUrl = Given(audioUrl),
                ThumbnailUrl = Given(thumbnailUrl),
                SmartUrl = Given(smartUrl),
                Permalink = Given(permalink),
                Error = Given(error),
                CheckedAt = checkedAt ?? DateTimeOffset.Now,
                RequestId = Given(requestId),
            };
            return status;
        }

        /// <summary>A Get-GanProject project.</summary>
        public static GanProject GanProject(
            string? projectId = null,
            string? title = null,
            string[]? tags = null,
            long? availableCredits = null,
            long? utilisedCredits = null,
            string projectType = "PERSONALIZED",
            string status = "PUBLISHED",
            string language = "en",
            DateTimeOffset? createdAt = null,
            string? smartUrl = null)
        {
            var id = Given(projectId) ?? "project";
            return new GanProject(id)
            {
                Title = Given(title) ?? "Project " + id,
                Tags = new TagList(tags ?? new[] { "names" }),
                AvailableCredits = availableCredits ?? 1000,
                UtilisedCredits = utilisedCredits ?? 0,
                ProjectType = Given(projectType) ?? "PERSONALIZED",
                Status = Given(status) ?? "PUBLISHED",
                Language = Given(language) ?? "en",
                CreatedAt = createdAt ?? DateTimeOffset.Now,
                UpdatedAt = createdAt ?? DateTimeOffset.Now,
                SmartUrl = Given(smartUrl),
            };
        }

        /// <summary>
        /// The exception of a New-GanVideoBatch row error (what <c>$_.Exception</c> is on the error
        /// records of rows), for a mock that writes the errors the real cmdlet writes.
        /// </summary>
        public static VideoRowException VideoRowException(string errorId, string? message = null, string? uniqueId = null, long? rowNumber = null) =>
            new VideoRowException(errorId, Given(message) ?? string.Format(CultureInfo.InvariantCulture, "Row {0} (unique_id '{1}') failed: {2} (a test's fake error).", rowNumber ?? 1, Given(uniqueId) ?? "row", errorId),
                null, Given(uniqueId), rowNumber);

        /// <summary>The exception of a video's error record (Get-GanVideoStatus, Wait-GanVideo, Save-GanVideo), for a mock.</summary>
        public static VideoException VideoException(string errorId, string? message = null, string? uniqueId = null, string? inferenceId = null) =>
            new VideoException(errorId, Given(message) ?? string.Format(CultureInfo.InvariantCulture, "Video {0} failed: {1} (a test's fake error).", Given(uniqueId) ?? Given(inferenceId) ?? "video", errorId), Given(uniqueId), Given(inferenceId));

        /// <summary>
        /// The exception of the terminating error that ends a run (the token refused, the journal
        /// failed, the service unreachable, no credits left ...), for a mock that ends as the real
        /// cmdlet does: <c>throw (New-GanErrorRecord -ErrorId TokenRefused -RunEnding ...)</c>.
        /// Not a row's exception: scripts that pick out row errors by type see it apart.
        /// </summary>
        public static Exception RunEndingException(string errorId, string? message = null) =>
            RunEnding(errorId, Given(message) ?? "The run stopped: " + errorId + " (a test's fake error).", null);

        /// <summary>
        /// The one choice of a run-ending error's exception type, for the cmdlets and their fakes; also
        /// that of the other errors that end a command (an argument refused, a sign-in refused), which
        /// Connect-GanAi and New-GanToken take from here.
        /// </summary>
        internal static Exception RunEnding(string errorId, string message, Exception? inner)
        {
            switch (errorId)
            {
                case ErrorIds.TokenRefused:
                case ErrorIds.SignInFailed: return new UnauthorizedAccessException(message, inner);
                case ErrorIds.MissingToken:
                case ErrorIds.InvalidBaseUri:
                case ErrorIds.InvalidWebhookUri:
                case ErrorIds.InvalidExpiry:
                case ErrorIds.PathNotOnFileSystem: return new ArgumentException(message, inner);
                case ErrorIds.JournalUnavailable:
                case ErrorIds.JournalDamaged: return new System.IO.IOException(message, inner);
                case ErrorIds.ServiceNotAnswering: return new TimeoutException(message, inner);
                case ErrorIds.MissingUniqueId:
                case ErrorIds.MissingTag: return new ArgumentException(message, inner);
                case ErrorIds.ServiceUnreachable: return new System.Net.Http.HttpRequestException(message, inner);
                default: return new InvalidOperationException(message, inner);
            }
        }

        /// <summary>The service's status text as the enum the cmdlets give (SUCCEEDED: Succeeded, LIPSYNC_PENDING: LipsyncPending); unknown text is Unrecognized.</summary>
        public static GenStatus GenStatusFrom(string? text)
        {
            if (text is null || text.Trim().Length == 0) return GenStatus.Unrecognized;
            var name = text.Trim().Replace("_", string.Empty);
            if (name.Length == 0 || char.IsDigit(name[0]) || name[0] == '-') return GenStatus.Unrecognized; // Enum.TryParse takes numbers too
            return Enum.TryParse<GenStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(typeof(GenStatus), status) ? status : GenStatus.Unrecognized;
        }

        /// <summary>The tags as the module would have sent them; names it refuses (empty, or twins but for case) are refused here too.</summary>
        private static IReadOnlyList<KeyValuePair<string, string>> Tags(IDictionary? tags)
        {
            var list = new List<KeyValuePair<string, string>>();
            if (tags is null) return list;
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in tags)
            {
                var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (name.Trim().Length == 0) throw new ArgumentException("A tag's name cannot be empty (the module refuses such a row with InvalidTagName).", nameof(tags));
                if (!names.Add(name)) throw new ArgumentException($"Two tags are named '{name}' but for case (the module refuses such a row with DuplicateTagName).", nameof(tags));
                list.Add(new KeyValuePair<string, string>(name, Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? string.Empty));
            }
            return list;
        }

        private static string FakeId() => Guid.NewGuid().ToString("N");

        // PowerShell passes $null to a string parameter as "": an empty text means "not given".
        private static string? Given(string? text) => string.IsNullOrEmpty(text) ? null : text;
    }
}
