using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Queries;

/// <summary>The queue's filters, as they appear in the bookmarkable query string of /mes.</summary>
public sealed record QueueFilter(
    OrderStatus? Stage, string? Material, SalesChannel? Channel, LeadTime? Priority, string? Search, QueueCursor? After)
{
    public static readonly QueueFilter None = new(null, null, null, null, null, null);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static QueueFilter Parse(string? stage, string? material, string? channel, string? priority, string? q, string? after) => new(
        Enum.TryParse<OrderStatus>(stage, out var s) && JobStages.IsStage(s) ? s : null,
        string.IsNullOrWhiteSpace(material) ? null : material.Trim(),
        Enum.TryParse<SalesChannel>(channel, out var c) ? c : null,
        Enum.TryParse<LeadTime>(priority, out var p) ? p : null,
        string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        QueueCursor.TryParse(after));

    /// <summary>The search as a whole order number (PF- and ten hex digits, any case), or null when it is not one.</summary>
    public static string? AsOrderNumber(string? search)
    {
        if (search is not { Length: 13 } || !search.StartsWith("PF-", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return search.AsSpan(3).ContainsAnyExcept(HexDigits) ? null : search.ToUpperInvariant();
    }

    /// <summary>The query string for these filters (without a cursor unless <paramref name="after"/> is given).</summary>
    public string ToQueryString(QueueCursor? after = null)
    {
        var values = new Dictionary<string, string?>();
        if (Stage is { } stage) values["stage"] = stage.ToString();
        if (Material is { } material) values["material"] = material;
        if (Channel is { } channel) values["channel"] = channel.ToString();
        if (Priority is { } priority) values["priority"] = priority.ToString();
        if (Search is { } search) values["q"] = search;
        if (after is not null) values["after"] = after.ToString();
        return QueryHelpers.AddQueryString("", values);
    }
}

/// <summary>
/// A keyset position in the queue: the sort key of the last row shown. The next page is the rows after it in the
/// index order (rank, priority, due, created, id), so no page ever skips or counts rows before it.
/// </summary>
public sealed record QueueCursor(int Rank, int Priority, long DueTicks, long CreatedTicks, long Id)
{
    public static QueueCursor Of(ManufacturingJob job) =>
        new(job.QueueRank, job.Priority, job.DueBy.UtcTicks, job.CreatedAt.UtcTicks, job.Id);

    public static QueueCursor Of(QueueRow row) =>
        new(row.QueueRank, row.Priority, row.DueBy.UtcTicks, row.CreatedAt.UtcTicks, row.Id);

    public override string ToString() => string.Join('.',
        Rank.ToString(CultureInfo.InvariantCulture), Priority.ToString(CultureInfo.InvariantCulture),
        DueTicks.ToString(CultureInfo.InvariantCulture), CreatedTicks.ToString(CultureInfo.InvariantCulture),
        Id.ToString(CultureInfo.InvariantCulture));

    public static QueueCursor? TryParse(string? text)
    {
        var parts = text?.Split('.');
        if (parts is not { Length: 5 })
        {
            return null;
        }

        var numbers = new long[5];
        for (var i = 0; i < 5; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        if (numbers[0] > int.MaxValue || numbers[1] > int.MaxValue || numbers[2] > DateTimeOffset.MaxValue.UtcTicks || numbers[3] > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new QueueCursor((int)numbers[0], (int)numbers[1], numbers[2], numbers[3], numbers[4]);
    }
}
