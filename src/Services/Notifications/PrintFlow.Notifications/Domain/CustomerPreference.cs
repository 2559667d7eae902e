namespace PrintFlow.Notifications.Domain;

/// <summary>What a shop customer chose through the link in their emails: the optional kinds off, and the language.</summary>
public sealed class CustomerPreference
{
    private CustomerPreference()
    {
    }

    public string CustomerId { get; private set; } = "";
    public bool OptionalOff { get; private set; }

    /// <summary>"ru" or "en"; null until the customer picks one.</summary>
    public string? Language { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static CustomerPreference For(string customerId, DateTimeOffset now) => new() { CustomerId = customerId, UpdatedAt = now };

    public bool Sends(MessageKind kind) => !OptionalOff || !MessageKinds.IsOptional(kind);

    public void TurnOptionalOff(DateTimeOffset now)
    {
        OptionalOff = true;
        UpdatedAt = now;
    }

    public void TurnOptionalOn(DateTimeOffset now)
    {
        OptionalOff = false;
        UpdatedAt = now;
    }

    public void ChooseLanguage(string language, DateTimeOffset now)
    {
        Language = Languages.Normalize(language) ?? throw new ArgumentException($"Unknown language '{language}'.", nameof(language));
        UpdatedAt = now;
    }
}

public static class Languages
{
    public const string Russian = "ru";
    public const string English = "en";

    /// <summary>"ru" or "en" for a supported language code, else null.</summary>
    public static string? Normalize(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "ru" => Russian,
        "en" => English,
        _ => null,
    };
}
