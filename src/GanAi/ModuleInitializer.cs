using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace GanAi
{
    /// <summary>
    /// Runs when Import-Module loads GanAi.dll. GanAi.dll (the cmdlets) and GanAi.Models.dll (the
    /// public types, so <c>[GanAi.VideoResult]</c> resolves in scripts) sit in the module folder and
    /// load as usual. The module's own dependencies (GanAi.Core, Polly.Core and what they need) live in
    /// the <c>dependencies</c> folder beside them, where PowerShell does not look for them:
    /// <list type="bullet">
    /// <item>On PowerShell 7 they load into a private AssemblyLoadContext (GanAi.Isolation.dll, in
    /// dependencies/net8.0, reached through <see cref="IDependencyIsolation"/>), so a different Polly
    /// that another module (or the session) already loaded neither replaces ours nor is replaced by it.
    /// Assemblies the runtime or PowerShell itself provide (System.Text.Json among them) are shared,
    /// never loaded twice.</item>
    /// <item>On Windows PowerShell 5.1 (no load contexts) an AssemblyResolve handler answers for the
    /// files in that folder only (<see cref="FrameworkDependencies"/>), and TLS 1.2 is allowed.</item>
    /// </list>
    /// Nothing here names a type .NET Framework lacks: GanAi.dll's types all load there.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        internal static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");

        private static readonly bool IsNetFramework = FrameworkDependencies.AppliesTo(RuntimeInformation.FrameworkDescription);

        private static readonly object Gate = new object();
        private static IDependencyIsolation? _isolation;

        public void OnImport()
        {
            if (IsNetFramework)
            {
                FrameworkDependencies.Install(ModuleFolder);
                ServicePointManager.SecurityProtocol = FrameworkDependencies.WithTls12(ServicePointManager.SecurityProtocol);
                return;
            }
            if (UnsupportedRuntime(Environment.Version, typeof(PSObject).Assembly.GetName().Version) is { } message)
                throw new PlatformNotSupportedException(message);
            Isolation().Install(DependencyFolder, Path.Combine(ModuleFolder, "GanAi.Models.dll"));
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
            if (IsNetFramework) FrameworkDependencies.Uninstall();
            else Isolation().Uninstall();
        }

        /// <summary>The load context's keeper, made once per process (its assemblies cannot be unloaded, and Import-Module -Force hooks the same one in again).</summary>
        private static IDependencyIsolation Isolation()
        {
            lock (Gate)
            {
                if (_isolation != null) return _isolation;
                var path = Path.Combine(DependencyFolder, "net8.0", "GanAi.Isolation.dll");
                var type = Assembly.LoadFrom(path).GetType("GanAi.Isolation.IsolatedDependencies", throwOnError: true)!;
                return _isolation = (IDependencyIsolation)Activator.CreateInstance(type)!;
            }
        }
    }
}
