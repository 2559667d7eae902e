using System.Diagnostics;

namespace PrintFlow.Geometry;

/// <summary>
/// Cooperative stop for one read and analysis, checked by the readers and the analyzer every few thousand items:
/// the caller's token (throws OperationCanceledException) and a time limit past which the model is refused as too
/// complex. The clock is read at each check rather than trusted to a timer, so a busy thread pool cannot let an
/// analysis overrun its limit.
/// </summary>
internal sealed class Deadline
{
    public static readonly Deadline None = new(Timeout.InfiniteTimeSpan, CancellationToken.None);

    private readonly long _end;
    private readonly TimeSpan _limit;
    private readonly CancellationToken _token;

    public Deadline(TimeSpan limit, CancellationToken token)
    {
        _limit = limit;
        _token = token;
        _end = limit == Timeout.InfiniteTimeSpan ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)Math.Min(limit.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
    }

    public void Check()
    {
        _token.ThrowIfCancellationRequested();
        if (_end != long.MaxValue && Stopwatch.GetTimestamp() > _end) throw Errors.TookTooLong(_limit);
    }
}
