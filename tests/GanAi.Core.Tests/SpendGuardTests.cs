using GanAi.Batching;
using GanAi.Journal;
using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>The bounds on a run's spend (docs/delivery.md, rules 1, 3 and 4), on their own.</summary>
public class SpendGuardTests
{
    private static readonly AttemptVerdict NoAnswer = new(WorkVerdict.MayHaveMade, retryable: true, noAnswer: true);
    private static readonly AttemptVerdict Unclear503 = new(WorkVerdict.MayHaveMade, retryable: true, status: 503);
    private static readonly AttemptVerdict Refused429 = new(WorkVerdict.NothingMade, retryable: true, status: 429);
    private static readonly AttemptVerdict Made = new(WorkVerdict.Done, retryable: false, status: 200);
    private static readonly AttemptVerdict Refused400 = new(WorkVerdict.MayHaveMade, retryable: false, status: 400);

    private static (SpendGuard Guard, RunEnd End) Guard(bool retryAfterSend = true)
    {
        var end = new RunEnd();
        return (new SpendGuard(new ResilienceSettings { RetryAfterSend = retryAfterSend, AttemptTimeout = TimeSpan.FromSeconds(3) }, end), end);
    }

    [Fact]
    public void Three_requests_in_a_row_without_an_answer_end_the_run_and_give_up_those_in_flight()
    {
        var (guard, end) = Guard();
        guard.OnAttempt(NoAnswer);
        guard.OnAttempt(NoAnswer);
        Assert.Null(end.Failure);
        guard.OnAttempt(NoAnswer);
        Assert.Equal(ErrorIds.ServiceNotAnswering, end.Failure?.ErrorId);
        Assert.True(end.InFlight.IsCancellationRequested);
        Assert.True(end.NoMoreSends.IsCancellationRequested);
        Assert.Contains("3 requests in a row", end.Failure!.Message);
        Assert.Contains("3 s, -TimeoutSec", end.Failure.Message);
    }

    [Theory]
    [MemberData(nameof(StreakBreakers))]
    public void Any_other_outcome_breaks_a_streak(AttemptVerdict between)
    {
        var (guard, end) = Guard();
        guard.OnAttempt(NoAnswer);
        guard.OnAttempt(NoAnswer);
        guard.OnAttempt(between);
        guard.OnAttempt(NoAnswer);
        guard.OnAttempt(NoAnswer);
        Assert.Null(end.Failure);
    }

    public static TheoryData<AttemptVerdict> StreakBreakers => new() { Made, Refused429, Unclear503, Refused400 };

    [Fact]
    public void Ten_unclear_failures_in_a_row_end_the_run_with_ServiceError_and_a_clear_answer_breaks_them()
    {
        var (guard, end) = Guard();
        for (var i = 0; i < 9; i++) guard.OnAttempt(i % 2 == 0 ? Unclear503 : NoAnswer);
        guard.OnAttempt(Refused429); // answered before any work: the service is not failing unclearly
        for (var i = 0; i < 9; i++) guard.OnAttempt(Unclear503);
        Assert.Null(end.Failure);
        guard.OnAttempt(Unclear503);
        Assert.Equal(ErrorIds.ServiceError, end.Failure?.ErrorId);
        Assert.True(end.InFlight.IsCancellationRequested);
    }

    [Fact]
    public void Five_batches_in_a_row_refused_with_429_end_the_run_with_RateLimited()
    {
        var (guard, end) = Guard();
        for (var i = 0; i < 4; i++) guard.OnBatchEnded(refusedWith429: true);
        guard.OnBatchEnded(refusedWith429: false);
        for (var i = 0; i < 4; i++) guard.OnBatchEnded(refusedWith429: true);
        Assert.Null(end.Failure);
        guard.OnBatchEnded(refusedWith429: true);
        Assert.Equal(ErrorIds.RateLimited, end.Failure?.ErrorId);
    }

    [Fact]
    public void The_first_end_wins()
    {
        var (guard, end) = Guard();
        end.End(new RunEndingFailure(ErrorIds.TokenRefused, new UnauthorizedAccessException("refused")));
        Assert.False(end.InFlight.IsCancellationRequested); // a refused token lets the batches in flight answer ...
        Assert.True(end.NoMoreSends.IsCancellationRequested); // ... and sends nothing new
        for (var i = 0; i < 3; i++) guard.OnAttempt(NoAnswer);
        Assert.Equal(ErrorIds.TokenRefused, end.Failure?.ErrorId); // what the run reports
        Assert.True(end.InFlight.IsCancellationRequested); // but a service that stopped answering is not waited for
    }

    [Theory]
    [InlineData(true, 0, true)]
    [InlineData(true, 1, true)]
    [InlineData(true, 2, false)] // twice without a clear answer: held
    [InlineData(false, 0, true)]
    [InlineData(false, 1, false)] // at-most-once: once
    public void A_row_may_be_sent_again_while_under_its_cap(bool retryAfterSend, int sends, bool again)
    {
        var (guard, _) = Guard(retryAfterSend);
        var row = Runs.Row(1, "r-1", ("names", "x"));
        for (var i = 0; i < sends; i++)
        {
            row.Apply(RowEvent.Sending);
            row.Apply(RowEvent.MaybeProcessed);
        }
        Assert.Equal(again, guard.MayResend(row));
    }

    [Fact]
    public void A_held_row_released_by_RetryUnknown_gets_one_send_more_than_it_had()
    {
        var (guard, _) = Guard();
        var record = new JournalRecord(new JournalEntry { Status = RunJournal.Unknown, SendCount = 2 }, 2, RunJournal.Unknown);
        var row = Runs.Row(1, "r-1", ("names", "x"));
        JournalResume.Prepare(row, record, guard);
        Assert.True(guard.MayResend(row)); // 2 sends, limit 3
        row.Apply(RowEvent.Sending);
        row.Apply(RowEvent.MaybeProcessed);
        Assert.False(guard.MayResend(row));
    }

    [Theory]
    [InlineData(null, 0, false, ResumeAction.SendNew)]
    [InlineData("not_created", 0, false, ResumeAction.SendNew)]
    [InlineData("created", 1, false, ResumeAction.WriteResult)]
    [InlineData("created", 2, true, ResumeAction.WriteResult)]
    [InlineData("may_exist", 1, false, ResumeAction.SendAgain)]
    [InlineData("sending", 1, false, ResumeAction.SendAgain)]
    [InlineData("may_exist", 2, false, ResumeAction.Hold)] // at the cap
    [InlineData("may_exist", 2, true, ResumeAction.SendAgain)]
    [InlineData("unknown", 1, false, ResumeAction.Hold)] // given up in flight: a person decides
    [InlineData("unknown", 1, true, ResumeAction.SendAgain)]
    public void The_resume_rule(string? status, int sends, bool retryUnknown, ResumeAction expected)
    {
        var (guard, _) = Guard();
        var record = status is null ? null : new JournalRecord(new JournalEntry { Status = status, SendCount = sends }, sends, status);
        Assert.Equal(expected, JournalResume.Decide(record, guard, retryUnknown));
    }

    [Theory]
    [InlineData("may_exist", 1)]
    [InlineData("sending", 1)]
    public void At_most_once_holds_every_row_an_earlier_run_may_have_made(string status, int sends)
    {
        var (guard, _) = Guard(retryAfterSend: false);
        Assert.Equal(ResumeAction.Hold, JournalResume.Decide(new JournalRecord(new JournalEntry { Status = status }, sends, status), guard, retryUnknown: false));
    }
}

/// <summary>The credits of a run: warned once, asked once, and a 402 that ends the run saying the batch may be made in part.</summary>
public class CreditsGateTests
{
    [Fact]
    public void Warns_and_asks_once_when_the_rows_exceed_the_credits_and_counts_the_rows_beyond()
    {
        var gate = new CreditsGate("p");
        gate.Know(2);
        var warnings = new List<string>();
        var asked = 0;
        for (var i = 0; i < 5; i++) Assert.True(gate.Admit(warnings.Add, _ => { asked++; return true; }));
        Assert.Single(warnings);
        Assert.Equal(1, asked);
        Assert.Equal("3 of the 5 row(s) sent were beyond the 2 credit(s) project 'p' had when the run began.", gate.Summary());
    }

    [Fact]
    public void Sends_none_beyond_the_credits_when_the_answer_is_no()
    {
        var gate = new CreditsGate("p");
        gate.Know(1);
        Assert.True(gate.Admit(_ => { }, _ => false));
        Assert.False(gate.Admit(_ => { }, _ => false));
        Assert.False(gate.Admit(_ => { }, _ => true)); // asked once
    }

    [Fact]
    public void A_402_ends_the_run_saying_the_refused_batch_may_have_been_made_in_part()
    {
        var failure = new CreditsGate("p").OutOfCredits(new InvalidOperationException("Not enough credits."));
        Assert.Equal(ErrorIds.InsufficientCredits, failure.ErrorId);
        Assert.Contains("may have made part of the batch it refused", failure.Message);
        Assert.Null(new CreditsGate("p").Summary());
    }
}
