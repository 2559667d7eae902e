using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// The partners that valid API keys belong to, remembered for <see cref="PartnersOptions.ApiKeyCacheDuration"/> so a
/// request does not read its key from the database every time (every partner request asks, polling included). Only
/// keys that were found are kept, by hash, never the key itself. A key revoked through this instance is forgotten at
/// once; on other instances it keeps working until its entry expires.
/// </summary>
public sealed class ApiKeyCache(IOptions<PartnersOptions> options, TimeProvider clock)
{
    /// <summary>More entries than any real set of partners' keys: past it, the cache starts again rather than grow.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _duration = options.Value.ApiKeyCacheDuration;

    /// <summary>Counts revocations: a key read before one is not kept, as the read may predate it.</summary>
    private long _revocations;

    /// <summary>The partner of the key with this hash: remembered, or read by <paramref name="load"/> (null: no such active key).</summary>
    public async Task<Partner?> GetAsync(string hash, Func<Task<Partner?>> load)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await load();
        }

        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Partner;
        }

        var revocations = Interlocked.Read(ref _revocations);
        var partner = await load();
        if (partner is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        // Kept, then checked: a revocation counted since the read began may predate what was read, so the entry goes
        // again. (Forget counts before it removes, so one that comes after this check still removes the entry.)
        var added = new Entry(partner, now + _duration);
        _entries[hash] = added;
        if (Interlocked.Read(ref _revocations) != revocations)
        {
            _entries.TryRemove(KeyValuePair.Create(hash, added));
        }

        return partner;
    }

    /// <summary>Forgets the key with this hash (revoked), also if a request is reading it right now.</summary>
    public void Forget(string hash)
    {
        Interlocked.Increment(ref _revocations);
        _entries.TryRemove(hash, out _);
    }

    private sealed record Entry(Partner Partner, DateTimeOffset ExpiresAt);
}
