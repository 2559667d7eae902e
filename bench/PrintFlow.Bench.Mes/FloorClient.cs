using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace PrintFlow.Bench.Mes;

/// <summary>A signed-in operator's HTTP client: reads the queue fragment and the server's own time for it.</summary>
public sealed partial class FloorClient(HttpClient http)
{
    public HttpClient Http => http;

    public static async Task<FloorClient> SignInAsync(Uri address, string email, string password)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var login = await http.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(login).Groups["value"].Value);
        var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/mes", ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"Signing in as {email} failed: {response.StatusCode} {response.Headers.Location}");
        }

        return new FloorClient(http);
    }

    /// <summary>GETs a fragment; returns the server's total and query milliseconds (Server-Timing) and the HTML.</summary>
    public async Task<(double Total, double Db, string Html)> FragmentAsync(string query)
    {
        using var response = await http.GetAsync("/mes/queue/fragment" + query);
        response.EnsureSuccessStatusCode();
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        return (Duration(timing, "total"), Duration(timing, "db"), await response.Content.ReadAsStringAsync());
    }

    private static double Duration(string header, string name)
    {
        var match = Regex.Match(header, $@"(?:^|, ){name};dur=(?<ms>[0-9.]+)");
        return match.Success ? double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
