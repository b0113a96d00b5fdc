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
        /// from the inference id (point them at the emulator to download them for real).
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
            bool fromJournal = false)
        {
            var inference = inferenceId ?? FakeId();
            var media = "https://media.example/" + Uri.EscapeDataString(projectId ?? "project") + "/" + inference;
            return new VideoResult(uniqueId ?? "row-" + rowNumber.ToString(CultureInfo.InvariantCulture), projectId ?? "project", inference,
                videoUrl ?? media + ".mp4", audioUrl ?? media + ".mp3", thumbnailUrl ?? media + ".jpg",
                smartUrl ?? "https://media.example/share/" + inference, permalink ?? "https://media.example/p/" + inference,
                possibleDuplicate, rowNumber, Tags(tags), fromJournal);
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
            DateTimeOffset? checkedAt = null)
        {
            var status = new VideoStatus(projectId ?? "project", inferenceId ?? FakeId(), uniqueId)
            {
                GenStatusText = genStatus,
                GenStatus = GenStatusFrom(genStatus),
                VideoUrl = videoUrl,
                AudioUrl = audioUrl,
                ThumbnailUrl = thumbnailUrl,
                SmartUrl = smartUrl,
                Permalink = permalink,
                Error = error,
                CheckedAt = checkedAt ?? DateTimeOffset.Now,
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
            string? smartUrl = null) => new GanProject(projectId ?? "project")
        {
            Title = title ?? "Project " + (projectId ?? "project"),
            Tags = new TagList(tags ?? new[] { "names" }),
            AvailableCredits = availableCredits ?? 1000,
            UtilisedCredits = utilisedCredits ?? 0,
            ProjectType = projectType,
            Status = status,
            Language = language,
            CreatedAt = createdAt ?? DateTimeOffset.Now,
            UpdatedAt = createdAt ?? DateTimeOffset.Now,
            SmartUrl = smartUrl,
        };

        /// <summary>The service's status text as the enum the cmdlets give (SUCCEEDED: Succeeded, LIPSYNC_PENDING: LipsyncPending); unknown text is Unrecognized.</summary>
        public static GenStatus GenStatusFrom(string? text)
        {
            if (text is null || text.Trim().Length == 0) return GenStatus.Unrecognized;
            var name = text.Trim().Replace("_", string.Empty);
            if (name.Length == 0 || char.IsDigit(name[0]) || name[0] == '-') return GenStatus.Unrecognized; // Enum.TryParse takes numbers too
            return Enum.TryParse<GenStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(typeof(GenStatus), status) ? status : GenStatus.Unrecognized;
        }

        private static IReadOnlyList<KeyValuePair<string, string>> Tags(IDictionary? tags)
        {
            var list = new List<KeyValuePair<string, string>>();
            if (tags is null) return list;
            foreach (DictionaryEntry entry in tags)
            {
                list.Add(new KeyValuePair<string, string>(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty,
                    Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? string.Empty));
            }
            return list;
        }

        private static string FakeId() => Guid.NewGuid().ToString("N");
    }
}
