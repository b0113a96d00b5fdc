using System;
using System.Diagnostics;

namespace GanAi.Resilience
{
    /// <summary>
    /// How many batches may be in flight, adapted to the service. It starts modestly and grows while
    /// latency dominates: the sender had a batch ready with every slot taken, and the last step up
    /// raised the throughput. Growth doubles per round until the first 429 or the first step that
    /// gained nothing (slow start), then adds one. A step that gained nothing is taken back (a server
    /// that is busy, not far away, gets no more load), and one step up is tried again every few
    /// rounds, since conditions change. A 429 halves the limit at once. Never above <see cref="Max"/>
    /// (the user's -ThrottleLimit when given). A round is as many completed batches as the current
    /// limit. Used from the pipeline thread only.
    /// </summary>
    public sealed class AdaptiveConcurrency
    {
        /// <summary>A step up counts when it brings at least this share of the gain it would bring if latency were all that mattered (8 -> 9: 1/8 more).</summary>
        private const double ShareOfIdealGain = 0.5;

        /// <summary>Rounds held at a plateau before one more step up is tried.</summary>
        private const int ProbeEvery = 8;

        private readonly Func<TimeSpan> _clock;
        private bool _slowStart = true;
        private bool _saturated;
        private int _completedThisRound;
        private long _rowsThisRound;
        private TimeSpan _roundStart;
        private double _bestThroughput;
        private int _bestLimit;
        private int _roundsAtPlateau;

        public AdaptiveConcurrency(int initial, int max, Func<TimeSpan>? clock = null)
        {
            if (max < 1) throw new ArgumentOutOfRangeException(nameof(max));
            Max = max;
            Limit = Math.Max(1, Math.Min(initial, max));
            _bestLimit = Limit;
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed;
            }
            _clock = clock;
            _roundStart = _clock();
        }

        /// <summary>Batches that may be in flight now.</summary>
        public int Limit { get; private set; }

        public int Max { get; }

        /// <summary>The sender had a batch ready and every slot was taken: the service, not the input, is the bottleneck.</summary>
        public void OnSaturated() => _saturated = true;

        /// <summary>A batch of <paramref name="rows"/> rows finished; <paramref name="rateLimited"/> when any of its attempts was answered 429.</summary>
        public void OnCompleted(bool rateLimited, int rows = 1)
        {
            if (rateLimited)
            {
                Limit = Math.Max(1, Limit / 2);
                _slowStart = false;
                _bestThroughput = 0;
                _bestLimit = Limit;
                StartRound();
                return;
            }
            _rowsThisRound += rows;
            if (++_completedThisRound < Limit) return;

            var elapsed = (_clock() - _roundStart).TotalSeconds;
            var throughput = elapsed > 0 ? _rowsThisRound / elapsed : double.MaxValue;
            var saturated = _saturated;
            StartRound();
            if (!saturated) return; // the input was the bottleneck: more slots would not help

            var needed = _bestThroughput * (1 + ShareOfIdealGain * ((double)Limit / _bestLimit - 1));
            if (throughput >= needed && (Limit > _bestLimit || _bestThroughput == 0))
            {
                // The last step paid off (or this is the first measure): remember it, and step up.
                _bestThroughput = throughput;
                _bestLimit = Limit;
                _roundsAtPlateau = 0;
                if (Limit < Max) Limit = Math.Min(Max, _slowStart ? Limit * 2 : Limit + 1);
                return;
            }

            if (Limit > _bestLimit)
            {
                // The last step gained nothing: take it back and stop doubling.
                Limit = _bestLimit;
                _slowStart = false;
                _roundsAtPlateau = 0;
                return;
            }

            // At the plateau: now and then try one step up against a fresh measure.
            _bestThroughput = Math.Max(_bestThroughput * 0.9, throughput);
            if (++_roundsAtPlateau >= ProbeEvery && Limit < Max)
            {
                _roundsAtPlateau = 0;
                _bestThroughput = throughput;
                Limit++;
            }
        }

        private void StartRound()
        {
            _completedThisRound = 0;
            _rowsThisRound = 0;
            _saturated = false;
            _roundStart = _clock();
        }
    }
}
