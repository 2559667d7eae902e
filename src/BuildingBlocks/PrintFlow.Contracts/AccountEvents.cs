namespace PrintFlow.Contracts;

/// <summary>
/// A shop customer created an account: CRM lists them at once, before any order. Account events are correlated by
/// the customer id (they belong to no order).
/// </summary>
/// <param name="Language">"ru" or "en": the language the customer registered in.</param>
[MessageName("accounts.customer-registered")]
public sealed record CustomerRegistered(Guid CustomerId, string Email, string Name, string Language, DateTimeOffset At) : IIntegrationEvent
{
    Guid IIntegrationEvent.OrderId => CustomerId;
}

/// <summary>Which account email a customer needs.</summary>
public enum AccountEmailKind
{
    VerifyEmail,
    PasswordReset,
}

/// <summary>
/// The Shop asks Notifications to send a customer an account email with a one-time link. The link is protected with
/// the data-protection keys Shop and Notifications share (purpose <see cref="LinkProtectionPurpose"/>, time-limited to
/// <paramref name="ExpiresAt"/>), so the outbox, the broker and dead-letter queues never hold a usable token
/// (docs/decisions/0022-account-emails.md).
/// </summary>
/// <param name="RequestId">One per link: the email's deduplication key.</param>
/// <param name="ProtectedLink">The absolute link, protected; only the email carries it in the clear.</param>
[MessageName("accounts.email-requested")]
public sealed record AccountEmailRequested(
    Guid RequestId,
    Guid CustomerId,
    string Email,
    string Name,
    string Language,
    AccountEmailKind Kind,
    string ProtectedLink,
    DateTimeOffset ExpiresAt,
    DateTimeOffset At) : IIntegrationEvent
{
    public const string LinkProtectionPurpose = "PrintFlow.Accounts.EmailLink.v1";

    Guid IIntegrationEvent.OrderId => CustomerId;
}
