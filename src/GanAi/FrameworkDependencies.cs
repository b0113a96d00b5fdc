using System;
using System.IO;
using System.Net;
using System.Reflection;

namespace GanAi
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework: no load contexts): an AssemblyResolve handler answers
    /// for the module's own files only (its dependencies folder, then the module folder), whatever
    /// version was asked for. .NET Framework binds strong names exactly and a module gets no binding
    /// redirects: GanAi.Core asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1 and Polly.Core
    /// for 6.0.0.0, the folder has one of them. What it cannot isolate: every Polly.Core 8.x is
    /// assembly version 8.0.0.0, and whichever copy loads first in the session serves every module
    /// (docs/installing.md, "Windows PowerShell 5.1").
    /// </summary>
    internal static class FrameworkDependencies
    {
        private static string _moduleFolder = string.Empty;

        /// <summary>
        /// Whether the runtime that <paramref name="frameworkDescription"/> names (as
        /// RuntimeInformation.FrameworkDescription says it) takes this path: ".NET Framework 4.8.x"
        /// (Windows PowerShell 5.1) and "Mono 6.8.x" (CI's stand-in for it) have no load contexts;
        /// ".NET 8.0.x" and ".NET Core 3.1.x" do.
        /// </summary>
        public static bool AppliesTo(string frameworkDescription)
        {
            const string Net = ".NET ";
            if (!frameworkDescription.StartsWith(Net, StringComparison.Ordinal)) return true;
            var rest = frameworkDescription.Substring(Net.Length);
            return !(rest.StartsWith("Core ", StringComparison.Ordinal) || (rest.Length > 0 && char.IsDigit(rest[0])));
        }

        public static void Install(string moduleFolder)
        {
            _moduleFolder = moduleFolder;
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve; // Import-Module -Force: one handler, not two
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public static void Uninstall() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        /// <summary>
        /// The file that answers a request for <paramref name="requestedName"/> (a display name, as the
        /// runtime asks): the module's file of that simple name, in its dependencies folder or, for its
        /// own assemblies (GanAi.Models, which GanAi.Core asks for), the module folder; else null, so
        /// the runtime goes on looking (never a file of another module's or the system's).
        /// </summary>
        public static string? PathFor(string moduleFolder, string requestedName)
        {
            string? name;
            try
            {
                name = new AssemblyName(requestedName).Name;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null;
            }
            if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOfAny(new[] { '/', '\\' }) >= 0 || name.Contains("..")) return null;
            foreach (var folder in new[] { Path.Combine(moduleFolder, "dependencies"), moduleFolder })
            {
                var path = Path.Combine(folder, name + ".dll");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>
        /// TLS 1.2 is added only when the process does not leave the choice to the operating system:
        /// SystemDefault (0, what .NET Framework 4.7+ applications get) already allows TLS 1.2 and later,
        /// and an |= would pin such a process to TLS 1.2 alone.
        /// </summary>
        public static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == 0 ? current : current | SecurityProtocolType.Tls12;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args) =>
            PathFor(_moduleFolder, args.Name) is { } path ? Assembly.LoadFrom(path) : null;
    }
}
