using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;

namespace PrintFlow.Notifications;

public enum MailDelivery
{
    /// <summary>Each email written as an .eml file into a folder (the embedded default: no mail server needed).</summary>
    Pickup,

    /// <summary>Each email sent to an SMTP server with MailKit.</summary>
    Smtp,
}

public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a local relay or a test server).</summary>
    None,

    /// <summary>STARTTLS, required: the server must offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>The address customers reach the Shop at; every link in an email starts with it.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary>The From header.</summary>
    [Required]
    public string From { get; set; } = "PrintFlow <orders@printflow.local>";

    public MailDelivery Delivery { get; set; } = MailDelivery.Pickup;

    /// <summary>Where <see cref="MailDelivery.Pickup"/> writes .eml files; relative paths are under PrintFlow:DataDirectory.</summary>
    [Required]
    public string PickupFolder { get; set; } = "mail";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The language of emails to a customer who has not chosen one.</summary>
    [Required, RegularExpression("^(ru|en)$")]
    public string DefaultLanguage { get; set; } = "ru";

    /// <summary>Attempts to send one email before it is parked (counted, alerted, kept for a person to look at).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles with each further one, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the sender looks for due emails when nothing new woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a sender holds an email it is sending; past it another instance (or this one after a crash) sends it again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Emails taken per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>The wait after <paramref name="attempts"/> failed attempts: base × 2^(attempts−1), at most the maximum.</summary>
    public TimeSpan RetryDelay(int attempts) => RetryBackoff.After(attempts, RetryBaseDelay, RetryMaxDelay);
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>How long one connection, command or message may take before the attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What the attributes cannot say: an absolute base address, a parsable From, a host when SMTP is chosen.</summary>
public sealed class NotificationsOptionsValidator : IValidateOptions<NotificationsOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationsOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            failures.Add("Notifications:PublicBaseUrl must be an absolute http(s) address, the Shop's public address (for example https://shop.example.com).");
        }

        if (!MimeKit.MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add("Notifications:From must be an email address, optionally with a name: PrintFlow <orders@example.com>.");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("Notifications:RetryMaxDelay must not be shorter than Notifications:RetryBaseDelay.");
        }

        if (options.Delivery == MailDelivery.Smtp)
        {
            if (string.IsNullOrWhiteSpace(options.Smtp.Host))
            {
                failures.Add("Notifications:Smtp:Host is required when Notifications:Delivery is Smtp.");
            }

            if (string.IsNullOrEmpty(options.Smtp.UserName) != string.IsNullOrEmpty(options.Smtp.Password))
            {
                failures.Add("Notifications:Smtp:UserName and Notifications:Smtp:Password go together: set both, or neither for a server without authentication.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
