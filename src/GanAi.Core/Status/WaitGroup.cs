using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Status
{
    /// <summary>The videos of one bulk request, and what their leader has found.</summary>
    internal sealed class WaitGroup
    {
        private readonly StatusPolling _polling;
        private readonly TaskCompletionSource<bool> _leaderDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<bool> _wake = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        public WaitGroup(StatusPolling polling, int index, string projectId)
        {
            _polling = polling;
            Index = index;
            ProjectId = projectId;
        }

        /// <summary>The group's place among the groups, in input order.</summary>
        public int Index { get; }

        public string ProjectId { get; }

        /// <summary>Videos of the group besides its leader (set under the polling's lock).</summary>
        public int Members { get; set; }

        /// <summary>Woken once already: a second wake could cost a read more than reading alone would.</summary>
        public bool Woken { get; set; }

        /// <summary>The leader's last status text: what a member's WaitTimedOut says when its own was never read.</summary>
        public string? LeaderLastStatus
        {
            get => Volatile.Read(ref _leaderLastStatus);
            set => Volatile.Write(ref _leaderLastStatus, value);
        }

        private string? _leaderLastStatus;

        public bool IsLeaderDone => _leaderDone.Task.IsCompleted;

        /// <summary>Completes when the leader's wait ended, however it ended (final, failed, timed out, stopped).</summary>
        public Task LeaderDoneTask => _leaderDone.Task;

        /// <summary>Completes when the members should read: the leader's wait ended, or a member found its video final.</summary>
        public Task DoneTask => _done.Task;

        /// <summary>A member found its video final: the request has finished, whatever its leader says.</summary>
        public void SeenFinal() => _done.TrySetResult(true);

        /// <summary>Completes when the leader should read now rather than at the end of its pause.</summary>
        public Task WakeTask => Volatile.Read(ref _wake).Task;

        public void EndLeader()
        {
            _done.TrySetResult(true);
            if (_leaderDone.TrySetResult(true)) _polling.LeaderDone(this);
        }

        public void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(true);
    }
}
