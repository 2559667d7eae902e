using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Testing;

/// <summary>
/// A person's browser session over plain HTTP: cookies kept, redirects visible, forms posted with the antiforgery
/// token of the page they are on, as the server-rendered pages expect.
/// </summary>
public sealed partial class WebSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    /// <summary>The host the session talks to, when opened on one: registration then marks the new email verified.</summary>
    public PrintFlowHost? Host { get; private init; }

    public static WebSession Open(PrintFlowHost host) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true })) { Host = host };

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}", null, response.StatusCode);
        }

        return body;
    }

    public async Task<string> TokenAsync(string path) => TokenIn(await GetPageAsync(path));

    public static string TokenIn(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public async Task SignInAsync(string email, string password = "demo-password")
    {
        var token = await TokenAsync("/login");
        using var response = await PostFormAsync("/account/login", token, ("email", email), ("password", password), ("returnUrl", "/"));
        if (response.Headers.Location?.OriginalString.StartsWith("/login", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed (redirected to {response.Headers.Location}).");
        }
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, string token, params (string Name, string Value)[] fields)
    {
        var form = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("__RequestVerificationToken", token)));
        return Client.PostAsync(path, form);
    }

    /// <summary>Posts a form to <paramref name="action"/> with the token of the page the form is on.</summary>
    public async Task<HttpResponseMessage> PostFormFromAsync(string tokenPage, string action, params (string Name, string Value)[] fields) =>
        await PostFormAsync(action, await TokenAsync(tokenPage), fields);

    /// <summary>
    /// Signs up a new customer through /register (which signs them in) and returns their email. Unless
    /// <paramref name="verified"/> is false, the email is then marked verified in the Shop's database, as if the
    /// customer had followed the link (the account tests follow it for real), so the customer may order.
    /// </summary>
    public async Task<string> RegisterAsync(string name = "Test Customer", string password = "correct-horse", bool verified = true)
    {
        var email = $"c-{Guid.NewGuid():N}@example.test";
        using var response = await PostFormFromAsync("/register", "/shop/register", ("displayName", name), ("email", email), ("password", password));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"Registering {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        if (verified && Host is not null)
        {
            await using var scope = Host.Services.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<PrintFlow.Shop.Data.ShopDbContext>() is { } db)
            {
                var now = DateTimeOffset.UtcNow;
                await db.Customers.Where(c => c.Email == email).ExecuteUpdateAsync(s => s.SetProperty(c => c.EmailVerifiedAt, now));
            }
        }

        return email;
    }

    /// <summary>A multipart form with the token first (servers that stream the body check it before the file).</summary>
    public Task<HttpResponseMessage> PostMultipartAsync(string path, string token, (string Name, string FileName, byte[] Bytes) file, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var content = new ByteArrayContent(file.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, file.Name, file.FileName);
        return Client.PostAsync(path, form);
    }

    /// <summary>The text of the element with <c>data-testid="<paramref name="testId"/>"</c>, or null.</summary>
    public static string? TextOf(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>\\s*([^<]*?)\\s*<");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
