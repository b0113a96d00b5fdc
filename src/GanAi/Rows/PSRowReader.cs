using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using GanAi.Batching;

namespace GanAi.Rows
{
    /// <summary>
    /// Reads a pipeline object's properties (PSObject from Import-Csv, [pscustomobject], a .NET
    /// object, or a hashtable/IDictionary) and hands them to the <see cref="RowBuilder"/>.
    /// </summary>
    internal static class PSRowReader
    {
        public static bool TryBuild(RowBuilder builder, long number, PSObject input, out VideoRow? row, out RowFailure? failure)
        {
            var baseObject = input.BaseObject;
            if (baseObject is string || baseObject is ValueType || (baseObject is IEnumerable && !(baseObject is IDictionary)))
            {
                row = null;
                failure = RowBuilder.Fail(ErrorIds.InputNotAnObject, FailureCategory.InvalidType, number,
                    $"is {Describe(baseObject)}, not an object with properties; pipe objects whose properties are the tags (Import-Csv, [pscustomobject] or a hashtable).");
                return false;
            }

            try
            {
                var properties = baseObject is IDictionary dictionary ? ReadDictionary(dictionary) : ReadProperties(input);
                return builder.TryBuild(number, input, properties, out row, out failure);
            }
            catch (Exception ex) when (ex is GetValueException || ex is ExtendedTypeSystemException)
            {
                row = null;
                failure = new RowFailure(ErrorIds.TagValueUnreadable, FailureCategory.InvalidData,
                    $"Row {number} has a property whose value could not be read: {ex.Message}", ex, number);
                return false;
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> ReadProperties(PSObject input)
        {
            foreach (var property in input.Properties)
            {
                if (!property.IsGettable) continue;
                yield return new KeyValuePair<string, object?>(property.Name, Unwrap(property.Value));
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> ReadDictionary(IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new KeyValuePair<string, object?>(Unwrap(entry.Key)?.ToString() ?? string.Empty, Unwrap(entry.Value));
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
