using GanAi.Batching;
using GanAi.Journal;
using static GanAi.Batching.RowState;

namespace GanAi.Core.Tests;

/// <summary>
/// Every entry of the delivery table (docs/delivery.md): each state under each event, and what each
/// state means for the journal and for PossibleDuplicate. The expected values are written out here,
/// not computed, so a change to the table must be made twice, on purpose.
/// </summary>
public class RowDeliveryTests
{
    // Columns, in the order of RowEvent: Sending, MaybeProcessed, Answered, AnsweredTwice, Failed, Abandoned, RefusedBeforeWork.
    private static readonly Dictionary<RowState, RowState[]> Table = new()
    {
        [Unsent] = new[] { Sent, SentMayExist, Created, CreatedPossibleDuplicate, NotSent, NotSent, Unsent },
        [UnsentMayExist] = new[] { SentMayExist, SentMayExist, CreatedPossibleDuplicate, CreatedPossibleDuplicate, NotSentMayExist, NotSentMayExist, UnsentMayExist },
        [Sent] = new[] { Sent, SentMayExist, Created, CreatedPossibleDuplicate, NotCreated, NotCreated, Sent },
        [SentMayExist] = new[] { SentMayExist, SentMayExist, CreatedPossibleDuplicate, CreatedPossibleDuplicate, RowState.MayExist, RowState.Unknown, SentMayExist },
        [Created] = Same(Created),
        [CreatedPossibleDuplicate] = Same(CreatedPossibleDuplicate),
        [NotSent] = Same(NotSent),
        [NotSentMayExist] = Same(NotSentMayExist),
        [NotCreated] = Same(NotCreated),
        [RowState.MayExist] = Same(RowState.MayExist),
        [RowState.Unknown] = Same(RowState.Unknown),
    };

    // State: journal status written for it (null: no line), PossibleDuplicate, may exist, ended.
    private static readonly Dictionary<RowState, (string? Journal, bool PossibleDuplicate, bool MayExist, bool Ended)> Meaning = new()
    {
        [Unsent] = (null, false, false, false),
        [UnsentMayExist] = (null, false, true, false),
        [Sent] = ("sending", false, false, false),
        [SentMayExist] = ("sending", false, true, false),
        [Created] = ("created", false, false, true),
        [CreatedPossibleDuplicate] = ("created", true, true, true),
        [NotSent] = (null, false, false, true),
        [NotSentMayExist] = (null, false, true, true),
        [NotCreated] = ("not_created", false, false, true),
        [RowState.MayExist] = ("may_exist", false, true, true),
        [RowState.Unknown] = ("unknown", false, true, true),
    };

    private static RowState[] Same(RowState state) => Enumerable.Repeat(state, Enum.GetValues<RowEvent>().Length).ToArray();

    public static TheoryData<RowState, RowEvent, RowState> Transitions()
    {
        var data = new TheoryData<RowState, RowEvent, RowState>();
        foreach (var (state, next) in Table)
        {
            foreach (var happened in Enum.GetValues<RowEvent>()) data.Add(state, happened, next[(int)happened]);
        }
        return data;
    }

    [Fact]
    public void The_table_covers_every_state_and_event()
    {
        Assert.Equal(Enum.GetValues<RowState>().OrderBy(s => s), Table.Keys.OrderBy(s => s));
        Assert.Equal(Enum.GetValues<RowState>().OrderBy(s => s), Meaning.Keys.OrderBy(s => s));
        Assert.All(Table.Values, row => Assert.Equal(Enum.GetValues<RowEvent>().Length, row.Length));
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Each_state_moves_as_the_table_says(RowState state, RowEvent happened, RowState expected)
    {
        Assert.Equal(expected, RowDelivery.Next(state, happened));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Each_state_maps_to_one_journal_status_and_flag(RowState state)
    {
        var (journal, possibleDuplicate, mayExist, ended) = Meaning[state];
        Assert.Equal(journal, RowDelivery.JournalStatus(state));
        Assert.Equal(possibleDuplicate, RowDelivery.IsPossibleDuplicate(state));
        Assert.Equal(mayExist, RowDelivery.MayExist(state));
        Assert.Equal(ended, RowDelivery.IsEnded(state));
    }

    public static TheoryData<RowState> States() => new(Enum.GetValues<RowState>());

    [Fact]
    public void A_row_keeps_its_delivery_when_the_preflight_renames_its_tags()
    {
        // The bug this state fixed: the pre-flight's copy of a resumed row dropped "an earlier run may
        // have made it", so its result came back unflagged although its video existed twice.
        var row = Runs.Row(1, "r-1", ("Names", "Ann"));
        row.Resume(1, 0);
        var project = new GanProject("p") { Tags = new TagList(new[] { "names" }) };
        Assert.True(new TagPreflight(project, "unique_id").TryApply(row, out var renamed, out _));

        Assert.NotSame(row, renamed);
        Assert.Equal("names", renamed.Tags[0].Key);
        Assert.Equal(UnsentMayExist, renamed.State);
        Assert.Equal(1, renamed.Sends);
    }

    [Fact]
    public void Each_send_counts_until_it_proves_it_made_nothing()
    {
        var row = Runs.Row(1, "r-1", ("names", "Ann"));
        row.Apply(RowEvent.Sending);
        Assert.Equal(1, row.Sends); // in flight: it may make the video
        row.Apply(RowEvent.RefusedBeforeWork); // a 429, or it never left
        Assert.Equal((Sent, 0), (row.State, row.Sends));
        row.Apply(RowEvent.Sending);
        row.Apply(RowEvent.MaybeProcessed); // a 503 after the work, say
        Assert.Equal((SentMayExist, 1), (row.State, row.Sends));
        row.Apply(RowEvent.Sending);
        row.Apply(RowEvent.Answered);
        Assert.Equal((CreatedPossibleDuplicate, 2), (row.State, row.Sends));
        row.Apply(RowEvent.Sending); // an ended row stays as it is
        Assert.Equal(2, row.Sends);
    }

    [Fact]
    public void A_resumed_row_starts_with_its_journals_sends_and_may_not_be_resumed_twice()
    {
        var row = Runs.Row(1, "r-1", ("names", "Ann"));
        row.Resume(1, 2);
        Assert.Equal((UnsentMayExist, 1, 2), (row.State, row.Sends, row.Delivery.SendLimit));
        row.Apply(RowEvent.Sending);
        row.Apply(RowEvent.Answered);
        Assert.Equal((CreatedPossibleDuplicate, 2), (row.State, row.Sends));
        Assert.Throws<InvalidOperationException>(() => Runs.Row(2, "r-2", ("names", "Bo")).Also(r => r.Apply(RowEvent.Sending)).Resume(1, 0));
    }

    [Fact]
    public void The_journal_status_names_are_the_journals_own()
    {
        Assert.Equal(RunJournal.Sending, RowDelivery.JournalStatus(Sent));
        Assert.Equal(RunJournal.Created, RowDelivery.JournalStatus(Created));
        Assert.Equal(RunJournal.NotCreated, RowDelivery.JournalStatus(NotCreated));
        Assert.Equal(RunJournal.MayExist, RowDelivery.JournalStatus(RowState.MayExist));
        Assert.Equal(RunJournal.Unknown, RowDelivery.JournalStatus(RowState.Unknown));
    }
}

internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
