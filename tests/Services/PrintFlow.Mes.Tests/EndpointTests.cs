using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

public sealed class EndpointTests : IAsyncLifetime
{
    private const string CustomerEmail = "customer@example.com";
    private readonly PrintFlowHost _base = new();
    private WebApplicationFactory<Program> _host = default!;

    /// <summary>A customer account as the Shop would answer for it (the Shop is another service).</summary>
    private sealed class CustomerDirectory : IAccountDirectory
    {
        public string Owner => "shop"; // the embedded host's Shop keeps the session

        public Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken) =>
            Task.FromResult(email == CustomerEmail && password == Browserless.Password
                ? AccountIdentity.Create(Guid.NewGuid().ToString(), "Carla Customer", email, Roles.Customer)
                : null);
    }

    public async Task InitializeAsync()
    {
        _host = _base.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddScoped<IAccountDirectory, CustomerDirectory>()));
        await _host.ReadyAsync();
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _base.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/mes")]
    [InlineData("/mes/me")]
    [InlineData("/mes/queue/fragment")]
    public async Task Get_WhenAnonymous_RedirectsToLogin(string path)
    {
        var response = await _host.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeNext_WhenAnonymous_IsRefusedAndTakesNothing()
    {
        var request = Jobs.Request();
        await _host.DispatchAsync(request);
        var client = _host.NewClient();

        var response = await client.PostFormAsync("/login", "/mes/take-next", new() { ["returnUrl"] = "/mes" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null((await _host.JobAsync(request.OrderId)).AssignedToId);
    }

    [Fact]
    public async Task MesPagesAndActions_WhenSignedInAsCustomer_AreRefused()
    {
        var request = Jobs.Request();
        await _host.DispatchAsync(request);
        var job = await _host.JobAsync(request.OrderId);
        var client = await _host.SignedInAsync(CustomerEmail);

        foreach (var path in new[] { "/mes", "/mes/me", $"/mes/jobs/{job.JobId}", "/mes/queue/fragment" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        var take = await client.PostFormAsync("/login", $"/mes/jobs/{job.JobId}/take", new() { ["returnUrl"] = "/mes" });
        var next = await client.PostFormAsync("/login", "/mes/take-next", new() { ["returnUrl"] = "/mes" });

        Assert.All([take, next], response => Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal));
        Assert.Null((await _host.JobAsync(request.OrderId)).AssignedToId);
    }

    [Fact]
    public async Task JobForms_WhenSignedInAsOperator_MoveTheJobAndShowTheDomainsRefusal()
    {
        var request = Jobs.Request(customer: "Form Flow");
        await _host.DispatchAsync(request);
        var job = await _host.JobAsync(request.OrderId);
        var client = await _host.SignedInAsync(Browserless.Operator);
        var page = $"/mes/jobs/{job.JobId}";

        var early = await client.PostFormAsync(page, $"/mes/jobs/{job.JobId}/ship", new() { ["returnUrl"] = page });
        Assert.Equal($"Order {job.OrderNumber} is waiting to be printed; it must be packed to ship it.", Browserless.MessageOf(early));
        Assert.StartsWith(page + "?", early.Headers.Location!.ToString(), StringComparison.Ordinal);

        var take = await client.PostFormAsync(page, $"/mes/jobs/{job.JobId}/take", new() { ["returnUrl"] = page });
        Assert.Equal($"You took order {job.OrderNumber}.", Browserless.MessageOf(take));
        foreach (var step in new[] { "start-printing", "post-processing", "quality-check" })
        {
            Assert.Contains("is now", Browserless.MessageOf(await client.PostFormAsync(page, $"/mes/jobs/{job.JobId}/{step}", new() { ["returnUrl"] = page })), StringComparison.Ordinal);
        }

        var noReason = await client.PostFormAsync(page, $"/mes/jobs/{job.JobId}/qc-fail", new() { ["returnUrl"] = page, ["reason"] = "" });
        Assert.Equal("Say why the quality check failed, so the reprint can fix it.", Browserless.MessageOf(noReason));
        await client.PostFormAsync(page, $"/mes/jobs/{job.JobId}/qc-fail", new() { ["returnUrl"] = page, ["reason"] = "stringing" });

        var html = await client.GetStringAsync(page + "?msg=x");
        Assert.Contains("data-stage=\"Printing\"", html, StringComparison.Ordinal);
        Assert.Contains("stringing", html, StringComparison.Ordinal);
        var published = await _host.PublishedAsync(request.OrderId);
        Assert.Equal([1, 2, 3, 4, 5], published.Select(p => p.Sequence));
        Assert.Equal(
            [OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Printing],
            published.Select(p => p.Stage));
        Assert.Equal(("Olivia Operator", "stringing"), (published[^1].By, published[^1].Reason));
    }

    [Fact]
    public async Task Reassign_WhenOperatorPosts_IsForbiddenButSupervisorMay()
    {
        var request = Jobs.Request(customer: "Reassign Me");
        await _host.DispatchAsync(request);
        var job = await _host.JobAsync(request.OrderId);
        var oscarId = await _host.AccountIdAsync(Browserless.Operator2);
        var fields = new Dictionary<string, string> { ["jobId"] = job.JobId.ToString(), ["operatorId"] = oscarId.ToString(), ["returnUrl"] = "/mes/me" };

        var asOperator = await (await _host.SignedInAsync(Browserless.Operator)).PostFormAsync("/mes/me", "/mes/reassign", new(fields));
        Assert.StartsWith("/login", asOperator.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null((await _host.JobAsync(request.OrderId)).AssignedToId);

        var asSupervisor = await (await _host.SignedInAsync(Browserless.Supervisor)).PostFormAsync("/mes/me", "/mes/reassign", new(fields));
        Assert.Equal($"Order {job.OrderNumber} is now assigned to Oscar Operator.", Browserless.MessageOf(asSupervisor));
        Assert.Equal(oscarId, (await _host.JobAsync(request.OrderId)).AssignedToId);
    }

    [Fact]
    public async Task QueuePage_WhenFiltered_ShowsOnlyMatchingJobsAndKeepsTheFiltersInTheUrl()
    {
        var express = Jobs.Request(leadTime: LeadTime.Express, material: "Resin", customer: "Filter Target", channel: SalesChannel.Partner);
        var other = Jobs.Request(leadTime: LeadTime.Standard, material: "PLA", customer: "Filter Other");
        await _host.DispatchAsync(express);
        await _host.DispatchAsync(other);
        var client = await _host.SignedInAsync(Browserless.Operator);

        var html = await client.GetStringAsync("/mes?material=Resin&channel=Partner&priority=Express&q=Filter");

        Assert.Contains($"data-order-number=\"{OrderNumber.From(express.OrderId)}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-order-number=\"{OrderNumber.From(other.OrderId)}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-live-src=\"/mes/queue/fragment?material=Resin&amp;channel=Partner&amp;priority=Express&amp;q=Filter\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"stage-count-ManufacturingApproved\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFragment_WhenServed_TellsTheServerTimeOfTheQueryAndTheWholeResponse()
    {
        var client = await _host.SignedInAsync(Browserless.Operator);

        var response = await client.GetAsync("/mes/queue/fragment?material=PLA");

        response.EnsureSuccessStatusCode();
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^db;dur=[0-9.]+, total;dur=[0-9.]+$", timing);
        Assert.Contains("data-testid=\"mes-queue\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
