using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>Signs in and posts forms the way a browser would: cookies, antiforgery tokens, no auto-redirects.</summary>
public static partial class Browserless
{
    public const string Operator = "operator@printflow.local";
    public const string Operator2 = "operator2@printflow.local";
    public const string Supervisor = "supervisor@printflow.local";
    public const string Password = "demo-password";

    public static HttpClient NewClient<TEntry>(this WebApplicationFactory<TEntry> host) where TEntry : class =>
        host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> SignedInAsync<TEntry>(this WebApplicationFactory<TEntry> host, string email, string password = Password)
        where TEntry : class
    {
        var client = host.NewClient();
        var response = await client.PostFormAsync("/login", "/account/login",
            new() { ["email"] = email, ["password"] = password, ["returnUrl"] = "/mes" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("error=1", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        return client;
    }

    /// <summary>GETs the page with the form (for its antiforgery token), then posts the form.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"{page} has no antiforgery token");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static string MessageOf(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location?.ToString() ?? "";
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Contains('?', StringComparison.Ordinal) ? location[location.IndexOf('?', StringComparison.Ordinal)..] : "");
        return query.TryGetValue("msg", out var message) ? message.ToString() : "";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
