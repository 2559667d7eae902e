using System.Text.RegularExpressions;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>An operator on the factory floor, driving MES through its pages' forms.</summary>
internal sealed partial class Operator(WebSession session)
{
    public WebSession Session => session;

    public static async Task<Operator> SignInAsync(PrintFlowHost host, string email = "operator@printflow.local")
    {
        var session = WebSession.Open(host);
        await session.SignInAsync(email);
        return new Operator(session);
    }

    /// <summary>Waits for the order's job to appear in the live queue and returns its id.</summary>
    public async Task<Guid> WaitForJobAsync(string orderNumber) =>
        await Eventually.UntilAsync(
            async () => JobIdOf(await session.GetPageAsync($"/mes/queue/fragment?q={orderNumber}"), orderNumber),
            id => id is not null,
            $"the job of {orderNumber} is in the MES queue") ?? Guid.Empty;

    /// <summary>The carrier and tracking number "ship" uses unless a test names its own.</summary>
    public const string Carrier = "cdek";
    public const string TrackingNumber = "1234567890";

    public async Task StepAsync(Guid jobId, string action, string? reason = null, string carrier = Carrier, string trackingNumber = TrackingNumber)
    {
        var token = await session.TokenAsync("/mes");
        var fields = new List<(string, string)> { ("returnUrl", "/mes") };
        if (reason is not null)
        {
            fields.Add(("reason", reason));
        }

        if (action == "ship")
        {
            fields.Add(("carrier", carrier));
            fields.Add(("trackingNumber", trackingNumber));
        }

        var path = action == "take" ? $"/mes/jobs/{jobId}/take" : $"/mes/jobs/{jobId}/{action}";
        using var response = await session.PostFormAsync(path, token, [.. fields]);
        var location = response.Headers.Location?.OriginalString ?? "";
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect && location.Contains("ok=1", StringComparison.Ordinal),
            $"MES step {action} on {jobId} was refused: {(int)response.StatusCode} {Uri.UnescapeDataString(location)}");
    }

    /// <summary>Posts a step that MES must refuse, and returns the sentence it gave.</summary>
    public async Task<string> RefusedAsync(Guid jobId, string action, params (string Name, string Value)[] fields)
    {
        var token = await session.TokenAsync("/mes");
        using var response = await session.PostFormAsync($"/mes/jobs/{jobId}/{action}", token, [("returnUrl", "/mes"), .. fields]);
        var location = Uri.UnescapeDataString(response.Headers.Location?.OriginalString ?? "").Replace('+', ' ');
        Assert.Contains("ok=0", location, StringComparison.Ordinal);
        return location;
    }

    /// <summary>Takes the job and walks it through production, with one failed quality check and a reprint.</summary>
    public async Task ProduceAndDeliverAsync(Guid jobId)
    {
        await StepAsync(jobId, "take");
        foreach (var action in new[] { "start-printing", "post-processing", "quality-check" })
        {
            await StepAsync(jobId, action);
        }

        await StepAsync(jobId, "qc-fail", "Layer shift at 12 mm");
        foreach (var action in new[] { "post-processing", "quality-check", "qc-pass", "ship", "deliver" })
        {
            await StepAsync(jobId, action);
        }
    }

    private static Guid? JobIdOf(string html, string orderNumber)
    {
        var match = Regex.Match(html, $"data-order-number=\"{Regex.Escape(orderNumber)}\"[^>]*data-job-id=\"([0-9a-f-]+)\"");
        return match.Success ? Guid.Parse(match.Groups[1].Value) : null;
    }
}
