using System;
using System.Collections.Generic;
using System.Linq;
using GanAi.Projects;

namespace GanAi.Batching
{
    /// <summary>
    /// The run ended early (<see cref="RunEndingFailure"/>, or a failure before any row was read): the
    /// host writes one terminating error from it. Every row read had its own error first.
    /// </summary>
    public sealed class RunEndedException : Exception
    {
        /// <summary>An end in its ErrorId's usual category (<see cref="ErrorIds.CategoryOf"/>).</summary>
        internal RunEndedException(string errorId, Exception reported, object? target)
            : this(errorId, Failures.CategoryOf(errorId), reported, target)
        {
        }

        /// <summary>An end in the category its cause gives (a journal refused as busy, denied or unreadable).</summary>
        internal RunEndedException(string errorId, FailureCategory category, Exception reported, object? target)
            : base(reported.Message, reported)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        /// <summary>The run's end as the host reports it: the exception its ErrorId's records carry (GanModelFactory's one table).</summary>
        internal static RunEndedException From(RunEndingFailure ending, object? target) =>
            new RunEndedException(ending.ErrorId, ending.Category, GanModelFactory.RunEnding(ending.ErrorId, ending.Message, ending.Exception), target);

        /// <summary>
        /// The first row has no id property at all: every row would fail alike (a mistyped
        /// -UniqueIdProperty, a file without the column), so the run ends with one message that names
        /// the row's properties and offers a close one (or, for a CSV read with the wrong delimiter, the right one).
        /// </summary>
        internal static RunEndedException NoIdColumn(IReadOnlyList<string> columns, string idProperty, string? uniqueIdOption)
        {
            var names = columns.Count == 0 ? "none" : string.Join(", ", columns.Select(c => "'" + c + "'"));
            var close = columns.FirstOrDefault(c => ProjectCatalog.EditDistance(c.ToUpperInvariant(), idProperty.ToUpperInvariant(), 3) <= 2);
            // A ';' file read as ',' has the id inside one joined column: the delimiter is the fix, as the row's own error says.
            var fix = RowBuilder.DelimiterHint(columns, idProperty)?.TrimStart() is { } delimiter ? delimiter
                : close != null
                ? $"Did you mean -UniqueIdProperty '{close}'?"
                : string.IsNullOrEmpty(uniqueIdOption) || string.Equals(uniqueIdOption, VideoBatchOptions.DefaultUniqueIdProperty, StringComparison.OrdinalIgnoreCase)
                    ? "Add a unique_id column, or name the column that holds each row's id with -UniqueIdProperty."
                    : "Name a column that row 1 has with -UniqueIdProperty, or add a '" + idProperty + "' column.";
            return new RunEndedException(ErrorIds.MissingUniqueId, GanModelFactory.RunEnding(ErrorIds.MissingUniqueId,
                $"Row 1 has no '{idProperty}' property, so no row can be sent; its properties are {names}. {fix} Nothing was sent.", null), idProperty);
        }

        /// <summary>
        /// Row 1 lacks a column for one of the project's tags: every row of a file would fail alike, so
        /// the run ends with one message that names the row's columns and offers a close one. Rows that
        /// lack a tag later (mixed input) keep their own error.
        /// </summary>
        internal static RunEndedException NoTagColumn(IReadOnlyList<string> missing, VideoRow row, GanProject project)
        {
            var columns = row.Tags.Select(t => t.Key).ToList();
            var renames = missing
                .Select(tag => (Tag: tag, Column: columns.FirstOrDefault(c => ProjectCatalog.EditDistance(c.Trim().ToUpperInvariant(), tag.Trim().ToUpperInvariant(), 3) <= 2)))
                .Where(pair => pair.Column != null)
                .Select(pair => $"column '{pair.Column}' as '{pair.Tag}'")
                .ToList();
            var fix = renames.Count > 0
                ? "Did you mean " + string.Join(" and ", renames) + "? Rename the column in the file (or with Select-Object)."
                : $"Add the column{(missing.Count == 1 ? string.Empty : "s")}, or check -ProjectId.";
            return new RunEndedException(ErrorIds.MissingTag, GanModelFactory.RunEnding(ErrorIds.MissingTag,
                $"Row 1 lacks the project's tag{(missing.Count == 1 ? string.Empty : "s")} {Quote(missing)}, so no row can be sent; besides its id, its columns are {(columns.Count == 0 ? "none" : Quote(columns))} " +
                $"(project '{project.ProjectId}' has the tags {Quote(project.Tags)}). {fix} Nothing was sent.", null), project.ProjectId);
        }

        private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));

        public string ErrorId { get; }

        public FailureCategory Category { get; }

        /// <summary>The exception for the error record (its type says what failed: an UnauthorizedAccessException for a refused token, an IOException for the journal ...).</summary>
        public Exception Reported => InnerException!;

        /// <summary>The error record's target: the project id, or the journal's path.</summary>
        public object? Target { get; }
    }
}
