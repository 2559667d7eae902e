using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>Account emails (verification, password reset) as the Shop asks for them, over a real SMTP server.</summary>
public sealed class AccountEmailTests(NotificationsHostFixture fixture) : IClassFixture<NotificationsHostFixture>
{
    private const string Endpoint = "notifications";

    [Fact]
    public async Task AccountEmailRequested_WithProtectedLink_ArrivesOnceInTheCustomersLanguageWithTheLink()
    {
        var email = $"a-{Guid.NewGuid():N}@example.test";
        var verify = Request(email, AccountEmailKind.VerifyEmail, "en", Protect("/account/verify-email?token=abc-123", TimeSpan.FromDays(2)));
        var reset = Request(email, AccountEmailKind.PasswordReset, "ru", Protect("/reset-password?token=def-456", TimeSpan.FromMinutes(30)));

        await fixture.Services.DispatchAsync(Endpoint, verify);
        await fixture.Services.DispatchAsync(Endpoint, verify); // redelivered: still one email
        await fixture.Services.DispatchAsync(Endpoint, reset);

        var emails = await ArrivedAsync(email, 2);
        Assert.Equal(2, fixture.Smtp.To(email).Count);
        var confirm = Assert.Single(emails, m => m.Headers["X-PrintFlow-Kind"] == "verify-email");
        Assert.Equal("Confirm your email address", confirm.Subject);
        Assert.Contains($"{NotificationsHostFixture.PublicBaseUrl}/account/verify-email?token=abc-123", confirm.TextBody);
        Assert.Contains($"{NotificationsHostFixture.PublicBaseUrl}/account/verify-email?token=abc-123", confirm.HtmlBody);
        Assert.Null(confirm.Headers["List-Unsubscribe"]);
        Assert.Null(confirm.Headers["X-PrintFlow-Order"]);
        var password = Assert.Single(emails, m => m.Headers["X-PrintFlow-Kind"] == "password-reset");
        Assert.Equal("Сброс пароля PrintFlow", password.Subject);
        Assert.Contains($"{NotificationsHostFixture.PublicBaseUrl}/reset-password?token=def-456", password.TextBody);
    }

    [Fact]
    public async Task AccountEmailRequested_WithForgedExpiredOrForeignLink_SendsNothing()
    {
        var email = $"f-{Guid.NewGuid():N}@example.test";

        await fixture.Services.DispatchAsync(Endpoint, Request(email, AccountEmailKind.PasswordReset, "en", "not-a-protected-link"));
        await fixture.Services.DispatchAsync(Endpoint, Request(email, AccountEmailKind.PasswordReset, "en", Protect("/reset-password?token=x", TimeSpan.FromMinutes(-1))));
        await fixture.Services.DispatchAsync(Endpoint, Request(email, AccountEmailKind.PasswordReset, "en", Protect("https://evil.example/steal", TimeSpan.FromMinutes(30))));
        await fixture.Services.DispatchAsync(Endpoint, Request(email, AccountEmailKind.VerifyEmail, "en", Protect("/account/verify-email?token=ok", TimeSpan.FromMinutes(30))));

        var emails = await ArrivedAsync(email, 1);
        var only = Assert.Single(emails);
        Assert.Equal("verify-email", only.Headers["X-PrintFlow-Kind"]);
    }

    private Task<IReadOnlyList<MimeMessage>> ArrivedAsync(string recipient, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(fixture.Smtp.To(recipient)), m => m.Count >= count, $"{count} emails reach {recipient}");

    private string Protect(string path, TimeSpan lifetime) =>
        fixture.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(AccountEmailRequested.LinkProtectionPurpose)
            .ToTimeLimitedDataProtector().Protect(path, DateTimeOffset.UtcNow + lifetime);

    private static AccountEmailRequested Request(string email, AccountEmailKind kind, string language, string link) =>
        new(Guid.CreateVersion7(), Guid.NewGuid(), email, "Alex Account", language, kind, link, DateTimeOffset.UtcNow.AddMinutes(30), DateTimeOffset.UtcNow);
}
