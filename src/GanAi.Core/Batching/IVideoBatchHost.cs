using GanAi.Concurrency;

namespace GanAi.Batching
{
    /// <summary>
    /// What a <see cref="VideoBatchSession"/> needs from its host (New-GanVideoBatch; a test's fake):
    /// questions for the user and the streams to write to. Every call comes from the thread that
    /// calls the session, which for a cmdlet is the pipeline thread.
    /// </summary>
    public interface IVideoBatchHost
    {
        /// <summary>ShouldProcess: -WhatIf prints it and answers false; -Confirm asks.</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>Asked once the rows to send exceed the project's credits: true to send them anyway (always true unless -Confirm was given and the user says No).</summary>
        bool ConfirmBeyondCredits(string question);

        void WriteResult(VideoResult result);

        /// <summary>One row's error record; <paramref name="target"/> is the row as it came in.</summary>
        void WriteRowError(RowFailure failure, object target);

        /// <summary>A warning, or verbose output.</summary>
        void WriteMessage(PipelineMessage message);

        void WriteProgress(ProgressReport report);

        /// <summary>Straight to the host, for when the streams are closed (a run that is stopping); never throws.</summary>
        void TellWhileStopping(string text);
    }
}
