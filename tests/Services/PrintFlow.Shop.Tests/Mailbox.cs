using System.Text.RegularExpressions;
using MimeKit;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The emails the host wrote to its pickup folder (Notifications' embedded default), as a customer's mailbox.</summary>
internal static partial class Mailbox
{
    public static IReadOnlyList<MimeMessage> To(PrintFlowHost host, string recipient, string kind)
    {
        var folder = Path.Combine(host.DataDirectory, "mail");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder, "*.eml")
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase))
                && m.Headers["X-PrintFlow-Kind"] == kind)];
    }

    /// <summary>Waits for the <paramref name="count"/>th email of <paramref name="kind"/> to <paramref name="recipient"/>.</summary>
    public static Task<IReadOnlyList<MimeMessage>> WaitAsync(PrintFlowHost host, string recipient, string kind, int count = 1) =>
        Eventually.UntilAsync(() => Task.FromResult(To(host, recipient, kind)), m => m.Count >= count, $"{count} {kind} email(s) reach {recipient}");

    /// <summary>The path and query of the one-time link in the email's text (what following it in a browser requests).</summary>
    public static string LinkIn(MimeMessage message, string path)
    {
        var match = Regex.Match(message.TextBody ?? "", $@"https?://[^\s/]+({Regex.Escape(path)}\?token=[A-Za-z0-9_\-%]+)");
        Assert.True(match.Success, $"No {path} link in: {message.TextBody}");
        Assert.Contains(match.Groups[1].Value, message.HtmlBody ?? "");
        return match.Groups[1].Value;
    }
}
