using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace GanAi
{
    /// <summary>
    /// A project's tag names: a read-only list (<c>$project.Tags -contains 'names'</c>, <c>.Count</c>,
    /// indexing) whose text is the names joined by ", ", so <c>Export-Csv</c> and string expansion show
    /// them instead of a type name.
    /// </summary>
    public sealed class TagList : ReadOnlyCollection<string>
    {
        internal TagList(IList<string> names)
            : base(names)
        {
        }

        /// <summary>The names, joined by ", ".</summary>
        public override string ToString() => string.Join(", ", this);
    }
}
