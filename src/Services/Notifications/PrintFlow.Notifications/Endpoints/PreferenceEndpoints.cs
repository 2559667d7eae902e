using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PrintFlow.Accounts;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Sending;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Notifications.Endpoints;

/// <summary>
/// The preferences link of every email. The page (a GET) only shows and offers; a POST changes: from the page's
/// buttons, or the one-click unsubscribe a mail client sends (RFC 8058). The signed token is the only authority, so
/// the POST needs no sign-in and no antiforgery token (a forger would need the token itself).
/// </summary>
public static class PreferenceEndpoints
{
    public const string Path = "/notifications/preferences";

    /// <summary>Where changes are posted: the page's buttons, and the List-Unsubscribe header's one-click POST.</summary>
    public const string ChangePath = "/notifications/unsubscribe";

    /// <summary>The Shop's "Email settings" link: a signed-in customer is sent on to the page of their own token.</summary>
    public const string MinePath = "/notifications/preferences/mine";

    public const string BadTokenCode = "notifications.bad-token";

    /// <summary>Why a preferences link is refused, in the reader's language.</summary>
    public static string BadTokenSentence => Texts.Get<NotificationsStrings>("Problem.notifications.bad-token");

    public static RedirectHttpResult Mine(ClaimsPrincipal user, PreferenceTokens tokens)
    {
        // Emails carry the Shop's account id as Guid.ToString(); the claim is normalised to the same text.
        var id = Guid.TryParse(user.Id(), out var guid) ? guid.ToString() : user.Id();
        return TypedResults.Redirect($"{Path}?token={tokens.Create(id)}");
    }

    public static async Task<IResult> ChangeAsync(HttpRequest request, PreferenceTokens tokens, NotificationsDbContext db, NotificationsClock clock, CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;
        var token = form?["token"].FirstOrDefault() ?? request.Query["token"].FirstOrDefault();
        if (tokens.Read(token) is not { } customerId)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, BadTokenCode, BadTokenSentence);
        }

        // One-click unsubscribe posts "List-Unsubscribe=One-Click" and nothing else.
        var action = form?["action"].FirstOrDefault() ?? (form?["List-Unsubscribe"].FirstOrDefault() == "One-Click" ? "optional-off" : null);
        var now = clock.Now;
        var preference = await db.Preferences.FirstOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        if (preference is null)
        {
            preference = CustomerPreference.For(customerId, now);
            db.Preferences.Add(preference);
        }

        switch (action)
        {
            case "optional-off":
                preference.TurnOptionalOff(now);
                break;
            case "optional-on":
                preference.TurnOptionalOn(now);
                break;
            case "language-ru":
                preference.ChooseLanguage(Languages.Russian, now);
                break;
            case "language-en":
                preference.ChooseLanguage(Languages.English, now);
                break;
            default:
                return Problems.Of(StatusCodes.Status400BadRequest, "notifications.unknown-action",
                    Texts.Get<NotificationsStrings>("Problem.notifications.unknown-action"));
        }

        await db.SaveChangesAsync(cancellationToken);
        return form?["List-Unsubscribe"].FirstOrDefault() == "One-Click"
            ? TypedResults.Ok()
            : TypedResults.Redirect($"{Path}?token={Uri.EscapeDataString(token!)}&done={action}", permanent: false, preserveMethod: false);
    }

    /// <summary>A person who opens the List-Unsubscribe address in a browser gets the page; only a POST changes anything.</summary>
    public static IResult ShowPage(string? token) =>
        TypedResults.Redirect($"{Path}?token={Uri.EscapeDataString(token ?? "")}");

    /// <summary>Development only: an email's HTML exactly as it was sent, or its plain text.</summary>
    public static async Task<IResult> SentBodyAsync(Guid id, string? format, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "notifications.not-found", Texts.Get<NotificationsStrings>("Problem.notifications.not-found"));
        }

        return format == "text"
            ? TypedResults.Text(row.TextBody, "text/plain; charset=utf-8")
            : TypedResults.Text(row.HtmlBody, "text/html; charset=utf-8");
    }
}
