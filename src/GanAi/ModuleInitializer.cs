using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace GanAi
{
    /// <summary>
    /// Runs when Import-Module loads GanAi.dll: resolves the module's own dependencies (GanAi.Core,
    /// Polly.Core, and on Windows PowerShell the System.Text.Json family) from the module folder,
    /// answering only for assemblies that are in that folder, and turns on TLS 1.2 on .NET Framework.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Windows PowerShell 5.1 may default to TLS 1.0; api.gan.ai needs 1.2 or later.
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            }
        }

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name)) return null;
            var path = Path.Combine(ModuleFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
