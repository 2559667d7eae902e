using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// A fixed one-minute window per partner (the partner's own limit, else <see cref="PartnersOptions.RequestsPerMinute"/>).
/// It runs after authorization, so the partition is the authenticated partner, never a guessable header.
/// </summary>
internal static class PartnerRateLimiting
{
    public const string Policy = "partners";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPartnerRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                if (http.User.Identity?.IsAuthenticated != true)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var limit = http.User.OwnRequestsPerMinute()
                    ?? http.RequestServices.GetRequiredService<IOptions<PartnersOptions>>().Value.RequestsPerMinute;
                // The limit is part of the key so a changed limit takes effect with the next window.
                return RateLimitPartition.GetFixedWindowLimiter($"{http.User.PartnerId():N}/{limit}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = Window,
                    QueueLimit = 0,
                });
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Problems.Of(StatusCodes.Status429TooManyRequests, "rate-limited",
                    $"You sent more requests than your limit allows; try again in {seconds} seconds.").ExecuteAsync(context.HttpContext));
            };
        });
        return services;
    }
}
