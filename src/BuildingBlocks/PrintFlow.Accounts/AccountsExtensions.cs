using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PrintFlow.Accounts;

public static class AccountsExtensions
{
    /// <summary>Cookie sign-in checked against the owner's session row, sign-in throttling, demo accounts and the account peers.</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountSessionOptions>().BindConfiguration(AccountSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "printflow.auth";
                o.Cookie.HttpOnly = true;
                // Secure whenever the request came over HTTPS, directly or through a known proxy (X-Forwarded-Proto);
                // not Always, since deploy/local serves plain HTTP on loopback, even in Production.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => RejectApiOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => RejectApiOrRedirect(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidatePrincipalAsync(context);
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AccountSessionOptions>>((cookie, sessions) => cookie.ExpireTimeSpan = sessions.Value.IdleTimeout);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SessionValidator>();
        builder.Services.AddSingleton<InMemorySignInCounterStore>();
        builder.Services.AddScoped<ISignInCounterStore>(sp => sp.GetRequiredService<InMemorySignInCounterStore>()); // Shop's database replaces it
        builder.Services.AddScoped<SignInThrottle>();
        builder.Services.AddSingleton<DemoAccounts>();
        builder.Services.AddAccountPeers(builder.Configuration);
        return builder;
    }

    /// <summary>The sign-in pages' endpoints and the internal endpoint other processes ask about accounts and sessions.</summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapAccountEndpoints();
        app.MapAccountPeerEndpoint();
        return app;
    }

    private static Task RejectApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
