using System;
using System.Collections.Generic;

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

}
