using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Resending;

/// <summary>When a channel re-sends an order it never heard back about (<c>Shop:Resend</c>, <c>Partners:Resend</c>).</summary>
public sealed class ResendOptions
{
    /// <summary>
    /// Silence after a send before the first re-send; each further re-send waits twice as long as the one before.
    /// Ordering answers a submission within a second when it runs, so minutes mean it did not get it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan After { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the channel looks for unanswered submissions.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Re-sends before the channel gives up (the order then counts in <c>printflow_orders_unanswered</c>).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before re-send number <paramref name="resends"/> + 1: <see cref="After"/> doubled per earlier re-send.</summary>
    public TimeSpan WaitBefore(int resends) => After * Math.Pow(2, resends);
}
