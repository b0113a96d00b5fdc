using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace GanAi
{
    /// <summary>
    /// Runs when Import-Module loads GanAi.dll. GanAi.dll (the cmdlets) and GanAi.Models.dll (the
    /// public types, so <c>[GanAi.VideoResult]</c> resolves in scripts) sit in the module folder and
    /// load as usual. The module's own dependencies (GanAi.Core, Polly.Core and what they need) live in
    /// the <c>dependencies</c> folder beside them, where PowerShell does not look for them:
    /// <list type="bullet">
    /// <item>On PowerShell 7 they load into a private AssemblyLoadContext, so a different Polly that
    /// another module (or the session) already loaded neither replaces ours nor is replaced by it.
    /// Assemblies the runtime or PowerShell itself provide (System.Text.Json among them) are shared,
    /// never loaded twice.</item>
    /// <item>On Windows PowerShell 5.1 (no load contexts) an AssemblyResolve handler answers for the
    /// files in that folder only, and TLS 1.2 is turned on.</item>
    /// </list>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies");

        private static readonly bool IsNetFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyFolder;
                // Windows PowerShell 5.1 may default to TLS 1.0; api.gan.ai needs 1.2 or later.
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            }
            else
            {
                if (UnsupportedRuntime(Environment.Version, typeof(PSObject).Assembly.GetName().Version) is { } message)
                    throw new PlatformNotSupportedException(message);
                IsolatedDependencies.Install(DependencyFolder);
            }
        }

        /// <summary>
        /// PowerShell 7.0 to 7.3 (out of support) run on .NET Core 3.1 to 7, whose System.Text.Json is
        /// older than the 8.0 the module is built against: the first request would fail with a
        /// FileLoadException. Import-Module says so instead. Null when the runtime will do.
        /// </summary>
        internal static string? UnsupportedRuntime(Version runtime, Version? powerShell) =>
            runtime.Major >= 8 ? null :
            $"GanAi needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is PowerShell {powerShell?.ToString(3) ?? "(unknown)"} on .NET {runtime}.";

        public void OnRemove(PSModuleInfo module)
        {
            if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyFolder;
            else IsolatedDependencies.Uninstall();
        }

        private static Assembly? ResolveFromDependencyFolder(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name)) return null;
            var path = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }

    /// <summary>
    /// PowerShell 7 only (never touched on .NET Framework): GanAi.Core and its private dependencies
    /// in their own load context. GanAi.dll, in the default context, reaches GanAi.Core through the
    /// default context's Resolving event; everything GanAi.Core needs then resolves inside the
    /// private context first.
    /// </summary>
    internal static class IsolatedDependencies
    {
        private const string CoreAssembly = "GanAi.Core";
        private const string ModelsAssembly = "GanAi.Models";
        private static readonly object Gate = new object();
        private static GanAiLoadContext? _context;
        private static bool _hooked;

        public static void Install(string folder)
        {
            lock (Gate)
            {
                _context ??= new GanAiLoadContext(folder);
                if (_hooked) return;
                AssemblyLoadContext.Default.Resolving += ResolveCore;
                _hooked = true;
            }
        }

        public static void Uninstall()
        {
            // The context stays (its assemblies cannot be unloaded); only the hook goes. Import-Module
            // -Force runs OnRemove and then OnImport, which hooks the same context in again.
            lock (Gate)
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
        private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
        {
            if (string.Equals(name.Name, CoreAssembly, StringComparison.Ordinal)) return _context?.LoadFromAssemblyName(name);
            if (!string.Equals(name.Name, ModelsAssembly, StringComparison.Ordinal)) return null;
            var path = Path.Combine(Path.GetDirectoryName(typeof(IsolatedDependencies).Assembly.Location) ?? string.Empty, ModelsAssembly + ".dll");
            return File.Exists(path) ? AssemblyLoadContext.Default.LoadFromAssemblyPath(path) : null;
        }

        private sealed class GanAiLoadContext : AssemblyLoadContext
        {
            private readonly string _folder;
            private readonly HashSet<string> _shared;

            public GanAiLoadContext(string folder)
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
                if (string.IsNullOrEmpty(name) || _shared.Contains(name!)) return null;
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
                    foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                        names.Add(Path.GetFileNameWithoutExtension(path));
                }
                return names;
            }
        }
    }
}
