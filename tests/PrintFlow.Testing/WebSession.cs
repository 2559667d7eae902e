using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PrintFlow.Testing;

/// <summary>
/// A person's browser session over plain HTTP: cookies kept, redirects visible, forms posted with the antiforgery
/// token of the page they are on, as the server-rendered pages expect.
/// </summary>
public sealed partial class WebSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public static WebSession Open(PrintFlowHost host) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

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

    public async Task<string> TokenFromAsync(string path) => TokenIn(await GetPageAsync(path));

    public static string TokenIn(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public async Task SignInAsync(string email, string password = "demo-password")
    {
        var token = await TokenFromAsync("/login");
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
