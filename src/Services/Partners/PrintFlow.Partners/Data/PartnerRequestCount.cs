namespace PrintFlow.Partners.Data;

/// <summary>
/// A partner's requests in its current rate-limit window, shared by every Partners instance through the database:
/// one row per partner, advanced by one atomic upsert per request (<see cref="Auth.PartnerRequestCounter"/>).
/// </summary>
public sealed class PartnerRequestCount
{
    private PartnerRequestCount()
    {
    }

    public Guid PartnerId { get; private set; }

    /// <summary>When the window began, in Unix milliseconds (a plain number compares the same on both providers).</summary>
    public long WindowStart { get; private set; }

    public int Count { get; private set; }
}
