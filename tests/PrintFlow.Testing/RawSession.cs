using System.Net;
using System.Text.RegularExpressions;

namespace PrintFlow.Testing;

/// <summary>
/// A browser session whose cookies the test sees and copies: cookies kept by name as the server set them, sent on
/// every request whatever their Secure flag, and each response's Set-Cookie lines kept for inspection.
/// </summary>
public sealed class RawSession(HttpClient client) : IDisposable
{
    public const string AuthCookie = "printflow.auth";

    public HttpClient Client { get; } = client;

    public Dictionary<string, string> Cookies { get; } = [];

    /// <summary>The Set-Cookie lines of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    /// <summary>Headers sent with every request (X-Forwarded-Proto, X-Forwarded-For).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public static RawSession Over(Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(PrintFlowHost.TestLanguage);
        return new RawSession(client);
    }

    public static RawSession Over(PrintFlowHost host) =>
        new(host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Client.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var lines) ? [.. lines] : [];
        foreach (var line in LastSetCookies)
        {
            var pair = line.Split(';', 2)[0];
            var name = pair[..pair.IndexOf('=')];
            var value = pair[(pair.IndexOf('=') + 1)..];
            if (value.Length == 0 || line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                Cookies.Remove(name);
            }
            else
            {
                Cookies[name] = value;
            }
        }

        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Posts a form with the antiforgery token of <paramref name="tokenPage"/> (fetched now, as this session).</summary>
    public async Task<HttpResponseMessage> PostFormFromAsync(string tokenPage, string action, params (string Name, string Value)[] fields)
    {
        using var page = await GetAsync(tokenPage);
        var token = WebSession.TokenIn(await page.Content.ReadAsStringAsync());
        var form = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("__RequestVerificationToken", token)));
        return await SendAsync(HttpMethod.Post, action, form);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password = "demo-password") =>
        PostFormFromAsync("/login", "/account/login", ("email", email), ("password", password), ("returnUrl", "/"));

    /// <summary>The Set-Cookie line of <paramref name="name"/> in the last response, or null.</summary>
    public string? SetCookie(string name) => LastSetCookies.FirstOrDefault(l => l.StartsWith(name + "=", StringComparison.Ordinal));

    /// <summary>A second browser holding a copy of this one's cookies (a stolen or copied cookie).</summary>
    public RawSession CopyTo(HttpClient client)
    {
        var copy = new RawSession(client);
        foreach (var (name, value) in Cookies)
        {
            copy.Cookies[name] = value;
        }

        return copy;
    }

    public static bool IsRedirectToLogin(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && Regex.IsMatch(response.Headers.Location?.OriginalString ?? "", "^(https?://[^/]+)?/login");

    public void Dispose() => Client.Dispose();
}
