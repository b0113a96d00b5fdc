using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;

namespace GanAi.Results
{
    /// <summary>
    /// How PowerShell sees a <see cref="VideoResult"/>: its typed properties, then every tag that was
    /// sent for the row as a read-only string property of the same name, so <c>Export-Csv</c>,
    /// <c>Select-Object</c>, <c>ConvertTo-Json</c> and <c>$result.first_name</c> see one column per tag.
    /// Registered for the type in GanAi.types.ps1xml.
    /// </summary>
    /// <remarks>
    /// An ETS type adapter rather than a note property per tag on each result: the properties are
    /// made only when something reads them, so writing a result builds no member table (docs/benchmarks.md
    /// has the cost of each). A tag named like a typed property (say
    /// "ProjectId") is shown by the typed property only; <see cref="VideoResult.GetTags"/> still has it.
    /// </remarks>
    public sealed class VideoResultAdapter : PSPropertyAdapter
    {
        private static readonly PropertyInfo[] Typed = typeof(VideoResult).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
        {
            var result = (VideoResult)baseObject;
            var tags = result.GetTags();
            var properties = new Collection<PSAdaptedProperty>(new List<PSAdaptedProperty>(Typed.Length + tags.Count));
            foreach (var property in Typed) properties.Add(new PSAdaptedProperty(property.Name, property));
            foreach (var tag in tags)
            {
                if (FindTyped(tag.Key) is null) properties.Add(new PSAdaptedProperty(tag.Key, tag.Key));
            }
            return properties;
        }

        public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
        {
            if (FindTyped(propertyName) is { } typed) return new PSAdaptedProperty(typed.Name, typed);
            return FindTag((VideoResult)baseObject, propertyName) is { } tag ? new PSAdaptedProperty(tag.Key, tag.Key) : null;
        }

        public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty)
        {
            if (adaptedProperty.Tag is PropertyInfo typed) return typed.GetValue(adaptedProperty.BaseObject, null);
            return FindTag((VideoResult)adaptedProperty.BaseObject, (string)adaptedProperty.Tag)?.Value;
        }

        public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

        public override bool IsSettable(PSAdaptedProperty adaptedProperty) => false;

        public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value) =>
            throw new NotSupportedException($"'{adaptedProperty.Name}' of a video result is read-only; use Select-Object or Add-Member to add columns.");

        public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty) =>
            adaptedProperty.Tag is PropertyInfo typed ? typed.PropertyType.FullName! : typeof(string).FullName!;

        private static PropertyInfo? FindTyped(string name)
        {
            foreach (var property in Typed)
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property;
            }
            return null;
        }

        /// <summary>Tag names are unique per row regardless of case (RowBuilder refuses case twins).</summary>
        private static KeyValuePair<string, string>? FindTag(VideoResult result, string name)
        {
            foreach (var tag in result.GetTags())
            {
                if (string.Equals(tag.Key, name, StringComparison.OrdinalIgnoreCase)) return tag;
            }
            return null;
        }
    }
}
