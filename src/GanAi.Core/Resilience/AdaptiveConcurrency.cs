using System;

namespace GanAi.Resilience
{
    /// <summary>
    /// How many batches may be in flight, adapted to the service: start modestly, grow while latency
    /// dominates (the sender was waiting for a free slot) and no 429 arrives, halve at once on a 429.
    /// Growth doubles per round until the first 429 (slow start), then adds one per round; a round is
    /// as many completed batches as the current limit. Never above <see cref="Max"/> (the user's
    /// -ThrottleLimit when given). Used from the pipeline thread only.
    /// </summary>
    public sealed class AdaptiveConcurrency
    {
        private bool _slowStart = true;
        private bool _saturated;
        private int _completedThisRound;

        public AdaptiveConcurrency(int initial, int max)
        {
            if (max < 1) throw new ArgumentOutOfRangeException(nameof(max));
            Max = max;
            Limit = Math.Max(1, Math.Min(initial, max));
        }

        /// <summary>Batches that may be in flight now.</summary>
        public int Limit { get; private set; }

        public int Max { get; }

        /// <summary>The sender had a batch ready and every slot was taken: latency, not input, is the bottleneck.</summary>
        public void OnSaturated() => _saturated = true;

        /// <summary>A batch finished; <paramref name="rateLimited"/> when any of its attempts was answered 429.</summary>
        public void OnCompleted(bool rateLimited)
        {
            if (rateLimited)
            {
                Limit = Math.Max(1, Limit / 2);
                _slowStart = false;
                _saturated = false;
                _completedThisRound = 0;
                return;
            }
            if (!_saturated || Limit >= Max) return;
            if (++_completedThisRound < Limit) return;
            _completedThisRound = 0;
            _saturated = false;
            Limit = Math.Min(Max, _slowStart ? Limit * 2 : Limit + 1);
        }
    }
}
