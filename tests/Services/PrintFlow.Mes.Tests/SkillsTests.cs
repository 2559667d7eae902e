using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

/// <summary>Take-next offers only jobs in materials the person runs; a supervisor sets who runs what.</summary>
public sealed class SkillsTests : IAsyncLifetime
{
    private readonly PrintFlowHost _host = new();

    public Task InitializeAsync() => _host.ReadyAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<WorkOutcome> TakeNextAsync(Guid who) =>
        _host.InScopeAsync(sp => sp.GetRequiredService<FloorWork>().TakeNextAsync(who, CancellationToken.None));

    private Task<string> SkillsOfAsync(string email) =>
        _host.WithDbAsync(db => db.Accounts.Where(a => a.Email == email).Select(a => a.Skills).SingleAsync());

    [Fact]
    public async Task DemoStaff_WhenSeeded_RunTheirPrintersMaterials()
    {
        Assert.Equal("PLA,PETG,ABS", await SkillsOfAsync(Browserless.Operator));
        Assert.Equal("PLA,Resin", await SkillsOfAsync(Browserless.Operator2));
        Assert.Equal("PLA,PETG,ABS,Resin", await SkillsOfAsync(Browserless.Supervisor));
    }

    [Fact]
    public async Task TakeNext_WhenTheMostUrgentJobNeedsAnotherMaterial_TakesTheFirstJobTheOperatorRunsAndSaysWhyNothingElseMatches()
    {
        var now = DateTimeOffset.UtcNow;
        var resin = Jobs.Request(leadTime: LeadTime.Express, material: "Resin", customer: "Resin First", requestedAt: now);
        var petg = Jobs.Request(leadTime: LeadTime.Standard, material: "PETG", customer: "Petg Second", requestedAt: now);
        await _host.DispatchAsync(resin);
        await _host.DispatchAsync(petg);
        var olivia = await _host.AccountIdAsync(Browserless.Operator);
        var oscar = await _host.AccountIdAsync(Browserless.Operator2);

        var first = await TakeNextAsync(olivia);
        var second = await TakeNextAsync(olivia);
        var oscars = await TakeNextAsync(oscar);
        var nothing = await TakeNextAsync(oscar);

        Assert.Equal((await _host.JobAsync(petg.OrderId)).JobId, first.JobId);
        Assert.Equal("queue.no-match", second.Code);
        Assert.Equal(
            "Jobs are waiting, but none you can run: they need Resin and you run PLA, PETG, ABS. " +
            "Ask a supervisor to add a material to your skills or to assign a job.",
            second.Message);
        Assert.Equal((await _host.JobAsync(resin.OrderId)).JobId, oscars.JobId);
        Assert.Equal("queue.empty", nothing.Code);
    }

    [Fact]
    public async Task Take_WhenTheOperatorDoesNotRunTheJobsMaterial_IsRefusedWithTheMissingMaterial()
    {
        var resin = Jobs.Request(material: "Resin", customer: "Resin Only");
        await _host.DispatchAsync(resin);
        var job = await _host.JobAsync(resin.OrderId);
        var olivia = await _host.SignedInAsync(Browserless.Operator);

        var refused = await olivia.PostFormAsync("/mes", $"/mes/jobs/{job.JobId}/take", new() { ["returnUrl"] = "/mes" });

        Assert.Equal(
            $"Order {job.OrderNumber} needs Resin, which Olivia Operator does not run (PLA, PETG, ABS).",
            Browserless.MessageOf(refused));
        Assert.Null((await _host.JobAsync(resin.OrderId)).AssignedToId);
    }

    [Fact]
    public async Task SkillsForm_WhenSupervisorSavesIt_ChangesWhatTakeNextOffersButAnOperatorMayNot()
    {
        var resin = Jobs.Request(material: "Resin", customer: "Resin Later");
        await _host.DispatchAsync(resin);
        var olivia = await _host.AccountIdAsync(Browserless.Operator);
        Assert.Equal("queue.no-match", (await TakeNextAsync(olivia)).Code);
        var fields = new Dictionary<string, string> { ["materials"] = "Resin", ["returnUrl"] = "/mes/skills" };

        var asOperator = await (await _host.SignedInAsync(Browserless.Operator)).PostFormAsync("/mes", $"/mes/people/{olivia}/skills", new(fields));
        Assert.StartsWith("/login", asOperator.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("PLA,PETG,ABS", await SkillsOfAsync(Browserless.Operator));

        var supervisor = await _host.SignedInAsync(Browserless.Supervisor);
        var page = await supervisor.GetStringAsync("/mes/skills");
        Assert.Contains($"data-account-id=\"{olivia}\" data-skills=\"PLA,PETG,ABS\"", page, StringComparison.Ordinal);
        var saved = await supervisor.PostFormAsync("/mes/skills", $"/mes/people/{olivia}/skills", new(fields));

        Assert.Equal("Olivia Operator now runs Resin.", Browserless.MessageOf(saved));
        Assert.Equal("Resin", await SkillsOfAsync(Browserless.Operator));
        var taken = await TakeNextAsync(olivia);
        Assert.Equal((await _host.JobAsync(resin.OrderId)).JobId, taken.JobId);
        Assert.Equal(HttpStatusCode.Redirect, (await (await _host.SignedInAsync(Browserless.Operator)).GetAsync("/mes/skills")).StatusCode);
    }
}
