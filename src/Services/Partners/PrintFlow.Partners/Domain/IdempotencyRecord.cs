namespace PrintFlow.Partners.Domain;

/// <summary>
/// What a partner's Idempotency-Key produced: the fingerprint of the request and the response, so a retry gets the
/// same answer and a different request under the same key is refused.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
    }

    public IdempotencyRecord(Guid partnerId, string key, string requestHash, Guid orderId, int statusCode, string responseBody, DateTimeOffset createdAt)
    {
        PartnerId = partnerId;
        Key = key;
        RequestHash = requestHash;
        OrderId = orderId;
        StatusCode = statusCode;
        ResponseBody = responseBody;
        CreatedAt = createdAt;
    }

    public Guid PartnerId { get; private set; }
    public string Key { get; private set; } = "";
    public string RequestHash { get; private set; } = "";
    public Guid OrderId { get; private set; }
    public int StatusCode { get; private set; }
    public string ResponseBody { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public bool Matches(string requestHash) => string.Equals(RequestHash, requestHash, StringComparison.Ordinal);
}
