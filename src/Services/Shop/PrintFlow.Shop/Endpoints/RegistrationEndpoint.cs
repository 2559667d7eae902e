using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Shop.Accounts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Endpoints;

/// <summary>A new customer signs up and is signed in at once; an email asks them to verify the address before their first order.</summary>
internal static class RegistrationEndpoint
{
    public const string EmailTaken = "register.email-taken";
    public const string InvalidEmail = "register.invalid-email";
    public const string MissingName = "register.missing-name";
    public const string WeakPassword = "register.weak-password";
    public const string Throttled = "register.throttled";

    public static string? SentenceFor(string? code, int? minutes = null) => code switch
    {
        Throttled => Texts.Get<ShopStrings>($"Register.Error.{code}", Math.Max(1, minutes ?? 1)),
        EmailTaken or InvalidEmail or MissingName => Texts.Get<ShopStrings>($"Register.Error.{code}"),
        WeakPassword => Texts.Get<ShopStrings>($"Register.Error.{code}", CustomerPasswords.MinimumLength),
        null or "" => null,
        _ => Texts.Get<ShopStrings>("Register.Error.Other"),
    };

    public static async Task<IResult> RegisterAsync(
        [FromForm] string? email,
        [FromForm] string? displayName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        HttpContext http,
        ShopDbContext db,
        IPasswordHasher<Customer> hasher,
        SignInThrottle throttle,
        AccountEmails emails,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // Every attempt counts, successful or not: it bounds both account creation and probing which emails are taken.
        var address = throttle.Registration(http);
        if (await throttle.WaitAsync(cancellationToken, address) is { } wait)
        {
            SignInThrottle.SetRetryAfter(http, wait);
            return Results.Redirect($"/register?error={Throttled}&minutes={SignInThrottle.Minutes(wait)}");
        }

        await throttle.FailedAsync(cancellationToken, address);

        var error = Validate(email, displayName, password);
        if (error is null && await db.Customers.AnyAsync(c => c.Email == Customer.NormalizeEmail(email!), cancellationToken))
        {
            error = EmailTaken;
        }

        if (error is not null)
        {
            return Results.Redirect($"/register?error={error}");
        }

        var now = clock.GetUtcNow();
        var customer = Customer.Register(email!, displayName!, now, AccountEmails.LanguageOf(CultureInfo.CurrentUICulture));
        CustomerPasswords.Set(hasher, customer, password!);
        db.Customers.Add(customer);
        // The account, its verification link and the two events commit together: CRM lists the customer at once.
        emails.RequestVerification(customer);
        db.Publish(new CustomerRegistered(customer.Id, customer.Email, customer.DisplayName, customer.Language, now), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Results.Redirect($"/register?error={EmailTaken}"); // someone registered the same email a moment ago
        }

        await AccountSessions.SignInAsync(http, ShopAccountDirectory.IdentityOf(customer), ShopAccountDirectory.Name, cancellationToken);
        // Back to the buyer's quote, so it becomes an order without uploading again; only a cart page, never another site.
        return Results.Redirect(returnUrl is { } back && back.StartsWith("/cart/", StringComparison.Ordinal) && Uri.IsWellFormedUriString(back, UriKind.Relative)
            ? back
            : "/");
    }

    private static string? Validate(string? email, string? displayName, string? password)
    {
        var trimmed = email?.Trim() ?? "";
        var at = trimmed.IndexOf('@');
        if (trimmed.Length is 0 or > 320 || at < 1 || at == trimmed.Length - 1 || trimmed.Contains(' '))
        {
            return InvalidEmail;
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 200)
        {
            return MissingName;
        }

        return CustomerPasswords.IsAcceptable(password) ? null : WeakPassword;
    }
}
