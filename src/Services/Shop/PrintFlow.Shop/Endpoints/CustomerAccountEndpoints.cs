using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Accounts;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop.Accounts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Endpoints;

/// <summary>
/// What a customer does with their account: verify the email, reset a forgotten password, change the password, and
/// keep the address book. Forms post here and are sent back to a page whose address carries the outcome's code.
/// </summary>
internal static class CustomerAccountEndpoints
{
    public const string AccountPage = "/account";
    public const string ForgotPage = "/forgot-password";

    public static class Codes
    {
        public const string TokenUnknown = "account.link-unknown";
        public const string TokenExpired = "account.link-expired";
        public const string TokenUsed = "account.link-used";
        public const string WeakPassword = "account.weak-password";
        public const string WrongPassword = "account.wrong-password";
        public const string Throttled = "account.throttled";
        public const string NotVerified = "account.email-not-verified";
        public const string InvalidEmail = "account.invalid-email";
    }

    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app)
    {
        app.MapPost("/shop/account/verify-email", VerifyEmailAsync);
        app.MapPost("/shop/account/forgot-password", ForgotPasswordAsync);
        app.MapPost("/shop/account/reset-password", ResetPasswordAsync);
        // Resend (often) and delete bind no form field, so the token check minimal APIs add to form endpoints is asked for here.
        var signedIn = app.MapGroup("/shop/account").RequireAuthorization(policy => policy.RequireRole(Roles.Customer))
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        signedIn.MapPost("/verify-email/resend", ResendVerificationAsync);
        signedIn.MapPost("/password", ChangePasswordAsync);
        signedIn.MapPost("/addresses/{id:guid}/delete", DeleteAddressAsync);
    }

    /// <summary>The token row a link names, or why it cannot be used; a forged, cut or over-long token is simply unknown.</summary>
    public static async Task<(AccountToken? Token, string? Problem)> FindTokenAsync(
        ShopDbContext db, string? token, AccountTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > AccountToken.MaxTokenLength)
        {
            return (null, Codes.TokenUnknown);
        }

        var hash = AccountToken.HashOf(token);
        var row = await db.AccountTokens.FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose, cancellationToken);
        return row?.ProblemAt(now) switch
        {
            _ when row is null => (null, Codes.TokenUnknown),
            AccountTokenProblem.Expired => (row, Codes.TokenExpired),
            AccountTokenProblem.Used => (row, Codes.TokenUsed),
            _ => (row, null),
        };
    }

    private static async Task<IResult> VerifyEmailAsync(
        [FromForm] string? token, ShopDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (row, problem) = await FindTokenAsync(db, token, AccountTokenPurpose.VerifyEmail, now, cancellationToken);
        if (problem is not null)
        {
            return Results.Redirect($"{AccountEmails.VerifyPath}?error={problem}");
        }

        if (!await ClaimAsync(db, row!, now, cancellationToken))
        {
            return Results.Redirect($"{AccountEmails.VerifyPath}?error={Codes.TokenUsed}");
        }

        await db.Customers.Where(c => c.Id == row!.CustomerId && c.EmailVerifiedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.EmailVerifiedAt, now), cancellationToken);
        return Results.Redirect($"{AccountEmails.VerifyPath}?done=1");
    }

    /// <summary>Sends a new verification link; from a cart's order box (<paramref name="cart"/>, its token) the answer goes back to that cart.</summary>
    private static async Task<IResult> ResendVerificationAsync(
        [FromForm] string? cart, ClaimsPrincipal user, HttpContext http, ShopDbContext db, AccountEmails emails, IOptions<AccountEmailOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        // Only a well-formed cart token is echoed into the address, so the form cannot send anyone elsewhere.
        var back = Cart.LooksLikeToken(cart) ? $"/cart/{cart}" : AccountPage;
        var anchor = back == AccountPage ? "" : "#order";
        if (await CustomerOfAsync(db, user, cancellationToken) is not { } customer)
        {
            return Results.Redirect($"/login?returnUrl={Uri.EscapeDataString(back)}");
        }

        if (customer.IsEmailVerified)
        {
            return Results.Redirect($"{back}?done=verified{anchor}");
        }

        var perAccount = SignInThrottle.Key("account-email", customer.Email, options.Value.MaxEmailsPerAccount, options.Value.Window);
        if (await ThrottledAsync(http, cancellationToken, perAccount) is { } minutes)
        {
            return Results.Redirect($"{back}?error={Codes.Throttled}&minutes={minutes}{anchor}");
        }

        emails.RequestVerification(customer);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"{back}?done=verification-sent{anchor}");
    }

    /// <summary>The same answer whether or not the address has an account; both the address and the email are counted either way.</summary>
    private static async Task<IResult> ForgotPasswordAsync(
        [FromForm] string? email, HttpContext http, ShopDbContext db, AccountEmails emails, IOptions<AccountEmailOptions> options,
        CancellationToken cancellationToken)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length is 0 or > 320 || !trimmed.Contains('@', StringComparison.Ordinal))
        {
            return Results.Redirect($"{ForgotPage}?error={Codes.InvalidEmail}");
        }

        var perAddress = SignInThrottle.Key("reset-address", SignInThrottle.AddressOf(http), options.Value.MaxResetRequestsPerAddress, options.Value.Window);
        var perAccount = SignInThrottle.Key("account-email", trimmed, options.Value.MaxEmailsPerAccount, options.Value.Window);
        if (await ThrottledAsync(http, cancellationToken, perAddress, perAccount) is { } minutes)
        {
            return Results.Redirect($"{ForgotPage}?error={Codes.Throttled}&minutes={minutes}");
        }

        var normalized = Customer.NormalizeEmail(trimmed);
        if (await db.Customers.FirstOrDefaultAsync(c => c.Email == normalized, cancellationToken) is { } customer)
        {
            emails.RequestPasswordReset(customer);
            await db.SaveChangesAsync(cancellationToken);
        }

        return Results.Redirect($"{ForgotPage}?sent=1");
    }

    private static async Task<IResult> ResetPasswordAsync(
        [FromForm] string? token, [FromForm] string? password, ShopDbContext db, IPasswordHasher<Customer> hasher,
        SessionValidator sessions, IEnumerable<IAccountSessionStore> stores, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (row, problem) = await FindTokenAsync(db, token, AccountTokenPurpose.PasswordReset, now, cancellationToken);
        if (problem is not null)
        {
            return Results.Redirect($"{AccountEmails.ResetPath}?error={problem}");
        }

        if (!CustomerPasswords.IsAcceptable(password))
        {
            // The token goes back in the address it came in, so the form shows again with the sentence.
            return Results.Redirect($"{AccountEmails.ResetPath}?token={Uri.EscapeDataString(token!)}&error={Codes.WeakPassword}");
        }

        if (await db.Customers.FindAsync([row!.CustomerId], cancellationToken) is not { } customer)
        {
            return Results.Redirect($"{AccountEmails.ResetPath}?error={Codes.TokenUnknown}");
        }

        IReadOnlyList<Guid> ended;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await ClaimAsync(db, row, now, cancellationToken))
            {
                return Results.Redirect($"{AccountEmails.ResetPath}?error={Codes.TokenUsed}");
            }

            // Every other reset link of this customer ends with this one: an older email cannot reset the new password.
            await db.AccountTokens.Where(t => t.CustomerId == customer.Id && t.Purpose == AccountTokenPurpose.PasswordReset && t.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
            ended = await SessionStore(stores).EndAllAsync(customer.Id.ToString(), except: null, cancellationToken);
            CustomerPasswords.Set(hasher, customer, password!);
            customer.VerifyEmail(now); // the link arrived in the mailbox: the address is proven
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        sessions.Forget(ended);
        return Results.Redirect($"{AccountEmails.ResetPath}?done=1");
    }

    private static async Task<IResult> ChangePasswordAsync(
        [FromForm] string? currentPassword, [FromForm] string? newPassword, ClaimsPrincipal user, HttpContext http, ShopDbContext db,
        IPasswordHasher<Customer> hasher, SignInThrottle throttle, SessionValidator sessions, IEnumerable<IAccountSessionStore> stores,
        CancellationToken cancellationToken)
    {
        if (await CustomerOfAsync(db, user, cancellationToken) is not { } customer)
        {
            return Results.Redirect("/login?returnUrl=%2Faccount");
        }

        // Counted like sign-ins: the form must not become a way to guess the password of a session left open.
        var account = throttle.Account(customer.Email);
        var address = throttle.Address(http);
        if (await throttle.WaitAsync(cancellationToken, account, address) is { } wait)
        {
            SignInThrottle.SetRetryAfter(http, wait);
            return Results.Redirect($"{AccountPage}?error={Codes.Throttled}&minutes={SignInThrottle.Minutes(wait)}#password");
        }

        if (!CustomerPasswords.Verify(hasher, customer, currentPassword ?? ""))
        {
            if (await throttle.FailedAsync(cancellationToken, account, address) is { } locked)
            {
                SignInThrottle.SetRetryAfter(http, locked);
                return Results.Redirect($"{AccountPage}?error={Codes.Throttled}&minutes={SignInThrottle.Minutes(locked)}#password");
            }

            return Results.Redirect($"{AccountPage}?error={Codes.WrongPassword}#password");
        }

        if (!CustomerPasswords.IsAcceptable(newPassword))
        {
            return Results.Redirect($"{AccountPage}?error={Codes.WeakPassword}#password");
        }

        IReadOnlyList<Guid> ended;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            ended = await SessionStore(stores).EndAllAsync(customer.Id.ToString(), AccountSessions.SessionOf(user)?.Id, cancellationToken);
            CustomerPasswords.Set(hasher, customer, newPassword!);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        sessions.Forget(ended);
        await throttle.SucceededAsync(account, cancellationToken);
        return Results.Redirect($"{AccountPage}?done=password-changed");
    }

    private static async Task<IResult> DeleteAddressAsync(Guid id, ClaimsPrincipal user, ShopDbContext db, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(user.Id(), out var customerId))
        {
            await db.Addresses.Where(a => a.Id == id && a.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        }

        return Results.Redirect($"{AccountPage}?done=address-deleted#addresses");
    }

    /// <summary>Whether the customer may place an order: only with a verified email.</summary>
    public static Task<bool> IsVerifiedAsync(ShopDbContext db, Guid customerId, CancellationToken cancellationToken) =>
        db.Customers.AnyAsync(c => c.Id == customerId && c.EmailVerifiedAt != null, cancellationToken);

    /// <summary>Marks the token used only if no one else did in the meantime: two clicks of one link cannot both act.</summary>
    private static async Task<bool> ClaimAsync(ShopDbContext db, AccountToken row, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.AccountTokens.Where(t => t.Id == row.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;

    private static async Task<Customer?> CustomerOfAsync(ShopDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Guid.TryParse(user.Id(), out var id) ? await db.Customers.FindAsync([id], cancellationToken) : null;

    private static IAccountSessionStore SessionStore(IEnumerable<IAccountSessionStore> stores) =>
        stores.Single(s => s.Owner == ShopAccountDirectory.Name);

    /// <summary>Counts a request on every key; the minutes to wait when one is over its limit (the request is then not counted).</summary>
    private static async Task<int?> ThrottledAsync(HttpContext http, CancellationToken cancellationToken, params ThrottleKey[] keys)
    {
        var throttle = http.RequestServices.GetRequiredService<SignInThrottle>();
        if (await throttle.WaitAsync(cancellationToken, keys) is { } wait)
        {
            SignInThrottle.SetRetryAfter(http, wait);
            return SignInThrottle.Minutes(wait);
        }

        await throttle.FailedAsync(cancellationToken, keys);
        return null;
    }
}
