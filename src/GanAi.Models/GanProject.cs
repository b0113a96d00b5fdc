using System;

namespace GanAi
{
    /// <summary>One of the caller's projects (GET /projects/v2): a template video and its tags.</summary>
    public sealed class GanProject
    {
        internal GanProject(string projectId)
        {
            ProjectId = projectId;
        }

        public string ProjectId { get; }
        public string? Title { get; internal set; }

        /// <summary>PERSONALIZED, PERSONALIZED_INSTANT or NON_PERSONALIZED.</summary>
        public string? ProjectType { get; internal set; }

        public string? Status { get; internal set; }
        public string? Language { get; internal set; }

        /// <summary>The tag names each row must give, in the service's spelling (its text joins them with ", ").</summary>
        public TagList Tags { get; internal set; } = new TagList(Array.Empty<string>());

        public long? AvailableCredits { get; internal set; }
        public long? UtilisedCredits { get; internal set; }
        public DateTimeOffset? CreatedAt { get; internal set; }
        public DateTimeOffset? UpdatedAt { get; internal set; }
        public string? SmartUrl { get; internal set; }
        public string? ThumbnailUrl { get; internal set; }
        public string? VideoUrl { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => ProjectId;
    }
}
