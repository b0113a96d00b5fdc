using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Status
{
    /// <summary>
    /// How one Wait-GanVideo spends its status reads (docs/videos.md, "What waiting costs"). The
    /// videos of one bulk request (one <see cref="VideoRef.RequestId"/> in one project) tend to finish
    /// together, so they wait as a group: the first of them to arrive (the leader) is read, with
    /// backoff, until it is final; then each other member is read once, and a member still not final
    /// goes on with the backoff it would have had at its age. When a group's leader is done, the next
    /// group of the project is read at once (a render queue finishes requests in turn): once per group,
    /// and only a group of two videos or more, so a group never costs more reads than its videos read
    /// on their own. A leader that ends without a final status (not found, timed out, an error)
    /// releases its members to read on their own. A video without a request id is read on its own,
    /// as before. Every attempt of every read waits for its turn under the command's ceiling
    /// (<see cref="StatusReadGate"/>), earliest input first.
    /// </summary>
    /// <remarks>Videos are added from the pipeline thread, in input order; the waits run on the work queue.</remarks>
    internal sealed class StatusPolling
    {
        private readonly object _gate = new object();
        private readonly Dictionary<(string ProjectId, string RequestId), WaitGroup> _groups =
            new Dictionary<(string, string), WaitGroup>();
        private readonly List<WaitGroup> _inOrder = new List<WaitGroup>();
        private long _added;

        public StatusPolling(double maxReadsPerSecond) => Reads = new StatusReadGate(maxReadsPerSecond);

        public StatusReadGate Reads { get; }

        /// <summary>The video's place in the wait: its order, and its group (as leader or member) when it has a request id.</summary>
        public PolledVideo Add(VideoRef video)
        {
            var order = _added++;
            var requestId = video.RequestId?.Trim();
            if (string.IsNullOrEmpty(requestId)) return new PolledVideo(order, null, isLeader: false);
            lock (_gate)
            {
                var key = (video.ProjectId, requestId!);
                if (_groups.TryGetValue(key, out var group))
                {
                    group.Members++;
                    return new PolledVideo(order, group, isLeader: false, isProbe: group.Members == 1);
                }
                group = new WaitGroup(this, _inOrder.Count, video.ProjectId);
                _groups.Add(key, group);
                _inOrder.Add(group);
                return new PolledVideo(order, group, isLeader: true);
            }
        }

        /// <summary>A group's leader is done: the project's next group whose leader still waits reads now (each group once, and only one with members).</summary>
        internal void LeaderDone(WaitGroup done)
        {
            WaitGroup? next = null;
            lock (_gate)
            {
                for (var i = done.Index + 1; i < _inOrder.Count; i++)
                {
                    var group = _inOrder[i];
                    if (group.IsLeaderDone || !string.Equals(group.ProjectId, done.ProjectId, StringComparison.Ordinal)) continue;
                    if (group.Members > 0 && !group.Woken)
                    {
                        group.Woken = true;
                        next = group;
                    }
                    break;
                }
            }
            next?.Wake();
        }
    }

    /// <summary>One video of a wait: where it stands in the input, and in its group.</summary>
    internal sealed class PolledVideo
    {
        public PolledVideo(long order, WaitGroup? group, bool isLeader, bool isProbe = false)
        {
            Order = order;
            Group = group;
            IsLeader = isLeader;
            IsProbe = isProbe;
        }

        /// <summary>Its position in the input: a lower one gets its turn to read first.</summary>
        public long Order { get; }

        public WaitGroup? Group { get; }

        public bool IsLeader { get; }

        /// <summary>A member: it waits for its leader before its first read.</summary>
        public bool IsMember => Group != null && !IsLeader;

        /// <summary>
        /// The group's second video: when the leader is still not final after about a minute, it reads
        /// on its own too, and finding its own video final ends the group's wait, so one video stuck
        /// rendering does not hold back the others (at a cost of one reader more per group, not one per video).
        /// </summary>
        public bool IsProbe { get; }
    }

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
