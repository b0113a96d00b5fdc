using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace GanAi.Compatibility.MonoHost
{
    /// <summary>
    /// Usage: MonoHost.exe &lt;module folder&gt; &lt;emulator URL&gt; &lt;step&gt; &lt;work folder&gt;. Imports the
    /// module as Windows PowerShell 5.1 would (<see cref="WindowsPowerShellImport"/>), then runs one
    /// step of the core against the emulator (<see cref="CoreSteps"/>). Prints "PASS step" and exits
    /// 0, or prints what failed and exits 1.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: GanAi.Compatibility.MonoHost.exe <module folder> <emulator URL> <step> <work folder>");
                return 2;
            }
            var moduleFolder = Path.GetFullPath(args[0]);
            var step = args[2];
            try
            {
                // PowerShell's own assembly: here the stand-in, as only a resolve handler can hand it out.
                var standIn = Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "standin", "System.Management.Automation.dll");
                AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
                    new AssemblyName(e.Name).Name == "System.Management.Automation" ? Assembly.LoadFrom(standIn) : null;

                WindowsPowerShellImport.Run(moduleFolder, Console.Out);
                // The core is reached only now, through the module's handler (CoreSteps is not touched before).
                RunStep(step, new Uri(args[1]), args[3]);
                WindowsPowerShellImport.ListEveryType(Console.Out); // as 5.1's type cache does, with everything loaded
                WindowsPowerShellImport.RequireModuleCopies(moduleFolder);
                Console.WriteLine("PASS " + step);
                return 0;
            }
            catch (Exception ex)
            {
                Console.WriteLine("FAIL " + step + ": " + WindowsPowerShellImport.Describe(ex));
                return 1;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RunStep(string step, Uri emulator, string workFolder) => CoreSteps.Run(step, emulator, workFolder, Console.Out);
    }
}
