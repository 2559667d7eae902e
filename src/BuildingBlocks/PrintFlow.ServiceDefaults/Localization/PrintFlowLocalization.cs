using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>
/// Russian (default) and English: the culture comes from <c>?culture=</c>, then the language cookie the switch sets,
/// then the browser's Accept-Language; pages and problem sentences read it through <c>IStringLocalizer</c>.
/// </summary>
public static class PrintFlowLocalization
{
    public const string DefaultCulture = "ru-RU";
    public const string SwitchPath = "/culture";
    public const string UnknownCultureCode = "culture.unknown";
    public const string ReturnUrlNotLocalCode = "culture.return-url-not-local";

    /// <summary>The cultures a page may be shown in; the neutral ones are what browsers often send.</summary>
    public static readonly IReadOnlyList<string> Cultures = ["ru-RU", "en-US", "ru", "en"];

    /// <summary>The languages the switch offers, as (culture, name in its own language).</summary>
    public static readonly IReadOnlyList<(string Culture, string Name)> Languages = [("ru", "Русский"), ("en", "English")];

    public static IServiceCollection AddPrintFlowLocalization(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Cultures.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 },
            ];
        });
        return services;
    }

    /// <summary>Sets each request's culture (before anything that writes text) and maps the language switch.</summary>
    public static WebApplication UsePrintFlowLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapGet(SwitchPath, Switch).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    /// <summary>The language switch: remembers the choice in the culture cookie and goes back to the (local) page.</summary>
    internal static IResult Switch(HttpContext http, string? culture, string? returnUrl)
    {
        if (!IsSupported(culture))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, UnknownCultureCode,
                Texts.Get<SharedStrings>("Problem.culture.unknown", string.Join(", ", Languages.Select(l => l.Culture))));
        }

        var back = string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl;
        if (!LocalUrl.IsLocal(back))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, ReturnUrlNotLocalCode, Texts.Get<SharedStrings>("Problem.culture.return-url-not-local"));
        }

        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
            new CookieOptions
            {
                Path = "/",
                MaxAge = TimeSpan.FromDays(365),
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
            });
        return TypedResults.Redirect(back);
    }

    public static bool IsSupported(string? culture) =>
        culture is not null && Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase);

    /// <summary>The switch's link to <paramref name="culture"/> that comes back to <paramref name="pathAndQuery"/>.</summary>
    public static string SwitchUrl(string culture, string pathAndQuery) =>
        $"{SwitchPath}?culture={Uri.EscapeDataString(culture)}&returnUrl={Uri.EscapeDataString(LocalUrl.IsLocal(pathAndQuery) ? pathAndQuery : "/")}";

    /// <summary>The two-letter language of the request ("ru", "en").</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
