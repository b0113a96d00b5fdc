using System;
using System.Collections.Generic;
using System.IO;

namespace GanAi.Downloads
{
    /// <summary>
    /// The files of one Save-GanVideo run: one path per (id, kind), inside the target folder, and no
    /// two ids sharing a path even on a case-insensitive file system ('Ann' and 'ann' differ as ids).
    /// </summary>
    public sealed class FileNamePlanner
    {
        private readonly string _folder;
        private readonly Dictionary<string, string> _owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly object _gate = new object();

        public FileNamePlanner(string folder)
        {
            _folder = Path.GetFullPath(folder);
        }

        public string Folder => _folder;

        /// <summary>The full path for this id's file with this extension (e.g. ".mp4").</summary>
        public string PathFor(string id, string extension)
        {
            lock (_gate)
            {
                var name = SafeFileName.Stem(id) + extension;
                if (_owners.TryGetValue(name, out var owner) && !string.Equals(owner, id, StringComparison.Ordinal))
                    name = SafeFileName.Disambiguated(id) + extension;
                _owners[name] = id;
                var path = Path.GetFullPath(Path.Combine(_folder, name));
                // Defence in depth: the escaping above already keeps every name inside the folder.
                if (!string.Equals(Path.GetDirectoryName(path), _folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), StringComparison.Ordinal))
                    throw new InvalidOperationException($"The file name made from id '{id}' would leave the folder {_folder}.");
                return path;
            }
        }
    }
}
