namespace GanAi.Batching
{
    /// <summary>What a resumed run does with a row the journal recorded (docs/delivery.md's last table).</summary>
    public enum ResumeAction
    {
        /// <summary>Sent as a new row: not recorded, or recorded as not made.</summary>
        SendNew,

        /// <summary>Sent again: an earlier run may have made it, and it is under its cap (its result is flagged).</summary>
        SendAgain,

        /// <summary>Not sent: its recorded result is written.</summary>
        WriteResult,

        /// <summary>Not sent: held as OutcomeUnknown (recorded unknown, or at its cap of sends) until -RetryUnknown.</summary>
        Hold,
    }
}
