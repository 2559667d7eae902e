using PrintFlow.Contracts;

namespace PrintFlow.Resending;

/// <summary>
/// A channel's own view of an order it submitted to Ordering (Shop's and Partners' orders), as far as re-sending a
/// submission that was never answered needs it.
/// </summary>
public interface IResendableSubmission
{
    Guid Id { get; }

    /// <summary>The version of the last status heard from Ordering; 0 while none arrived.</summary>
    int Version { get; }

    /// <summary>The last status heard from Ordering (Submitted while none arrived).</summary>
    OrderStatus Status { get; }

    /// <summary>How often the submission was re-sent.</summary>
    int Resends { get; }

    /// <summary>
    /// When the submission was last sent: at first the submission time, then each re-send. Nullable only so the column
    /// could be added to existing tables; every order sets it when it is submitted.
    /// </summary>
    DateTimeOffset? LastSentAt { get; }

    void RecordResend(DateTimeOffset now);
}
