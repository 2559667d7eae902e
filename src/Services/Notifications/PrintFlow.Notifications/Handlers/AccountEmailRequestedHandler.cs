using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Handlers;

/// <summary>
/// Emails a customer the one-time link the Shop asked for (verify the address, reset the password). The link arrives
/// protected; one that cannot be read or has expired is not sent, as it could only fail when followed.
/// </summary>
internal sealed partial class AccountEmailRequestedHandler(
    NotificationWriter writer, IDataProtectionProvider protection, ILogger<AccountEmailRequestedHandler> logger)
    : IIntegrationEventHandler<AccountEmailRequested>
{
    private readonly ITimeLimitedDataProtector _links =
        protection.CreateProtector(AccountEmailRequested.LinkProtectionPurpose).ToTimeLimitedDataProtector();

    public Task HandleAsync(AccountEmailRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = _links.Unprotect(message.ProtectedLink);
        }
        catch (CryptographicException exception)
        {
            LinkUnreadable(logger, message.Kind, message.RequestId, exception.Message);
            return Task.CompletedTask;
        }

        // Only a path of this site: even a Shop gone wrong cannot make the email point elsewhere.
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            LinkUnreadable(logger, message.Kind, message.RequestId, "not a local path");
            return Task.CompletedTask;
        }

        var kind = message.Kind == AccountEmailKind.PasswordReset ? MessageKind.PasswordReset : MessageKind.VerifyEmail;
        return writer.StageAccountAsync($"account:{message.RequestId:N}", kind, message, path, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} email {RequestId} is not sent: its link cannot be used ({Reason})")]
    private static partial void LinkUnreadable(ILogger logger, AccountEmailKind kind, Guid requestId, string reason);
}
