using PrintFlow.Contracts;

namespace PrintFlow.Crm.Domain;

/// <summary>A sales manager's note about a customer.</summary>
public sealed class CrmNote
{
    public const int MaxLength = 4000;

    private CrmNote()
    {
    }

    public Guid Id { get; private set; }
    public SalesChannel Channel { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Author { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }

    public static CrmNote Write(CrmCustomer customer, string author, string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxLength)
        {
            throw new ArgumentException($"A note has 1 to {MaxLength} characters.", nameof(text));
        }

        return new CrmNote
        {
            Id = Guid.CreateVersion7(now),
            Channel = customer.Channel,
            CustomerId = customer.CustomerId,
            Author = author,
            Text = trimmed,
            At = now,
        };
    }
}
