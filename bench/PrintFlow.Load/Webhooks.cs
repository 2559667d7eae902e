using System.Net.Http.Json;
using System.Text.Json;

namespace PrintFlow.Load;

/// <summary>Registers the load partner's webhook endpoint (<c>--webhook-url</c>) and keeps its secret for the sink.</summary>
internal static class Webhooks
{
    public static async Task<bool> RegisterAsync(HttpClient http, Uri url, string? secretFile, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("api/partners/v1/webhooks", new { url = url.ToString() }, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    using var created = JsonDocument.Parse(body);
                    var secret = created.RootElement.GetProperty("secret").GetString()!;
                    if (secretFile is not null)
                    {
                        await File.WriteAllTextAsync(secretFile, secret, cancellationToken);
                    }

                    Console.WriteLine($"Webhook endpoint registered: {url}");
                    return true;
                }

                Console.Error.WriteLine($"Registering the webhook endpoint answered {(int)response.StatusCode}: {body}");
                if ((int)response.StatusCode < 500)
                {
                    return false;
                }
            }
            catch (HttpRequestException exception)
            {
                Console.Error.WriteLine($"Registering the webhook endpoint failed: {exception.Message}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return false;
    }
}
