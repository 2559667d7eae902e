namespace PrintFlow.ServiceDefaults;

public static class LocalUrl
{
    /// <summary>
    /// True for a path on this site ("/orders/1"), false for anything a redirect could use to leave it
    /// ("//evil.example", "/\evil.example", "https://…", empty).
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/')
        && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
