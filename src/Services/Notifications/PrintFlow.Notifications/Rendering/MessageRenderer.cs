using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Endpoints;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Notifications.Rendering;

/// <summary>
/// Renders an email as HTML and plain text from the event alone. Everything that came from a customer or partner is
/// HTML-encoded; the HTML has no script and no inline style, so it shows the same in a mail client and on the
/// development page (under the site's CSP).
/// </summary>
internal sealed class MessageRenderer(IOptions<NotificationsOptions> options, PreferenceTokens tokens)
{
    public RenderedMessage Render(MessageKind kind, MessageModel model, string language)
    {
        var t = Texts.For(language);
        var culture = CultureOf(language);
        var number = OrderNumber.From(model.OrderId);
        var (subjectFormat, lead) = Texts.Of(kind, language, model.Status);
        var subject = string.Format(CultureInfo.InvariantCulture, subjectFormat, number);
        var orderUrl = Link($"orders/{model.OrderId}");
        var token = Uri.EscapeDataString(tokens.Create(model.Customer.CustomerId));
        var unsubscribeUrl = Link($"notifications/preferences?token={token}");
        var oneClickUrl = Link($"notifications/unsubscribe?token={token}");

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{E(subject)}</title></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{E(string.Format(CultureInfo.InvariantCulture, t.Greeting, model.Customer.Name))}</p><p>{E(lead)}</p>");
        text.AppendLine(string.Format(CultureInfo.InvariantCulture, t.Greeting, model.Customer.Name)).AppendLine().AppendLine(lead).AppendLine();

        if (kind is MessageKind.QuoteReady or MessageKind.QuoteUpdated && model.Quote is { } quote)
        {
            var price = Money(quote.Amount, quote.Currency, culture);
            var until = Time(quote.ValidUntil, culture);
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(t.QuoteTotal)}: {E(price)}</strong><br>{E(t.QuoteValidUntil)}: {E(until)}</p>");
            text.AppendLine(CultureInfo.InvariantCulture, $"{t.QuoteTotal}: {price}").AppendLine(CultureInfo.InvariantCulture, $"{t.QuoteValidUntil}: {until}");
            if (quote.Lines.Count > 0 || quote.Items.Count > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(t.QuoteIncludes)}:</p><ul>");
                text.AppendLine(CultureInfo.InvariantCulture, $"{t.QuoteIncludes}:");
                foreach (var item in quote.Items)
                {
                    var line = $"{item.FileName} — {Money(item.Amount, quote.Currency, culture)}";
                    html.Append(CultureInfo.InvariantCulture, $"<li>{E(line)}</li>");
                    text.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
                }

                foreach (var quoteLine in quote.Lines)
                {
                    var line = $"{QuoteLineText.Of(quoteLine, culture)} — {Money(quoteLine.Amount, quote.Currency, culture)}";
                    html.Append(CultureInfo.InvariantCulture, $"<li>{E(line)}</li>");
                    text.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
                }

                html.Append("</ul>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(orderUrl)}\">{E(t.ConfirmLink)}</a></p>");
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{t.ConfirmLink}: {orderUrl}");
        }
        else
        {
            if (kind == MessageKind.Shipped && model.Shipment is { } shipment)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(t.Carrier)}: {E(shipment.Carrier)}<br>{E(t.TrackingNumber)}: <strong>{E(shipment.TrackingNumber)}</strong></p>");
                text.AppendLine(CultureInfo.InvariantCulture, $"{t.Carrier}: {shipment.Carrier}").AppendLine(CultureInfo.InvariantCulture, $"{t.TrackingNumber}: {shipment.TrackingNumber}");
                if (SafeHttpUrl(shipment.TrackingUrl) is { } tracking)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(tracking)}\">{E(t.TrackingLink)}</a></p>");
                    text.AppendLine(CultureInfo.InvariantCulture, $"{t.TrackingLink}: {tracking}");
                }

                text.AppendLine();
            }

            if (kind == MessageKind.Rejected)
            {
                var reason = string.IsNullOrWhiteSpace(model.Reason) ? t.NoReason : RejectionText.Of(model.Reason.Trim(), model.ReasonParts, culture)!;
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(t.ReasonLabel)}: {E(reason)}</p>");
                text.AppendLine(CultureInfo.InvariantCulture, $"{t.ReasonLabel}: {reason}").AppendLine();
            }

            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(orderUrl)}\">{E(t.OrderPageLink)}</a></p>");
            text.AppendLine(CultureInfo.InvariantCulture, $"{t.OrderPageLink}: {orderUrl}");
        }

        html.Append(CultureInfo.InvariantCulture, $"<hr><p><small>{E(t.Footer)}<br><a href=\"{E(unsubscribeUrl)}\">{E(t.UnsubscribeLink)}</a></small></p></body></html>");
        text.AppendLine().AppendLine("--").AppendLine(t.Footer).AppendLine(CultureInfo.InvariantCulture, $"{t.UnsubscribeLink}: {unsubscribeUrl}");
        return new RenderedMessage(language, subject, html.ToString(), text.ToString(), oneClickUrl);
    }

    /// <summary>An account email: the one-time link (a path of the Shop), until when it works, and what to do if it was not asked for.</summary>
    public RenderedMessage RenderAccount(MessageKind kind, string name, string path, DateTimeOffset expiresAt, string language)
    {
        var t = Texts.For(language);
        var a = AccountTexts.Of(kind, language);
        var link = Link(path.TrimStart('/'));
        var lead = string.Format(CultureInfo.InvariantCulture, a.Lead, Time(expiresAt, CultureOf(language)));
        var greeting = string.Format(CultureInfo.InvariantCulture, t.Greeting, name);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{E(a.Subject)}</title></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{E(greeting)}</p><p>{E(lead)}</p><p><a href=\"{E(link)}\">{E(a.Button)}</a></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{E(a.NotYou)}</p><hr><p><small>{E(t.Footer)}</small></p></body></html>");
        var text = new StringBuilder()
            .AppendLine(greeting).AppendLine().AppendLine(lead).AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{a.Button}: {link}").AppendLine()
            .AppendLine(a.NotYou).AppendLine().AppendLine("--").AppendLine(t.Footer);
        return new RenderedMessage(language, a.Subject, html.ToString(), text.ToString(), UnsubscribeUrl: "");
    }

    private string Link(string relative) => new Uri(BaseUri, relative).ToString();

    private Uri BaseUri
    {
        get
        {
            var configured = options.Value.PublicBaseUrl;
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>An amount with the separators of the email's language: "1 234,50 RUB" in Russian, "1,234.50 RUB" in English.</summary>
    public static string Money(decimal amount, string currency, CultureInfo culture) =>
        $"{amount.ToString("N2", culture)} {currency}";

    /// <summary>A moment in UTC with the email's short date and a 24-hour time ("02.01.2030 10:30 UTC").</summary>
    private static string Time(DateTimeOffset at, CultureInfo culture) =>
        at.UtcDateTime.ToString(culture.DateTimeFormat.ShortDatePattern + " HH:mm", culture) + " UTC";

    private static CultureInfo CultureOf(string language) =>
        CultureInfo.GetCultureInfo(language == Languages.English ? "en-US" : "ru-RU");

    /// <summary>A carrier's tracking address only when it is plain http(s): a javascript: or data: link never reaches a customer.</summary>
    private static string? SafeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed.AbsoluteUri : null;
}
