using System.Globalization;

namespace PrintFlow.Load;

/// <summary>
/// <c>printflow-load verify --orders orders.tsv --shop shop.tsv --received received.tsv</c>: compares what the run's
/// orders should have caused with what the sink recorded, and prints
/// <c>emails=N missing=M duplicated=D webhooks=W missing=X</c>. Exit 0 only when nothing is missing, no event was
/// emailed twice (two different Message-IDs for one order and kind; a resend with the same Message-ID is the copy a
/// mail system recognises, counted as <c>resent</c>), no webhook event came under two event ids, and every signature verified.
/// </summary>
internal static class Verify
{
    public static int Run(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--orders", out var ordersFile) || !values.TryGetValue("--shop", out var shopFile)
            || !values.TryGetValue("--received", out var receivedFile))
        {
            Console.Error.WriteLine("printflow-load verify --orders orders.tsv --shop shop.tsv --received received.tsv");
            return 2;
        }

        var lines = File.Exists(receivedFile) ? File.ReadAllLines(receivedFile).Select(l => l.Split('\t')).ToList() : [];

        // Emails: each shop order expects one per step it reached that the customer is told about.
        var shop = File.ReadAllLines(shopFile).Select(l => l.Split('\t')).Where(f => Guid.TryParse(f[0], out _))
            .ToDictionary(f => Guid.Parse(f[0]), f => f.Length > 1 ? f[1] : "");
        var expectedEmails = shop.SelectMany(o => KindsFor(o.Value).Select(kind => (Order: o.Key, Kind: kind))).ToHashSet();
        var emails = lines.Where(f => f is ["email", _, _, _] && Guid.TryParse(f[2], out var id) && shop.ContainsKey(id))
            .Select(f => (MessageId: f[1], Order: Guid.Parse(f[2]), Kind: f[3])).ToList();
        var byEvent = emails.GroupBy(e => (e.Order, e.Kind)).ToDictionary(g => g.Key, g => g.Select(e => e.MessageId).Distinct().Count());
        var emailsMissing = expectedEmails.Count(e => !byEvent.ContainsKey(e));
        var emailsDuplicated = byEvent.Values.Sum(n => n - 1);
        var resent = emails.Count - emails.Select(e => e.MessageId).Distinct().Count();

        // Webhooks: each partner order expects versions 1..n (n transitions in its history when the load last read it).
        var partner = File.ReadAllLines(ordersFile).Select(l => l.Split('\t'))
            .Where(f => f.Length >= 8 && Guid.TryParse(f[1], out _))
            .ToDictionary(f => Guid.Parse(f[1]), f => int.Parse(f[7], CultureInfo.InvariantCulture));
        var hooks = lines.Where(f => f is ["webhook", _, _, _, _, _] && Guid.TryParse(f[2], out var id) && partner.ContainsKey(id))
            .Select(f => (EventId: f[1], Order: Guid.Parse(f[2]), Version: int.Parse(f[3], CultureInfo.InvariantCulture), Valid: f[5] == "valid"))
            .ToList();
        var versions = hooks.GroupBy(h => (h.Order, h.Version)).ToDictionary(g => g.Key, g => g.Select(h => h.EventId).Distinct().Count());
        var hooksMissing = partner.Sum(o => Enumerable.Range(1, o.Value).Count(v => !versions.ContainsKey((o.Key, v))));
        var twoIds = versions.Values.Sum(n => n - 1);
        var badSignatures = hooks.Count(h => !h.Valid);
        var delivered = hooks.Select(h => h.EventId).Distinct().Count();

        Console.WriteLine($"emails={emails.Select(e => e.MessageId).Distinct().Count()} missing={emailsMissing} duplicated={emailsDuplicated} webhooks={delivered} missing={hooksMissing}");
        Console.WriteLine($"  details: shop orders={shop.Count} (statuses {string.Join(", ", shop.Values.GroupBy(s => s).Select(g => $"{g.Key}={g.Count()}"))}), " +
            $"emails resent with the same Message-ID={resent}; partner orders={partner.Count}, webhook requests={hooks.Count}, " +
            $"events under two ids={twoIds}, bad signatures={badSignatures}");
        return emailsMissing == 0 && emailsDuplicated == 0 && hooksMissing == 0 && twoIds == 0 && badSignatures == 0
            && shop.Count > 0 && partner.Count > 0 ? 0 : 1;
    }

    /// <summary>The emails a shop order that got to <paramref name="status"/> (and went no further) has caused.</summary>
    private static string[] KindsFor(string status) => status switch
    {
        "Quoted" or "Confirmed" => ["order-received", "quote-ready"],
        "Rejected" => ["order-received", "rejected"],
        "Cancelled" => ["order-received", "cancelled"],
        _ => ["order-received"],
    };
}
