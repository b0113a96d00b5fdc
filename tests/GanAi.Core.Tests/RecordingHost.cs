using GanAi.Batching;
using GanAi.Concurrency;

namespace GanAi.Core.Tests;

/// <summary>What a session would write through the cmdlet, kept for the test to read.</summary>
internal sealed class RecordingHost : IVideoBatchHost
{
    public List<VideoResult> Results { get; } = new();
    public List<(RowFailure Failure, object Target)> Errors { get; } = new();
    public List<PipelineMessage> Messages { get; } = new();
    public List<string> Confirmed { get; } = new();
    public bool AnswerShouldProcess { get; set; } = true;

    public bool ShouldProcess(string target, string action)
    {
        Confirmed.Add(target);
        return AnswerShouldProcess;
    }

    public bool ConfirmBeyondCredits(string question) => true;
    public void WriteResult(VideoResult result) => Results.Add(result);
    public void WriteRowError(RowFailure failure, object target) => Errors.Add((failure, target));
    public void WriteMessage(PipelineMessage message) => Messages.Add(message);
    public void WriteProgress(ProgressReport report) { }
    public void TellWhileStopping(string text) { }

    public IEnumerable<string> Warnings => Messages.Where(m => m.IsWarning).Select(m => m.Text);
}
