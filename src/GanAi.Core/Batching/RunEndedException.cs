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
        /// the row's properties and offers a close one.
        /// </summary>
        internal static RunEndedException NoIdColumn(IReadOnlyList<string> columns, string idProperty, string? uniqueIdOption)
        {
            var names = columns.Count == 0 ? "none" : string.Join(", ", columns.Select(c => "'" + c + "'"));
            var close = columns.FirstOrDefault(c => ProjectCatalog.EditDistance(c.ToUpperInvariant(), idProperty.ToUpperInvariant(), 3) <= 2);
            var fix = close != null
                ? $"Did you mean -UniqueIdProperty '{close}'?"
                : string.IsNullOrEmpty(uniqueIdOption) || string.Equals(uniqueIdOption, RowBuilder.UniqueIdName, StringComparison.OrdinalIgnoreCase)
                    ? "Add a unique_id column, or name the column that holds each row's id with -UniqueIdProperty."
                    : "Name a column that row 1 has with -UniqueIdProperty, or add a '" + idProperty + "' column.";
            return new RunEndedException(ErrorIds.MissingUniqueId, FailureCategory.InvalidData, GanModelFactory.RunEnding(ErrorIds.MissingUniqueId,
                $"Row 1 has no '{idProperty}' property, so no row can be sent; its properties are {names}. {fix} Nothing was sent.", null), idProperty);
        }

        public string ErrorId { get; }

        public FailureCategory Category { get; }

        /// <summary>The exception for the error record (its type says what failed: an UnauthorizedAccessException for a refused token, an IOException for the journal ...).</summary>
        public Exception Reported => InnerException!;

        /// <summary>The error record's target: the project id, or the journal's path.</summary>
        public object? Target { get; }
    }
}
