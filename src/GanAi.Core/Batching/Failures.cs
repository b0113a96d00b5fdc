using System;

namespace GanAi.Batching
{
    /// <summary>The categories of ErrorIds, as <see cref="ErrorIds.CategoryOf"/> names them.</summary>
    public static class Failures
    {
        public static FailureCategory CategoryOf(string errorId) => (FailureCategory)Enum.Parse(typeof(FailureCategory), ErrorIds.CategoryOf(errorId));
    }
}
