using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace PrintFlow.Load;

/// <summary>
/// Shop orders beside the partner load (<c>--shop-orders N</c>): one customer signs up through the Shop's forms, places N
/// orders with a shipping address spread over the run, and follows each order's page until it is priced (or ends).
/// They are what the customer emails are about; the partner orders are what the webhooks are about.
/// </summary>
internal sealed partial class ShopRun(LoadOptions options, TextWriter log)
{
    private static readonly HashSet<string> Settled = ["Quoted", "Confirmed", "Rejected", "Cancelled"];

    public sealed record ShopOrder(Guid Id, string? Status);

    public async Task<IReadOnlyList<ShopOrder>> ExecuteAsync(byte[] model, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            UseCookies = true,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = options.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var deadline = DateTimeOffset.UtcNow + options.SettleTimeout;

        await RetryAsync(() => RegisterAsync(http, cancellationToken), deadline, cancellationToken);
        var ids = new List<Guid>();
        var gap = options.Duration / Math.Max(1, options.ShopOrders);
        for (var i = 0; i < options.ShopOrders; i++)
        {
            if (await RetryAsync(() => PlaceAsync(http, model, i, cancellationToken), deadline, cancellationToken) is { } id)
            {
                ids.Add(id);
            }

            await Task.Delay(gap, cancellationToken);
        }

        log.WriteLine($"shop: {ids.Count}/{options.ShopOrders} shop orders placed; following them until priced...");
        var statuses = ids.ToDictionary(id => id, _ => (string?)null);
        while (statuses.Values.Any(s => s is null || !Settled.Contains(s)) && DateTimeOffset.UtcNow < deadline)
        {
            foreach (var id in statuses.Keys.Where(k => statuses[k] is not { } s || !Settled.Contains(s)).ToList())
            {
                statuses[id] = await StatusAsync(http, id, cancellationToken) ?? statuses[id];
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return [.. statuses.Select(s => new ShopOrder(s.Key, s.Value))];
    }

    /// <summary>Calls <paramref name="attempt"/> until it answers, while instances restart (the fault test kills them).</summary>
    private static async Task<T?> RetryAsync<T>(Func<Task<T?>> attempt, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if (await attempt() is { } done)
                {
                    return done;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // a process or the proxy is restarting
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }

        return default;
    }

    private static async Task<string?> RegisterAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(http, "register", cancellationToken);
        if (token is null)
        {
            return null;
        }

        var email = $"load-{Guid.NewGuid():N}@customers.invalid";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["displayName"] = "Load Customer",
            ["email"] = email,
            ["password"] = "load-customer-password",
        });
        using var response = await http.PostAsync("shop/register", form, cancellationToken);
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/" ? email : null;
    }

    private static async Task<Guid?> PlaceAsync(HttpClient http, byte[] model, int index, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(http, "", cancellationToken);
        if (token is null)
        {
            return null;
        }

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("PLA"), "material" },
            { new StringContent("1"), "quantity" },
            { new StringContent("Standard"), "leadTime" },
            { new StringContent("Load Customer"), "recipient" },
            { new StringContent("ul. Tverskaya 7, kv. " + (index + 1).ToString(CultureInfo.InvariantCulture)), "line1" },
            { new StringContent("Moscow"), "city" },
            { new StringContent("125009"), "postalCode" },
            { new StringContent("RU"), "country" },
        };
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", $"shop-{index}.stl");
        using var response = await http.PostAsync("shop/orders", form, cancellationToken);
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/orders/", StringComparison.Ordinal)
            && Guid.TryParse(location["/orders/".Length..], out var id)
                ? id
                : null;
    }

    private static async Task<string?> StatusAsync(HttpClient http, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"orders/{id}", cancellationToken);
            var page = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode && StatusPattern().Match(page) is { Success: true } match ? match.Groups[1].Value : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<string?> TokenAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var page = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode && TokenPattern().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("data-testid=\"order-status\">\\s*([A-Za-z]+)\\s*<")]
    private static partial Regex StatusPattern();
}
