using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

/// <summary>A browser-less visitor: cookies, antiforgery tokens read from the pages, form posts without following redirects.</summary>
internal sealed partial class WebSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public static WebSession Open(PrintFlowHost host) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<string> TokenAsync(string path)
    {
        var html = await Client.GetStringAsync(path);
        var match = TokenInput().Match(html);
        Assert.True(match.Success, $"{path} has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string tokenPage, string action, params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(tokenPage);
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await Client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    public async Task SignInAsync(string email, string password)
    {
        var response = await PostFormAsync("/login", "/account/login", ("email", email), ("password", password), ("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    /// <summary>Signs up a new customer through /register (which signs them in) and returns their email.</summary>
    public async Task<string> RegisterAsync(string name = "Test Customer")
    {
        var email = $"c-{Guid.NewGuid():N}@example.test";
        var response = await PostFormAsync("/register", "/shop/register", ("displayName", name), ("email", email), ("password", "correct-horse"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return email;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}

internal static class HostExtensions
{
    /// <summary>Feeds an endpoint an event as the transport would, with a fresh message id.</summary>
    public static Task DispatchAsync<TEvent>(this PrintFlowHost host, string endpoint, TEvent message) where TEvent : IIntegrationEvent =>
        host.Services.GetServices<IMessageEndpoint>().Single(e => e.Name == endpoint).DispatchAsync(
            new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<TEvent>(), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null),
            CancellationToken.None);
}
