using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;
#endif

namespace GanAi.Concurrency
{
    /// <summary>
    /// SIGTERM (docker stop, systemd, a CI timeout) gets the grace of Ctrl+C while a run is watched:
    /// the run stops as StopProcessing stops it (its batches in flight get their journal state), then
    /// the process ends as SIGTERM asked, with exit code 143. Without this, .NET ends the process at
    /// once and a journal keeps those rows as "sending", which the next run sends again.
    /// </summary>
    /// <remarks>
    /// Only the net8.0 build (PowerShell 7 on Linux and macOS) registers a handler; the netstandard2.0
    /// build (Windows PowerShell 5.1) watches nothing. The handler does not cancel the signal: it stops
    /// every watched run, waits for each to finish stopping (within its bound, so a stuck pipeline
    /// cannot outlive a scheduler's own kill), then lets .NET end the process. Ending it, rather than
    /// cancelling the signal and letting PowerShell stop the pipeline, is the robust choice: a script's
    /// catch or a loop cannot turn a termination into "carry on", and the exit code says terminated.
    /// </remarks>
    internal sealed class TerminationGrace : IDisposable
    {
        private static readonly object Gate = new object();
        private static readonly List<TerminationGrace> Watched = new List<TerminationGrace>();
#if NET8_0_OR_GREATER
        private static PosixSignalRegistration? _registration;
#endif

        private readonly Action _stop;
        private readonly TimeSpan _bound;
        private readonly ManualResetEventSlim _stopped = new ManualResetEventSlim(false);
        private int _terminating;

        private TerminationGrace(Action stop, TimeSpan bound)
        {
            _stop = stop;
            _bound = bound;
        }

        /// <summary>A SIGTERM arrived while this run was watched.</summary>
        public bool Terminating => Volatile.Read(ref _terminating) == 1;

        /// <summary>
        /// Watches a run until <see cref="Dispose"/>: on SIGTERM, <paramref name="stop"/> is called (from
        /// another thread, as StopProcessing is) and the process ends once the run is disposed, or after
        /// <paramref name="bound"/>.
        /// </summary>
        public static TerminationGrace Watch(Action stop, TimeSpan bound)
        {
            var grace = new TerminationGrace(stop, bound);
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                lock (Gate)
                {
                    Watched.Add(grace);
                    _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
                }
            }
#endif
            return grace;
        }

        /// <summary>
        /// The run has stopped (or ended): it is no longer watched. After a SIGTERM, the handler now lets
        /// the process end; this thread (the pipeline's) waits for that, so the script goes no further
        /// than it would have without the grace.
        /// </summary>
        public void Dispose()
        {
            lock (Gate)
            {
                if (Watched.Remove(this) && Watched.Count == 0)
                {
#if NET8_0_OR_GREATER
                    _registration?.Dispose();
                    _registration = null;
#endif
                }
            }
            _stopped.Set();
            // Bounded: if another handler of the process cancelled the signal, the process lives on and
            // the run ends as a stopped pipeline, as after Ctrl+C.
            if (Terminating) Thread.Sleep(_bound);
        }

#if NET8_0_OR_GREATER
        /// <summary>On .NET's signal thread: stop every watched run, wait for each, then let the signal end the process.</summary>
        private static void OnTerminate(PosixSignalContext context)
        {
            TerminationGrace[] runs;
            lock (Gate) runs = Watched.ToArray();
            foreach (var run in runs)
            {
                Interlocked.Exchange(ref run._terminating, 1);
                try
                {
                    run._stop();
                }
                catch (ObjectDisposedException)
                {
                    // The run ended between the snapshot and now: nothing to stop.
                }
            }
            var clock = Stopwatch.StartNew();
            foreach (var run in runs)
            {
                var left = run._bound - clock.Elapsed;
                if (left > TimeSpan.Zero) run._stopped.Wait(left);
            }
            // context.Cancel stays false: .NET now ends the process as SIGTERM asks (exit code 143).
        }
#endif
    }
}
