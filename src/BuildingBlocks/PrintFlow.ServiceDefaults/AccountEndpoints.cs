using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace PrintFlow.ServiceDefaults;

/// <summary>Form sign-in and sign-out shared by the shop and the staff pages (cookies cannot be set from a live circuit).</summary>
public static class AccountEndpoints
{
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
        CancellationToken cancellationToken)
    {
        var target = LocalUrl.IsLocal(returnUrl) ? returnUrl! : "/";
        foreach (var directory in directories)
        {
            if (await directory.ValidateAsync(email.Trim(), password, cancellationToken) is { } identity)
            {
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                return TypedResults.LocalRedirect(target);
            }
        }

        return TypedResults.LocalRedirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/");
    }
}
