namespace PrintFlow.Testing;

/// <summary>
/// A browser test of a whole journey: a real SMTP server started for the test class instance, emails linking back to
/// this host on its port, CDEK callbacks signed with <see cref="Journey.CdekSecret"/> (the steps are in <see cref="Journey"/>).
/// </summary>
public abstract class JourneyBrowserTest : BrowserTest
{
    /// <param name="settings">The host's configuration on top of the journey's.</param>
    protected JourneyBrowserTest(IDictionary<string, string?>? settings = null)
        : this(new SmtpSink(), SmtpSink.FreePort(), settings)
    {
    }

    private JourneyBrowserTest(SmtpSink smtp, int port, IDictionary<string, string?>? settings)
        : base(Settings(smtp, port, settings), port)
    {
        Smtp = smtp;
    }

    /// <summary>Every email the host sent.</summary>
    protected SmtpSink Smtp { get; }

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(SmtpSink smtp, int port, IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>(smtp.NotificationSettings())
        {
            // Links in the emails open this very host, so the test can follow them.
            ["Notifications:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Notifications:PollInterval"] = "00:00:00.200",
            ["Mes:ShopPublicUrl"] = $"http://127.0.0.1:{port}",
            ["Mes:Carriers:cdek:CallbackSecret"] = Journey.CdekSecret,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
