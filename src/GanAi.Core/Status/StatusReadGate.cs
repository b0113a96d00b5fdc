using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Status
{
    /// <summary>
    /// The ceiling on one Wait-GanVideo's status reads: at most <c>readsPerSecond</c> within any one
    /// second, every attempt counted (a retry is a read too). When several reads wait, the one of the
    /// earliest input goes first, so groups are served in input order.
    /// </summary>
    /// <remarks>
    /// Two rules, both checked for each turn. The bound: the turns of the last 1.05 s are kept, and a
    /// turn is given only while they number fewer than the ceiling, so no second holds more, whatever
    /// the timer does. The 50 ms are a margin for what happens after the turn: a read goes out a
    /// moment later (a thread to run it, a connection), and the service counts it when it arrives
    /// (docs/benchmarks.md, measure 6). The pace: turns follow a grid 5% wider than the ceiling's spacing, so reads are
    /// spread over the second rather than sent in a burst; a timer that wakes late (Windows' is
    /// 15.6 ms coarse) catches up on the grid by up to 100 ms, which the bound keeps within the
    /// ceiling. Behind by more (the gate sat idle), the grid starts again from now.
    /// </remarks>
    internal sealed class StatusReadGate
    {
        private readonly object _gate = new object();
        private readonly long _spacing; // Stopwatch ticks between two turns on the grid
        private readonly long _catchUp = Stopwatch.Frequency / 10;
        private readonly long _window = Stopwatch.Frequency + Stopwatch.Frequency / 20; // 1.05 s: see the remarks
        private readonly long[] _lastSecond; // the times of the latest turns, a ring of the ceiling's size
        private readonly SortedDictionary<(long Order, long Arrival), TaskCompletionSource<bool>> _waiting =
            new SortedDictionary<(long Order, long Arrival), TaskCompletionSource<bool>>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _arrivals;
        private long _nextOnGrid;
        private int _oldest;
        private long _given;
        private bool _pumping;

        public StatusReadGate(double readsPerSecond)
        {
            if (!(readsPerSecond >= 1)) throw new ArgumentOutOfRangeException(nameof(readsPerSecond), readsPerSecond, "At least one read a second.");
            _spacing = Math.Max(1, (long)(Stopwatch.Frequency / (0.95 * readsPerSecond)));
            _lastSecond = new long[(int)Math.Min(int.MaxValue, Math.Floor(readsPerSecond))];
            for (var i = 0; i < _lastSecond.Length; i++) _lastSecond[i] = long.MinValue / 2;
        }

        /// <summary>Turns given so far.</summary>
        public long Granted => Interlocked.Read(ref _given);

        /// <summary>Told the gate's clock (Stopwatch ticks) at each turn given, under its lock: what the ceiling is kept on, for tests.</summary>
        internal Action<long>? TurnGiven { get; set; }

        /// <summary>Waits for the turn of a read for the input at <paramref name="order"/> (lower goes first).</summary>
        public async Task WaitTurnAsync(long order, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var turn = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            (long, long) key;
            lock (_gate)
            {
                key = (order, _arrivals++);
                _waiting.Add(key, turn);
                if (!_pumping)
                {
                    _pumping = true;
                    _ = PumpAsync();
                }
            }
            using (cancellationToken.Register(() =>
            {
                lock (_gate) _waiting.Remove(key);
                turn.TrySetCanceled(cancellationToken);
            }))
            {
                await turn.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Gives turns while anyone waits; ends when no one does.</summary>
        private async Task PumpAsync()
        {
            try
            {
                while (true)
                {
                    long wait;
                    lock (_gate)
                    {
                        if (_waiting.Count == 0) return;
                        var now = _clock.ElapsedTicks;
                        if (now - _nextOnGrid > _catchUp) _nextOnGrid = now;
                        var windowFree = _lastSecond[_oldest] + _window; // when the oldest of the last second's turns leaves it
                        var at = Math.Max(_nextOnGrid, windowFree);
                        wait = at - now;
                        if (wait <= 0)
                        {
                            Give(now);
                            continue;
                        }
                    }
                    // Task.Delay(0) would return at once: a wait rounds up to a whole millisecond.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency)))).ConfigureAwait(false);
                }
            }
            finally
            {
                lock (_gate) _pumping = false;
                // A turn asked for between the last look and here starts its own pump.
                bool more;
                lock (_gate) more = _waiting.Count > 0 && !_pumping && (_pumping = true);
                if (more) _ = PumpAsync();
            }
        }

        /// <summary>The turn of the earliest input waiting (the lock is held).</summary>
        private void Give(long now)
        {
            using var first = _waiting.GetEnumerator();
            first.MoveNext();
            var (key, turn) = (first.Current.Key, first.Current.Value);
            _waiting.Remove(key);
            _nextOnGrid += _spacing;
            _lastSecond[_oldest] = now;
            _oldest = (_oldest + 1) % _lastSecond.Length;
            Interlocked.Increment(ref _given);
            TurnGiven?.Invoke(now);
            turn.TrySetResult(true);
        }
    }
}
