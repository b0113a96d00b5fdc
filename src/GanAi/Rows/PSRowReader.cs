using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Data;
using System.Linq;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;
using GanAi.Batching;

namespace GanAi.Rows
{
    /// <summary>
    /// Reads a pipeline object's properties (PSObject from Import-Csv, [pscustomobject], a .NET
    /// object, a hashtable/IDictionary, or a database's DataRow by its table's columns) for the run to
    /// check (<see cref="RowBuilder"/>). One reader
    /// per command: it remembers which kinds of row the fast path was checked for.
    /// </summary>
    /// <remarks>
    /// The fast path. PowerShell's public way to list an object's properties, <c>PSObject.Properties</c>,
    /// builds the object's whole member table each time (its reserved member sets, type data and
    /// adapter): about 3 µs and 4 KB per row, more than Import-Csv spends making the row. A
    /// [pscustomobject] row (Import-Csv, ConvertFrom-Json, Select-Object) keeps its properties in
    /// the PSObject's own instance members, which PowerShell reads through the internal
    /// <c>PSObject.InstanceMembers</c> (there since PowerShell 2); reading them directly costs under
    /// 1 µs. So, for such rows:
    /// <list type="bullet">
    /// <item>The internal members (the collection's count and indexer, <c>PSMemberInfo.IsHidden</c>,
    /// <c>PSObject.InternalTypeNames</c>) are found once by reflection; when a future PowerShell lacks
    /// one, every row takes the public path.</item>
    /// <item>Type data (Update-TypeData, a PSTypeName with script properties) can add properties that are not
    /// instance members. So for the first row of each type name the property names are listed both ways; only when both give the same
    /// names in the same order do later rows of that type name take the fast path, else they all take the public one.</item>
    /// </list>
    /// Everything else (.NET objects, hashtables) takes the public path.
    /// </remarks>
    internal sealed class PSRowReader
    {
        /// <summary>How many instance members a PSObject has: <c>o.InstanceMembers.Count</c>.</summary>
        private static readonly Func<PSObject, int>? InstanceMemberCount;

        /// <summary>
        /// One instance member by position: <c>o.InstanceMembers[i]</c>. Read by position because the
        /// collection's enumerator copies every member into a new list first.
        /// </summary>
        private static readonly Func<PSObject, int, PSMemberInfo?>? InstanceMemberAt;

        /// <summary>PowerShell keeps its reserved members (psobject, pstypenames ...) among the instance members, hidden.</summary>
        private static readonly Func<PSMemberInfo, bool>? IsHidden = FindGetter<PSMemberInfo, bool>("IsHidden");

        /// <summary>
        /// The type names as PowerShell keeps them. The public <c>PSObject.TypeNames</c> hands out a
        /// private copy of a shared list (and remembers it for that object), which costs more than
        /// reading the row.
        /// </summary>
        private static readonly Func<PSObject, Collection<string>>? InternalTypeNames = FindGetter<PSObject, Collection<string>>("InternalTypeNames");

        /// <summary>Per first type name: may rows of it take the fast path (checked once against the public path).</summary>
        private readonly Dictionary<string, bool> _fastPathChecked = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly List<KeyValuePair<string, object?>> _properties = new List<KeyValuePair<string, object?>>(8);

        static PSRowReader()
        {
            try
            {
                const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
                var members = typeof(PSObject).GetProperty("InstanceMembers", Internal);
                var collection = members?.PropertyType;
                var count = collection?.GetProperty("Count", Internal | BindingFlags.DeclaredOnly);
                var item = collection?.GetProperties(Internal | BindingFlags.DeclaredOnly)
                    .FirstOrDefault(p => p.Name == "Item" && p.GetIndexParameters() is { Length: 1 } index && index[0].ParameterType == typeof(int));
                if (members is null || count?.PropertyType != typeof(int) || item is null || !typeof(PSMemberInfo).IsAssignableFrom(item.PropertyType)) return;

                // Compiled once. The collection's type is internal (and generic), so no delegate type can
                // name it; an expression can read its internal members.
                var row = Expression.Parameter(typeof(PSObject), "row");
                var position = Expression.Parameter(typeof(int), "position");
                var ofRow = Expression.Property(row, members);
                InstanceMemberCount = Expression.Lambda<Func<PSObject, int>>(Expression.Property(ofRow, count), row).Compile();
                InstanceMemberAt = Expression.Lambda<Func<PSObject, int, PSMemberInfo?>>(
                    Expression.Convert(Expression.Property(ofRow, item, position), typeof(PSMemberInfo)), row, position).Compile();
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is MemberAccessException || ex is AmbiguousMatchException || ex is NotSupportedException)
            {
                InstanceMemberCount = null;
                InstanceMemberAt = null;
            }
        }

        /// <summary>Whether this PowerShell offers the fast path at all (tests assert it does on the supported versions).</summary>
        public static bool FastPathAvailable => InstanceMemberCount != null && InstanceMemberAt != null && IsHidden != null;

        /// <summary>
        /// The row's properties (names and values, read now), or the failure of an input that is no
        /// row: null, a bare string or number, or a property whose value throws. <paramref name="number"/>
        /// is the row's position, for the failure's message. The list is reused by the next call.
        /// </summary>
        public bool TryRead(long number, PSObject? input, out IReadOnlyList<KeyValuePair<string, object?>>? properties, out RowFailure? failure)
        {
            properties = null;
            failure = null;
            var baseObject = input?.BaseObject;
            if (input is null || baseObject is string || baseObject is ValueType || (baseObject is IEnumerable && !(baseObject is IDictionary)))
            {
                failure = RowBuilder.Fail(ErrorIds.InputNotAnObject, number, input is null
                    ? "is null; pipe objects whose properties are the tags."
                    : $"is {Describe(baseObject!)}, not an object with properties; pipe objects whose properties are the tags (Import-Csv, [pscustomobject] or a hashtable).");
                return false;
            }

            if (baseObject is DataTable || baseObject is DataSet)
            {
                // One object, as from `,$table` or a function that returns it whole: its rows are what is meant.
                failure = RowBuilder.Fail(ErrorIds.InputNotAnObject, number,
                    $"is a whole {baseObject.GetType().Name}, not a row; pipe its rows ($table.Rows, or $dataSet.Tables[0].Rows).");
                return false;
            }

            try
            {
                _properties.Clear();
                if (baseObject is IDictionary dictionary) ReadDictionary(dictionary, _properties);
                else if (baseObject is DataRow dataRow) ReadDataRow(dataRow, _properties);
                else if (baseObject is DataRowView view) ReadDataRow(view.Row, _properties);
                else if (baseObject is PSCustomObject && UseFastPath(input)) ReadInstanceMembers(input, _properties);
                else ReadProperties(input, _properties);
                properties = _properties;
                return true;
            }
            catch (Exception ex) when (ex is GetValueException || ex is ExtendedTypeSystemException || ex is DataException)
            {
                failure = new RowFailure(ErrorIds.TagValueUnreadable, $"Row {number} has a property whose value could not be read: {ex.Message}", ex, number);
                return false;
            }
        }

        private bool UseFastPath(PSObject input)
        {
            if (!FastPathAvailable) return false;
            var typeNames = InternalTypeNames?.Invoke(input) ?? input.TypeNames;
            var key = typeNames.Count > 0 ? typeNames[0] : string.Empty;
            if (!_fastPathChecked.TryGetValue(key, out var fast))
            {
                fast = SameNames(input);
                _fastPathChecked.Add(key, fast);
            }
            return fast;
        }

        /// <summary>
        /// Both ways give the same property names in the same order for this row. Names only: no
        /// value is read here, so a script property runs once per row, as on either path alone.
        /// </summary>
        private static bool SameNames(PSObject input)
        {
            var own = new List<string>();
            var count = InstanceMemberCount!(input);
            for (var i = 0; i < count; i++)
            {
                if (OwnPropertyAt(input, i) is { } property) own.Add(property.Name);
            }
            var index = 0;
            foreach (var property in input.Properties)
            {
                if (!property.IsGettable) continue;
                if (index >= own.Count || !string.Equals(own[index], property.Name, StringComparison.Ordinal)) return false;
                index++;
            }
            return index == own.Count;
        }

        private static void ReadInstanceMembers(PSObject input, List<KeyValuePair<string, object?>> into)
        {
            var count = InstanceMemberCount!(input);
            for (var i = 0; i < count; i++)
            {
                if (OwnPropertyAt(input, i) is { } property) into.Add(new KeyValuePair<string, object?>(property.Name, Unwrap(property.Value)));
            }
        }

        /// <summary>
        /// The instance member at <paramref name="position"/> if PSObject.Properties would list it: a
        /// gettable property PowerShell does not hide; else null.
        /// </summary>
        private static PSPropertyInfo? OwnPropertyAt(PSObject input, int position) =>
            InstanceMemberAt!(input, position) is PSPropertyInfo property && property.IsGettable && !IsHidden!(property) ? property : null;

        private static void ReadProperties(PSObject input, List<KeyValuePair<string, object?>> into)
        {
            foreach (var property in input.Properties)
            {
                if (!property.IsGettable) continue;
                into.Add(new KeyValuePair<string, object?>(property.Name, Unwrap(property.Value)));
            }
        }

        /// <summary>
        /// A row of a DataTable (Invoke-Sqlcmd, <c>$table.Rows</c>): its columns, in the table's order.
        /// Never DataRow's own properties (Table, RowState, ItemArray ...), which PowerShell lists beside
        /// them. A NULL comes as DBNull, which the run takes as null. A deleted row throws DataException.
        /// </summary>
        private static void ReadDataRow(DataRow row, List<KeyValuePair<string, object?>> into)
        {
            foreach (DataColumn column in row.Table.Columns)
            {
                into.Add(new KeyValuePair<string, object?>(column.ColumnName, Unwrap(row[column]))); // an [object] column keeps PowerShell's wrapper
            }
        }

        private static void ReadDictionary(IDictionary dictionary, List<KeyValuePair<string, object?>> into)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                into.Add(new KeyValuePair<string, object?>(Unwrap(entry.Key)?.ToString() ?? string.Empty, Unwrap(entry.Value)));
            }
        }

        /// <summary>The getter of an internal property of PowerShell, or null where there is none of the expected shape.</summary>
        private static Func<TOwner, TValue>? FindGetter<TOwner, TValue>(string name)
        {
            try
            {
                var getter = typeof(TOwner).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic)?.GetGetMethod(nonPublic: true);
                if (getter is null || !typeof(TValue).IsAssignableFrom(getter.ReturnType)) return null;
                // A reference-type getter binds to a delegate of any base type it has; a mismatch throws ArgumentException.
                return (Func<TOwner, TValue>)Delegate.CreateDelegate(typeof(Func<TOwner, TValue>), getter);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is MemberAccessException || ex is AmbiguousMatchException)
            {
                return null;
            }
        }

        /// <summary>
        /// PowerShell wraps values in PSObject. The wrapper itself must not reach the formatter (PSObject
        /// is IFormattable and would turn a nested [pscustomobject] into "@{...}"): pass the base object,
        /// which for a [pscustomobject] is a PSCustomObject, refused as a nested object.
        /// </summary>
        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static string Describe(object value) => value is string ? "a string" : "a single " + value.GetType().Name + " value";
    }
}
