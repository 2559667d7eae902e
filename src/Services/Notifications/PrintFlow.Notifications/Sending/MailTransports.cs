using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using PrintFlow.Notifications.Domain;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Notifications.Sending;

/// <summary>Hands emails to whatever delivers them; one call per round, so a connection serves the whole round.</summary>
public interface IMailTransport
{
    /// <summary>Sends each message; the result holds each one's failure, or null when it was accepted.</summary>
    Task<Exception?[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken);
}

public static class MailMessages
{
    public static MimeMessage Build(Notification notification, MailboxAddress from)
    {
        var message = new MimeMessage
        {
            MessageId = notification.MessageIdHeader,
            Subject = notification.Subject,
            Date = notification.CreatedAt,
        };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(notification.RecipientName, notification.Recipient));
        // RFC 8058: mail clients offer a one-click unsubscribe that posts to the same signed link.
        if (notification.UnsubscribeUrl.Length > 0) // account emails are asked for, not subscribed to
        {
            message.Headers.Add("List-Unsubscribe", $"<{notification.UnsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        message.Headers.Add("X-PrintFlow-Kind", MessageKinds.Label(notification.Kind));
        if (notification.OrderId != Guid.Empty)
        {
            message.Headers.Add("X-PrintFlow-Order", notification.OrderId.ToString());
        }
        message.Body = new BodyBuilder { TextBody = notification.TextBody, HtmlBody = notification.HtmlBody }.ToMessageBody();
        return message;
    }

    /// <summary>A short label of why an attempt failed, for the metric and the row.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        SmtpCommandException => "refused",
        SmtpProtocolException => "protocol",
        AuthenticationException => "authentication",
        SslHandshakeException => "tls",
        SocketException or IOException or TimeoutException or OperationCanceledException => "unreachable",
        ServiceNotConnectedException => "unreachable",
        _ => "error",
    };
}

/// <summary>The embedded default: every email an .eml file in a folder, written whole then renamed, so a reader never sees half of one.</summary>
public sealed class PickupFolderTransport : IMailTransport
{
    public PickupFolderTransport(IOptions<NotificationsOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        Folder = Path.Combine(DataDirectory.Resolve(configuration, environment), options.Value.PickupFolder);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public async Task<Exception?[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken)
    {
        var results = new Exception?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                // Named by Message-ID: a resend after a crash replaces the same file instead of adding a copy.
                var name = (messages[i].MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0];
                var path = Path.Combine(Folder, name + ".eml");
                var temporary = path + ".tmp";
                await messages[i].WriteToAsync(temporary, cancellationToken);
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                results[i] = exception;
            }
        }

        return results;
    }
}

/// <summary>SMTP with MailKit: one connection per round, TLS and credentials from configuration.</summary>
public sealed class SmtpTransport(IOptions<NotificationsOptions> options) : IMailTransport
{
    public async Task<Exception?[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken)
    {
        var settings = options.Value.Smtp;
        var results = new Exception?[messages.Count];
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Array.Fill(results, exception);
            return results;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                await client.SendAsync(messages[i], cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                results[i] = exception;
                if (!client.IsConnected)
                {
                    // The connection is gone: the rest of the round fails the same way and is retried with it.
                    for (var j = i + 1; j < messages.Count; j++)
                    {
                        results[j] = exception;
                    }

                    break;
                }
            }
        }

        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException)
            {
                // Every message was answered already; a failed QUIT changes none of them.
            }
        }

        return results;
    }
}
