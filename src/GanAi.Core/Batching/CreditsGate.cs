using System;
using System.Globalization;

namespace GanAi.Batching
{
    /// <summary>
    /// A run's credits: before sending, the rows queued are counted against the project's available
    /// credits read by the pre-flight (one warning, and with -Confirm one question, once they exceed
    /// them); when the service answers 402, the run ends with InsufficientCredits. Nothing is sent
    /// after a 402, not even the part of the refused batch the credits might still allow: the service
    /// may have made part of that batch before it refused, so sending any of it again is a second send.
    /// </summary>
    internal sealed class CreditsGate
    {
        private readonly string _projectId;
        private long? _available;
        private long _rowsQueued;
        private bool _exceeded;
        private bool _declined;

        public CreditsGate(string projectId) => _projectId = projectId;

        /// <summary>The project's available credits when the run began (the pre-flight's reading; null: unknown).</summary>
        public void Know(long? available) => _available = available;

        /// <summary>
        /// One more row is about to be queued: true to send it. Once the rows exceed the credits, a
        /// warning (<paramref name="warn"/>) and the question (<paramref name="confirm"/>, true unless
        /// -Confirm was given and the user says No); rows beyond the credits are not sent after a No.
        /// </summary>
        public bool Admit(Action<string> warn, Func<string, bool> confirm)
        {
            _rowsQueued++;
            if (_declined) return false;
            if (_exceeded || _available is not { } credits || _rowsQueued <= credits) return true;
            _exceeded = true;
            // Which rows get the credits depends on which batch reaches the service first: say how
            // many rows are beyond them (at the end), not which.
            var text = string.Format(CultureInfo.InvariantCulture,
                "The rows to send exceed the {0} credit(s) available in project '{1}'; the rows beyond them will fail with InsufficientCredits.", credits, _projectId);
            warn(text);
            if (confirm(text + " Send them anyway?")) return true;
            _declined = true;
            return false;
        }

        /// <summary>At the end of a run that went beyond the credits: how many rows were beyond them; else null.</summary>
        public string? Summary() => _exceeded && _available is { } available && _rowsQueued > available
            ? string.Format(CultureInfo.InvariantCulture, "{0} of the {1} row(s) sent were beyond the {2} credit(s) project '{3}' had when the run began.",
                _rowsQueued - available, _rowsQueued, available, _projectId)
            : null;

        /// <summary>The service answered 402: the run ends, saying that the refused batch may have been made in part.</summary>
        public RunEndingFailure OutOfCredits(Exception refused) =>
            new RunEndingFailure(ErrorIds.InsufficientCredits, refused, string.Format(CultureInfo.InvariantCulture,
                "project '{0}' ran out of credits ({1}); nothing more is sent. The service may have made part of the batch it refused: with -JournalPath, a resumed run sends those rows once more and flags their results PossibleDuplicate. " +
                "Add credits, then run the command again (with -JournalPath, it resumes).",
                _projectId, refused.Message.TrimEnd('.')));
    }
}
