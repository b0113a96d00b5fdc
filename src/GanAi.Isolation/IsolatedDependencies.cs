using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace GanAi.Isolation
{
    /// <summary>
    /// GanAi.Core and its private dependencies in their own load context. GanAi.dll, in the default
    /// context, reaches GanAi.Core through the default context's Resolving event; everything
    /// GanAi.Core needs then resolves inside the private context first. Made by GanAi.dll's module
    /// initializer (by name, through <see cref="IDependencyIsolation"/>), once per process.
    /// </summary>
    public sealed class IsolatedDependencies : IDependencyIsolation
    {
        private const string CoreAssembly = "GanAi.Core";
        private const string ModelsAssembly = "GanAi.Models";
        private readonly object _gate = new object();
        private GanAiLoadContext? _context;
        private string _modelsPath = string.Empty;
        private bool _hooked;

        public void Install(string dependencyFolder, string modelsPath)
        {
            lock (_gate)
            {
                _context ??= new GanAiLoadContext(dependencyFolder);
                _modelsPath = modelsPath;
                if (_hooked) return;
                AssemblyLoadContext.Default.Resolving += ResolveCore;
                _hooked = true;
            }
        }

        public void Uninstall()
        {
            // The context stays (its assemblies cannot be unloaded); only the hook goes. Import-Module
            // -Force runs OnRemove and then OnImport, which hooks the same context in again.
            lock (_gate)
            {
                if (!_hooked) return;
                AssemblyLoadContext.Default.Resolving -= ResolveCore;
                _hooked = false;
            }
        }

        /// <summary>
        /// The default context asks for GanAi.Core (from GanAi.dll): the private context's copy. It
        /// asks for GanAi.Models (from GanAi.Core, through the private context, when no cmdlet has
        /// loaded it yet): the module folder's copy, in the default context, shared by both.
        /// </summary>
        private Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
        {
            if (string.Equals(name.Name, CoreAssembly, StringComparison.Ordinal)) return _context?.LoadFromAssemblyName(name);
            if (!string.Equals(name.Name, ModelsAssembly, StringComparison.Ordinal)) return null;
            return File.Exists(_modelsPath) ? AssemblyLoadContext.Default.LoadFromAssemblyPath(_modelsPath) : null;
        }

        private sealed class GanAiLoadContext : AssemblyLoadContext
        {
            private readonly string _folder;
            private readonly HashSet<string> _shared;

            public GanAiLoadContext(string folder)
                : base("GanAi")
            {
                _folder = folder;
                _shared = SharedAssemblyNames();
            }

            /// <summary>
            /// Shared (default context) for what the runtime and PowerShell provide; private for the rest:
            /// the net8.0 build first (GanAi.Core's), then the folder's netstandard2.0 files.
            /// </summary>
            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var name = assemblyName.Name;
                if (string.IsNullOrEmpty(name) || _shared.Contains(name)) return null;
                foreach (var folder in new[] { Path.Combine(_folder, "net8.0"), _folder })
                {
                    var path = Path.Combine(folder, name + ".dll");
                    if (File.Exists(path)) return LoadFromAssemblyPath(path);
                }
                return null;
            }

            /// <summary>The trusted platform assemblies: the .NET runtime and PowerShell's own (System.Text.Json among them).</summary>
            private static HashSet<string> SharedAssemblyNames()
            {
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
                {
                    foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                        names.Add(Path.GetFileNameWithoutExtension(path));
                }
                return names;
            }
        }
    }
}
