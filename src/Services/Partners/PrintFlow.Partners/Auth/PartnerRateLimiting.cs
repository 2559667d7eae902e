using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Partners.Data;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// Per-partner request limits (the partner's own, else <see cref="PartnersOptions.RequestsPerMinute"/>), counted in
/// Partners' database across instances (<see cref="PartnerRequestCounter"/>), and the throttle on requests with bad
/// keys (<see cref="ApiKeyAttempts"/>). Both answer 429 with Retry-After and the problem <c>rate-limited</c>.
/// </summary>
internal static class PartnerRateLimiting
{
    public const string Code = "rate-limited";

    public static IServiceCollection AddPartnerRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<PartnerRequestCounter>();
        services.AddSingleton<ApiKeyAttempts>();
        return services;
    }

    /// <summary>
    /// Counts the request against its partner's limit. It runs after authorization, so the partner is the one its API
    /// key identified, never a guessable header; requests no key authenticated (the OpenAPI document) pass.
    /// </summary>
    public static IApplicationBuilder UsePartnerRateLimiting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<AuthenticatedPartner>() is { Partner: var partner })
        {
            var limit = partner.RequestsPerMinute
                ?? context.RequestServices.GetRequiredService<IOptions<PartnersOptions>>().Value.RequestsPerMinute;
            var counter = context.RequestServices.GetRequiredService<PartnerRequestCounter>();
            var db = context.RequestServices.GetRequiredService<PartnersDbContext>();
            if (await counter.CountAsync(db, partner.Id, limit, context.RequestAborted) is { } wait)
            {
                await RejectAsync(context, wait, seconds => PartnersStrings.Get("Problem.rate-limited", seconds));
                return;
            }
        }

        await next(context);
    });

    /// <summary>Answers 429 with Retry-After (whole seconds, at least one) and a problem whose sentence names the wait.</summary>
    public static Task RejectAsync(HttpContext context, TimeSpan wait, Func<int, string> detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status429TooManyRequests, Code, detail(seconds)).ExecuteAsync(context);
    }
}
