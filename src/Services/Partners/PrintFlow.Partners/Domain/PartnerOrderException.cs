namespace PrintFlow.Partners.Domain;

/// <summary>A request the order's current state does not allow; <see cref="Code"/> is the API's problem code.</summary>
public sealed class PartnerOrderException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
