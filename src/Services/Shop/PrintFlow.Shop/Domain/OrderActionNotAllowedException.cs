namespace PrintFlow.Shop.Domain;

/// <summary>A customer asked for something the order's current state does not allow; the message is for people.</summary>
public sealed class OrderActionNotAllowedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
