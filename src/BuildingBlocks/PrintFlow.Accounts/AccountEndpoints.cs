using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Accounts;

/// <summary>Form sign-in and sign-out shared by the shop and the staff pages (cookies cannot be set from a live circuit).</summary>
public static class AccountEndpoints
{
    /// <summary>The login page's <c>error</c> when sign-in is refused for too many failures (with <c>minutes</c>).</summary>
    public const string LockedError = "locked";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account");
        group.MapPost("/login", LoginAsync);
        group.MapPost("/logout", LogoutAsync);
        return app;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        [FromForm] string email,
        [FromForm] string password,
        [FromForm] string? returnUrl,
        HttpContext http,
        IEnumerable<IAccountDirectory> directories,
        SignInThrottle throttle,
        CancellationToken cancellationToken)
    {
        var target = LocalUrl.IsLocal(returnUrl) ? returnUrl! : "/";
        var account = throttle.Account(email);
        var address = throttle.Address(http);
        // Checked before the password: while locked, even the right password is refused, so guessing learns nothing.
        if (await throttle.WaitAsync(cancellationToken, account, address) is { } wait)
        {
            return Locked(http, wait, target);
        }

        foreach (var directory in directories)
        {
            if (await directory.ValidateAsync(email.Trim(), password, cancellationToken) is { } identity)
            {
                await throttle.SucceededAsync(account, cancellationToken);
                if (directory is AccountPeers.RemoteAccountDirectory)
                {
                    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)); // the peer started the session
                }
                else
                {
                    await AccountSessions.SignInAsync(http, identity, directory.Owner, cancellationToken);
                }

                return TypedResults.LocalRedirect(target);
            }
        }

        return await throttle.FailedAsync(cancellationToken, account, address) is { } locked
            ? Locked(http, locked, target)
            : TypedResults.LocalRedirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");
    }

    /// <summary>The form's answer to "too many attempts": back to the page, which says how long to wait; Retry-After for scripts.</summary>
    private static RedirectHttpResult Locked(HttpContext http, TimeSpan wait, string target)
    {
        SignInThrottle.SetRetryAfter(http, wait);
        return TypedResults.LocalRedirect(
            $"/login?error={LockedError}&minutes={SignInThrottle.Minutes(wait)}&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext http, SessionValidator sessions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await sessions.EndAsync(http, http.User); // server-side: a copy of the cookie stops working too
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/");
    }
}
